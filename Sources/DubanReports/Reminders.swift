import DubanCore

/// 催办单: one per unit with overdue or lagging work or a missed report, with a reply-by date in working days.
public enum Reminders {
    public struct Options: Sendable {
        public var unitID: String?
        public var replyWithin: Int
        /// The units' reports (UnitReports): a unit that missed one is reminded of it.
        public var reports: [UnitReport]
        public var cycle: ReportingCycle

        public init(unitID: String? = nil, replyWithin: Int = 5, reports: [UnitReport] = [], cycle: ReportingCycle = .none) {
            self.unitID = unitID
            self.replyWithin = replyWithin
            self.reports = reports
            self.cycle = cycle
        }
    }

    /// One document holding every unit's reminder, a page each. Nil when nobody is late.
    public static func document(_ snapshot: PlanSnapshot, letterhead: Letterhead, templates: TemplateSet,
                                calendar: WorkdayCalendar, options: Options) throws -> Document? {
        let plan = snapshot.plan
        let replyBy = try calendar.adding(workingDays: options.replyWithin, to: letterhead.date)
        let late = snapshot.standings.filter { ($0.isOverdue || $0.lagging) && (options.unitID == nil || $0.assignment.unitID == options.unitID) }
        let byUnit = Dictionary(grouping: late, by: \.assignment.unitID)
        let missed = Dictionary(grouping: options.reports.filter { $0.state == .missing && (options.unitID == nil || $0.unitID == options.unitID) },
                                by: \.unitID)
        let order = plan.registry.units.map(\.id).filter { byUnit[$0] != nil || missed[$0] != nil }
        guard !order.isEmpty else { return nil }
        var blocks: [Block] = []
        var tables: [String: TableData] = [:]
        for (index, unitID) in order.enumerated() {
            let items = byUnit[unitID] ?? []
            let periods = (missed[unitID] ?? []).map(\.period.label)
            let unit = plan.registry.unit(id: unitID)?.name ?? unitID
            let tableName = "items-\(unitID)"
            tables[tableName] = TableData(
                headers: ["序号", "任务", "完成时限", "状态", "进度", "逾期天数"],
                rows: items.enumerated().map { n, s in
                    // The ledger's word for the state, and 进度滞后 where that is why the task is here.
                    [String(n + 1), plan.node(s.assignment.nodeID)?.title ?? "", OfficeText.date(s.deadline),
                     OfficeText.status(s) + (s.lagging ? "（进度滞后）" : ""), "\(s.percent)%", s.daysOverdue.map(String.init) ?? "—"]
                }, numeric: [0, 4, 5])
            let context: [String: Any] = [
                // Unique and stable: the plan, the day and the unit, whichever units are exported with it.
                "number": "\(plan.id)-\(letterhead.date.description.replacingDashes)-\(unitID)",
                "unit": unit, "office": plan.registry.supervisingOfficeShortName, "planTitle": plan.title, "asOfChinese": OfficeText.date(snapshot.asOf),
                "count": items.count, "hasItems": !items.isEmpty,
                "missedReports": periods.isEmpty ? false : OfficeText.list(periods), "cycle": options.cycle.chinese, "replyBy": OfficeText.date(replyBy), "replyWithin": options.replyWithin,
                "issuer": letterhead.issuer, "dateChinese": OfficeText.date(letterhead.date),
            ]
            let text = templates.reminder.render(Bulletin.singleLine(context))
            let page = try Document.parse(text, tables: ["items": tables[tableName]!],
                                          template: templates.sources["reminder.mustache"] ?? "reminder.mustache")
            // Each unit's notice is printed and sent on its own: a new section, numbered from 1.
            if index > 0 { blocks.append(.newSection) }
            // Each page's `@table items` is that unit's own table.
            blocks += page.blocks.map { $0 == .table("items") ? .table(tableName) : $0 }
        }
        return Document(blocks: blocks, tables: tables)
    }
}

extension String {
    var replacingDashes: String { String(filter { $0 != "-" }) }
}
