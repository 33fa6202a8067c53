import DubanCore
@testable import DubanStore
import Foundation
import GRDB
import Testing

/// The office's steps as events in the store: carried state, as-of replay, access, the audit, and the migration.
@Suite struct ReviewInTheStore {
    private static func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    private static func report(_ status: Status, _ percent: Int, _ date: String, unit: String = "d0") -> NewUpdate {
        NewUpdate(planID: "p", nodeID: "1.1", unitID: unit, status: status, percent: percent, note: "报送", evidence: "https://x.gov.cn/1",
                  date: day(date), author: "clerk", uid: 1000)
    }

    private static func step(_ kind: EventKind, _ date: String, note: String = "意见", to: String? = nil, unit: String = "d0") -> NewUpdate {
        .step(kind, planID: "p", nodeID: "1.1", unitID: unit, note: note, date: day(date), extendTo: to.map(day), author: "office", uid: 0)
    }

    private final class Scratch {
        let directory = NSTemporaryDirectory() + "duban-review-" + UUID().uuidString
        var path: String { directory + "/duban.sqlite" }
        init() throws { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    private let a = Assignment(nodeID: "1.1", unitID: "d0")

    @Test func claimReturnResubmitApproveReplaysAsOfEachDay() throws {
        let scratch = try Scratch()
        let store = try SQLiteProgressStore(path: scratch.path)
        _ = try store.record(Self.report(.inProgress, 60, "2021-09-01"), expecting: nil)
        let claim = try store.record(Self.report(.done, 100, "2021-09-20"), expecting: nil)
        #expect(claim.review == .claimed)
        let returned = try store.record(Self.step(.returnClaim, "2021-09-25", note: "佐证不全"), expecting: claim.id)
        #expect(returned.status == .inProgress && returned.percent == 60 && returned.review == .returned)
        let again = try store.record(Self.report(.done, 100, "2021-10-12"), expecting: nil)
        _ = try store.record(Self.step(.approve, "2021-10-13"), expecting: again.id)
        // A second approval has nothing to approve.
        #expect(throws: StoreError.self) { try store.record(Self.step(.approve, "2021-10-14"), expecting: nil) }

        func state(_ asOf: String?) throws -> AssignmentState? { try store.states(planID: "p", asOf: asOf.map(Self.day))[a] }
        #expect(try state("2021-09-21")?.review == .claimed)
        #expect(try state("2021-09-30")?.review == .returned)
        #expect(try state("2021-09-30")?.percent == 60)
        #expect(try state("2021-10-12")?.review == .claimed)
        #expect(try state(nil)?.review == .approved)
        #expect(try state(nil)?.closedOn == Self.day("2021-10-13"))
        #expect(try state(nil)?.doneOn == Self.day("2021-10-12"))
        // The note and evidence a list shows are the unit's last report, not the approval's remark.
        #expect(try state(nil)?.reportEventID == again.id)
        // The store and the in-memory replay agree, day by day.
        let history = try store.history(planID: "p", nodeID: "1.1", unitID: "d0", asOf: nil)
        for date in ["2021-09-21", "2021-09-26", "2021-10-12", "2021-10-13"] {
            #expect(AssignmentState.fold(history, asOf: Self.day(date)) == (try state(date)), "\(date)")
        }
        #expect(try store.verifyAudit().findings.isEmpty)
    }

    @Test func extensionsAreRequestedAndDecidedAsEvents() throws {
        let scratch = try Scratch()
        let store = try SQLiteProgressStore(path: scratch.path)
        _ = try store.record(Self.report(.inProgress, 40, "2021-09-01"), expecting: nil)
        _ = try store.record(Self.step(.extensionRequest, "2021-09-20", note: "等待省平台", to: "2021-12-31"), expecting: nil)
        #expect(try store.states(planID: "p", asOf: nil)[a]?.requestedTo == Self.day("2021-12-31"))
        _ = try store.record(Self.step(.extensionApproved, "2021-09-22", to: "2021-11-30"), expecting: nil)
        let now = try store.states(planID: "p", asOf: nil)[a]
        #expect(now?.extendedTo == Self.day("2021-11-30") && now?.requestedTo == nil && now?.percent == 40)
        #expect(try store.states(planID: "p", asOf: Self.day("2021-09-21"))[a]?.extendedTo == nil)
        // A refusal leaves the deadline and stays in the log.
        _ = try store.record(Self.step(.extensionRequest, "2021-10-01", note: "再延", to: "2022-01-31"), expecting: nil)
        _ = try store.record(Self.step(.extensionRefused, "2021-10-02", note: "不同意"), expecting: nil)
        #expect(try store.states(planID: "p", asOf: nil)[a]?.extendedTo == Self.day("2021-11-30"))
        let kinds = try store.history(planID: "p", nodeID: "1.1", unitID: "d0", asOf: nil).map(\.kind)
        #expect(kinds == [.update, .extensionRequest, .extensionApproved, .extensionRequest, .extensionRefused])
        #expect(try store.verifyAudit().findings.isEmpty)
    }

    @Test func onlyTheOfficeDecidesAndEveryRefusalIsRecorded() throws {
        let scratch = try Scratch()
        let admin = try SQLiteProgressStore(path: scratch.path)
        let staff = try SQLiteProgressStore(path: scratch.path, principal: StoreAccess.principal(.staff, units: ["d0"]))
        let leader = try SQLiteProgressStore(path: scratch.path, principal: StoreAccess.principal(.leader))
        let claim = try staff.record(Self.report(.done, 100, "2021-09-20"), expecting: nil)
        #expect(throws: StoreError.self) { try staff.record(Self.step(.approve, "2021-09-21"), expecting: claim.id) }
        #expect(throws: StoreError.self) { try leader.record(Self.step(.approve, "2021-09-21"), expecting: claim.id) }
        // Staff may ask for time for their own units only.
        _ = try staff.record(Self.step(.extensionRequest, "2021-09-21", to: "2021-12-31"), expecting: nil)
        #expect(throws: StoreError.self) { try staff.record(Self.step(.extensionRequest, "2021-09-21", to: "2021-12-31", unit: "d1"), expecting: nil) }
        #expect(throws: StoreError.self) { try staff.record(Self.step(.extensionApproved, "2021-09-22"), expecting: nil) }
        _ = try admin.record(Self.step(.approve, "2021-09-22"), expecting: nil)
        let refusals = try admin.refusals()
        #expect(refusals.count == 4)
        #expect(refusals.contains { $0.action.contains("审核通过") })
        #expect(try admin.verifyAudit().findings.isEmpty)
    }

    /// A database written before review existed (migrations up to v4) opens, verifies, and its 已完成 records are
    /// claims the office can sign off.
    @Test func aDatabaseFromBeforeReviewMigrates() throws {
        let scratch = try Scratch()
        let pool = try DatabasePool(path: scratch.path)
        try SQLiteProgressStore.migrator.migrate(pool, upTo: "v4 corrections")
        try pool.write { db in
            try db.execute(sql: "INSERT INTO assignment (id, plan_id, node_id, unit_id) VALUES (1, 'p', '1.1', 'd0')")
            let update = Self.report(.done, 100, "2021-09-20")
            let link = AuditLink(id: 1, update: update, carried: CarriedState(status: .done, percent: 100, doneSince: update.date),
                                 day: update.date.dayNumber, recordedAt: "2021-09-20T09:00:00.000+08:00", sshClient: nil, demo: false)
            let head = try SQLiteProgressStore.chainHead(db).hash
            let hash = link.hash(previous: head)
            try db.execute(sql: """
                INSERT INTO event (id, assignment_id, status, percent, note, evidence, author, uid, day, done_since, recorded_at, demo, prev_hash, hash)
                VALUES (1, 1, '已完成', 100, '报送', 'https://x.gov.cn/1', 'clerk', 1000, ?, ?, ?, 0, ?, ?)
                """, arguments: [link.day, link.day, link.recordedAt, head, hash])
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) SELECT 'event', 1 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'event')")
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = 1 WHERE name = 'event'")
            try db.execute(sql: """
                INSERT INTO current_state (assignment_id, event_id, status, percent, note, evidence, author, day, done_since, recorded_at)
                VALUES (1, 1, '已完成', 100, '报送', 'https://x.gov.cn/1', 'clerk', ?, ?, ?)
                """, arguments: [link.day, link.day, link.recordedAt])
            try db.execute(sql: "UPDATE audit_head SET event_id = 1, hash = ?", arguments: [hash])
        }
        try pool.close()
        let store = try SQLiteProgressStore(path: scratch.path)
        #expect(try store.verifyAudit().findings.isEmpty)
        let before = try store.states(planID: "p", asOf: nil)[a]
        #expect(before?.status == .done && before?.review == nil && before?.reportEventID == 1)
        _ = try store.record(Self.step(.approve, "2021-09-22"), expecting: 1)
        #expect(try store.states(planID: "p", asOf: nil)[a]?.review == .approved)
        #expect(try store.verifyAudit().findings.isEmpty)
    }
}
