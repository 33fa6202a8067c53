import Foundation
import Testing

/// Opening the database: one written by a newer duban is left alone; readers that start with the first writer wait
/// for its schema instead of failing.
@Suite struct StoreOpening {
    @Test func aDatabaseFromANewerDubanIsNeitherWrittenNorRead() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/d.sqlite"
        let first = try DubanBinary.run(["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "10", "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        let sql = try DubanBinary.capture("/usr/bin/sqlite3", [db, "INSERT INTO grdb_migrations(identifier) VALUES ('v9 from the future');"], environment: [:])
        #expect(sql.status == 0, "\(sql.stderr)")
        let write = try DubanBinary.run(["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "20", "--db", db])
        #expect(write.status != 0 && write.stderr.contains("更新版本的 duban"), "\(write.stderr)")
        let read = try DubanBinary.run(["progress", "changsha-2021", "--db", db])
        #expect(read.status != 0 && read.stderr.contains("更新版本的 duban"), "\(read.stderr)")
        let count = try DubanBinary.capture("/usr/bin/sqlite3", [db, "SELECT count(*) FROM event;"], environment: [:])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    /// A database an earlier duban wrote (before the seal chain) opens for a reader — a leader's summary right after an
    /// upgrade — and is brought up to date, its refusals sealed so that verify finds it whole.
    @Test func aDatabaseFromAnEarlierDubanIsUpgradedByItsFirstReader() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/d.sqlite"
        #expect(try DubanBinary.run(["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "10", "--db", db]).status == 0)
        let downgrade = try DubanBinary.capture("/usr/bin/sqlite3", [db, """
            DROP TRIGGER refusals_are_append_only; DROP TRIGGER seals_are_append_only; DROP TRIGGER seals_are_kept;
            DROP TRIGGER assignments_are_kept; DROP TABLE seal; DELETE FROM grdb_migrations WHERE identifier = 'v3 seals';
            INSERT INTO refusal (at, account, uid, action, reason) VALUES ('2026-01-05T09:00:00.000+08:00', 'x', 1234, '登记', '未授权');
            """], environment: [:])
        #expect(downgrade.status == 0, "\(downgrade.stderr)")
        let read = try DubanBinary.run(["summary", "--once", "--db", db])
        #expect(read.status == 0, "\(read.stderr)")
        let verify = try DubanBinary.run(["audit", "verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// A mistaken --db or plan is the caller's to fix (exit 2, as the help says) and is named as such: a directory given
    /// as the database was reported as a disk I/O error, which sends a clerk to check the disk.
    @Test func aWrongPathOrPlanIsNamedAndExitsTwo() throws {
        let scratch = try ScratchDirectory()
        let directory = try DubanBinary.run(["progress", "changsha-2021", "--db", scratch.path])
        #expect(directory.status == 2 && directory.stderr.contains("不是文件") && !directory.stderr.contains("磁盘"), "\(directory.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "nothing made beside it")
        let db = scratch.path + "/d.sqlite"
        for arguments in [["progress", "wuhan-2021"], ["log", "changsha-2021", "9.9"], ["export", "bulletin", "changsha-2021", "--format", "pdf"]] {
            let result = try DubanBinary.run(arguments + ["--db", db])
            #expect(result.status == 2 && result.stderr.hasPrefix("duban: "), "\(arguments): \(result.status) \(result.stderr)")
        }
    }

    @Test func readersStartingWithTheFirstWriterWaitForTheSchema() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/d.sqlite"
        var processes: [(Process, Pipe)] = []
        for i in 0..<24 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: DubanBinary.path)
            process.arguments = i % 6 == 0
                ? ["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "\(10 + i)", "--db", db]
                : ["log", "changsha-2021", "--db", db, "--json"]
            var env = ProcessInfo.processInfo.environment
            env["DUBAN_PLANS"] = DubanBinary.bundledPlans
            process.environment = env
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            processes.append((process, errors))
        }
        var failures: [String] = []
        for (process, errors) in processes {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus != 0 && !message.contains("冲突") { failures.append(message) }
        }
        #expect(failures.filter { $0.contains("no such table") }.isEmpty, "\(failures)")
    }

    /// Eight clerks whose first update creates the database at the same moment, five times over: every update is kept
    /// and the file is in WAL mode (they once raced through SQLite's change of journal mode: "busy", "no such table").
    @Test func writersCreatingOneDatabaseAtOnceAllSucceed() throws {
        let scratch = try ScratchDirectory()
        for round in 0..<5 {
            let db = scratch.path + "/d\(round).sqlite"
            let processes = try (0..<8).map { clerk -> (Process, Pipe) in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: DubanBinary.path)
                process.arguments = ["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "\(clerk + 1)", "--db", db]
                process.environment = ["DUBAN_PLANS": DubanBinary.bundledPlans, "HOME": scratch.path]
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                return (process, errors)
            }
            let messages = processes.map { process, errors in
                let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                return process.terminationStatus == 0 ? "" : message
            }
            #expect(messages.filter { !$0.isEmpty }.isEmpty, "\(messages)")
            let facts = try DubanBinary.capture("/usr/bin/sqlite3", [db, "PRAGMA journal_mode; SELECT count(*) FROM event;"], environment: [:])
            #expect(facts.stdout == "wal\n8\n", "\(facts.stdout)\(facts.stderr)")
        }
    }

    /// On a full disk (a 1 MB tmpfs, nearly filled) creating the database fails with a message, a reader of what is left is told
    /// it is empty, and with space again the next update creates it.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount")))
    func aCreateOnAFullDiskFailsPlainlyAndLeavesNothingMisleading() throws {
        let scratch = try ScratchDirectory()
        let mountPoint = scratch.path + "/small"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard (try DubanBinary.capture("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint], environment: [:])).status == 0 else { return }
        defer { _ = try? DubanBinary.capture("/bin/umount", [mountPoint], environment: [:]) }
        #expect(FileManager.default.createFile(atPath: mountPoint + "/filler", contents: Data(count: 1016 * 1024)))
        let db = mountPoint + "/d.sqlite"
        let full = try DubanBinary.run(["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中", "--db", db])
        #expect(full.status != 0 && !full.stderr.contains("Fatal error"), "\(full.stderr)")
        #expect(full.stderr.contains("磁盘已满") || full.stderr.contains("full"), "\(full.stderr)")
        if FileManager.default.fileExists(atPath: db) {
            let read = try DubanBinary.run(["log", "changsha-2021", "--db", db])
            #expect(read.status != 0 && (read.stderr.contains("是空的") || read.stderr.contains("磁盘已满")), "\(read.stderr)")
        }
        try FileManager.default.removeItem(atPath: mountPoint + "/filler")
        let again = try DubanBinary.run(["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中", "--db", db])
        #expect(again.status == 0, "\(again.stderr)")
    }
}
