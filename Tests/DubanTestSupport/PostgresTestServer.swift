import DubanStore
import Foundation

/// A throw-away PostgreSQL cluster for the tests (scripts/postgres-dev-cluster.sh: a Unix socket, peer authentication),
/// started once per test process; the account running the tests gets a superuser role of its name. Each test takes a
/// database of its own, initialised by `duban server init`'s code. Where PostgreSQL cannot start (not installed, not
/// root), `unavailable` says why, and the tests that need it print that and are skipped.
public enum PostgresTestServer {
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    public static let socketDirectory: Result<String, Reason> = {
        guard getuid() == 0 else { return .failure(Reason("需要 root 运行测试（集群属于 postgres 账号，测试账号要建角色）")) }
        guard FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/15/bin/initdb")
            || ProcessInfo.processInfo.environment["DUBAN_PG_BIN"] != nil else {
            return .failure(Reason("没有安装 PostgreSQL 服务器（Debian 包 postgresql）"))
        }
        let started = shell(["/bin/sh", repository + "/scripts/postgres-dev-cluster.sh", "start"])
        guard started.status == 0, let directory = started.output.split(separator: "\n").last.map(String.init) else {
            return .failure(Reason("PostgreSQL 未能启动：\(started.output)"))
        }
        let account = String(cString: getpwuid(getuid())!.pointee.pw_name)
        let role = psql(directory, as: "postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(account)') THEN "
                        + "CREATE ROLE \"\(account)\" SUPERUSER LOGIN; END IF; END $$;")
        guard role.status == 0 else { return .failure(Reason("未能建立测试角色：\(role.output)")) }
        return .success(directory)
    }()

    public struct Reason: Error, CustomStringConvertible {
        public let description: String
        init(_ text: String) { description = text }
    }

    public static var isAvailable: Bool {
        if case let .failure(reason) = socketDirectory {
            print("⚠︎ 跳过 PostgreSQL 测试：\(reason)")
            return false
        }
        return true
    }

    /// A new, initialised database; its URL.
    public static func freshDatabase() throws -> String {
        let directory = try socketDirectory.get()
        let name = "duban_test_" + UUID().uuidString.prefix(8).lowercased()
        let created = psql(directory, as: "postgres", "CREATE DATABASE \(name)")
        guard created.status == 0 else { throw Reason("CREATE DATABASE：\(created.output)") }
        let url = "postgresql:///\(name)?host=\(directory)"
        _ = try PostgresProgressStore.initialize(try PostgresLocation(url: url), account: String(cString: getpwuid(getuid())!.pointee.pw_name))
        return url
    }

    public static func psql(_ directory: String, as account: String, database: String = "postgres", _ sql: String) -> (status: Int32, output: String) {
        shell(["/usr/sbin/runuser", "-u", account, "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", directory, "-d", database, "-c", sql])
    }

    /// Runs a command to its end; its status and what it printed (standard output and error together).
    public static func shell(_ argv: [String]) -> (status: Int32, output: String) {
        do {
            let result = try ChildProcess.run(argv[0], Array(argv.dropFirst()))
            return (result.status, result.stdout + result.stderr)
        } catch {
            return (-1, "\(error)")
        }
    }
}
