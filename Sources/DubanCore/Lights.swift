/// 亮灯预警: every assignment's light as of a day, by one rule (ProgressMaths.standing applies it).
/// red: overdue; yellow: due within a few working days and not done (临期), or lagging (进度滞后);
/// green: on track, done, or claimed done and awaiting sign-off; grey: suspended.
public enum WarningLight: String, Sendable, CaseIterable, Codable {
    case red, yellow, green, grey

    /// The ledger's and the documents' word.
    public var label: String {
        switch self {
        case .red: "红灯"
        case .yellow: "黄灯"
        case .green: "绿灯"
        case .grey: "灰灯"
        }
    }

    /// One character that says it without colour: a monochrome terminal, a printout.
    public var mark: String {
        switch self {
        case .red: "红"
        case .yellow: "黄"
        case .green: "绿"
        case .grey: "灰"
        }
    }

    /// What the light means, for the legend and the help screen.
    public var meaning: String {
        switch self {
        case .red: "逾期未完成"
        case .yellow: "临期未完成或进度滞后"
        case .green: "正常推进、已完成或待审核"
        case .grey: "暂缓"
        }
    }

    /// Worst first: what a list sorted by light shows at its top.
    public var severity: Int {
        switch self {
        case .red: 3
        case .yellow: 2
        case .green: 1
        case .grey: 0
        }
    }
}

/// The two numbers behind the yellow light, set in Plans/scoring.yaml.
public struct LightRules: Sendable, Equatable {
    /// Yellow this many working days before the deadline (the deadline day counts as one of them): common practice is 3.
    public var dueSoonWorkingDays: Int
    /// Lagging (进度滞后) when progress is below the share of the assignment's period elapsed by more than this many
    /// points. 0: any shortfall — the same count the bulletin reports.
    public var lagMargin: Double

    public init(dueSoonWorkingDays: Int = 3, lagMargin: Double = 0) {
        self.dueSoonWorkingDays = dueSoonWorkingDays
        self.lagMargin = lagMargin
    }

    public static let standard = LightRules()
}
