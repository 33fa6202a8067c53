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

    /// The service account's uid (the file owner of the setuid binary) and whether this process runs with rights
    /// the caller does not have. Taken in `prepare()`, before anything switches rights: read later (inside
    /// `asCaller`) they would describe the caller and the process would never regain the service account.
    private(set) nonisolated(unsafe) static var serviceUID = geteuid()
    private(set) nonisolated(unsafe) static var isService = false

    /// The administrator's settings, when running as the service account.
    private(set) nonisolated(unsafe) static var server: ServerConfig?
    /// The caller's umask, for the files written with the caller's rights.
    private nonisolated(unsafe) static var callerUmask: mode_t = 0o022

    /// Called first thing in main. With service rights: reads server.yaml (root's, nobody else's), replaces the
    /// environment and sets a private umask. Root running the administrator's copy (scripts/setup-shared-server.sh
    /// installs it root-owned, as `sbin/duban`, which sets $DUBAN_SERVER_CONFIG): the same, after taking the service
    /// account's identity for the database. Root never runs the setuid copy the service account owns (and so could
    /// replace), and the files root's commands create in the data directory stay the service account's.
    static func prepare() throws {
        serviceUID = geteuid()
        isService = geteuid() != getuid()
        let rootConfig = getuid() == 0 && !isService ? Environment()["DUBAN_SERVER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } : nil
        guard isService || rootConfig != nil else { return }
        let configPath = rootConfig ?? serverConfigPath
        // Files the service account creates (the database, its -wal and -shm) are its own alone.
        callerUmask = umask(0o077)
        let text = try TrustedFile.read(configPath, what: "服务器配置文件", callerMayOwn: false)
        let (parsed, diagnostics) = ServerConfig.parse(text, file: configPath)
        guard let parsed else {
            throw CLIError(diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
        }
        if rootConfig != nil { try becomeOwner(ofDirectoryOf: parsed.database) }
        server = parsed
        sanitiseEnvironment(parsed)
    }

    /// Root takes the identity of the account that owns the database directory (the service account), keeping root
    /// as the real user: `asCaller` gives root back for the files root names.
    private static func becomeOwner(ofDirectoryOf database: String) throws {
        let directory = (database as NSString).deletingLastPathComponent
        var info = stat()
        guard stat(directory, &info) == 0, info.st_uid != 0 else {
            throw CLIError("数据目录“\(directory)”不存在或归 root 所有：请重新运行 scripts/setup-shared-server.sh")
        }
        guard seteuid(info.st_uid) == 0, geteuid() == info.st_uid else { throw CLIError("无法切换到数据目录属主（uid \(info.st_uid)）") }
        serviceUID = info.st_uid
        isService = true
    }

    /// Only what duban reads and the caller may decide: the terminal, its size, and the SSH address (recorded as
    /// reported by the client). The locale, home, search path and time zone are the system's; the duban paths are
    /// the administrator's.
    private static func sanitiseEnvironment(_ server: ServerConfig) {
        let old = Environment()
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

    /// With service rights, the administrator's path and nothing else: an option naming another path is refused, and
    /// even one that looks the same is not used (a symbolic link or `..` in it can lead elsewhere). Nil otherwise.
    static func fixedPath(_ given: String?, _ fixed: KeyPath<ServerConfig, String>, option: String) throws -> String? {
        guard let server else { return nil }
        let wanted = server[keyPath: fixed]
        if let given, given != wanted {
            throw CLIError("此服务器上的数据库和计划目录由管理员在 \(serverConfigPath) 中指定（\(wanted)），不能用 \(option) 另指定")
        }
        return wanted
    }

    /// Runs `body` with the caller's own rights: for every file the caller names (an export, a document to import,
    /// a batch file, templates), so the service account's rights never reach a path the caller chose.
    static func asCaller<T>(_ body: () throws -> T) throws -> T {
        guard isService else { return try body() }
        guard seteuid(getuid()) == 0 else { throw CLIError("无法切换回当前账号的权限") }
        let serviceUmask = umask(callerUmask)
        defer {
            umask(serviceUmask)
            // Regaining the service rights cannot fail (it is the saved set-user-ID); if it did, stop rather than go on
            // with the caller's rights where the service account's are expected.
            if seteuid(serviceUID) != 0 || geteuid() != serviceUID { fatalError("cannot regain the service account") }
        }
        return try body()
    }
}
