import ArgumentParser
import DubanCore
import DubanPlans
import DubanStore

extension Context {
    /// Every unit's reports on the plan as of the snapshot's day.
    func unitReports() throws -> [UnitReport] {
        UnitReports.compute(snapshot, cycle: library.reportCycle(for: plan), calendar: library.calendar,
                            reportDays: try store.reportDays(planID: plan.id, asOf: snapshot.asOf))
    }

    /// What changed on the plan between the end of `since` and the snapshot's day.
    func changes(since: CivilDate) throws -> [PlanChange] {
        let before = library.snapshot(of: plan, asOf: since, states: try store.states(planID: plan.id, asOf: since))
        return PlanChanges.between(before, snapshot, reports: try unitReports())
    }
}

struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "进展报送情况：按报送周期，各单位每期按时报送、逾期报送或未报。",
        discussion: """
        报送周期在计划文件的 report_cycle 或 Plans/scoring.yaml 中设定（默认 monthly 5：每月5日前报送上月进展），
        报送日为节假日的顺延。单位在上一报送日之后、本期报送日之前登记过任何进展（或申请延期）即为按时报送；
        任务全部完成或暂缓的单位不再需要报送。“未报”与任务“逾期”是两回事：未报说的是没有按时报告进展。
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号。", valueName: "plan")) var planID: String
    @Option(help: ArgumentHelp("只看某个单位。", valueName: "unit")) var unit: String?
    @Flag(help: "只列未报和逾期报送的。") var missing = false
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "以 JSON 输出。") var json = false

    struct Row: ExplicitNullEncodable {
        let unit: String
        let unit_id: String
        let period: String
        let period_start: String
        let due: String
        let state: String
        let received_on: String?
    }

    mutating func run() throws {
        try reporting {
            let context = try Context(global: global, planID: planID, asOf: asOf)
            let unitID = try unit.map { try context.resolveUnit($0).id }
            let reports = try context.unitReports().filter { r in
                (unitID == nil || r.unitID == unitID) && (!missing || r.state == .missing || r.state == .late)
            }
            let rows = reports.map { r in
                Row(unit: context.unitName(r.unitID), unit_id: r.unitID, period: r.period.label, period_start: r.period.start.description,
                    due: r.period.due.description, state: r.state.rawValue, received_on: r.receivedOn?.description)
            }
            if json { return try printJSON(rows) }
            let cycle = context.library.reportCycle(for: context.plan)
            let missed = reports.filter { $0.state == .missing }.count
            print("\(shown(context.plan.title))　截至 \(context.snapshot.asOf.chinese)　\(cycle.chinese)　未报 \(missed) 期次")
            if rows.isEmpty { return }
            var lines = [["单位", "期间", "报送日", "情况", "报送于"]]
            for (r, report) in zip(rows, reports) {
                lines.append([shown(r.unit), r.period, r.due, report.state.label, r.received_on ?? "—"])
            }
            print(table(lines))
        }
    }
}

struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "某日以来的变化：新完成、新增逾期、新增滞后、新申报、被退回、获批延期、灯色变化、未按时报送。",
        discussion: "例：duban changes changsha-2021 --since 2021-09-01 --as-of 2021-09-30；--since last 为上一次导出通报时的截至日期。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号。", valueName: "plan")) var planID: String
    @Option(help: ArgumentHelp("从哪天结束时算起（YYYY-MM-DD，或 last：上次通报的截至日期）。", valueName: "date")) var since: String
    @Option(help: ArgumentHelp("只看某个单位。", valueName: "unit")) var unit: String?
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "以 JSON 输出。") var json = false

    struct Row: ExplicitNullEncodable {
        let kind: String
        let label: String
        let unit: String
        let unit_id: String
        let node: String?
        let title: String?
        let before: String?
        let after: String?
    }

    mutating func run() throws {
        try reporting {
            let context = try Context(global: global, planID: planID, asOf: asOf)
            let start = try Self.sinceDay(since, store: context.store, planID: context.plan.id)
            guard start < context.snapshot.asOf else {
                throw CLIError("--since \(start) 应早于截至日期 \(context.snapshot.asOf)", exitCode: 2)
            }
            let unitID = try unit.map { try context.resolveUnit($0).id }
            let changes = try context.changes(since: start).filter { unitID == nil || $0.unitID == unitID }
            let rows = changes.map { c in
                Row(kind: c.kind.rawValue, label: c.kind.label, unit: context.unitName(c.unitID), unit_id: c.unitID,
                    node: c.assignment?.nodeID, title: c.assignment.flatMap { context.plan.node($0.nodeID)?.title },
                    before: c.before, after: c.after)
            }
            if json { return try printJSON(rows) }
            print("\(shown(context.plan.title))　\(start.chinese)至\(context.snapshot.asOf.chinese)的变化 \(rows.count) 项")
            for kind in PlanChange.Kind.allCases {
                let group = rows.filter { $0.kind == kind.rawValue }
                guard !group.isEmpty else { continue }
                print("\n\(kind.label) \(group.count) 项")
                var lines: [[String]] = []
                for r in group {
                    let detail = kind == .light ? "\(Self.lightName(r.before)) → \(Self.lightName(r.after))"
                        : kind == .extended ? "\(r.before ?? "") → \(r.after ?? "")"
                        : kind == .reportMissed ? (r.before ?? "") + (r.after.map { "（\($0) 补报）" } ?? "（未报）") : ""
                    lines.append(["  " + shown(r.unit), r.node ?? "", DisplayWidth().truncated(shown(r.title ?? ""), to: 28), detail])
                }
                print(table(lines))
            }
        }
    }

    static func lightName(_ raw: String?) -> String { raw.flatMap(WarningLight.init(rawValue:))?.label ?? "" }

    /// A date, or `last`: the as-of day of the last bulletin made of the plan.
    static func sinceDay(_ text: String, store: SQLiteProgressStore, planID: String) throws -> CivilDate {
        if text == "last" || text == "上次" {
            guard let last = try store.lastBulletin(planID: planID) else {
                throw CLIError("计划 \(planID) 还没有导出过通报，无法按“上次通报”计算；请用 --since YYYY-MM-DD", exitCode: 2)
            }
            return last.asOf
        }
        guard let day = CivilDate(iso: text) else { throw CLIError("--since 应为 YYYY-MM-DD 或 last，而不是“\(shown(text))”", exitCode: 2) }
        return day
    }
}
