/// The state a unit reports for one assignment. Overdue, done-late and lagging are derived, not stored.
public enum Status: String, Sendable, Codable, CaseIterable {
    case notStarted = "未启动"
    case inProgress = "推进中"
    case done = "已完成"
    case suspended = "暂缓"

    /// The ASCII word a script may type.
    public var asciiName: String {
        switch self {
        case .notStarted: return "todo"
        case .inProgress: return "doing"
        case .done: return "done"
        case .suspended: return "suspended"
        }
    }

    /// Accepts the Chinese label, the words clerks write for it (完成, 进行中, 未开始, 暂停 …), the ASCII alias, or 不适用
    /// for suspended.
    public init?(input: String) {
        let s = input.trimmingSpaces
        if let status = Status(rawValue: s) { self = status; return }
        switch s.lowercased() {
        case "todo", "not-started", "notstarted", "未开始", "未开展", "尚未启动", "未开工": self = .notStarted
        case "doing", "in-progress", "inprogress", "进行中", "推进", "正在推进", "在办", "办理中", "正在办理", "已启动": self = .inProgress
        case "done", "completed", "完成", "已办结", "办结", "已完结", "完结": self = .done
        case "suspended", "n/a", "na", "暂停", "缓办", "已暂缓": self = .suspended
        case "不适用", "暂缓/不适用": self = .suspended
        default: return nil
        }
    }
}
