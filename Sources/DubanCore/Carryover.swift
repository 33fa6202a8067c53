/// 回头看: last year's unfinished work, taken into the new year's plan so it is supervised to completion.
/// The rule, stated wherever the section appears: a carried item is an item of the new plan like any other — it counts
/// in 应办 and the rates, with the deadline the office sets (by default 30 June of the new year) — and only the units that
/// had not finished it carry it; their earlier records stay in the old plan and are shown with the item's history.
public enum Carryover {
    public struct Item: Sendable, Equatable {
        public let nodeID: String
        public let title: String
        public let text: String
        public let unitIDs: [String]
    }

    /// Leaf items with work neither done (signed off, where the plan is under review) nor suspended, in document
    /// order, each with the units that had not finished.
    public static func unfinished(_ snapshot: PlanSnapshot) -> [Item] {
        var result: [Item] = []
        for node in snapshot.plan.nodes where node.isLeaf && node.kind != .section {
            let open = snapshot.standings(of: node.id).filter { !$0.isDone && !$0.isSuspended }
            guard !open.isEmpty else { continue }
            // A sub-task is named with its item, so the new plan reads on its own.
            let parent = node.parentID.flatMap(snapshot.plan.node).flatMap { $0.kind == .item ? $0.title : nil }
            result.append(Item(nodeID: node.id, title: parent.map { "\($0)：\(node.title)" } ?? node.title, text: node.text,
                               unitIDs: open.map(\.assignment.unitID)))
        }
        return result
    }

    public static let rule = "上一年度未完成的任务转入本计划督办（回头看），按本计划的一般事项计算：计入应办总数和完成率，完成时限以本节所写为准；只由当时未完成的单位承担，其上一年度的进展记录在该事项的历史中一并显示。"
}
