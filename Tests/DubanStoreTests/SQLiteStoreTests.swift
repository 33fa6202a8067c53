import DubanTestSupport
import DubanCore
@testable import DubanStore
import Foundation
import Testing

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

private final class TempDB {
    let directory: String
    var path: String { directory + "/duban.sqlite" }

    init() throws {
        directory = NSTemporaryDirectory() + "duban-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        chmod(directory, 0o755)
        try? FileManager.default.removeItem(atPath: directory)
    }
}

private func update(_ node: String = "1.1", _ unit: String = "d0", _ status: Status = .inProgress, _ percent: Int = 50,
                    on date: String = "2021-08-01", note: String = "") -> NewUpdate {
    NewUpdate(planID: "p", nodeID: node, unitID: unit, status: status, percent: percent, note: note, date: d(date),
              author: "clerk", uid: 1000)
}

@Suite struct SQLiteStore {
    // States now and as of a day, history in date order: StoreConformance, on both stores.

    /// Past a thousand look-backs an "as of" read maps the file (and the connection keeps the mapping): the answers
    /// are the same as unmapped, before and after.
    @Test func lookbacksMapTheFile() throws {
        let db = try TempDB()
        let store = try SQLiteProgressStore(path: db.path)
        let many = SQLiteProgressStore.mappedLookbacks.from + 5
        let units = (0..<many).map { "u\($0)" }
        try store.replaceDemoEvents(units.map { update("1.1", $0, .inProgress, 30, on: "2021-08-01", note: "早 \($0)") }
                                    + units.map { update("1.1", $0, .done, 100, on: "2021-09-01", note: "晚 \($0)") })
        func mapping() throws -> Int { try store.read { try Int.fetchOne($0, sql: "PRAGMA mmap_size") ?? -1 } }
        #expect(try mapping() == 0)
        let then = try store.states(planID: "p", asOf: d("2021-08-15"))
        #expect(then.count == many)
        #expect(then.values.allSatisfy { $0.percent == 30 && $0.status == .inProgress })
        #expect(try mapping() == SQLiteProgressStore.mappedLookbacks.bytes)
        let now = try store.states(planID: "p", asOf: nil)
        #expect(now.values.allSatisfy { $0.percent == 100 })
        let notes = try store.notes(ids: then.values.compactMap(\.reportEventID))
        #expect(notes.count == many)
        #expect(notes.values.allSatisfy { $0.hasPrefix("早 ") })
        #expect(try store.states(planID: "p", asOf: d("2021-08-15")) == then)
    }

    /// Every commit is synced before it is acknowledged (synchronous = FULL; GRDB's pool set-up had left the writer at
    /// NORMAL); the file is in WAL mode from its creation, so readers elsewhere never wait; opening it again writes
    /// nothing (the pool's set-up created and dropped a table whenever the -wal file was absent).
    @Test func theWriterSyncsEveryCommitInWALModeAndOpeningWritesNothing() throws {
        let db = try TempDB()
        _ = try SQLiteProgressStore(path: db.path).record(update(), expecting: nil)
        func schemaVersion() throws -> Int? {
            try SQLiteProgressStore(path: db.path, readOnly: true).read { try Int.fetchOne($0, sql: "PRAGMA schema_version") }
        }
        let before = try schemaVersion()
        let store = try SQLiteProgressStore(path: db.path)
        #expect(try store.database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        #expect(try store.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        _ = try store.record(update("1.1", "d0", .inProgress, 60, on: "2021-08-02"), expecting: nil)
        #expect(try schemaVersion() == before)
    }

    @Test func eventsByID() throws {
        let db = try TempDB()
        let store = try SQLiteProgressStore(path: db.path)
        let a = try store.record(update(note: "说明甲"), expecting: nil)
        let found = try store.events(ids: [a.id, 999])
        #expect(found.count == 1)
        #expect(found[a.id]?.note == "说明甲")
        #expect(found[a.id]?.author == "clerk")
    }

