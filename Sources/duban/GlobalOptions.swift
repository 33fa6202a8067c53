import ArgumentParser
import DubanCore
import DubanPlans
import DubanStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("plans"), help: ArgumentHelp("计划文件目录（默认：$DUBAN_PLANS，或 ./Plans）。", valueName: "dir"))
    var plansDirectory: String?

    @Option(name: .customLong("db"), help: ArgumentHelp("进展数据库文件（默认：$DUBAN_DB，或 $XDG_DATA_HOME/duban/duban.sqlite）。", valueName: "path"))
    var databasePath: String?

    /// The database path: the option, $DUBAN_DB, or the XDG data directory (created on first use).
    func resolvedDatabasePath() throws -> String {
        if let fixed = try Privilege.fixedPath(databasePath, \.database, option: "--db") { return fixed }
        if let databasePath { return databasePath }
        let env = Environment()
        if let fromEnv = env["DUBAN_DB"], !fromEnv.isEmpty { return fromEnv }
        let base: String
        if let xdg = env["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            base = Identity.current.home + "/.local/share"
        }
        let directory = base + "/duban"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIError("无法创建数据目录“\(directory)”：\(error.localizedDescription)；可用 --db 指定数据库位置")
        }
        return directory + "/duban.sqlite"
    }

    /// The store the database option names: a PostgreSQL URL (postgresql://…) opens the shared server database as the
    /// caller's OS account; anything else is an SQLite file.
    func openStore(readOnly: Bool = false) throws -> any ProgressStore {
        let path = try resolvedDatabasePath()
        if PostgresLocation.isPostgresURL(path) {
            do {
                return try PostgresProgressStore(location: try PostgresLocation(url: path), account: Identity.current.name,
                                                 uid: Identity.current.uid, sshClient: AccessContext.sshClient())
            } catch let error as StoreError {
                throw CLIError(error.description, exitCode: error.exitCode)
            }
        }
        return try openSQLiteStore(readOnly: readOnly)
    }

    /// The SQLite store, for what only it has (its audit chain's verification here, its access-file binding).
    func openSQLiteStore(readOnly: Bool = false) throws -> SQLiteProgressStore {
        let path = try resolvedDatabasePath()
        if PostgresLocation.isPostgresURL(path) {
            throw CLIError.input("该命令只用于 SQLite 数据库；PostgreSQL 数据库的权限和审计由服务器管理（见 duban server）")
        }
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            // Reading an absent database: create it, so an empty one reads as "no updates yet".
            return try openSQLiteStore(readOnly: false)
        }
        var accessFile: (path: String, bound: Bool)?
        var decided: Principal?
        func decide(_ recorded: String?) throws -> Principal {
            let (principal, file) = try AccessContext.principal(database: path, recorded: recorded) {
                (try? loadLibrary(quiet: true, only: []))?.registries ?? [:]
            }
            if file != nil && !Privilege.isService {
                // Files the shared database creates must stay usable by the group. (SQLite gives its -wal and -shm the
                // database file's mode whatever the umask; installed as the service account, they are that account's alone.)
                umask(0o007)
            }
            (accessFile, decided) = (file, principal)
            return principal
        }
        if !FileManager.default.fileExists(atPath: path) {
            // A new database names no access file yet; whether it is shared decides the mode it is created with.
            _ = try decide(nil)
            if accessFile != nil && !Privilege.isService { Self.createShared(path) }
        }
        do {
            // DUBAN_LOCK_TIMEOUT: seconds to wait for another writer (default 15).
            let timeout = Environment()["DUBAN_LOCK_TIMEOUT"].flatMap(Double.init) ?? 15
            // The principal follows from the access file the database names, read through the store's own connection.
            let store = try SQLiteProgressStore(path: path, readOnly: readOnly, lockTimeout: max(0, min(timeout, 600)),
                                                principalFor: { recorded in try decided ?? decide(recorded) })
            if let accessFile, !accessFile.bound, !readOnly {
                try store.recordGoverningAccessFile(accessFile.path)
            }
            return store
        } catch let error as StoreError {
            // An account the access file does not list hears that first, even if it cannot open the file at all. When
            // the open failed before the binding was read, it is looked for on its own; if that fails too, the open's
            // own error is the one to tell (this only chooses the message: nothing is opened or granted by it).
            var principal = decided
            if principal == nil, let recorded = Self.binding(of: path) {
                principal = try AccessContext.principal(database: path, recorded: recorded, registries: { [:] }).0
            }
            if let principal, case let .refused(reason) = AccessPolicy.decide(principal, .read) {
                throw CLIError("未获允许：\(reason)", exitCode: 4)
            }
            throw CLIError(error.description, exitCode: error.exitCode)
        }
    }

    /// The access file a database names, read on its own: .some(nil) when it names none, nil when it cannot be read.
    static func binding(of path: String) -> String?? {
        do { return .some(try SQLiteProgressStore.governingAccessFile(path: path)) } catch { return nil }
    }

    /// A shared database is created group-readable and -writable (0660); SQLite gives its -wal and -shm
    /// files the database file's mode, so every account in the group can use them.
    static func createShared(_ path: String) {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0o660)
        guard fd >= 0 else { return }
        fchmod(fd, 0o660)
        close(fd)
    }

    /// Opens the store and checks an action that is not a store write (import, access edits) against the policy.
    func authorize(_ action: AccessAction) throws -> any ProgressStore {
        let store = try openStore()
        try store.authorize(action)
        return store
    }

    /// Where the plans live: the option, the environment, ./Plans, or a Plans/ beside the executable's
    /// checkout (so `swift run duban` works from any directory of the repository).
    func resolvedPlansDirectory() throws -> String {
        if let fixed = try Privilege.fixedPath(plansDirectory, \.plans, option: "--plans") { return fixed }
        if let plansDirectory { return plansDirectory }
        let env = Environment()
        if let fromEnv = env["DUBAN_PLANS"], !fromEnv.isEmpty { return fromEnv }
        let fm = FileManager.default
        if fm.fileExists(atPath: "Plans/units") { return "Plans" }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // Beside a checkout's build (swift run), or PREFIX/share/duban/Plans beside an installed PREFIX/bin/duban.
        for _ in 0..<6 {
            for candidate in [directory.appendingPathComponent("Plans"), directory.appendingPathComponent("share/duban/Plans")]
            where fm.fileExists(atPath: candidate.appendingPathComponent("units").path) {
                return candidate.path
            }
            directory.deleteLastPathComponent()
        }
        for shared in ["/usr/local/share/duban/Plans", "/usr/share/duban/Plans"] where fm.fileExists(atPath: shared) {
            return shared
        }
        throw CLIError("找不到计划目录：请在仓库根目录运行，或用 --plans 目录 / 环境变量 DUBAN_PLANS 指定")
    }

    /// The plans directory, loaded. Files with errors are left out and named on stderr, so a typo in one
    /// plan does not stop work on the others.
    /// The account's own compiled-plan cache ($XDG_CACHE_HOME/duban or ~/.cache/duban): nobody else's process reads it.
    /// None on a shared server (the setuid process must not trust a file the caller can write) or with DUBAN_CACHE=off.
    static let planCache: PlanCache? = {
        let env = Environment()
        guard !Privilege.isService, env["DUBAN_CACHE"] != "off" else { return nil }
        let base = env["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? (Identity.current.home + "/.cache")
        return PlanCache(directory: base + "/duban")
    }()

    func loadLibrary(quiet: Bool = false, only planIDs: Set<String>? = nil) throws -> PlanLibrary {
        let library: PlanLibrary
        do {
            library = try PlanLibrary.load(directory: try resolvedPlansDirectory(), only: planIDs, cache: Self.planCache)
        } catch let error as PlanLibraryError {
            throw CLIError(error.description)
        }
        if !quiet {
            for (file, errors) in library.rejectedFiles.sorted(by: { $0.key < $1.key }) {
                printError("注意：\(file) 有 \(errors) 处错误，已跳过；运行 duban check 查看详情")
            }
            if let scoring = library.brokenScoringFile {
                printError("注意：\(scoring) 有错误，得分和排名按默认权重计算；运行 duban check 查看详情")
            }
        }
        return library
    }

    /// Loads just the named plan (and the registries and calendar), with suggestions when it is not there.
    /// Every valid plan's header (see PlanLibrary.headers), with the same notices about rejected files as loadLibrary.
    func planHeaders(quiet: Bool = false) throws -> (directory: String, headers: [PlanHeader]) {
        let directory = try resolvedPlansDirectory()
        do {
            let (headers, rejected) = try PlanLibrary.headers(directory: directory, cache: Self.planCache)
            if !quiet {
                for file in rejected.keys.sorted() {
                    printError("注意：\(file) 有 \(rejected[file]!) 处错误，已跳过；运行 duban check 查看详情")
                }
            }
            return (directory, headers)
        } catch let error as PlanLibraryError {
            throw CLIError(error.description)
        }
    }

    func loadPlan(_ id: String) throws -> (PlanLibrary, Plan) {
        let library = try loadLibrary(only: [id])
        if let plan = library.plan(id) { return (library, plan) }
        return (library, try plan(id, in: try loadLibrary(quiet: true)))
    }

    func plan(_ id: String, in library: PlanLibrary) throws -> Plan {
        if let plan = library.plan(id) { return plan }
        try requirePlan(id, among: library.plans.map(\.id))
        throw CLIError.input("没有编号为“\(SafeText.escaped(id))”的计划")
    }

    /// Throws, with the nearest ids and the list, unless `id` is among `ids`.
    func requirePlan(_ id: String, among ids: [String]) throws {
        guard !ids.contains(id) else { return }
        let near = TextMatching.closest(to: id, among: ids)
        var message = "没有编号为“\(SafeText.escaped(id))”的计划"
        if !near.isEmpty { message += "；您是否要找：\(near.joined(separator: "、"))" }
        message += "。现有计划：\(ids.isEmpty ? "无" : ids.joined(separator: "、"))"
        throw CLIError.input(message)
    }
}
