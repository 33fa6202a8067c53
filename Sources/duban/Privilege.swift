import DubanPlans
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// duban installed setuid to a service account (scripts/setup-shared-server.sh): the database belongs to that
/// account, so no clerk can write it except through duban. The service rights are used for the database and the
/// plans only. Everything else is the caller's: files the caller names are opened with the caller's own rights,
/// the environment is reduced to what duban needs, and the paths come from the administrator's server.yaml.
enum Privilege {
    /// Fixed at build time: a setuid program must not take the location of its own settings from its caller.
    static let serverConfigPath = "/etc/duban/server.yaml"

    /// The service account's uid (the file owner of the setuid binary), before anything changes it.
    static let serviceUID = geteuid()
    /// Running with rights the caller does not have.
    static let isService = geteuid() != getuid()

    /// The administrator's settings, when running as the service account.
    private(set) nonisolated(unsafe) static var server: ServerConfig?
    /// The caller's umask, for the files written with the caller's rights.
    private nonisolated(unsafe) static var callerUmask: mode_t = 0o022

    /// Called first thing in main. With service rights: reads server.yaml (root's, nobody else's), replaces the
    /// environment and sets a private umask. Without: nothing.
    static func prepare() throws {
        guard isService else { return }
        // Files the service account creates (the database, its -wal and -shm) are its own alone.
        callerUmask = umask(0o077)
        let text = try TrustedFile.read(serverConfigPath, what: "服务器配置文件", callerMayOwn: false)
        let (parsed, diagnostics) = ServerConfig.parse(text, file: serverConfigPath)
        guard let parsed else {
            throw CLIError(diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
        }
        server = parsed
        sanitiseEnvironment(parsed)
    }

    /// Only what duban reads and the caller may decide: the terminal, its size, and the SSH address (recorded as
    /// reported by the client). The locale, home, search path and time zone are the system's; the duban paths are
    /// the administrator's.
    private static func sanitiseEnvironment(_ server: ServerConfig) {
        let old = ProcessInfo.processInfo.environment
        var kept: [String: String] = [:]
        func keep(_ name: String, matching pattern: String) {
            if let value = old[name], value.range(of: pattern, options: .regularExpression) != nil { kept[name] = value }
        }
        keep("TERM", matching: #"^[A-Za-z0-9._+-]{1,64}$"#)
        keep("LINES", matching: #"^[0-9]{1,4}$"#)
        keep("COLUMNS", matching: #"^[0-9]{1,4}$"#)
        keep("NO_COLOR", matching: #"^.{0,16}$"#)
        keep("DUBAN_LOCK_TIMEOUT", matching: #"^[0-9]{1,3}(\.[0-9]+)?$"#)
        keep("SSH_CONNECTION", matching: #"^[0-9A-Fa-f.:% ]{1,200}$"#)
        keep("SSH_CLIENT", matching: #"^[0-9A-Fa-f.:% ]{1,200}$"#)
        kept["LANG"] = "C.UTF-8"
        kept["PATH"] = "/usr/bin:/bin"
        kept["HOME"] = Identity.current.passwdHome
        kept["DUBAN_DB"] = server.database
        kept["DUBAN_PLANS"] = server.plans
        kept["DUBAN_ACCESS"] = server.access
        clearenv()
        for (name, value) in kept { setenv(name, value, 1) }
    }

    /// A path the caller gave that the administrator fixed: only the fixed one is allowed.
    static func checkFixed(_ given: String?, _ fixed: KeyPath<ServerConfig, String>, option: String) throws {
        guard let server, let given else { return }
        let wanted = server[keyPath: fixed]
        if URL(fileURLWithPath: given).standardized.path != URL(fileURLWithPath: wanted).standardized.path {
            throw CLIError("此服务器上的数据库和计划目录由管理员在 \(serverConfigPath) 中指定（\(wanted)），不能用 \(option) 另指定")
        }
    }

    /// Runs `body` with the caller's own rights: for every file the caller names (an export, a document to import,
    /// a batch file, templates), so the service account's rights never reach a path the caller chose.
    static func asCaller<T>(_ body: () throws -> T) throws -> T {
        guard isService else { return try body() }
        guard seteuid(getuid()) == 0 else { throw CLIError("无法切换回当前账号的权限") }
        let serviceUmask = umask(callerUmask)
        defer {
            umask(serviceUmask)
            // Regaining the service rights cannot fail (it is the saved set-user-ID); if it did, stop rather than go on.
            if seteuid(serviceUID) != 0 { fatalError("cannot regain the service account") }
        }
        return try body()
    }
}
