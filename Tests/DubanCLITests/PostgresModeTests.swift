import DubanCore
import DubanTestSupport
import Foundation
import Testing

/// The province's PostgreSQL database through the real binary and real OS accounts (issue 18): the server decides who
/// may write, whatever a client tries with psql; the same commands give the same output on both backends; fifty clerks
/// at once lose nothing; a killed client loses nothing it acknowledged.
@Suite(.serialized, .timeLimit(.minutes(10))) struct PostgresMode {
    static var ready: Bool { SharedServer.accountsReady && PostgresTestServer.isAvailable }

    /// One fresh database, initialised by `duban server init` as root (a superuser role), with login roles for the
    /// test accounts (roles are cluster-wide; they are left for the next run).
    final class Province {
        let socket: String
        let name = "duban_cli_" + UUID().uuidString.prefix(8).lowercased()
        var url: String { "postgresql:///\(name)?host=\(socket)" }

        init() throws {
            socket = try PostgresTestServer.socketDirectory.get()
            let created = PostgresTestServer.psql(socket, as: "postgres", "CREATE DATABASE \(name)")
            #expect(created.status == 0, "\(created.output)")
            for account in [SharedServer.staff, SharedServer.leader, SharedServer.stranger] {
                _ = PostgresTestServer.psql(socket, as: "postgres", """
                    DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(account)') THEN CREATE ROLE "\(account)" LOGIN; END IF; END $$
                    """)
            }
        }

        deinit { _ = PostgresTestServer.psql(socket, as: "postgres", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }

        func run(as account: String, _ arguments: [String], input: String? = nil) throws -> DubanBinary.Result {
            try DubanBinary.capture("/usr/sbin/runuser", ["-u", account, "--", "/usr/bin/env", "-i", "LANG=C.UTF-8", "HOME=/tmp",
                                    "DUBAN_DB=\(url)", "DUBAN_PLANS=\(DubanBinary.bundledPlans)", "DUBAN_CACHE=off",
                                    "SSH_CONNECTION=10.0.0.7 50022 10.0.0.1 22", DubanBinary.path] + arguments, environment: [:])
        }

        /// A duban process against this database, not yet started; its output discarded unless the caller takes it.
        func clerk(_ arguments: [String]) -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: DubanBinary.path)
            process.arguments = arguments
            process.environment = ["DUBAN_DB": url, "DUBAN_PLANS": DubanBinary.bundledPlans, "DUBAN_CACHE": "off", "LANG": "C.UTF-8", "HOME": "/tmp"]
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            return process
        }

        func psql(as account: String, _ sql: String) -> (status: Int32, output: String) {
            PostgresTestServer.psql(socket, as: account, database: name, sql)
        }
    }

    static let update = ["update", "changsha-2021", "1.1", "--status", "推进中", "--percent", "40", "--at", "2021-09-01"]

    @Test(.enabled(if: ready)) func theDatabaseDecidesWhoMayWrite() throws {
        let p = try Province()
        let first = try p.run(as: "root", ["server", "init", "--db", p.url])
        #expect(first.status == 0 && first.stdout.contains("v5"), "\(first.stdout)\(first.stderr)")
        let again = try p.run(as: "root", ["server", "init", "--db", p.url])
        #expect(again.status == 0 && again.stdout.contains("已是最新"), "init twice: \(again.stdout)\(again.stderr)")
        #expect(try p.run(as: "root", ["access", "grant", SharedServer.staff, "--role", "staff", "--unit", "芙蓉区"]).status == 0)
        #expect(try p.run(as: "root", ["access", "grant", SharedServer.leader, "--role", "leader"]).status == 0)
        let shown = try p.run(as: SharedServer.staff, ["access", "show"])
        #expect(shown.stdout.contains("填报员") && shown.stdout.contains("furong"), "\(shown.stdout)\(shown.stderr)")

        // The liaison writes for its district only; the leader and a stranger write nothing.
        let own = try p.run(as: SharedServer.staff, Self.update + ["--unit", "芙蓉区", "--note", "已启动"])
        #expect(own.status == 0, "\(own.stderr)")
        let other = try p.run(as: SharedServer.staff, Self.update + ["--unit", "天心区"])
        #expect(other.status == 4 && other.stderr.contains("未获允许"), "\(other.stderr)")
        #expect(try p.run(as: SharedServer.leader, Self.update + ["--unit", "芙蓉区"]).status == 4)
        #expect(try p.run(as: SharedServer.stranger, ["progress", "changsha-2021"]).status == 4)
        let figures = try p.run(as: SharedServer.leader, ["progress", "changsha-2021", "--json"])
        #expect(figures.status == 0, "\(figures.stderr)")

        // The author is the account the server saw.
        let log = try p.run(as: SharedServer.leader, ["log", "changsha-2021", "1.1", "--json"])
        let events = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        #expect(events.count == 1 && events[0]["author"] as? String == SharedServer.staff, "\(log.stdout)")

        // psql straight at the tables: refused by the server itself.
        let attempts = [
            "UPDATE duban.event SET percent = 100",
            "DELETE FROM duban.event",
            "UPDATE duban.current_state SET percent = 100",
            """
            INSERT INTO duban.event (id, assignment_id, status, percent, author, uid, day, recorded_at, prev_hash, hash)
            VALUES (99, 1, '已完成', 100, 'someone', 0, 18900, 'x', 'forged', 'forged')
            """,
            "INSERT INTO duban.unit_grant VALUES ('\(SharedServer.staff)', 'tianxin')",
        ]
        for sql in attempts {
            let tried = p.psql(as: SharedServer.staff, sql)
            #expect(tried.status != 0 && tried.output.contains("permission denied"), "\(sql): \(tried.output)")
        }
        // Through the function, for another unit: refused and recorded by the server.
        let sneaky = p.psql(as: SharedServer.staff, """
            SELECT outcome FROM duban.record('changsha-2021', '1.1', 'tianxin', 'update', '推进中', 50, '', NULL, 18900, NULL, NULL, NULL, NULL)
            """)
        #expect(sneaky.output.contains("refused"), "\(sneaky.output)")
        let refusals = try p.run(as: "root", ["audit", "log", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(refusals.stdout.utf8)) as? [[String: Any]], "\(refusals.stderr)")
        #expect(rows.count == 4 && Set(rows.compactMap { $0["account"] as? String })
            == [SharedServer.staff, SharedServer.leader, SharedServer.stranger], "\(refusals.stdout)")
        #expect(try p.run(as: SharedServer.staff, ["audit", "log"]).status == 4)
        let verified = try p.run(as: "root", ["audit", "verify"])
        #expect(verified.status == 0 && verified.stdout.contains("审计链完整"), "\(verified.stdout)\(verified.stderr)")
        // A superuser's edit behind the functions' back is found.
        _ = p.psql(as: "postgres", "ALTER TABLE duban.event DISABLE TRIGGER USER; UPDATE duban.event SET percent = 99 WHERE id = 1")
        let tampered = try p.run(as: "root", ["audit", "verify", "--json"])
        #expect(tampered.status == 5 && tampered.stdout.contains("altered"), "\(tampered.stdout)\(tampered.stderr)")
    }

    /// The same steps on an SQLite file and on the server: what they print, and the scripts' JSON after them, is the same
    /// byte for byte, but for when each record was typed. Once with a clerk's and the office's steps (and a demo year
    /// that both refuse over them), once with the demo year alone.
    @Test(.enabled(if: ready)) func bothBackendsGiveTheSameOutput() throws {
        let steps: [[String]] = [
            ["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "推进中", "--percent", "30", "--at", "2021-12-01", "--note", "推进"],
            ["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "已完成", "--at", "2021-12-05", "--evidence", "https://example.gov.cn/1"],
            ["review", "changsha-2021", "1.2", "--unit", "芙蓉区", "--return", "--at", "2021-12-06", "--note", "佐证不足"],
            ["extend", "changsha-2021", "1.3", "--unit", "天心区", "--to", "2022-03-31", "--reason", "需上级批复", "--at", "2021-12-06"],
            ["extend", "changsha-2021", "1.3", "--unit", "天心区", "--approve", "--at", "2021-12-07"],
            ["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "推进中", "--percent", "10", "--expect", "1", "--at", "2021-12-08"],
            ["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "推进中", "--percent", "40", "--expect", "3", "--at", "2021-12-08"],
            ["update", "changsha-2021", "1.4", "--unit", "岳麓区", "--status", "推进中", "--percent", "40", "--at", "2021-12-01"],
            ["update", "changsha-2021", "1.4", "--unit", "岳麓区", "--status", "推进中", "--percent", "50", "--at", "2021-11-01"],
            ["demo"],
        ]
        try Self.compare(steps)
        try Self.compare([["demo"]])
    }

    static func compare(_ steps: [[String]]) throws {
        let p = try Province()
        #expect(try p.run(as: "root", ["server", "init", "--db", p.url]).status == 0)
        let scratch = try ScratchDirectory()
        let sqlite = scratch.path + "/duban.sqlite"
        func both(_ arguments: [String]) throws -> (String, String) {
            let a = try DubanBinary.run(arguments, environment: ["DUBAN_DB": sqlite, "DUBAN_CACHE": "off"])
            let b = try DubanBinary.run(arguments, environment: ["DUBAN_DB": p.url, "DUBAN_CACHE": "off"])
            #expect(a.status == b.status, "\(arguments): \(a.stderr) | \(b.stderr)")
            return (Self.normalised(a.stdout + a.stderr), Self.normalised(b.stdout + b.stderr))
        }
        for step in steps {
            let (a, b) = try both(step)
            #expect(a == b, "\(step)")
        }
        for query in [["progress", "changsha-2021", "--json"], ["progress", "changsha-2021", "--as-of", "2021-09-30", "--json"],
                      ["overdue", "changsha-2021", "--json"], ["overdue", "zhuzhou-2020", "--as-of", "2020-10-15", "--json"],
                      ["log", "changsha-2021", "1", "--json"], ["review", "changsha-2021", "--json"], ["lights", "changsha-2021", "--json"],
                      ["reports", "changsha-2021", "--json"], ["changes", "changsha-2021", "--since", "2021-11-01", "--as-of", "2021-12-31", "--json"],
                      ["export", "bulletin", "changsha-2021", "--format", "md", "--output", "-"]] {
            let (a, b) = try both(query)
            #expect(!a.isEmpty && a == b, "\(query)")
        }
    }

    /// An office's SQLite history moved to the province's server: copied as recorded, its chain recomputed by the server
    /// with the same head, the figures unchanged; a second copy into the same database refused.
    @Test(.enabled(if: ready)) func anOfficeHistoryMovesWithItsChain() throws {
        let p = try Province()
        let scratch = try ScratchDirectory()
        let sqlite = scratch.path + "/office.sqlite"
        for step in [["demo"],
                     // The demo signed 2.1 off: the office reopens it (so the history holds a reopening too).
                     ["update", "changsha-2022", "2.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "30", "--at", "2022-12-20", "--note", "迁移前", "--reopen"],
                     ["update", "changsha-2022", "2.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "60", "--at", "2022-12-21"]] {
            let r = try DubanBinary.run(step, environment: ["DUBAN_DB": sqlite, "DUBAN_CACHE": "off"])
            #expect(r.status == 0, "\(step): \(r.stderr)")
        }
        #expect(try p.run(as: "root", ["server", "init", "--db", p.url]).status == 0)
        let moved = try DubanBinary.run(["server", "migrate-from", sqlite, "--db", p.url], environment: ["DUBAN_CACHE": "off"])
        #expect(moved.status == 0 && moved.stdout.contains("链头与原库一致"), "\(moved.stdout)\(moved.stderr)")
        for query in [["progress", "changsha-2022", "--json"], ["log", "changsha-2022", "2.1", "--unit", "芙蓉区", "--json"],
                      ["overdue", "zhuzhou-2020", "--as-of", "2020-12-31", "--json"]] {
            let a = try DubanBinary.run(query, environment: ["DUBAN_DB": sqlite, "DUBAN_CACHE": "off"])
            let b = try DubanBinary.run(query, environment: ["DUBAN_DB": p.url, "DUBAN_CACHE": "off"])
            #expect(a.status == 0 && a.stdout == b.stdout, "\(query): \(b.stderr)")
        }
        // The server's records continue the chain.
        let next = try DubanBinary.run(["update", "changsha-2022", "2.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "70", "--at", "2022-12-22"],
                                       environment: ["DUBAN_DB": p.url, "DUBAN_CACHE": "off"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(p.psql(as: "root", "SELECT coalesce(duban.verify_chain()::text, 'whole')").output.contains("whole"))
        let again = try DubanBinary.run(["server", "migrate-from", sqlite, "--db", p.url], environment: ["DUBAN_CACHE": "off"])
        #expect(again.status != 0 && again.stderr.contains("没有记录的新数据库"), "\(again.stderr)")
    }

    /// A leader's dashboard on the server sees another account's sign-off by itself (LISTEN/NOTIFY), and offers no edit.
    @Test(.enabled(if: ready && DashboardInTmux.tmuxAvailable)) func theLeaderScreenRefreshesFromTheServer() throws {
        let p = try Province()
        #expect(try p.run(as: "root", ["server", "init", "--db", p.url]).status == 0)
        #expect(try p.run(as: "root", ["access", "grant", SharedServer.leader, "--role", "leader"]).status == 0)
        let session = try DashboardInTmux.Session(width: 80, height: 24, command: ["--plan", "changsha-2021"],
                                                  environment: ["DUBAN_DB": p.url, "DUBAN_CACHE": "off", "HOME": "/tmp"],
                                                  account: SharedServer.leader)
        _ = try session.wait(for: "完成率（0/184）", seconds: 20)
        #expect(try session.screen().contains("只读"))
        for step in [["update", "changsha-2021", "1.3", "--unit", "天心区", "--status", "已完成", "--note", "已公开"],
                     ["review", "changsha-2021", "1.3", "--unit", "天心区", "--approve"]] {
            #expect(try p.run(as: "root", step).status == 0)
        }
        _ = try session.wait(for: "完成率（1/184）", seconds: 15)
    }

    /// The server side alone, through psql as real accounts (scripts/postgres-schema-check.py): each direct write refused,
    /// init twice identical, every event's hash equal to the Swift rule recomputed in Python.
    @Test(.enabled(if: ready)) func theSchemaHoldsAgainstPsql() throws {
        let check = PostgresTestServer.shell(["/usr/bin/env", "python3", PostgresTestServer.repository + "/scripts/postgres-schema-check.py"])
        #expect(check.status == 0 && check.output.contains("all checks passed"), "\(check.output.suffix(3000))")
    }

    /// recorded_at is when the record was typed: it differs between any two runs.
    static func normalised(_ text: String) -> String {
        text.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"#, with: "TIME", options: .regularExpression)
    }

    @Test(.enabled(if: ready)) func fiftyClerksAtOnceLoseNothing() throws {
        let p = try Province()
        #expect(try p.run(as: "root", ["server", "init", "--db", p.url]).status == 0)
        let scratch = try ScratchDirectory()
        let nodes = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]
        let units = ["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区", "长沙县", "浏阳市", "宁乡市"]
        var processes: [Process] = []
        for clerk in 0..<50 {
            // Each clerk: 100 records on its own assignment, a day apart.
            let node = nodes[clerk % nodes.count], unit = units[clerk / nodes.count]
            let lines = (0..<100).map { i in
                #"{"node":"\#(node)","unit":"\#(unit)","status":"推进中","percent":\#(i),"at":"\#(CivilDateText.day(i))"}"#
            }
            let file = scratch.path + "/clerk\(clerk).jsonl"
            try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let process = p.clerk(["update", "changsha-2021", "--batch", file])
            try process.run()
            processes.append(process)
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let count = p.psql(as: "root", "SELECT count(*) FROM duban.event")
        #expect(count.output.contains("5000"), "\(count.output)")
        #expect(p.psql(as: "root", "SELECT coalesce(duban.verify_chain()::text, 'whole')").output.contains("whole"))

        // Ten clerks racing for one assignment with --expect 0: one wins, nine are told of the conflict.
        let racers = (0..<10).map { _ -> Process in
            p.clerk(["update", "changsha-2021", "2.7", "--unit", "芙蓉区", "--status", "推进中", "--percent", "20", "--expect", "0"])
        }
        for racer in racers { try racer.run() }
        for racer in racers { racer.waitUntilExit() }
        #expect(racers.filter { $0.terminationStatus == 0 }.count == 1)
        #expect(racers.filter { $0.terminationStatus != 0 }.count == 9)
    }

    @Test(.enabled(if: ready)) func aKilledClientLosesNothingItAcknowledged() throws {
        let p = try Province()
        #expect(try p.run(as: "root", ["server", "init", "--db", p.url]).status == 0)
        let scratch = try ScratchDirectory()
        let lines = (0..<2000).map { i in #"{"node":"1.1","unit":"芙蓉区","status":"推进中","percent":\#(i % 100),"at":"2021-09-01"}"# }
        let file = scratch.path + "/batch.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let process = p.clerk(["update", "changsha-2021", "--batch", file])
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // Kill it once it has acknowledged a few hundred records, mid-stream.
        var acknowledged = Data()
        while acknowledged.split(separator: UInt8(ascii: "\n")).count < 300 {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            acknowledged.append(chunk)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        acknowledged.append(pipe.fileHandleForReading.readDataToEndOfFile())
        let ids = String(decoding: acknowledged, as: UTF8.self).split(separator: "\n").compactMap { Int($0.dropFirst()) }
        #expect(ids.count >= 300)
        let stored = p.psql(as: "root", "SELECT count(*) FROM duban.event WHERE id <= \(ids.max() ?? 0)")
        #expect(stored.output.contains("\(ids.max() ?? -1)"), "\(stored.output) for \(ids.count) acknowledged")
        #expect(p.psql(as: "root", "SELECT coalesce(duban.verify_chain()::text, 'whole')").output.contains("whole"))
    }
}

/// Days from 2021-03-01, for batches of dated records.
enum CivilDateText {
    static func day(_ offset: Int) -> String { CivilDate(iso: "2021-03-01")!.adding(days: offset).description }
}
