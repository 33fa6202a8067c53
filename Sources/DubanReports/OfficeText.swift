import DubanCore

/// Numbers and dates as a government office writes them.
public enum OfficeText {

    /// 成文日期 in Arabic numerals (GB/T 9704-2012): 2022年3月31日.
    public static func date(_ d: CivilDate) -> String { d.chinese }

    /// An assignment's state in the words every document uses (ledger, reminders): 逾期, 逾期完成, or the verdict.
    public static func status(_ s: AssignmentStanding) -> String {
        switch s.verdict {
        case .overdue: "逾期"
        case .doneLate: "逾期完成"
        case .inProgress where s.isReturned: "退回整改"
        default: s.verdict.rawValue
        }
    }

    /// The light in the ledger's words, with why a yellow one is yellow.
    public static func light(_ s: AssignmentStanding) -> String {
        guard s.light == .yellow else { return s.light.label }
        return s.light.label + (s.dueSoon ? "（临期）" : "（滞后）")
    }

    /// An approved extension keeps the original deadline in view; a request awaiting decision is named.
    public static func deadlineRemark(_ s: AssignmentStanding) -> String {
        var parts: [String] = []
        if s.isExtended { parts.append("经批准延期，原定时限\(date(s.originalDeadline))") }
        if let asked = s.requestedTo { parts.append("申请延期至\(date(asked))，待审批") }
        return parts.joined(separator: "；")
    }

    /// The period a report covers, in the words a 通报 uses: 一季度, 上半年, 前三季度, 今年以来 within the plan's year,
    /// 全年 once it is over.
    public static func period(asOf: CivilDate, planYear: Int) -> String {
        if asOf.year > planYear { return "全年" }
        if asOf.year < planYear { return "年初以来" }
        switch asOf.month {
        case 1...3: return "一季度"
        case 4...6: return "上半年"
        case 7...9: return "前三季度"
        default: return "今年以来"
        }
    }

    /// Text in quotation marks as Chinese documents nest them: double marks outside, single inside
    /// (“做好‘三高四新’战略实施信息公开”), whatever marks the text itself used.
    public static func quoted(_ text: String) -> String {
        var inner = ""
        for ch in text {
            switch ch {
            case "“": inner.append("‘")
            case "”": inner.append("’")
            default: inner.append(ch)
            }
        }
        return "“" + inner + "”"
    }


    /// 甲、乙和丙
    public static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: "、") + "和" + names.last!
    }
}
