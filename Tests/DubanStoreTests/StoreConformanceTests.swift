import DubanCore
import DubanStore
import Foundation
import DubanTestSupport
import Testing

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

/// One suite, two stores: whatever a command can observe through `ProgressStore` must be the same on the embedded
/// SQLite file and on the province's PostgreSQL server (issue 18). PostgreSQL runs for real (PostgresTestServer); where
/// it cannot start, its half is skipped with the reason printed.
@Suite(.serialized) struct StoreConformance {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgresql
        var testDescription: String { rawValue }
    }

    /// A fresh, empty store of the kind, acting as the account running the tests (an admin of its own database).
    final class Fresh {
        private(set) var store: any ProgressStore
        let account = String(cString: getpwuid(getuid())!.pointee.pw_name)
        private var directory: String?
        /// Opens another connection (Sendable: tests open them from concurrent tasks).
        let open: @Sendable () throws -> any ProgressStore

        init(_ backend: Backend) throws {
            let account = self.account
            switch backend {
            case .sqlite:
                let directory = NSTemporaryDirectory() + "duban-conformance-" + UUID().uuidString
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                self.directory = directory
                open = { try SQLiteProgressStore(path: directory + "/duban.sqlite", principal: .singleUser(account: account, uid: Int(getuid()))) }
            case .postgresql:
                let url = try PostgresTestServer.freshDatabase()
                open = { try PostgresProgressStore(location: try PostgresLocation(url: url), account: account, uid: Int(getuid())) }
            }
            store = try open()
        }

        /// Another connection to the same database (another process, as far as the store can tell).
        func another() throws -> any ProgressStore { try open() }

        deinit { if let directory { try? FileManager.default.removeItem(atPath: directory) } }

        func update(_ node: String = "1.1", _ unit: String = "d0", _ status: Status = .inProgress, _ percent: Int = 50,
                    on date: String = "2021-08-01", note: String = "", kind: EventKind = .update, extendTo: String? = nil,
                    corrects: Int64? = nil) -> NewUpdate {
            NewUpdate(planID: "p", nodeID: node, unitID: unit, status: status, percent: percent, note: note, date: d(date),
                      author: account, uid: Int(getuid()), corrects: corrects, kind: kind, extendTo: extendTo.map(d))
        }
    }

    static func available(_ backend: Backend) -> Bool { backend == .sqlite || PostgresTestServer.isAvailable }

    @Test(arguments: Backend.allCases) func statesNowAndAsOfAndHistoryInDateOrder(_ backend: Backend) throws {
        guard Self.available(backend) else { return }
        let f = try Fresh(backend), store = f.store
        #expect(try store.changeToken() == 0)
        let a = try store.record(f.update(on: "2021-08-01", note: "开始"), expecting: nil)
        let b = try store.record(f.update("1.1", "d0", .done, 100, on: "2021-09-10"), expecting: a.id)
        let c = try store.record(f.update("1.2", "d1", .inProgress, 20, on: "2021-09-01"), expecting: 0)
        #expect([a.id, b.id, c.id] == [1, 2, 3])
        #expect(a.author == f.account && a.note == "开始" && b.status == .done)
        let now = try store.states(planID: "p", asOf: nil)
        #expect(now.count == 2)
        #expect(now[Assignment(nodeID: "1.1", unitID: "d0")]?.eventID == b.id)
        #expect(now[Assignment(nodeID: "1.1", unitID: "d0")]?.doneOn == d("2021-09-10"))
        let august = try store.states(planID: "p", asOf: d("2021-08-31"))
        #expect(august[Assignment(nodeID: "1.1", unitID: "d0")]?.status == .inProgress)
        #expect(august[Assignment(nodeID: "1.2", unitID: "d1")] == nil)
        // On the latest record's own day the current state holds; the day before, the record before it.
        #expect(try store.states(planID: "p", asOf: d("2021-09-10"))[Assignment(nodeID: "1.1", unitID: "d0")]?.eventID == b.id)
        #expect(try store.states(planID: "p", asOf: d("2021-09-09"))[Assignment(nodeID: "1.1", unitID: "d0")]?.eventID == a.id)
        #expect(try store.states(planID: "other", asOf: nil).isEmpty)
        #expect(try store.history(planID: "p", nodeID: "1", unitID: nil, asOf: nil).map(\.id) == [a.id, c.id, b.id])
        #expect(try store.history(planID: "p", nodeID: "1.1", unitID: "d0", asOf: d("2021-08-31")).map(\.id) == [a.id])
        #expect(try store.history(planID: "p", nodeID: "1_", unitID: nil, asOf: nil).isEmpty)   // no LIKE wildcards from node ids
        #expect(try store.latest(planID: "p", nodeID: "1.1", unitID: "d0")?.id == b.id)
        #expect(try store.events(ids: [a.id, 999]).keys.sorted() == [a.id])
        #expect(try store.notes(ids: [a.id, b.id, 999]) == [a.id: "开始", b.id: ""])
        let slashed = try store.record(f.update("1.3", "d0", on: "2021-08-01", note: #"见 C:\材料\n "第2页", (附件)"#), expecting: nil)
        #expect(try store.notes(ids: [slashed.id]) == [slashed.id: #"见 C:\材料\n "第2页", (附件)"#])
        // Ids are free text: backslashes, quotes, commas, parentheses and spaces come back as written, now and as of a day.
        let oddUnit = #"芙蓉\区 ("东", 西)"#
        let odd = try store.record(f.update("1.2", oddUnit, on: "2021-08-02"), expecting: nil)
        #expect(try store.states(planID: "p", asOf: nil)[Assignment(nodeID: "1.2", unitID: oddUnit)]?.eventID == odd.id)
        #expect(try store.states(planID: "p", asOf: d("2021-08-05"))[Assignment(nodeID: "1.2", unitID: oddUnit)]?.eventID == odd.id)
        #expect(try store.eventCount() == 5 && store.changeToken() == 5 && store.hasEvents())
    }

    /// "As of a day" on every day of a history with several records a day, back-dated demo records landing between real
    /// ones, and a demo replaced (its records deleted): each state is the assignment's latest record by (day, id) on or
    /// before the day, whole, as "now" gives it on the days nothing has changed since; and both stores agree on every day
    /// (PostgreSQL reads the older states from its spans, migration 9, SQLite from the events).
    @Test func statesAsOfEveryDayAreTheLatestRecordsOnBothStores() throws {
        guard Self.available(.postgresql) else { return }
        var everyDay: [[[Assignment: AssignmentState]]] = []
        for backend in Backend.allCases {
            let f = try Fresh(backend), store = f.store
            for (node, unit, status, percent, day) in [("1.1", "d0", Status.inProgress, 10, "2021-07-01"), ("1.1", "d0", .inProgress, 20, "2021-07-01"),
                                                       ("1.2", "d1", .inProgress, 30, "2021-07-05"), ("1.1", "d0", .inProgress, 40, "2021-07-20"),
                                                       ("1.2", "d1", .done, 100, "2021-08-02"), ("1.1", "d0", .done, 100, "2021-08-02"),
                                                       ("1.3", "d0", .notStarted, 0, "2021-08-10")] {
                _ = try store.record(f.update(node, unit, status, percent, on: day), expecting: nil)
            }
            try store.replaceDemoEvents([f.update("1.1", "d0", .inProgress, 15, on: "2021-07-10"),
                                         f.update("1.1", "d0", .inProgress, 16, on: "2021-07-10"),
                                         f.update("1.2", "d1", .inProgress, 50, on: "2021-07-25"),
                                         f.update("1.4", "d2", .inProgress, 5, on: "2021-07-03")])
            try store.replaceDemoEvents([f.update("1.1", "d0", .inProgress, 30, on: "2021-07-15"),
                                         f.update("1.4", "d2", .inProgress, 6, on: "2021-07-04")])
            _ = try store.record(f.update("1.4", "d2", .inProgress, 60, on: "2021-08-20"), expecting: nil)
            let history = try store.history(planID: "p", nodeID: nil, unitID: nil, asOf: nil)
            let now = try store.states(planID: "p", asOf: nil)
            var days: [[Assignment: AssignmentState]] = []
            var day = d("2021-06-30")
            while day <= d("2021-08-25") {
                let states = try store.states(planID: "p", asOf: day)
                let latest = Dictionary(grouping: history.filter { $0.date <= day }, by: { Assignment(nodeID: $0.nodeID, unitID: $0.unitID) })
                    .mapValues { $0.max { ($0.date, $0.id) < ($1.date, $1.id) }! }
                #expect(states.mapValues(\.eventID) == latest.mapValues(\.id), "\(backend) \(day)")
                for (assignment, state) in states {
                    let event = try #require(latest[assignment])
                    #expect(state.date == event.date && state.status == event.status && state.percent == event.percent, "\(backend) \(day)")
                    if now[assignment]?.eventID == state.eventID { #expect(state == now[assignment], "\(backend) \(day)") }
                }
                days.append(states)
                day = day.adding(days: 1)
            }
            everyDay.append(days)
        }
        #expect(everyDay[0] == everyDay[1])
    }

    @Test(arguments: Backend.allCases) func conflictsAndDatesAreRefusedAndChangeNothing(_ backend: Backend) throws {
        guard Self.available(backend) else { return }
        let f = try Fresh(backend), store = f.store
        let a = try store.record(f.update(on: "2021-08-10"), expecting: 0)
        #expect(throws: StoreError.conflict(expected: 0, current: a)) { try store.record(f.update(on: "2021-08-11"), expecting: 0) }
        #expect(throws: StoreError.conflict(expected: 99, current: a)) { try store.record(f.update(on: "2021-08-11"), expecting: 99) }
        #expect(throws: StoreError.datedBeforeLatest(latest: a)) { try store.record(f.update(on: "2021-08-09"), expecting: nil) }
        #expect(throws: StoreError.conflict(expected: 7, current: a)) {
            try store.record(f.update(on: "2021-08-12", corrects: 7), expecting: nil)
        }
        #expect(try store.eventCount() == 1)
        let fixed = try store.record(f.update("1.1", "d0", .inProgress, 40, on: "2021-08-12", note: "更正", corrects: a.id), expecting: nil)
        #expect(fixed.corrects == a.id)
    }

    @Test(arguments: Backend.allCases) func reviewStepsFollowTheOneRule(_ backend: Backend) throws {
        guard Self.available(backend) else { return }
        let f = try Fresh(backend), store = f.store
        #expect(throws: StoreError.self) { try store.record(f.update(on: "2021-08-01", kind: .approve), expecting: nil) }
        _ = try store.record(f.update(on: "2021-08-01"), expecting: nil)
        // A plan with sign-off: the unit's 已完成 is a claim the office approves or returns.
        let claim = try store.record(f.update("1.1", "d0", .done, 100, on: "2021-09-01"), expecting: nil)
        let returned = try store.record(f.update("1.1", "d0", .inProgress, 0, on: "2021-09-03", note: "材料不全", kind: .returnClaim), expecting: claim.id)
        #expect(returned.kind == .returnClaim)
        let state = try #require(try store.states(planID: "p", asOf: nil)[Assignment(nodeID: "1.1", unitID: "d0")])
        #expect(state.status == .inProgress && state.review == .returned)
        let request = try store.record(f.update("1.1", "d0", .inProgress, 60, on: "2021-09-05", kind: .extensionRequest, extendTo: "2021-12-31"),
                                       expecting: nil)
        #expect(request.extendTo == d("2021-12-31"))
        _ = try store.record(f.update("1.1", "d0", .inProgress, 60, on: "2021-09-06", kind: .extensionApproved), expecting: nil)
        #expect(try store.states(planID: "p", asOf: nil)[Assignment(nodeID: "1.1", unitID: "d0")]?.extendedTo == d("2021-12-31"))
        let sqliteLike = try store.history(planID: "p", nodeID: nil, unitID: nil, asOf: nil)
        #expect(AssignmentState.fold(sqliteLike, asOf: nil)?.extendedTo == d("2021-12-31"))
        // The unit's own words are reports (the updates, the request for time); the office's return and approval are not.
        #expect(try store.reportDays(planID: "p", asOf: nil)["d0"] == [d("2021-08-01"), d("2021-09-01"), d("2021-09-05")])
    }

    /// Work the office signed off (销号) is closed: a report on it is refused in the same words by both stores, and
    /// nothing is written, until the office reopens it, saying so; then reports are taken again.
    @Test(arguments: Backend.allCases) func signedOffWorkStaysClosedUntilTheOfficeReopensIt(_ backend: Backend) throws {
        guard Self.available(backend) else { return }
        let f = try Fresh(backend), store = f.store
        let claim = try store.record(f.update("1.1", "d0", .done, 100, on: "2021-09-01"), expecting: nil)
        _ = try store.record(f.update("1.1", "d0", .done, 100, on: "2021-09-02", kind: .approve), expecting: claim.id)
        let recorded = try store.history(planID: "p", nodeID: nil, unitID: nil, asOf: nil).count
        for (status, percent) in [(Status.inProgress, 60), (.done, 100)] {
            let report = f.update("1.1", "d0", status, percent, on: "2021-09-05")
            let closed = CarriedState(status: .done, percent: 100, review: .approved, closedOn: d("2021-09-02"))
            #expect(throws: StoreError.rejected(try #require(closed.closedReason(for: report)))) {
                try store.record(report, expecting: nil)
            }
        }
        #expect(try store.history(planID: "p", nodeID: nil, unitID: nil, asOf: nil).count == recorded)
        var reopening = f.update("1.1", "d0", .inProgress, 80, on: "2021-09-06", note: "复查发现专栏已撤下")
        reopening.reopens = true
        _ = try store.record(reopening, expecting: nil)
        let state = try #require(try store.states(planID: "p", asOf: nil)[Assignment(nodeID: "1.1", unitID: "d0")])
        #expect(state.status == .inProgress && state.review == nil && state.closedOn == nil)
        _ = try store.record(f.update("1.1", "d0", .inProgress, 90, on: "2021-09-07"), expecting: nil)
        // Other assignments, and the office's own steps, are not touched by the rule.
        _ = try store.record(f.update("1.2", "d1", .inProgress, 10, on: "2021-09-07"), expecting: nil)
    }

    @Test(arguments: Backend.allCases) func demoEventsAreReplacedAndRealOnesStay(_ backend: Backend) throws {
        guard Self.available(backend) else { return }
        let f = try Fresh(backend), store = f.store
        let real = try store.record(f.update("1.1", "d0", .inProgress, 30, on: "2021-10-01"), expecting: nil)
        try store.replaceDemoEvents([f.update("1.1", "d0", .inProgress, 10, on: "2021-07-01"), f.update("1.2", "d1", .done, 100, on: "2021-07-02")])
        try store.replaceDemoEvents([f.update("1.2", "d1", .inProgress, 70, on: "2021-07-03")])
        let now = try store.states(planID: "p", asOf: nil)
        #expect(now[Assignment(nodeID: "1.1", unitID: "d0")]?.eventID == real.id)
        #expect(now[Assignment(nodeID: "1.2", unitID: "d1")]?.percent == 70)
        #expect(try store.demoEventCount(planID: "p", asOf: nil) == 1)
        #expect(try store.demoEventCount(planID: "p", asOf: d("2021-07-02")) == 0)
        // A replaced demo's report days go with it.
        let days = try store.reportDays(planID: "p", asOf: nil)
        #expect(days["d0"] == [d("2021-10-01")] && days["d1"] == [d("2021-07-03")])
        #expect(try store.history(planID: "p", nodeID: nil, unitID: nil, asOf: nil).map(\.demo) == [true, false])
    }

    @Test(arguments: Backend.allCases) func reportDaysAndBulletins(_ backend: Backend) throws {
        guard Self.available(backend) else { return }
        let f = try Fresh(backend), store = f.store
        _ = try store.record(f.update("1.1", "d0", on: "2021-08-01"), expecting: nil)
        _ = try store.record(f.update("1.2", "d0", on: "2021-08-01"), expecting: nil)
        _ = try store.record(f.update("1.1", "d1", on: "2021-08-03"), expecting: nil)
        _ = try store.record(f.update("1.1", "d1", .inProgress, 60, on: "2021-09-03"), expecting: nil)
        let days = try store.reportDays(planID: "p", asOf: d("2021-08-31"))
        #expect(days["d0"] == [d("2021-08-01")] && days["d1"] == [d("2021-08-03")])
        #expect(try store.lastBulletin(planID: "p") == nil)
        try store.recordBulletin(planID: "p", asOf: d("2021-08-31"))
        try store.recordBulletin(planID: "p", asOf: d("2021-09-30"))
        let last = try #require(try store.lastBulletin(planID: "p"))
        #expect(last.asOf == d("2021-09-30") && last.account == f.account)
    }

    /// The dashboard refreshes when its change token moves: a write through another connection moves it (on
    /// PostgreSQL by the notification the write sends, heard within moments).
    @Test(arguments: Backend.allCases) func anotherWriterMovesTheChangeToken(_ backend: Backend) throws {
        guard Self.available(backend) else { return }
        let f = try Fresh(backend), watcher = f.store, writer = try f.another()
        let before = try watcher.changeToken()
        _ = try writer.record(f.update(on: "2021-08-01"), expecting: nil)
        var after = try watcher.changeToken()
        for _ in 0..<100 where after == before {
            usleep(50_000)
            after = try watcher.changeToken()
        }
        #expect(after != before)
    }

    @Test(arguments: Backend.allCases) func controlCharactersAreRefused(_ backend: Backend) throws {
        guard Self.available(backend) else { return }
        let f = try Fresh(backend), store = f.store
        #expect(throws: StoreError.self) { try store.record(f.update(note: "甲\u{202E}乙"), expecting: nil) }
        #expect(try store.eventCount() == 0 && !store.hasEvents())
    }

    /// The store is synchronous and is called from tests that run on Swift's cooperative pool (one thread per core): a
    /// call must not need that pool to finish, or as many callers as cores wait for each other forever (CI hung so).
    @Test(arguments: Backend.allCases) func moreConcurrentCallersThanCoresAllFinish(_ backend: Backend) async throws {
        guard Self.available(backend) else { return }
        let f = try Fresh(backend)
        _ = try f.store.record(f.update(on: "2021-08-01"), expecting: nil)
        let callers = ProcessInfo.processInfo.activeProcessorCount * 4
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            let open = f.open
            for _ in 0..<callers { group.addTask { try open().eventCount() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 1, count: callers))
    }

    /// `audit verify` on PostgreSQL checks what the server derives from the events: a span ("as of a day") changed, removed
    /// or added outside duban (here by the database's superuser; no client role may write them) is named by its event; a
    /// current state or a report day changed is named by its assignment or unit, as SQLite's verify names them.
    @Test func auditVerifyNamesWhatWasChangedOutsideDuban() throws {
        guard Self.available(.postgresql) else { return }
        let server = try FreshServer(), store = try server.open()
        func update(_ percent: Int, _ day: String) -> NewUpdate {
            NewUpdate(planID: "p", nodeID: "1.1", unitID: "d0", status: .inProgress, percent: percent, date: d(day), author: server.account,
                      uid: Int(getuid()))
        }
        let first = try store.record(update(10, "2021-07-01"), expecting: nil)
        let second = try store.record(update(20, "2021-08-01"), expecting: nil)
        _ = try store.record(update(30, "2021-09-01"), expecting: nil)
        #expect(try store.verifyDerived().isEmpty)
        func superuser(_ sql: String) { #expect(server.asSuperuser(sql)) }
        superuser("UPDATE duban.state_span SET percent = 99 WHERE event_id = \(second.id)")
        #expect(try store.verifyDerived() == [.spanAltered(second.id)])
        superuser("SELECT duban.rebuild_state_spans()")
        #expect(try store.verifyDerived().isEmpty)
        superuser("DELETE FROM duban.state_span WHERE event_id = \(first.id)")
        #expect(try store.verifyDerived() == [.spanAltered(first.id)])
        superuser("SELECT duban.rebuild_state_spans()")
        superuser("INSERT INTO duban.state_span SELECT 999, plan_id, node_id, unit_id, from_day, to_day, span_class, status, percent, "
                  + "done_since, review, closed_on, extended_to, requested_to, report_id FROM duban.state_span WHERE event_id = \(first.id)")
        #expect(try store.verifyDerived() == [.spanAltered(999)])
        #expect(server.asSuperuser("SELECT duban.rebuild_state_spans()"))
        // The current states and the report days, as SQLite's verify checks them.
        #expect(try store.verifyDerived().isEmpty)
        #expect(server.asSuperuser("UPDATE duban.current_state SET percent = 1"))
        #expect(try store.verifyDerived().map(\.kind) == ["derived_altered"])
        #expect(try store.verifyDerived().first?.description.contains("1.1") == true)
        #expect(server.asSuperuser("DELETE FROM duban.report_day WHERE day = \(d("2021-08-01").dayNumber)"))
        #expect(try store.verifyDerived().map(\.kind) == ["derived_altered", "report_days_altered"])
    }

    /// A server whose schema is older than this duban is named with what to run; a newer one is left alone.
    @Test func aServerOfAnotherSchemaVersionIsNamed() throws {
        guard Self.available(.postgresql) else { return }
        let server = try FreshServer()
        _ = try server.open()
        let latest = PostgresSchema.migrations.map(\.version).max()!
        #expect(server.asSuperuser("DELETE FROM duban.schema_version WHERE version = \(latest)"))
        #expect { try server.open() } throws: { "\($0)".contains("duban server init") && "\($0)".contains("第 \(latest - 1) 版") }
        #expect(server.asSuperuser("INSERT INTO duban.schema_version (version, name) VALUES (\(latest), 'x'), (\(latest + 1), 'future')"))
        #expect { try server.open() } throws: { "\($0)".contains("更新版本") }
    }

    /// A fresh PostgreSQL database, opened as the account running the tests, and changed behind duban's back by the
    /// server's superuser.
    struct FreshServer {
        let location: PostgresLocation
        let directory: String
        let account = String(cString: getpwuid(getuid())!.pointee.pw_name)

        init() throws {
            location = try PostgresLocation(url: try PostgresTestServer.freshDatabase())
            directory = try PostgresTestServer.socketDirectory.get()
        }

        func open() throws -> PostgresProgressStore { try PostgresProgressStore(location: location, account: account, uid: Int(getuid())) }

        func asSuperuser(_ sql: String) -> Bool {
            PostgresTestServer.psql(directory, as: "postgres", database: location.database, sql).status == 0
        }
    }
}
