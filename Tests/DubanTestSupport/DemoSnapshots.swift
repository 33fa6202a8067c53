import DubanCore
import DubanPlans
import Foundation

/// The bundled plans with the simulated year folded in memory (no database): what golden screens and
/// golden documents are drawn from.
public enum DemoSnapshots {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let library: PlanLibrary = try! PlanLibrary.load(directory: root.appendingPathComponent("Plans").path)

    public static func events(_ plan: Plan, today: CivilDate) -> [ProgressEvent] {
        DemoYear(seed: 2024).updates(for: plan, today: today).enumerated().map { index, u in
            ProgressEvent(id: Int64(index + 1), planID: u.planID, nodeID: u.nodeID, unitID: u.unitID, status: u.status,
                          percent: u.percent, note: u.note, evidence: u.evidence, author: u.author, date: u.date,
                          recordedAt: "\(u.date)T09:30:00.000Z", kind: u.kind, extendTo: u.extendTo)
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
