import DubanCore
import DubanPlans
@testable import DubanTUI
import Foundation

/// The bundled plans with the simulated year folded in memory (no database): the data golden screens are drawn from.
enum DemoData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let library: PlanLibrary = try! PlanLibrary.load(directory: root.appendingPathComponent("Plans").path)

    /// The fixed day every golden screen is drawn for.
    static let day = CivilDate(iso: "2022-03-31")!

    static func events(_ plan: Plan) -> [ProgressEvent] {
        DemoYear(seed: 2024).updates(for: plan, today: day).enumerated().map { index, u in
            ProgressEvent(id: Int64(index + 1), planID: u.planID, nodeID: u.nodeID, unitID: u.unitID, status: u.status,
                          percent: u.percent, note: u.note, evidence: u.evidence, author: u.author, date: u.date,
                          recordedAt: "\(u.date)T09:30:00.000Z")
        }
    }

    static func data(_ planID: String, asOf: CivilDate = day) -> DashboardData {
        let plan = library.plan(planID)!
        let byAssignment = Dictionary(grouping: events(plan), by: \.assignment)
        let states = byAssignment.compactMapValues { AssignmentState.fold($0, asOf: asOf) }
        let snapshot = PlanSnapshot(plan: plan, calendar: library.calendar, asOf: asOf, states: states, weights: library.weights)
        let all = Dictionary(uniqueKeysWithValues: events(plan).map { ($0.id, $0.note) })
        let notes = all.filter { id, _ in snapshot.overdue().contains { $0.lastEventID == id } }
        return DashboardData(snapshot: snapshot, plans: library.plans.map { PlanChoice(id: $0.id, title: $0.title, year: $0.year) },
                             today: day, notes: notes)
    }

    static func history(_ planID: String, _ assignment: Assignment) -> HistoryData {
        let plan = library.plan(planID)!
        return HistoryData(assignment: assignment, events: events(plan).filter { $0.assignment == assignment })
    }

    static func state(_ planID: String = "changsha-2021", width: Int = 80, height: Int = 24, ambiguous: Int = 1,
                      readOnly: Bool = false) -> AppState {
        var state = AppState(width: width, height: height, settings: DisplaySettings(ambiguousWidth: ambiguous, color: true),
                             readOnly: readOnly)
        _ = Dashboard.update(&state, .snapshotLoaded(data(planID)))
        return state
    }
}
