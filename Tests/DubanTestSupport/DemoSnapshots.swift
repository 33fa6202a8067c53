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

    /// The plan's figures on `asOf`, with the demo year simulated up to `today`.
    public static func snapshot(_ planID: String, asOf: CivilDate, today: CivilDate) -> (PlanSnapshot, [ProgressEvent]) {
        let plan = library.plan(planID)!
        let all = events(plan, today: today)
        let states = Dictionary(grouping: all, by: \.assignment).compactMapValues { AssignmentState.fold($0, asOf: asOf) }
        return (library.snapshot(of: plan, asOf: asOf, states: states), all)
    }
}
