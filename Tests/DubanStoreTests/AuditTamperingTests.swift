import DubanTestSupport
import DubanCore
@testable import DubanStore
import Foundation
import GRDB
import Testing

/// Each blind spot the attack run found (issue 12, item 3), done as the attacker did: with the sqlite3 shell on a
/// database of real events. `audit verify` must name each one.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"))) struct AuditTampering {
    final class Database {
        let directory = NSTemporaryDirectory() + "duban-tamper-" + UUID().uuidString
        var path: String { directory + "/duban.sqlite" }
        let store: SQLiteProgressStore

        init() throws {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            store = try SQLiteProgressStore(path: directory + "/duban.sqlite")
            for (i, node) in ["1.1", "1.2", "1.3"].enumerated() {
                _ = try store.record(NewUpdate(planID: "p", nodeID: node, unitID: "d0", status: .inProgress, percent: 20 + i,
                                               note: "已推进", date: CivilDate(iso: "2021-08-0\(i + 1)")!, author: "clerk", uid: 1000),
                                     expecting: nil)
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        /// What anyone who can open the file for writing can do.
        func sqlite(_ sql: String) throws {
            let shell = try ChildProcess.run("/usr/bin/sqlite3", [path, sql])
            #expect(shell.status == 0, "sqlite3 refused: \(sql): \(shell.stderr)")
        }

        func findings() throws -> [String] { try store.verifyAudit().findings.map(\.kind) }
    }

    @Test func aCleanDatabaseVerifies() throws {
        let db = try Database()
        #expect(try db.findings().isEmpty)
    }

    @Test func editingTheCurrentStateAloneIsNamed() throws {
        let db = try Database()
        try db.sqlite("UPDATE current_state SET status = '已完成', percent = 100")
        let report = try db.store.verifyAudit()
        #expect(report.findings.count == 3 && report.findings.allSatisfy { $0.kind == "derived_altered" })
        #expect(report.findings.first?.description.contains("p 1.1（d0）") == true)
    }

    /// A plan's states are read by the plan they name: a state moved to another plan (or to another unit) by hand
    /// would vanish from its own plan's figures, and is named.
    @Test func aStateMovedToAnotherPlanIsNamed() throws {
        let db = try Database()
        try db.sqlite("UPDATE current_state SET plan_id = 'q' WHERE assignment_id = 1; UPDATE current_state SET unit_id = 'd9' WHERE assignment_id = 2")
        let states = try db.store.states(planID: "p", asOf: nil)
        #expect(states[Assignment(nodeID: "1.1", unitID: "d0")] == nil && states[Assignment(nodeID: "1.2", unitID: "d9")] != nil)
        let report = try db.store.verifyAudit()
        #expect(report.findings.map(\.kind) == ["derived_altered", "derived_altered"])
        #expect(report.findings.first?.description.contains("p 1.1（d0）") == true)
    }

    /// Who reported when is read from report_day: a day added, removed or re-attributed by hand is named.
    @Test func editingTheReportDaysIsNamed() throws {
        let db = try Database()
        try db.sqlite("INSERT INTO report_day VALUES ('p', 'd1', 18900, 1); UPDATE report_day SET day = day + 10 WHERE unit_id = 'd0' AND day = 18840")
        let report = try db.store.verifyAudit()
        #expect(report.findings.map(\.kind) == ["report_days_altered", "report_days_altered"])
        #expect(report.findings.map(\.description).first?.contains("p（d0）") == true)
    }

    @Test func aForgedDemoEventIsNamed() throws {
        let db = try Database()
        try db.store.replaceDemoEvents([NewUpdate(planID: "p", nodeID: "1.4", unitID: "d0", status: .done, percent: 100, note: "",
                                                  date: CivilDate(iso: "2021-09-01")!, author: "demo", uid: 0)])
        #expect(try db.findings().isEmpty)
        // A demo row with a correct demo hash: its own chain is fine, but the set no longer matches its seal.
        let link = AuditLink(id: 5, update: NewUpdate(planID: "p", nodeID: "1.1", unitID: "d0", status: .done, percent: 100, note: "",
                                                      date: CivilDate(iso: "2021-09-02")!, author: "demo", uid: 0),
                             carried: CarriedState(status: .done, percent: 100), day: CivilDate(iso: "2021-09-02")!.dayNumber, recordedAt: "2026-11-20T10:00:00.000Z",
                             sshClient: nil, demo: true)
        try db.sqlite("""
            INSERT INTO event (id, assignment_id, status, percent, note, author, uid, day, recorded_at, demo, prev_hash, hash)
            VALUES (5, 1, '已完成', 100, '', 'demo', 0, \(link.day), '\(link.recordedAt)', 1, '\(AuditLink.demoAnchor)', '\(link.hash(previous: AuditLink.demoAnchor))')
            """)
        #expect(try db.findings().contains("forged_demo"))
        // And `log` does not pass it off as someone's report.
        #expect(try db.store.history(planID: "p", nodeID: "1.1", unitID: nil, asOf: nil).last?.demo == true)
    }

    @Test func theAccessBindingIsSealed() throws {
        let db = try Database()
        try db.store.recordGoverningAccessFile("/etc/duban/access.yaml")
        #expect(try db.findings().isEmpty)
        try db.sqlite("UPDATE setting SET value = '/home/liyun/mine.yaml' WHERE key = 'access_file'")
        #expect(try db.findings() == ["setting_altered"])
        try db.sqlite("UPDATE setting SET value = '/etc/duban/access.yaml' WHERE key = 'access_file'")
        #expect(try db.findings().isEmpty)
        try db.sqlite("DELETE FROM setting")
        #expect(try db.findings() == ["setting_altered"])
    }

    @Test func refusalsAndTriggersAreChecked() throws {
        let db = try Database()
        let stranger = try? SQLiteProgressStore(path: db.path, principal: Principal(account: "x", uid: 4242, role: nil, unitIDs: [], sshClient: nil, shared: true))
        #expect(stranger == nil)
        #expect(try db.store.refusals().count == 1)
        #expect(try db.findings().isEmpty)
        try db.sqlite("DROP TRIGGER refusals_are_kept; DELETE FROM refusal;")
        #expect(Set(try db.findings()) == ["trigger_missing", "refusal_deleted"])
    }

    /// A trigger added by hand that silently swallows refusals (or a view shadowing a table) is named, and a refused
    /// account is not told its attempt was recorded when it was not.
    @Test func aTriggerOrViewDubanDidNotCreateIsNamed() throws {
        let db = try Database()
        try db.sqlite("CREATE TRIGGER hush BEFORE INSERT ON refusal BEGIN SELECT RAISE(IGNORE); END; CREATE VIEW v AS SELECT 1;")
        #expect(Set(try db.findings()) == ["unexpected_schema"])
        #expect(try db.store.verifyAudit().findings.map(\.description).contains { $0.contains("hush") })
        do {
            _ = try SQLiteProgressStore(path: db.path, principal: Principal(account: "x", uid: 4242, role: nil, unitIDs: [], sshClient: nil, shared: true))
            Issue.record("the stranger was let in")
        } catch let error as StoreError {
            #expect(error.description.contains("未能记入"), "\(error)")
        }
        try db.sqlite("DROP TRIGGER hush; CREATE TRIGGER hush BEFORE INSERT ON refusal BEGIN SELECT RAISE(ABORT, 'no'); END;")
        do {
            _ = try SQLiteProgressStore(path: db.path, principal: Principal(account: "x", uid: 4242, role: nil, unitIDs: [], sshClient: nil, shared: true))
        } catch let error as StoreError {
            #expect(error.description.contains("未能记入"), "\(error)")
        }
    }

    /// A correction (更正) is of the latest record only, is chained like any event, and removing the mark is named.
    @Test func aCorrectionIsOfTheLatestRecordAndIsChained() throws {
        let db = try Database()
        func correction(of id: Int64) -> NewUpdate {
            NewUpdate(planID: "p", nodeID: "1.1", unitID: "d0", status: .inProgress, percent: 25, note: "更正：应为 25%",
                      date: CivilDate(iso: "2021-08-09")!, author: "clerk", uid: 1000, corrects: id)
        }
        #expect(throws: StoreError.self) { try db.store.record(correction(of: 2), expecting: nil) }   // 2 is another task's
        let saved = try db.store.record(correction(of: 1), expecting: nil)
        #expect(saved.corrects == 1)
        #expect(try db.store.events(ids: [saved.id])[saved.id]?.corrects == 1)
        #expect(throws: StoreError.self) { try db.store.record(correction(of: 1), expecting: nil) }   // no longer the latest
        #expect(try db.findings().isEmpty)
        try db.sqlite("DROP TRIGGER event_is_append_only; UPDATE event SET corrects = NULL WHERE id = \(saved.id);")
        #expect(try db.findings().contains("altered"))
    }

    @Test func aRefusalRewrittenIsNamed() throws {
        let db = try Database()
        _ = try? SQLiteProgressStore(path: db.path, principal: Principal(account: "x", uid: 4242, role: nil, unitIDs: [], sshClient: nil, shared: true))
        try db.sqlite("DROP TRIGGER refusals_are_append_only; UPDATE refusal SET account = 'someone-else';")
        #expect(Set(try db.findings()) == ["trigger_missing", "refusal_forged"])
    }

    /// A forged event appended with a correctly computed hash keeps the chain whole: only a head written down where
    /// the forger cannot write shows it — when the forgery is dated before that head, or rewrites what it covered.
    @Test func aForgeryWithACorrectHashIsCaughtByAHeadWrittenDownEarlier() throws {
        let db = try Database()
        let before = try db.store.verifyAudit().head
        let writtenDown = SQLiteProgressStore.timestamp()
        let previous = try db.store.read { try SQLiteProgressStore.chainHead($0) }
        let forged = AuditLink(id: 4, update: NewUpdate(planID: "p", nodeID: "1.1", unitID: "d0", status: .done, percent: 100, note: "",
                                                        date: CivilDate(iso: "2021-08-05")!, author: "clerk", uid: 1000),
                               carried: CarriedState(status: .done, percent: 100, doneSince: CivilDate(iso: "2021-08-05")!),
                               day: CivilDate(iso: "2021-08-05")!.dayNumber, recordedAt: "2021-08-05T09:00:00.000Z", sshClient: nil, demo: false)
        let hash = forged.hash(previous: previous.hash)
        try db.sqlite("""
            INSERT INTO event (id, assignment_id, status, percent, note, author, uid, day, done_since, recorded_at, prev_hash, hash)
            VALUES (4, 1, '已完成', 100, '', 'clerk', 1000, \(forged.day), \(forged.day), '\(forged.recordedAt)', '\(previous.hash)', '\(hash)');
            UPDATE audit_head SET event_id = 4, hash = '\(hash)';
            UPDATE current_state SET event_id = 4, status = '已完成', percent = 100, note = '', day = \(forged.day),
                done_since = \(forged.day), recorded_at = '\(forged.recordedAt)', review = NULL, report_id = NULL WHERE assignment_id = 1;
            """)
        // The chains alone cannot tell (the algorithm is public) …
        #expect(try db.findings().isEmpty)
        #expect(try db.store.contains(before))
        // … but it claims a time before the head was written down, and it is not in that head.
        #expect(try db.store.eventsBackdated(after: before, before: writtenDown) == [4])

        // Rewriting what the head covered and recomputing every later hash (to hide an edit) changes the head's hash.
        try db.sqlite("DROP TRIGGER event_is_append_only; UPDATE event SET percent = 99 WHERE id = 2;")
        var chain = try #require(try db.store.read { try String.fetchOne($0, sql: "SELECT hash FROM event WHERE id = 1") })
        for id in 2...4 {
            let link = try db.store.read { try AuditLink(row: Row.fetchOne($0, sql: "SELECT \(AuditLink.columns) FROM event e JOIN assignment a ON a.id = e.assignment_id WHERE e.id = \(id)")!) }
            let rewritten = link.hash(previous: chain)
            try db.sqlite("UPDATE event SET prev_hash = '\(chain)', hash = '\(rewritten)' WHERE id = \(id)")
            chain = rewritten
        }
        try db.sqlite("""
            UPDATE audit_head SET hash = '\(chain)';
            UPDATE current_state SET percent = 99 WHERE event_id = 2;
            CREATE TRIGGER event_is_append_only BEFORE UPDATE ON event
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
            """)
        #expect(try db.findings().isEmpty)
        #expect(try !db.store.contains(before))
    }

    @Test func headsAreComparedExactly() throws {
        for bad in ["", "2", "2091:", ":", "3:abc", "3.1:" + String(repeating: "A", count: 64), "x.1:" + String(repeating: "a", count: 64),
                    "3.1.2:" + String(repeating: "a", count: 64), "-1:" + String(repeating: "a", count: 64)] {
            #expect(AuditHead(parsing: bad) == nil, "\(bad)")
        }
        let db = try Database()
        let head = try db.store.verifyAudit().head
        #expect(AuditHead(parsing: head.description) == head)
        #expect(try db.store.contains(head))
        let wrong = AuditHead(eventID: head.eventID, sealID: head.sealID, hash: String(head.hash.reversed()))
        #expect(try !db.store.contains(wrong))
    }

    /// A note with a NUL was stored cut at the NUL and failed verify for ever. Every store refuses it (and any
    /// control or bidi character), whichever front end sent it, and nothing is written.
    @Test func controlCharactersNeverReachTheStore() throws {
        let db = try Database()
        for text in ["甲\u{0}乙", "甲\u{1B}[2J", "甲\u{202E}乙", "\u{85}"] {
            #expect(throws: StoreError.self) {
                try db.store.record(NewUpdate(planID: "p", nodeID: "1.2", unitID: "d0", status: .inProgress, percent: 40, note: text,
                                              date: CivilDate(iso: "2021-08-09")!, author: "clerk", uid: 1000), expecting: nil)
            }
        }
        #expect(try db.store.eventCount() == 3)
        #expect(try db.findings().isEmpty)
    }
}

