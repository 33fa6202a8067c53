import ArgumentParser
import DubanCore
import DubanStore
import Foundation

/// The province's shared PostgreSQL database: setting it up. (Day-to-day commands use it through --db postgresql://….)
struct ServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "全省共享的 PostgreSQL 数据库：建库与升级。",
        subcommands: [Init.self, MigrateFrom.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "在 PostgreSQL 数据库中建立（或升级）duban 的表、角色、权限与函数；可重复执行。",
            discussion: """
                需以数据库超级用户身份执行（它要创建角色），例如：
                sudo -u postgres duban server init \\
                    --db 'postgresql:///duban?host=/run/postgresql'
                之后用 duban access grant 账号 --role staff --unit 单位 授权（在数据库中生效，无需访问控制文件）。
                """
        )
        @OptionGroup var global: GlobalOptions

        mutating func run() throws {
            try reporting {
                let url = try global.resolvedDatabasePath()
                guard PostgresLocation.isPostgresURL(url) else {
                    throw CLIError.input("请用 --db（或 DUBAN_DB）给出 PostgreSQL 数据库地址，如 postgresql:///duban?host=/run/postgresql；SQLite 数据库无需此步")
                }
                do {
                    let location = try PostgresLocation(url: url)
                    let applied = try PostgresProgressStore.initialize(location, account: Identity.current.name)
                    if applied.isEmpty {
                        try writeLine("数据库 \(location) 已是最新结构（共 \(PostgresSchema.migrations.count) 个版本），未作改动")
                    } else {
                        try writeLine("数据库 \(location) 已建立/升级：" + applied.map { "v\($0.version) \($0.name)" }.joined(separator: "；"))
                    }
                } catch let error as StoreError {
                    throw CLIError(error.description, exitCode: error.exitCode)
                }
            }
        }
    }

    struct MigrateFrom: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate-from",
            abstract: "把一个办公室 SQLite 数据库中的全部进展记录迁入 PostgreSQL 数据库（仅管理员；目标库须尚无记录）。",
            discussion: """
                先在 SQLite 上校验审计链，完整才迁移；记录原样迁入（编号、登记人、时间、哈希），由服务器按自己的规则重算整条链，
                链头与 SQLite 一致才提交，否则全部撤销。例：
                duban server migrate-from /srv/duban/duban.sqlite \\
                    --db 'postgresql:///duban?host=/run/postgresql'
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("办公室的 SQLite 数据库文件。", valueName: "file")) var file: String

        mutating func run() throws {
            try reporting {
                guard FileManager.default.fileExists(atPath: file) else { throw CLIError("找不到数据库文件“\(shown(file))”") }
                guard let target = try global.openStore() as? PostgresProgressStore else {
                    throw CLIError.input("请用 --db（或 DUBAN_DB）给出目标 PostgreSQL 数据库地址")
                }
                do {
                    let source = try SQLiteProgressStore(path: file, readOnly: true,
                                                         principal: .singleUser(account: Identity.current.name, uid: Identity.current.uid))
                    let report = try source.verifyAudit()
                    guard report.findings.isEmpty else {
                        throw CLIError("“\(shown(file))”的审计链校验不通过（\(report.findings.count) 处问题，可用 duban audit verify --db 查看），未迁移", exitCode: 3)
                    }
                    let sourceHead = try source.chainHead()
                    let (count, head) = try target.importHistory(from: source)
                    guard head == sourceHead.hash else {
                        throw CLIError("迁移后链头与 SQLite 不一致（\(head) ≠ \(sourceHead.hash)）", exitCode: 3)
                    }
                    try writeLine("已迁入 \(count) 条记录；审计链已在 PostgreSQL 上重新校验，完整，链头与原库一致：#\(sourceHead.eventID) \(head)")
                } catch let error as StoreError {
                    throw CLIError(error.description, exitCode: error.exitCode)
                }
            }
        }
    }
}