    @Test func aStaleExpectationIsRefusedWithWhoChangedIt() throws {
        let db = try TempDB()
        let store = try SQLiteProgressStore(path: db.path)
        let first = try store.record(update(note: "甲的说明"), expecting: 0)
        #expect(throws: StoreError.self) { try store.record(update(), expecting: 0) }
        do {
            _ = try store.record(update(), expecting: first.id + 100)
            Issue.record("stale expectation accepted")
        } catch let StoreError.conflict(expected, current) {
            #expect(expected == first.id + 100)
            #expect(current?.id == first.id)
            #expect(current?.author == "clerk")
            let message = StoreError.conflict(expected: expected, current: current).description
            #expect(message.contains("甲的说明") && !message.contains("T") && message.contains(String(current!.recordedAt.prefix(10)) + " "), "\(message)")
        }
        #expect(try store.eventCount() == 1)
        // A long note is begun, not printed whole.
        let long = try store.record(update(note: String(repeating: "长", count: 2_000)), expecting: first.id)
        do {
            _ = try store.record(update(), expecting: first.id)
            Issue.record("stale expectation accepted")
        } catch let error as StoreError {
            #expect(error.description.count < 300 && error.description.contains("#\(long.id)"), "\(error.description.count)")
        }
    }

    @Test func anUpdateDatedBeforeTheLatestIsRefused() throws {
        let db = try TempDB()
        let store = try SQLiteProgressStore(path: db.path)
        _ = try store.record(update(on: "2021-09-01"), expecting: nil)
        #expect(throws: StoreError.self) { try store.record(update(on: "2021-08-01"), expecting: nil) }
        #expect(try store.eventCount() == 1)
    }

    @Test func eventsCannotBeRewrittenThroughSQL() throws {
        let db = try TempDB()
        let store = try SQLiteProgressStore(path: db.path)
        _ = try store.record(update(), expecting: nil)
        if FileManager.default.fileExists(atPath: "/usr/bin/sqlite3") {
            let sqlite = try ChildProcess.run("/usr/bin/sqlite3", [db.path, "UPDATE event SET percent = 99; DELETE FROM event;"])
            #expect(sqlite.status != 0)
            #expect(try store.history(planID: "p", nodeID: nil, unitID: nil, asOf: nil).first?.percent == 50)
        }
    }

    @Test func demoEventsAreReplacedAndRealOnesKept() throws {
        let db = try TempDB()
        let store = try SQLiteProgressStore(path: db.path)
        let real = try store.record(update("1.1", "d0", .inProgress, 30, on: "2021-07-01"), expecting: nil)
        try store.replaceDemoEvents([update("1.1", "d0", .done, 100, on: "2021-08-01"), update("1.2", "d1", .done, 100, on: "2021-08-01")])
        #expect(try store.eventCount() == 3)
        try store.replaceDemoEvents([update("1.2", "d1", .inProgress, 10, on: "2021-08-01")])
        #expect(try store.eventCount() == 2)
        let now = try store.states(planID: "p", asOf: nil)
        #expect(now[Assignment(nodeID: "1.1", unitID: "d0")]?.eventID == real.id)
        #expect(now[Assignment(nodeID: "1.2", unitID: "d1")]?.percent == 10)
    }

    @Test func clearMessagesForBadLocations() throws {
        let db = try TempDB()
        #expect(throws: StoreError.missingDirectory(path: db.directory + "/nope")) {
            _ = try SQLiteProgressStore(path: db.directory + "/nope/duban.sqlite")
        }
        try Data("this is not a database, just text that is long enough to have a header".utf8).write(to: URL(fileURLWithPath: db.path))
        #expect(throws: StoreError.notADatabase(path: db.path)) { _ = try SQLiteProgressStore(path: db.path) }
    }

    @Test func aReadOnlyDatabaseRefusesWritesClearly() throws {
        guard getuid() != 0 else { return }   // root writes anyway; the CLI test covers this with another account
        let db = try TempDB()
        _ = try SQLiteProgressStore(path: db.path).record(update(), expecting: nil)
        chmod(db.path, 0o444)
        chmod(db.directory, 0o555)
        do {
            let store = try SQLiteProgressStore(path: db.path)
            _ = try store.record(update(on: "2021-09-01"), expecting: nil)
            Issue.record("write to a read-only database succeeded")
        } catch let error as StoreError {
            #expect(error.description.contains("只读") || error.description.contains("权限"))
        }
    }

    @Test func integrityIsOk() throws {
        let db = try TempDB()
        let store = try SQLiteProgressStore(path: db.path)
        for i in 0..<50 { _ = try store.record(update("1.\(i % 5)", "d\(i % 3)", .inProgress, i % 100, on: "2021-09-01"), expecting: nil) }
        #expect(try store.integrityCheck() == "ok")
    }
}

