import ArgumentParser
import DubanCore
import DubanPlans
import DubanStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "访问控制：查看当前账号的角色；管理员可授予或收回账号的角色。",
        discussion: """
        访问控制文件默认为 /etc/duban/access.yaml；环境变量 DUBAN_ACCESS 只对自己新建或自己所有的数据库有效。
        没有该文件时为单用户模式，当前账号即管理员。数据库一经与某个访问控制文件一起使用，就一直以它为准，
        只有 root 能用 duban access bind 改绑。root 总是管理员。
        """,
        subcommands: [Show.self, Grant.self, Revoke.self, Bind.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示当前账号的角色与负责的单位。")
        @OptionGroup var global: GlobalOptions

        mutating func run() throws {
            try reporting {
                let store = try global.openStore()
                let p = store.principal
                let units = p.unitIDs.sorted().joined(separator: "、")
                try writeLine("账号：\(SafeText.escaped(p.account))（uid \(p.uid)）")
                try writeLine("角色：\(p.role?.label ?? "未授权")\(p.shared ? "" : "（单用户模式：没有访问控制文件）")")
                if p.role == .staff { try writeLine("负责单位：\(units.isEmpty ? "无（名册中找不到所列单位）" : units)") }
            }
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "grant", abstract: "授予账号角色（仅管理员）；staff 需用 --unit 指定负责的单位。")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "操作系统账号名。") var account: String
        @Option(help: "角色：admin、staff 或 leader。") var role: String
        @Option(name: .customLong("unit"), help: "staff 负责的单位（可重复）。") var units: [String] = []

        mutating func run() throws {
            try reporting {
                guard let parsed = Role(rawValue: role) else { throw CLIError.input("角色应为 admin、staff 或 leader，而不是“\(shown(role))”") }
                if parsed == .staff && units.isEmpty { throw CLIError.input("staff 需用 --unit 指定其负责的单位") }
                guard account.range(of: #"^[a-z_][a-z0-9_.-]{0,31}$"#, options: .regularExpression) != nil else {
                    throw CLIError.input("“\(shown(account))”不是有效的账号名")
                }
                if try AccessCommand.onServer(global, account: account, role: parsed, units: units) == false {
                    try AccessCommand.edit(global) { $0.accounts[account] = AccessFile.Grant(role: parsed, units: units) }
                }
                try writeLine("已授予 \(account)：\(parsed.label)\(units.isEmpty ? "" : "，负责 \(units.joined(separator: "、"))")")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "收回账号的角色（仅管理员）。")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "操作系统账号名。") var account: String

        mutating func run() throws {
            try reporting {
                if try AccessCommand.onServer(global, account: account, role: nil, units: []) == false {
                    try AccessCommand.edit(global) { $0.accounts[account] = nil }
                }
                try writeLine("已收回 \(shown(account)) 的角色")
            }
        }
    }

    struct Bind: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bind",
            abstract: "把数据库绑定到访问控制文件（仅 root；配置共享服务器时执行）。",
            discussion: "不给出文件时绑定到 /etc/duban/server.yaml 指定的文件，或 /etc/duban/access.yaml。已绑定的数据库可由 root 改绑。"
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("访问控制文件。", valueName: "file")) var file: String?

        mutating func run() throws {
            try reporting {
                guard getuid() == 0 else { throw CLIError("只有 root 能绑定访问控制文件：请执行 sudo duban access bind", exitCode: 4) }
                let target = file ?? Privilege.server?.access ?? AccessContext.defaultFile
                if let server = Privilege.server, target != server.access {
                    throw CLIError("此服务器的访问控制文件由 \(Privilege.serverConfigPath) 指定为“\(server.access)”：请先修改该配置")
                }
                guard target.hasPrefix("/") else { throw CLIError.input("请给出访问控制文件的绝对路径，而不是“\(shown(target))”") }
                _ = try AccessContext.load(target)
                let path = try global.resolvedDatabasePath()
                let root = Principal(account: Identity.current.name, uid: 0, role: .admin, unitIDs: [],
                                     sshClient: AccessContext.sshClient(), shared: true)
                let store: SQLiteProgressStore
                do {
                    store = try SQLiteProgressStore(path: path, principal: root)
                } catch let error as StoreError {
                    throw CLIError(error.description, exitCode: error.exitCode)
                }
                try store.bindAccessFile(target)
                try writeLine("数据库 \(path) 已绑定访问控制文件 \(target)")
            }
        }
    }

    /// On a PostgreSQL database, rights live in the database (its group roles and `duban.unit_grant`), not in a file:
    /// the change is made there, by the server's admin-only functions. False: the database is SQLite.
    static func onServer(_ global: GlobalOptions, account: String, role: Role?, units: [String]) throws -> Bool {
        guard let store = try? global.resolvedDatabasePath(), PostgresLocation.isPostgresURL(store),
              let server = try global.openStore() as? PostgresProgressStore else { return false }
        let registries = Array((try global.loadLibrary(quiet: true, only: [])).registries.values)
        let unitIDs = try units.map { name in
            guard let unit = registries.lazy.compactMap({ $0.resolve(name) }).first else {
                throw CLIError.input("名册中没有单位“\(shown(name))”")
            }
            return unit.id
        }
        let uid = getpwnam(account).map { Int($0.pointee.pw_uid) }
        do {
            try server.setAccess(account: account, role: role, uid: uid, unitIDs: unitIDs)
        } catch let error as StoreError {
            throw CLIError(error.description, exitCode: error.exitCode)
        }
        return true
    }

    /// Reads, changes and atomically rewrites the governing access file, as an admin (checked by the store).
    static func edit(_ global: GlobalOptions, _ change: (inout AccessFile) -> Void) throws {
        let store = try global.openSQLiteStore()
        try store.authorize(.editAccess)
        let (file, bound) = try AccessContext.file(database: store.path, recorded: try store.governingAccessFile())
        var info = stat()
        if getuid() != 0, stat(file, &info) == 0, info.st_uid != getuid() {
            throw CLIError("访问控制文件“\(file)”归 root 所有，只有 root 能修改：请在命令前加 sudo（如 sudo duban access grant …）")
        }
        var access = FileManager.default.fileExists(atPath: file) ? try AccessContext.load(file) : AccessFile()
        // The account making the change stays admin: a shared database must not lose its last administrator.
        if access.accounts.isEmpty && access.groups.isEmpty {
            access.accounts[store.principal.account] = AccessFile.Grant(role: .admin)
        }
        change(&access)
        try SafeFile.write(Data(access.yaml().utf8), to: file, overwrite: true)
        _ = try Privilege.asCaller { chmod(file, 0o644) }  // the file is root's, written with the caller's rights
        if !bound { try store.recordGoverningAccessFile(file) }
    }
}
