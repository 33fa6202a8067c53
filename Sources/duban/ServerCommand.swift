import ArgumentParser
import DubanCore
import DubanStore
import Foundation

/// The province's shared PostgreSQL database: setting it up. (Day-to-day commands use it through --db postgresql://….)
struct ServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "全省共享的 PostgreSQL 数据库：建库与升级。",
        subcommands: [Init.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "在 PostgreSQL 数据库中建立（或升级）duban 的表、角色、权限与函数；可重复执行。",
            discussion: """
                需以数据库超级用户身份执行（它要创建角色），例如：sudo -u postgres duban server init --db 'postgresql:///duban?host=/run/postgresql'。
                之后用 duban access grant 账号 --role staff --unit 单位 授权（在数据库中生效，无需访问控制文件）。
                """
        )
        @OptionGroup var global: GlobalOptions

        mutating func run() throws {
            try reporting {
                let url = try global.resolvedDatabasePath()
                guard PostgresLocation.isPostgresURL(url) else {
                    throw CLIError("请用 --db（或 DUBAN_DB）给出 PostgreSQL 数据库地址，如 postgresql:///duban?host=/run/postgresql；SQLite 数据库无需此步")
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
}
