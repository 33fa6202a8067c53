import DubanCore
import Mustache

/// Who issues a document and to whom: taken from the plan unless a clerk says otherwise.
public struct Letterhead: Sendable {
    public var issuer: String
    public var addressees: String
    public var date: CivilDate

    public init(issuer: String, addressees: String, date: CivilDate) {
        self.issuer = issuer
        self.addressees = addressees
        self.date = date
    }

    public static func of(_ plan: Plan, date: CivilDate) -> Letterhead {
        let names = plan.addressees.map(\.name)
        return Letterhead(issuer: plan.issuer, addressees: names.isEmpty ? "各有关单位" : names.joined(separator: "，"), date: date)
    }
}

/// The 通报: the plan's figures on a day, worded by the bulletin template.
public enum Bulletin {
    /// Overdue items listed in 三、存在问题; the rest are counted and left to the ledger.
    public static let problemLimit = 30

    /// What changed since an earlier day (the last bulletin's), for the paragraph that reports it.
    public struct Since: Sendable {
        public let day: CivilDate
        public let changes: [PlanChange]

        public init(day: CivilDate, changes: [PlanChange]) {
            self.day = day
            self.changes = changes
        }
    }

    public static func document(_ snapshot: PlanSnapshot, letterhead: Letterhead, templates: TemplateSet,
                                replyWithin: Int = 5, reports: [UnitReport] = [], cycle: ReportingCycle = .none,
                                since: Since? = nil) throws -> Document {
        let plan = snapshot.plan
        let t = snapshot.totals
        let ranking = snapshot.districtRanking
        let commended = ranking.filter { snapshot.isCommended($0) }.map(\.unit.name)
        let named = ranking.filter { $0.totals.overdue > 0 }.map(\.unit.name)
        let overdue = snapshot.overdue()
        let gap = snapshot.progressGap
        let problems: [[String: Any]] = overdue.prefix(problemLimit).enumerated().map { index, s in
            [
                "index": index + 1,
                "unit": plan.registry.unit(id: s.assignment.unitID)?.name ?? s.assignment.unitID,
                "node": s.assignment.nodeID,
                "title": plan.node(s.assignment.nodeID)?.title ?? "",
                // Prose names the task, not its internal number, with nested quotation marks made single.
                "quotedTitle": OfficeText.quoted(plan.node(s.assignment.nodeID)?.title ?? ""),
                "deadline": OfficeText.date(s.deadline),
                "days": s.daysOverdue ?? 0,
                "workingDays": s.workingDaysOverdue.map(String.init) ?? "—",
                "percent": s.percent,
            ]
        }
        let problemGroups = ProblemGroups.groups(snapshot, reports: reports, cycle: cycle)
        func sinceCount(_ kind: PlanChange.Kind) -> Int { since?.changes.filter { $0.kind == kind }.count ?? 0 }
        let sinceMissedUnits = Set(since?.changes.filter { $0.kind == .reportMissed }.map(\.unitID) ?? []).count
        let context: [String: Any] = [
            "hasSince": since != nil,
            "sinceChinese": since.map { OfficeText.date($0.day) } ?? "",
            "sinceDone": sinceCount(.done),
            "sinceOverdue": sinceCount(.overdue),
            "sinceLagging": sinceCount(.lagging),
            "sinceExtended": sinceCount(.extended) > 0 ? sinceCount(.extended) : false,
            "sinceReturned": sinceCount(.returned) > 0 ? sinceCount(.returned) : false,
            "sinceMissed": sinceMissedUnits > 0 ? sinceMissedUnits : false,
            "problemGroups": ProblemGroups.context(problemGroups),
            // Words that depend on the city and the date, not on the template's author.
            "districts": plan.registry.districtsCollectiveName,
            "office": plan.registry.supervisingOfficeShortName,
            "period": OfficeText.period(asOf: snapshot.asOf, planYear: plan.year),
            "yearOver": snapshot.asOf.year > plan.year,
            "halfYearGone": snapshot.asOf.year == plan.year && snapshot.asOf.month >= 7,
            "hasApart": !snapshot.districtsApart.isEmpty,
            "apartList": OfficeText.list(snapshot.districtsApart.map(\.unit.name)),
            "hasProblemGroups": !problemGroups.isEmpty,
            "planTitle": plan.title,
            // A title that is itself “关于……” is quoted as a document name: 关于《关于……方案》落实情况的通报.
            "planName": plan.title.hasPrefix("关于") ? "《\(plan.title)》" : plan.title,
            "addressees": letterhead.addressees,
            "issuer": letterhead.issuer,
            "dateChinese": OfficeText.date(letterhead.date),
            "asOfChinese": OfficeText.date(snapshot.asOf),
            "itemCount": plan.items.count,
            "assignmentCount": t.assignments,
            "suspended": t.suspended > 0 ? t.suspended : false,
            "done": t.done,
            "doneLate": t.doneLate,
            "overdue": t.overdue,
            "lagging": t.lagging,
            "review": plan.review && t.done > 0,
            "pendingReview": t.pendingReview > 0 ? t.pendingReview : false,
            "extended": t.extended > 0 ? t.extended : false,
            "red": t.count(of: .red),
            "yellow": t.count(of: .yellow),
            "completionRate": NumberText.percent(t.completionRate),
            "meanPercent": NumberText.oneDecimal(t.meanPercent) + "%",
            "timeElapsed": NumberText.percent(snapshot.timeElapsed),
            "behind": snapshot.isBehindTime,
            "gap": NumberText.oneDecimal(gap),
            "hasCommended": !commended.isEmpty,
            "commendedList": OfficeText.list(commended),
            "hasNamed": !named.isEmpty,
            "namedList": OfficeText.list(named),
            "replyDays": replyWithin,
            "problems": problems,
            "hasProblems": !overdue.isEmpty,
            "moreProblems": overdue.count > problemLimit ? overdue.count - problemLimit : false,
        ]
        let text = templates.bulletin.render(Bulletin.singleLine(context))
        return try Document.parse(text, tables: tables(snapshot), template: templates.sources["bulletin.mustache"] ?? "bulletin.mustache")
    }