@Suite struct DemoAndRealEvents {
    @Test func anEarlierDemoEventDoesNotHideALaterRealOne() throws {
        let directory = NSTemporaryDirectory() + "duban-demo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteProgressStore(path: directory + "/d.sqlite")
        let real = try store.record(NewUpdate(planID: "p", nodeID: "1.1", unitID: "d0", status: .inProgress, percent: 60,
                                              date: CivilDate(iso: "2021-10-01")!, author: "clerk", uid: 1), expecting: nil)
        try store.replaceDemoEvents([NewUpdate(planID: "p", nodeID: "1.1", unitID: "d0", status: .done, percent: 100,
                                               date: CivilDate(iso: "2021-09-01")!, author: "demo", uid: 0)])
        let now = try store.states(planID: "p", asOf: nil)[Assignment(nodeID: "1.1", unitID: "d0")]
        #expect(now?.eventID == real.id)
        let asOfToday = try store.states(planID: "p", asOf: CivilDate(iso: "2021-12-31")!)[Assignment(nodeID: "1.1", unitID: "d0")]
        #expect(asOfToday?.eventID == real.id)
    }
}

@Suite struct StoreAccess {
    static func principal(_ role: Role?, units: Set<String> = []) -> Principal {
        Principal(account: "liaison", uid: 1234, role: role, unitIDs: units, sshClient: "10.1.2.3", shared: true)
    }

    @Test func aRefusedUpdateWritesNothingButTheRefusal() throws {
        let db = try TempDB()
        _ = try SQLiteProgressStore(path: db.path).record(update("1.1", "d0"), expecting: nil)
        let staff = try SQLiteProgressStore(path: db.path, principal: Self.principal(.staff, units: ["d1"]))
        #expect(throws: StoreError.self) { try staff.record(update("1.1", "d0", .done, 100, on: "2021-08-02"), expecting: nil) }
        let saved = try staff.record(update("1.1", "d1"), expecting: nil)
        // Signed with the process's account, not what the caller wrote.
        #expect(saved.author == "liaison")
        #expect(try staff.eventCount() == 2)
        let admin = try SQLiteProgressStore(path: db.path)
        let refusals = try admin.refusals()
        #expect(refusals.count == 1 && refusals[0].account == "liaison" && refusals[0].uid == 1234 && refusals[0].sshClient == "10.1.2.3")
        #expect(refusals[0].action.contains("d0"))
    }

    @Test func leadersAndStrangers() throws {
        let db = try TempDB()
        _ = try SQLiteProgressStore(path: db.path)
        let leader = try SQLiteProgressStore(path: db.path, principal: Self.principal(.leader))
        #expect(throws: StoreError.self) { try leader.record(update(), expecting: nil) }
        #expect(throws: StoreError.self) { try leader.replaceDemoEvents([update()]) }
        #expect(throws: StoreError.self) { try leader.refusals() }
        #expect(try leader.verifyAudit().findings.isEmpty)
        #expect(throws: StoreError.self) { _ = try SQLiteProgressStore(path: db.path, principal: Self.principal(nil)) }
        #expect(try SQLiteProgressStore(path: db.path).refusals().count == 4)
    }

    @Test func theChainSurvivesDemoReplacementAndVerifies() throws {
        let db = try TempDB()
        let store = try SQLiteProgressStore(path: db.path)
        _ = try store.record(update("1.1", "d0"), expecting: nil)
        try store.replaceDemoEvents([update("1.2", "d0"), update("1.3", "d1")])
        _ = try store.record(update("1.1", "d1"), expecting: nil)
        try store.replaceDemoEvents([update("1.4", "d0")])
        let report = try store.verifyAudit()
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.checked == 3 && report.head.eventID == 4)
    }
}
