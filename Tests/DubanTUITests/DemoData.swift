import DubanCore
import DubanPlans
import DubanTestSupport
@testable import DubanTUI
import Foundation

/// The dashboard's data for golden screens: the demo year as of a fixed day.
enum DemoData {
    static var library: PlanLibrary { DemoSnapshots.library }

    /// The fixed day every golden screen is drawn for.
    static let day = CivilDate(iso: "2022-03-31")!

    static func events(_ plan: Plan) -> [ProgressEvent] { DemoSnapshots.events(plan, today: day) }

    static func data(_ planID: String, asOf: CivilDate = day, isPlansOwnDay: Bool = true) -> DashboardData {
        let (snapshot, events) = DemoSnapshots.snapshot(planID, asOf: asOf, today: day)
        let all = Dictionary(uniqueKeysWithValues: events.map { ($0.id, $0.note) })
        var data = DashboardData(snapshot: snapshot, plans: library.plans.map { PlanChoice(id: $0.id, title: $0.title, year: $0.year) },
                                 today: day, isPlansOwnDay: isPlansOwnDay,
                                 reports: DemoSnapshots.reports(planID, asOf: asOf, today: day), cycle: library.reportCycle(for: snapshot.plan))
        for id in data.noteIDs { data.notes[id] = all[id] }
        return data
    }

    /// Stands in for the driver: performs the effects the golden screens need (history, snapshots, changes).
    static func perform(_ effects: [Effect], on state: inout AppState) {
        var effects = effects
        while !effects.isEmpty {
            switch effects.removeFirst() {
            case let .loadHistory(plan, node, unit):
                effects += Dashboard.update(&state, .historyLoaded(history(plan, Assignment(nodeID: node, unitID: unit))))
            case let .loadSnapshot(plan, asOf):
                effects += Dashboard.update(&state, .snapshotLoaded(data(plan, asOf: asOf.flatMap(CivilDate.init(iso:)) ?? day,
                                                                         isPlansOwnDay: asOf == nil)))
            case let .loadChanges(plan, since, asOf):
                let (from, to) = (CivilDate(iso: since)!, CivilDate(iso: asOf)!)
                effects += Dashboard.update(&state, .changesLoaded(ChangesData(since: from, asOf: to,
                                                                               changes: DemoSnapshots.changes(plan, since: from, asOf: to, today: day))))
            default: break
            }
        }
    }

    static func history(_ planID: String, _ assignment: Assignment) -> HistoryData {
        let plan = library.plan(planID)!
        return HistoryData(assignment: assignment, events: events(plan).filter { $0.assignment == assignment })
    }

    static func state(_ planID: String = "changsha-2021", width: Int = 80, height: Int = 24, ambiguous: Int = 1,
                      readOnly: Bool = false, canDecide: Bool = false, color: Bool = true, asOf: CivilDate = day) -> AppState {
        var state = AppState(width: width, height: height, settings: DisplaySettings(ambiguousWidth: ambiguous, color: color),
                             readOnly: readOnly)
        state.canDecide = canDecide
        _ = Dashboard.update(&state, .snapshotLoaded(data(planID, asOf: asOf, isPlansOwnDay: asOf == day)))
        return state
    }
}
