/// What changed between two days (`changes --since`, the 动态 screen, a bulletin since the last one): assignments newly
/// done, newly overdue, newly lagging, newly claimed, returned, extended, lights that changed colour, and reports that
/// fell due and did not come. Pure: two snapshots of the same plan and the reports as of the later day.
public struct PlanChange: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case done, overdue, lagging, claimed, returned, extended, light
        case reportMissed = "report_missed"

        public var label: String {
            switch self {
            case .done: "新完成"
            case .overdue: "新增逾期"
            case .lagging: "新增滞后"
            case .claimed: "新申报完成"
            case .returned: "被退回"
            case .extended: "获批延期"
            case .light: "灯色变化"
            case .reportMissed: "未按时报送"
            }
        }
    }

    public let kind: Kind
    public let unitID: String
    /// The assignment, or nil for a unit's missed report.
    public let assignment: Assignment?
    /// For a light: the colours before and after; for an extension: the deadlines; for a report: its period.
    public let before: String?
    public let after: String?
}

public enum PlanChanges {
    public static func between(_ before: PlanSnapshot, _ after: PlanSnapshot, reports: [UnitReport]) -> [PlanChange] {
        var result: [PlanChange] = []
        let earlier = Dictionary(before.standings.map { ($0.assignment, $0) }, uniquingKeysWith: { a, _ in a })
        for now in after.standings {
            guard let then = earlier[now.assignment] else { continue }
            func add(_ kind: PlanChange.Kind, _ from: String? = nil, _ to: String? = nil) {
                result.append(PlanChange(kind: kind, unitID: now.assignment.unitID, assignment: now.assignment, before: from, after: to))
            }
            let done = now.isDone && !then.isDone, overdue = now.isOverdue && !then.isOverdue, lagging = now.lagging && !then.lagging
            let claimed = now.verdict == .pendingReview && then.verdict != .pendingReview
            if done { add(.done, then.verdict.rawValue, now.verdict.rawValue) }
            if overdue { add(.overdue) }
            if lagging { add(.lagging) }
            if claimed { add(.claimed) }
            if now.isReturned && !then.isReturned { add(.returned) }
            if now.isExtended && now.deadline != then.deadline { add(.extended, then.deadline.description, now.deadline.description) }
            // A light that turned with one of the changes above (red with newly overdue, green with done or claimed,
            // yellow with lagging) is that change, counted once; only a light that turned on its own is listed.
            let explained = (now.light == .red && overdue) || (now.light == .green && (done || claimed)) || (now.light == .yellow && lagging)
            if now.light != then.light && !explained { add(.light, then.light.rawValue, now.light.rawValue) }
        }
        for report in reports where report.period.due >= before.asOf && report.period.due < after.asOf
            && (report.state == .missing || report.state == .late) {
            result.append(PlanChange(kind: .reportMissed, unitID: report.unitID, assignment: nil, before: report.period.label,
                                     after: report.receivedOn?.description))
        }
        return result
    }
}
