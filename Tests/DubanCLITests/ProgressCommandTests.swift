import DubanTestSupport
import Foundation
import Testing

/// The leaf assignments of a bundled plan as (node, unit id), from `duban tree --json`.
func leafAssignments(_ plan: String) throws -> [(String, String)] {
    let object = try #require(try DubanBinary.json(["tree", plan]) as? [String: Any])
    let nodes = try #require(object["nodes"] as? [[String: Any]])
    let parents = Set(nodes.compactMap { $0["parent"] as? String })
    return nodes.filter { ($0["kind"] as? String) != "section" && !parents.contains($0["id"] as! String) }
        .flatMap { node in (node["assignee_ids"] as! [String]).map { (node["id"] as! String, $0) } }
}

func batchLine(node: String, unit: String, status: String = "doing", percent: Int, note: String = "") -> String {
    let object: [String: Any] = ["node": node, "unit": unit, "status": status, "percent": percent, "note": note]
    return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}

func integrity(_ db: String) throws -> String {
    try ChildProcess.run("/usr/bin/sqlite3", [db, "PRAGMA integrity_check;"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

func eventIDs(db: String, plan: String) throws -> Set<Int> {
    let result = try DubanBinary.run(["log", plan, "--json"], environment: ["DUBAN_DB": db])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    return Set(rows.compactMap { $0["id"] as? Int })
}

@Suite(.serialized) struct Updates {
    @Test func eightWritersAtOnceLoseNothingAndConflictsAreRefused() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let assignments = try leafAssignments("changsha-2021")
        var processes: [Process] = []
        for worker in 0..<8 {
            let lines = (0..<200).map { i -> String in
                let (node, unit) = assignments[(worker * 200 + i) % assignments.count]
                return batchLine(node: node, unit: unit, percent: 1 + (worker + i) % 98, note: "并发写入 \(worker)-\(i)")
            }
            try scratch.write("batch\(worker).jsonl", lines.joined(separator: "\n"))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: DubanBinary.path)
            process.arguments = ["update", "changsha-2021", "--batch", scratch.path + "/batch\(worker).jsonl"]
            process.environment = ["DUBAN_DB": db, "DUBAN_PLANS": DubanBinary.bundledPlans, "HOME": scratch.path]
            process.standardOutput = FileHandle.nullDevice
            let errorFile = scratch.path + "/err\(worker).txt"
            _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: errorFile)
            processes.append(process)
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        let errors = (0..<8).compactMap { try? String(contentsOfFile: scratch.path + "/err\($0).txt", encoding: .utf8) }.joined()
        #expect(processes.allSatisfy { $0.terminationStatus == 0 }, "\(errors)")
        #expect(try eventIDs(db: db, plan: "changsha-2021").count == 1600)
        #expect(try integrity(db) == "ok")

        // Eight clerks submit against the same latest event: one is saved, seven are told of the conflict.
        let (node, unit) = assignments[0]
        let latest = try #require(try DubanBinary.run(["log", "changsha-2021", node, "--unit", unit, "--json"], environment: ["DUBAN_DB": db])
            .stdout.data(using: .utf8).flatMap { try JSONSerialization.jsonObject(with: $0) as? [[String: Any]] }?.last?["id"] as? Int)
        var racers: [(Process, Pipe)] = []
        for clerk in 0..<8 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: DubanBinary.path)
            process.arguments = ["update", "changsha-2021", node, "--unit", unit, "--status", "推进中", "--percent", "\(clerk + 50)",
                                 "--expect", "\(latest)"]
            process.environment = ["DUBAN_DB": db, "DUBAN_PLANS": DubanBinary.bundledPlans, "HOME": scratch.path]
            let err = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            racers.append((process, err))
        }
        for (process, _) in racers { try process.run() }
        var messages: [String] = []
        for (process, err) in racers {
            messages.append(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            process.waitUntilExit()
        }
        #expect(racers.filter { $0.0.terminationStatus == 0 }.count == 1)
        #expect(racers.filter { $0.0.terminationStatus == 3 }.count == 7)
        #expect(messages.filter { $0.contains("已被他人更新") }.count == 7)
        #expect(try eventIDs(db: db, plan: "changsha-2021").count == 1601)
    }

    @Test func aWriterKilledMidBurstLosesNoAcknowledgedUpdate() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let assignments = try leafAssignments("zhuzhou-2020")
        var acknowledged = Set<Int>()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<6 {
            let lines = (0..<400).map { i -> String in
                let (node, unit) = assignments[(round * 400 + i) % assignments.count]
                return batchLine(node: node, unit: unit, percent: 1 + i % 98)
            }
            try scratch.write("burst.jsonl", lines.joined(separator: "\n"))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: DubanBinary.path)
            process.arguments = ["update", "zhuzhou-2020", "--batch", scratch.path + "/burst.jsonl"]
            process.environment = ["DUBAN_DB": db, "DUBAN_PLANS": DubanBinary.bundledPlans, "HOME": scratch.path]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Killed mid-burst: after its first acknowledgement (however slow a loaded machine is to start it), at a
            // random moment.
            var received = Data()
            while !received.contains(UInt8(ascii: "#")) {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                received += chunk
            }
            usleep(UInt32.random(in: 0...300_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            received += out.fileHandleForReading.readDataToEndOfFile()
            let text = String(decoding: received, as: UTF8.self)
            for line in text.split(separator: "\n") where line.hasPrefix("#") {
                if let id = Int(line.dropFirst()) { acknowledged.insert(id) }
            }
        }
        #expect(!acknowledged.isEmpty)
        #expect(try integrity(db) == "ok")
        let stored = try eventIDs(db: db, plan: "zhuzhou-2020")
        #expect(acknowledged.isSubset(of: stored), "acknowledged but missing: \(acknowledged.subtracting(stored).sorted().prefix(10))")
    }

    @Test func rejectedUpdatesWriteNothingAndSayWhy() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let env = ["DUBAN_DB": db]
        let cases: [([String], String)] = [
            (["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "done", "--percent", "80"], "100"),
            (["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "doing", "--percent", "120"], "0 到 100"),
            (["update", "changsha-2021", "1.2", "--unit", "市财政局", "--status", "doing"], "不是事项 1.2"),
            (["update", "changsha-2021", "1.2", "--unit", "芙蓉县", "--status", "doing"], "芙蓉区"),
            (["update", "changsha-2021", "9.9", "--unit", "芙蓉区", "--status", "doing"], "9.9"),
            (["update", "changsha-2031", "1.2", "--unit", "芙蓉区", "--status", "doing"], "changsha-2021"),
            (["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "完工"], "未启动"),
            (["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "doing", "--evidence", "ftp://x"], "http"),
        ]
        for (arguments, hint) in cases {
            let result = try DubanBinary.run(arguments, environment: env)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(hint), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal") && !result.stderr.contains("Stack"))
        }
        #expect(try eventIDs(db: db, plan: "changsha-2021").isEmpty)
        let ok = try DubanBinary.run(["update", "changsha-2021", "1.2", "--unit", "市发改委", "--status", "doing", "--percent", "40",
                                      "--note", "已开设“十四五”规划专栏", "--json"], environment: env)
        #expect(ok.status == 0, "\(ok.stderr)")
        // Dated today on a plan whose year is over: saved, and the clerk told what that does to the plan's figures.
        #expect(ok.stderr.contains("年度（2021 年）已经结束") && ok.stderr.contains("--at"), "\(ok.stderr)")
        let dated = try DubanBinary.run(["update", "changsha-2021", "1.3", "--unit", "芙蓉区", "--status", "完成", "--at", "2021-12-20"],
                                        environment: env)
        #expect(dated.status == 0 && dated.stderr.isEmpty, "\(dated.stderr)")
        let event = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any])
        #expect(event["unit"] as? String == "市发展改革委")
        #expect(event["author"] as? String == String(cString: getpwuid(getuid())!.pointee.pw_name))
        // $USER does not change who wrote it.
        let spoofed = try DubanBinary.run(["update", "changsha-2021", "1.2", "--unit", "市发改委", "--status", "doing", "--json"],
                                          environment: env.merging(["USER": "someone-else", "LOGNAME": "someone-else"]) { $1 })
        #expect(!spoofed.stdout.contains("someone-else"))
    }

    @Test func badDatabaseLocationsGiveClearMessages() throws {
        let scratch = try ScratchDirectory()
        let missing = try DubanBinary.run(["progress", "changsha-2021"], environment: ["DUBAN_DB": scratch.path + "/nope/x.sqlite"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("不存在"))
        try scratch.write("junk.sqlite", String(repeating: "not a database ", count: 100))
        let junk = try DubanBinary.run(["progress", "changsha-2021"], environment: ["DUBAN_DB": scratch.path + "/junk.sqlite"])
        #expect(junk.status == 1)
        #expect(junk.stderr.contains("不是 duban 数据库"))
    }

    @Test func aLockedDatabaseIsReportedNotHung() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let env = ["DUBAN_DB": db, "DUBAN_LOCK_TIMEOUT": "1"]
        #expect(try DubanBinary.run(["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "doing"], environment: env).status == 0)
        // Another program holds the write lock for a while.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(8)", db]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        _ = out.fileHandleForReading.availableData  // wait for "locked"
        let blocked = try DubanBinary.run(["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "doing", "--percent", "60"], environment: env)
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("锁定"), "\(blocked.stderr)")
        holder.terminate()
        holder.waitUntilExit()
        #expect(try eventIDs(db: db, plan: "changsha-2021").count == 1)
    }

    @Test func anAccountWithoutWriteAccessIsToldSo() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        #expect(try DubanBinary.run(["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "doing"], environment: ["DUBAN_DB": db]).status == 0)
        // The account's own database, which it may read but not write (someone else's unbound one is refused earlier,
        // for another reason: see SharedServer).
        chmod(scratch.path, 0o755)
        chown(db, 65534, 65534)
        chmod(db, 0o444)
        let result = try DubanBinary.capture("/usr/bin/setpriv", [
            "--reuid=65534", "--regid=65534", "--clear-groups", DubanBinary.path,
            "update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "doing", "--percent", "70",
        ], environment: ["DUBAN_DB": db, "DUBAN_PLANS": DubanBinary.bundledPlans, "HOME": "/tmp"])
        let message = result.stderr
        #expect(result.status == 1)
        #expect(message.contains("只读"), "\(message)")
        #expect(try eventIDs(db: db, plan: "changsha-2021").count == 1)
    }
}

@Suite(.serialized) struct Figures {
    @Test func demoYearTwiceGivesTheSameFigures() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        #expect(try DubanBinary.run(["demo"], environment: env).status == 0)
        let first = try DubanBinary.run(["progress", "changsha-2021", "--as-of", "2021-12-31", "--json"], environment: env).stdout
        #expect(try DubanBinary.run(["demo"], environment: env).status == 0)
        let second = try DubanBinary.run(["progress", "changsha-2021", "--as-of", "2021-12-31", "--json"], environment: env).stdout
        #expect(first == second)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 9)
        #expect(rows.map { $0["rank"] as! Int } == rows.map { $0["rank"] as! Int }.sorted())
        // A year on, what was not done is overdue: about one assignment in ten.
        let later = try DubanBinary.run(["progress", "changsha-2021", "--as-of", "2022-06-30", "--json"], environment: env).stdout
        let laterObject = try #require(try JSONSerialization.jsonObject(with: Data(later.utf8)) as? [String: Any])
        let totals = try #require(laterObject["totals"] as? [String: Any])
        let overdue = Double(try #require(totals["overdue"] as? Int)) / Double(try #require(totals["assignments"] as? Int))
        #expect(overdue > 0.04 && overdue < 0.2, "about one in ten overdue: \(overdue)")
        #expect(try #require(totals["done_late"] as? Int) > 0)
        let scores = rows.compactMap { $0["score"] as? Double }
        #expect((scores.max() ?? 0) - (scores.min() ?? 0) > 5, "stronger and weaker districts")
    }

    @Test func asOfReplaysThePast() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        #expect(try DubanBinary.run(["demo"], environment: env).status == 0)
        func done(_ date: String) throws -> Int {
            let out = try DubanBinary.run(["progress", "zhuzhou-2020", "--as-of", date, "--json"], environment: env).stdout
            let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            return (object["totals"] as! [String: Any])["done"] as! Int
        }
        let (june, september, december) = (try done("2020-06-30"), try done("2020-09-30"), try done("2020-12-31"))
        #expect(june <= september && september <= december && june < december)
        let overdue = try DubanBinary.run(["overdue", "zhuzhou-2020", "--as-of", "2021-03-01", "--json"], environment: env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(overdue.stdout.utf8)) as? [[String: Any]])
        #expect(!rows.isEmpty)
        let deadlines = rows.map { $0["effective_deadline"] as! String }
        #expect(deadlines == deadlines.sorted(), "oldest first")
        #expect(rows.allSatisfy { ($0["days_overdue"] as! Int) > 0 && $0["working_days_overdue"] is Int })
        let log = try DubanBinary.run(["log", "zhuzhou-2020", "1.1", "--as-of", "2020-06-30", "--json"], environment: env)
        let events = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        #expect(events.allSatisfy { ($0["date"] as! String) <= "2020-06-30" })
    }
}

/// With no --as-of, every command looks at a finished year's plan as the dashboard and the leader's summary do: on the
/// last day anything was recorded for it, not today (a bulletin of 2021 made years later read 1,800 days overdue);
/// while nothing is recorded, at its year-end; a record made today brings it to today.
@Suite struct NaturalDay {
    /// A deadline moved past a holiday is shown moved where days overdue are counted from it, so the figure can be
    /// checked against the date beside it (望城区's extension to 2022-01-31 falls in the Spring Festival).
    @Test func aDeadlineOnAHolidayIsShownMoved() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/d.sqlite"]
        #expect(try DubanBinary.run(["demo"], environment: env).status == 0)
        let overdue = try DubanBinary.run(["overdue", "changsha-2021"], environment: env).stdout
        let row = try #require(overdue.split(separator: "\n").first { $0.contains("2022-01-31→02-07") }, "\(overdue)")
        #expect(row.contains(" 21/"), "\(row)")
        #expect(overdue.contains("注：时限遇节假日顺延"))
    }

    @Test func aFinishedYearIsLookedAtOnItsLastRecord() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/d.sqlite"]
        func asOf(_ arguments: [String]) throws -> String? {
            let result = try DubanBinary.run(arguments, environment: env)
            return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["as_of"] as? String
        }
        #expect(try asOf(["progress", "changsha-2021", "--json"]) == "2021-12-31")
        let update = ["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "40"]
        #expect(try DubanBinary.run(update + ["--at", "2021-06-30"], environment: env).status == 0)
        #expect(try asOf(["progress", "changsha-2021", "--json"]) == "2021-06-30")
        #expect(try asOf(["progress", "changsha-2021", "--json", "--as-of", "2021-03-31"]) == "2021-03-31")
        let bulletin = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--format", "txt", "-o", "-"], environment: env)
        #expect(bulletin.stdout.contains("截至2021年6月30日"), "\(bulletin.stdout.prefix(400))")
        // Signed on the day it speaks of (成文日期 defaults to the cut-off), and named for it, not for today.
        #expect(bulletin.stdout.contains("\n2021年6月30日\n"), "\(bulletin.stdout.suffix(300))")
        let named = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--format", "txt"], environment: env, directory: scratch.path)
        #expect(named.status == 0 && FileManager.default.fileExists(atPath: scratch.path + "/changsha-2021-通报-2021-06-30.txt"), "\(named.stdout)")
        #expect(try DubanBinary.run(update + ["--percent", "50"], environment: env).status == 0)  // today
        let today = try #require(try asOf(["progress", "changsha-2021", "--json"]))
        #expect(today > "2021-12-31")
    }
}
