import DubanCore
import DubanPlans
import Foundation

/// The bundled plans with the simulated year folded in memory (no database): what golden screens and
/// golden documents are drawn from.
public enum DemoSnapshots {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let library: PlanLibrary = try! PlanLibrary.load(directory: root.appendingPathComponent("Plans").path)

    /// The simulated year as a store would hold it: each event carries the state it leaves (an approval keeps the
    /// claim's 已完成 100%), worked out by the same rule the store applies.
    public static func events(_ plan: Plan, today: CivilDate) -> [ProgressEvent] {
        var carried: [Assignment: CarriedState] = [:]
        return DemoYear(seed: 2024).updates(for: plan, today: today).enumerated().map { index, u in
            let id = Int64(index + 1)
            let assignment = Assignment(nodeID: u.nodeID, unitID: u.unitID)
            let state = (try? CarriedState.next(after: carried[assignment], applying: u, eventID: id)) ?? carried[assignment] ?? CarriedState()
            carried[assignment] = state
            return ProgressEvent(id: id, planID: u.planID, nodeID: u.nodeID, unitID: u.unitID, status: state.status,
                                 percent: state.percent, note: u.note, evidence: u.evidence, author: u.author, date: u.date,
                                 recordedAt: "\(u.date)T09:30:00.000Z", kind: u.kind, extendTo: u.extendTo, review: state.review)
        }
    }

    /// For each unit, the days it reported (progress or an extension request), as the store's reportDays answers.
    public static func reportDays(_ events: [ProgressEvent], asOf: CivilDate) -> [String: [CivilDate]] {
        Dictionary(grouping: events.filter { $0.date <= asOf && $0.kind.isUnitReport }, by: \.unitID)
            .mapValues { $0.map(\.date) }
    }

    /// Every unit's reports as of `asOf`.
    public static func reports(_ planID: String, asOf: CivilDate, today: CivilDate) -> [UnitReport] {
        let (snapshot, events) = snapshot(planID, asOf: asOf, today: today)
        return UnitReports.compute(snapshot, cycle: library.reportCycle(for: snapshot.plan), calendar: library.calendar,
                                   reportDays: reportDays(events, asOf: asOf))
    }

    /// What changed between the end of `since` and the end of `asOf`.
    public static func changes(_ planID: String, since: CivilDate, asOf: CivilDate, today: CivilDate) -> [PlanChange] {
        let (before, _) = snapshot(planID, asOf: since, today: today)
        let (after, _) = snapshot(planID, asOf: asOf, today: today)
        return PlanChanges.between(before, after, reports: reports(planID, asOf: asOf, today: today))
    }

    /// The plan's figures on `asOf`, with the demo year simulated up to `today`.
    public static func snapshot(_ planID: String, asOf: CivilDate, today: CivilDate) -> (PlanSnapshot, [ProgressEvent]) {
        let plan = library.plan(planID)!
        let all = events(plan, today: today)
        let states = Dictionary(grouping: all, by: \.assignment).compactMapValues { AssignmentState.fold($0, asOf: asOf) }
        return (library.snapshot(of: plan, asOf: asOf, states: PlanStates(plan: plan, states)), all)
    }
}
