import ArgumentParser
import DubanCore
import DubanPlans
import DubanStore
import Foundation

/// The reporting rhythm read from the store: every command, document and screen that needs reports or changes asks here.
enum PlanActivity {
    /// Every unit's reports on the snapshot's plan as of its day.
    static func reports(_ snapshot: PlanSnapshot, library: PlanLibrary, store: any ProgressStore) throws -> [UnitReport] {
        UnitReports.compute(snapshot, cycle: library.reportCycle(for: snapshot.plan), calendar: library.calendar,
                            reportDays: try store.reportDays(planID: snapshot.plan.id, asOf: snapshot.asOf))
    }

    /// What changed between the end of `since` and the snapshot's day.
    static func changes(since: CivilDate, to snapshot: PlanSnapshot, reports: [UnitReport], library: PlanLibrary,
                        store: any ProgressStore) throws -> [PlanChange] {
        let plan = snapshot.plan
        let before = library.snapshot(of: plan, asOf: since, states: try store.states(of: plan, asOf: since))
        return PlanChanges.between(before, snapshot, reports: reports)
    }
}

extension Context {
    func unitReports() throws -> [UnitReport] { try PlanActivity.reports(snapshot, library: library, store: store) }

    func changes(since: CivilDate) throws -> [PlanChange] {
        try PlanActivity.changes(since: since, to: snapshot, reports: try unitReports(), library: library, store: store)
    }
}

/// A 回头看 item's history continues its old item's: those events come first, as they were recorded in the old plan.
enum CarriedHistory {
    static func events(store: any ProgressStore, plan: Plan, nodeIDs: [String], unitID: String?, asOf: CivilDate?) throws -> [ProgressEvent] {
        var result: [ProgressEvent] = []
        for id in nodeIDs {
            guard let from = plan.node(id)?.carriedFrom else { continue }
            result += try store.history(planID: from.planID, nodeID: from.nodeID, unitID: unitID, asOf: asOf).filter { $0.nodeID == from.nodeID }
        }
        return result
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

    struct Row: Encodable {
        let unit: String
        let unit_id: String
        let period: String
        let period_start: String
        let due: String
        let state: String
        @Null var received_on: String?
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

    struct Row: Encodable {
        let kind: String
        let label: String
        let unit: String
        let unit_id: String
        @Null var node: String?
        @Null var title: String?
        @Null var before: String?
        @Null var after: String?
    }

    mutating func run() throws {
        try reporting {
            let context = try Context(global: global, planID: planID, asOf: asOf)
            let start = try Self.sinceDay(since, store: context.store, planID: context.plan.id)
            guard start < context.snapshot.asOf else {
                throw CLIError.input("--since \(start) 应早于截至日期 \(context.snapshot.asOf)")
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
    static func sinceDay(_ text: String, store: any ProgressStore, planID: String) throws -> CivilDate {
        if text == "last" || text == "上次" {
            guard let last = try store.lastBulletin(planID: planID) else {
                throw CLIError.input("计划 \(planID) 还没有导出过通报，无法按“上次通报”计算；请用 --since YYYY-MM-DD")
            }
            return last.asOf
        }
        guard let day = CivilDate(iso: text) else { throw CLIError.input("--since 应为 YYYY-MM-DD 或 last，而不是“\(shown(text))”") }
        return day
    }
}

struct CarryoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carryover",
        abstract: "回头看：把上一年度计划中未完成的任务转入新计划，作为单独一节继续督办。",
        discussion: """
        例：duban carryover changsha-2021 --into changsha-2022 \\
              [--deadline 2022-06-30] [--dry-run]
        未完成指既未完成（开启审核的须已审核销号）也未暂缓；只由当时未完成的单位承担。新的一节写入新计划文件末尾，
        可在文件中修改时限；转入事项计入新计划的应办和完成率，上一年度的记录在 duban log 和历史页中一并显示。
        同一计划只能转入一次（再次转入前请删去原来那一节）。需要管理员权限。
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("上一年度的计划编号。", valueName: "from")) var fromID: String
    @Option(help: ArgumentHelp("转入的计划编号。", valueName: "plan")) var into: String
    @Option(help: ArgumentHelp("转入事项的完成时限（默认新计划年度的 6 月 30 日）。", valueName: "YYYY-MM-DD")) var deadline: DateArgument?
    @OptionGroup var asOf: AsOfOption
    @Flag(name: .customLong("dry-run"), help: "只列出将转入的任务，不修改计划文件。") var dryRun = false
    @Flag(help: "以 JSON 输出将转入的任务。") var json = false

    struct Row: Encodable {
        let from_node: String
        let node: String
        let title: String
        let units: [String]
    }

    mutating func run() throws {
        try reporting {
            let library = try global.loadLibrary()
            let from = try global.plan(fromID, in: library)
            let target = try global.plan(into, in: library)
            guard from.id != target.id else { throw CLIError.input("不能转入同一个计划") }
            if target.nodes.contains(where: { $0.carriedFrom?.planID == from.id }) {
                throw CLIError.input(CarryoverSection.Failure.alreadyCarried(from: from.id, into: target.id).description)
            }
            let store = try global.openStore(readOnly: dryRun)
            let states = try store.states(of: from, asOf: asOf.storeDay)
            let snapshot = library.snapshot(of: from, asOf: asOf.day(for: from, states: states), states: states)
            let items = Carryover.unfinished(snapshot)
            guard !items.isEmpty else { throw CLIError(CarryoverSection.Failure.nothingToCarry(from.id).description, exitCode: 0) }
            let due = deadline?.date ?? CivilDate(year: target.year, month: 6, day: 30)!
            let section = CarryoverSection.draft(items, from: from, into: target, deadline: due)
            let rows = zip(items, section.children).map { item, node in
                Row(from_node: item.nodeID, node: node.id.value, title: item.title,
                    units: item.unitIDs.map { from.registry.unit(id: $0)?.name ?? $0 })
            }
            if !dryRun {
                _ = try global.authorize(.importPlan)
                try write(section, into: target)
            }
            if json { return try printJSON(rows) }
            print("\(dryRun ? "将" : "已")从 \(from.id) 转入 \(target.id)：\(rows.count) 项任务、\(rows.map(\.units.count).reduce(0, +)) 项责任分工，完成时限 \(due.chinese)")
            for r in rows {
                print("  \(r.node)（原 \(r.from_node)）\(shown(DisplayWidth().truncated(r.title, to: 30)))：\(r.units.map(shown).joined(separator: "、"))")
            }
            if !dryRun { print("已写入 \(target.location?.file ?? "")；可在文件中修改时限后运行 duban check") }
        }
    }

    /// Appends the section to the plan's file, checked as the loader would check it before anything is replaced.
    private func write(_ section: NodeDraft, into plan: Plan) throws {
        guard let file = plan.location?.file else { throw CLIError("找不到计划 \(plan.id) 的文件") }
        let text = try Privilege.asCaller { try String(contentsOfFile: file, encoding: .utf8) }
        let updated: String
        do {
            updated = try CarryoverSection.insert(section, into: text, file: file)
        } catch let failure as CarryoverSection.Failure {
            throw CLIError(failure.description)
        }
        let (draft, parsed) = PlanFile.parse(updated, file: file)
        var problems = parsed.filter { $0.severity == .error }
        if let draft { problems += PlanAssembler.assemble(draft, registry: plan.registry).1.filter { $0.severity == .error } }
        guard problems.isEmpty, draft != nil else { throw CLIError(CarryoverSection.Failure.invalid(problems).description) }
        try SafeFile.write(Data(updated.utf8), to: file, overwrite: true)
    }
}
