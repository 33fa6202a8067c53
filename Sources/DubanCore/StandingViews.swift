/// Ways a clerk narrows and orders a list of assignments: the rules behind the dashboard's `v` and `s` keys, kept
/// with the figures they read so a command or a document could use the same ones.
public enum StandingFilter: String, CaseIterable, Sendable {
    case all = "全部"
    case open = "未完成"
    case overdue = "逾期"
    case lagging = "滞后"
    case stale = "久未更新"
    case done = "已完成"

    /// No record for this many days (or none at all) makes an unfinished assignment 久未更新.
    public static let staleDays = 30

    public func matches(_ s: AssignmentStanding, asOf: CivilDate) -> Bool {
        switch self {
        case .all: true
        case .open: !s.isDone
        case .overdue: s.isOverdue
        case .lagging: s.lagging
        case .stale: Self.isStale(s, asOf: asOf)
        case .done: s.isDone
        }
    }

    /// Unfinished, not suspended, and silent for `staleDays` or more (never recorded counts as silent).
    public static func isStale(_ s: AssignmentStanding, asOf: CivilDate, days: Int = staleDays) -> Bool {
        guard !s.isDone, s.status != .suspended else { return false }
        guard let last = s.lastUpdate else { return true }
        return last.days(until: asOf) >= days
    }
}

public enum StandingOrder: String, CaseIterable, Sendable {
    case number = "编号"
    case deadline = "时限"
    case percent = "进度"
    /// Longest silent first.
    case lastUpdate = "最近更新"
    case daysOverdue = "逾期天数"
    case unit = "单位"


    /// A stable order: ties keep the list's own (plan) order.
    public func sorted(_ rows: [AssignmentStanding]) -> [AssignmentStanding] {
        let indexed = Array(rows.enumerated())
        func key(_ s: AssignmentStanding) -> (Int, String) {
            switch self {
            case .number: (0, "")
            case .deadline: (s.deadline.dayNumber, "")
            case .percent: (s.isDone ? 100 : s.percent, "")
            case .lastUpdate: (s.lastUpdate?.dayNumber ?? Int.min, "")
            case .daysOverdue: (-(s.daysOverdue ?? 0), "")
            case .unit: (0, s.assignment.unitID)
            }
        }
        return indexed.sorted { a, b in
            let (ka, kb) = (key(a.element), key(b.element))
            return ka != kb ? (ka.0, ka.1) < (kb.0, kb.1) : a.offset < b.offset
        }.map(\.element)
    }
}

extension Equatable {
    /// The value after this one in `cycle`, wrapping round (the first if this one is not in it): what a key that steps
    /// through choices (`v`, `s`) does.
    public func next(in cycle: [Self]) -> Self {
        cycle[((cycle.firstIndex(of: self) ?? -1) + 1) % cycle.count]
    }
}