    /// Values go into a template that is read line by line afterwards: a newline inside a title or a
    /// unit name must not start a directive of its own.
    static func singleLine(_ value: Any) -> Any {
        switch value {
        case let s as String: return s.split(whereSeparator: \.isNewline).joined(separator: " ")
        case let d as [String: Any]: return d.mapValues(singleLine)
        case let a as [[String: Any]]: return a.map { $0.mapValues(singleLine) }
        default: return value
        }
    }

    static func tables(_ snapshot: PlanSnapshot) -> [String: TableData] {
        let ranking = snapshot.districtRanking
        let rankingRows = ranking.map { r -> [String] in
            let remark = !r.isRanked ? "不参与排名" : snapshot.isCommended(r) ? "表扬" : r.totals.overdue > 0 ? "通报" : ""
            return [r.rankText, r.unit.name, String(r.totals.inScope), String(r.totals.done),
                    NumberText.percent(r.totals.completionRate), String(r.totals.overdue), NumberText.oneDecimal(r.score), remark]
        }
        // Under review, work reported done and not yet signed off is a column of its own: without it the row's
        // counts would not add up to its 任务.
        let review = snapshot.plan.review
        let appendixRows = ranking.map { r -> [String] in
            let t = r.totals
            return [r.unit.name, String(t.assignments), String(t.done), String(t.doneOnTime), String(t.doneLate),
                    String(t.inProgress)] + (review ? [String(t.pendingReview)] : [])
                + [String(t.notStarted), String(t.overdue), String(t.suspended), NumberText.percent(t.completionRate)]
        }
        let appendixHeaders = [snapshot.plan.registry.districtsCollectiveName, "任务", "已完成", "按时完成", "逾期完成", "推进中"]
            + (review ? ["待审核"] : []) + ["未启动", "逾期", "暂缓", "完成率"]
        return [
            "ranking": TableData(headers: ["名次", snapshot.plan.registry.districtsCollectiveName, "应办", "已完成", "完成率", "逾期", "得分", "备注"],
                                 rows: rankingRows, numeric: [0, 2, 3, 4, 5, 6]),
            "appendix": TableData(headers: appendixHeaders, rows: appendixRows, numeric: Set(1..<appendixHeaders.count)),
        ]
    }
}
