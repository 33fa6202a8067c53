import DubanTestSupport
import Foundation
import Testing

/// Tampering behind the tool's back, with the sqlite3 shell as anyone who can open the file would do it.
@Suite struct AuditCommand {
    static var sqliteShell: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") }

    @Test(.enabled(if: sqliteShell)) func verifyNamesEachAlteredDeletedAndInsertedEvent() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        for node in ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"] {
            let r = try DubanBinary.run(["update", "changsha-2021", node, "--unit", "芙蓉区", "--status", "推进中", "--percent", "30"],
                                        environment: ["DUBAN_DB": db])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let clean = try DubanBinary.run(["audit", "verify"], environment: ["DUBAN_DB": db])
        #expect(clean.status == 0 && clean.stdout.contains("审计链完整：共校验 6 条记录"), "\(clean.stdout)\(clean.stderr)")
        let head = clean.stdout.components(separatedBy: "链头：").last!.trimmingCharacters(in: .whitespacesAndNewlines)

        let tampered = try ChildProcess.run("/usr/bin/sqlite3", [db, """
            DROP TRIGGER event_is_append_only; DROP TRIGGER only_demo_events_may_go;
            UPDATE event SET percent = 100, status = '已完成' WHERE id = 2;
            DELETE FROM event WHERE id = 4;
            INSERT INTO event (assignment_id, status, percent, note, author, uid, day, recorded_at)
                VALUES (1, '已完成', 100, '', 'root', 0, 740000, '2026-11-21T09:00:00+08:00');
            """])
        #expect(tampered.status == 0, "\(tampered.stderr)")

        let result = try DubanBinary.run(["audit", "verify", "--json"], environment: ["DUBAN_DB": db])
        #expect(result.status == 5)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let all = report["findings"] as? [[String: Any]] ?? []
        let findings = all.compactMap { f in (f["event"] as? Int).map { "\(f["kind"]!) #\($0)" } }
        #expect(findings == ["altered #2", "deleted #5", "inserted #7"], "\(result.stdout)")
        // And what the edits did besides: the dropped triggers, and the figures no longer matching the events.
        let others = Set(all.filter { $0["event"] is NSNull || $0["event"] == nil }.compactMap { $0["kind"] as? String })
        #expect(others == ["trigger_missing", "derived_altered"], "\(result.stdout)")
        #expect(result.stdout.contains("记录 #4 被删除"))

        // A head written down before: deleting the last event shows even if the chain is otherwise rebuilt.
        let text = try DubanBinary.run(["audit", "verify", "--expect-head", head], environment: ["DUBAN_DB": db])
        #expect(text.stdout.contains("✗ 记录 #2 的内容在 duban 之外被改动"), "\(text.stdout)")
    }

    /// The head log is stamped with the head event's own recorded time, not the clock when verify finished: events
    /// written while verify ran are not later called back-dated (a false alarm the attack run found).
    @Test func theHeadLogIsStampedWithTheHeadsOwnTime() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let heads = scratch.path + "/heads"
        func update(_ node: String) throws {
            let r = try DubanBinary.run(["update", "changsha-2021", node, "--unit", "芙蓉区", "--status", "推进中", "--percent", "30"],
                                        environment: ["DUBAN_DB": db])
            #expect(r.status == 0, "\(r.stderr)")
        }
        try update("1.1")
        #expect(try DubanBinary.run(["audit", "verify", "--head-log", heads], environment: ["DUBAN_DB": db]).status == 0)
        let log = try DubanBinary.run(["log", "changsha-2021", "--json"], environment: ["DUBAN_DB": db])
        let recorded = try #require((try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])?.last?["recorded_at"] as? String)
        let line = try String(contentsOfFile: heads, encoding: .utf8)
        #expect(line.hasPrefix(recorded + " 1."), "\(line)")
        // Events after the head, then verify again: the log grows, no alarm.
        try update("1.2")
        try update("1.3")
        let again = try DubanBinary.run(["audit", "verify", "--head-log", heads], environment: ["DUBAN_DB": db])
        #expect(again.status == 0, "\(again.stdout)")
        #expect(try String(contentsOfFile: heads, encoding: .utf8).split(separator: "\n").count == 2)
        // A head log others could rewrite is refused, not trusted.
        chmod(heads, 0o666)
        let loose = try DubanBinary.run(["audit", "verify", "--head-log", heads], environment: ["DUBAN_DB": db])
        #expect(loose.status != 0 && loose.stderr.contains("可被组或其他账号改写"), "\(loose.stderr)")
    }

    @Test func refusalsAndVerifyOnAFreshDatabase() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let log = try DubanBinary.run(["audit", "log"], environment: ["DUBAN_DB": db])
        #expect(log.status == 0 && log.stdout.contains("没有被拒绝的操作"))
        let verify = try DubanBinary.run(["audit", "verify"], environment: ["DUBAN_DB": db])
        #expect(verify.status == 0 && verify.stdout.contains("共校验 0 条记录"))
    }
}

/// A bidi override stored before such characters were refused (issue 12, item 8) reaches neither the terminal nor
/// a script raw: `log` shows it escaped, `--json` as a \u escape.
@Suite struct StoredUnsafeText {
    @Test(.enabled(if: AuditCommand.sqliteShell)) func oldNotesWithBidiControlsAreEscapedInJSON() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let saved = try DubanBinary.run(["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "30"],
                                        environment: ["DUBAN_DB": db])
        #expect(saved.status == 0, "\(saved.stderr)")
        try ChildProcess.run("/usr/bin/sqlite3", [db, "DROP TRIGGER event_is_append_only; UPDATE event SET note = '甲' || char(8238) || '乙' || char(133);"])
        let json = try DubanBinary.run(["log", "changsha-2021", "--json"], environment: ["DUBAN_DB": db])
        #expect(json.status == 0 && !json.stdout.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x85 }, "\(json.stdout)")
        #expect(json.stdout.contains(#"甲\u202e乙\u0085"#), "\(json.stdout)")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.first?["note"] as? String == "甲\u{202E}乙\u{85}")
        let text = try DubanBinary.run(["log", "changsha-2021"], environment: ["DUBAN_DB": db])
        #expect(!text.stdout.unicodeScalars.contains { $0.value == 0x202E } && text.stdout.contains(#"\u{202E}"#))
    }
}