/// Both stores' report-day triggers (frozen in their migrations) list exactly the kinds `EventKind.isUnitReport` names:
/// a change to the rule needs a new migration, and this says so.
@Test func reportDayTriggersCountTheUnitsOwnReports() throws {
    let rule = Set(EventKind.allCases.filter(\.isUnitReport).map(\.rawValue))
    func kinds(in sql: String) -> [Set<String>] {
        sql.components(separatedBy: "kind IN (").dropFirst().map { rest in
            Set(rest.prefix { $0 != ")" }.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " '")) })
        }
    }
    let sqlite = AuditSchema.triggers.filter { $0.name.hasPrefix("report_day") }.flatMap { kinds(in: $0.sql) }
    #expect(kinds(in: "kind IN (\(AuditSchema.unitReportKinds))") == [rule])
    let postgres = try #require(PostgresSchema.migrations.first { $0.version == 7 })
    #expect(sqlite.count == 2 && sqlite.allSatisfy { $0 == rule })
    #expect(kinds(in: postgres.sql).count == 3 && kinds(in: postgres.sql).allSatisfy { $0 == rule })
}

/// The PostgreSQL store's one-text form of a plan's states, as `row(…)::text` writes it: quoted fields keep their
/// separators, doubled quotes and backslashes come back single, NULL and "" differ.
@Test func recordTextKeepsQuotedSeparators() throws {
    #expect(try RecordText.records("") == [])
    #expect(try RecordText.records("(a,b,)\n(\"甲\\\\乙\",\"x, (y)\n\"\"z\"\"\",\"\")")
            == [["a", "b", ""], ["甲\\乙", "x, (y)\n\"z\"", ""]])
    for broken in ["(a,b", "a,b)", "(\"a)", "(a)(b)", "(a)\n\n(b)"] {
        #expect(throws: RecordText.Malformed.self, "\(broken)") { try RecordText.records(broken) }
    }
}

@Test func recordTextNumbersAndSpellings() throws {
    try RecordText.forEachRecord("(12,-7,,x1,推进中,9223372036854775808,\"3\")") { record in
        #expect(record.int(0) == 12 && record.int(1) == -7 && record.int(2) == nil && record.int(3) == nil && record.int(5) == nil)
        #expect(record.int(6) == nil)
        #expect(record.value(4, among: Spellings<Status>()) == .inProgress)
        #expect(record.value(2, among: Spellings<Status>()) == nil)
    }
}
