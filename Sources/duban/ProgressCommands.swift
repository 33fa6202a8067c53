import ArgumentParser
import DubanCore
import DubanPlans
import DubanStore

/// Plan + store + figures for one day: what every reading command starts from.
struct Context {
    let library: PlanLibrary
    let plan: Plan
    let store: any ProgressStore
    let snapshot: PlanSnapshot

    init(global: GlobalOptions, planID: String, asOf: AsOfOption) throws {
        (library, plan) = try global.loadPlan(planID)
        store = try global.openStore(readOnly: true)
        let states = try store.states(of: plan, asOf: asOf.storeDay)
        snapshot = library.snapshot(of: plan, asOf: asOf.day(for: plan, states: states), states: states)
    }

    func unitName(_ id: String) -> String { plan.registry.unit(id: id)?.name ?? id }

    func resolveUnit(_ reference: String) throws -> Unit {
        if let unit = plan.registry.resolve(reference) { return unit }
        throw CLIError(UnitRegistry.unknownUnitMessage(SafeText.escaped(reference), registry: plan.registry))
    }
}


struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "各区县（市）或各单位的进展：任务数、完成、逾期、完成率、得分和排名。")

    enum Grouping: String, ExpressibleByArgument, CaseIterable {
        case district, unit
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号。", valueName: "plan")) var planID: String
    @Option(help: "按区县（district，默认）或按全部责任单位（unit）统计。") var by: Grouping = .district
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "以 JSON 输出。") var json = false

    struct Row: Encodable {
        @Null var rank: Int?  // null: listed apart, not ranked
        let unit: String
        let unit_id: String
        let kind: String
        let assignments: Int
        let suspended: Int
        let due: Int
        let done: Int
        let done_on_time: Int
        let done_late: Int
        let in_progress: Int
        let not_started: Int
        let overdue: Int
        let lagging: Int
        /// Claimed done and awaiting sign-off; returned by the office; with an approved extension.
        let pending_review: Int
        let returned: Int
        let extended: Int
        let completion_rate: Double
        let on_time_rate: Double
        let mean_percent: Double
        let score: Double
        let commended: Bool
    }

    struct Output: Encodable {
        let plan: String
        let as_of: String
        let time_elapsed: Double
        let totals: ProgressTotals
        let completion_rate: Double
        /// 平均进度 (0–100) and how many points it trails 时间进度 (negative: ahead): the bulletin's headline figure.
        let mean_percent: Double
        let progress_gap: Double
        let by: String
        let rows: [Row]
    }

    mutating func run() throws {
        try reporting {
            let context = try Context(global: global, planID: planID, asOf: asOf)
            let snapshot = context.snapshot
            let ranking = by == .district ? snapshot.districtRanking : snapshot.unitRanking
            let rows = ranking.map { r in
                Row(rank: r.isRanked ? r.rank : nil, unit: r.unit.name, unit_id: r.unit.id, kind: r.unit.kind.rawValue,
                    assignments: r.totals.assignments, suspended: r.totals.suspended, due: r.totals.due, done: r.totals.done,
                    done_on_time: r.totals.doneOnTime, done_late: r.totals.doneLate, in_progress: r.totals.inProgress,
                    not_started: r.totals.notStarted, overdue: r.totals.overdue, lagging: r.totals.lagging,
                    pending_review: r.totals.pendingReview, returned: r.totals.returned, extended: r.totals.extended,
                    completion_rate: r.totals.completionRate, on_time_rate: r.totals.onTimeRate,
                    mean_percent: r.totals.meanPercent, score: r.score,
                    commended: by == .district && snapshot.isCommended(r))
            }
            if json {
                return try printJSON(Output(plan: context.plan.id, as_of: snapshot.asOf.description,
                                            time_elapsed: snapshot.timeElapsed, totals: snapshot.totals,
                                            completion_rate: snapshot.totals.completionRate, mean_percent: snapshot.totals.meanPercent,
                                            progress_gap: snapshot.progressGap, by: by.rawValue, rows: rows))
            }
            let t = snapshot.totals
            print("\(shown(context.plan.title))　截至 \(snapshot.asOf.chinese)")
            print("时间进度 \(NumberText.percent(snapshot.timeElapsed))　完成率 \(NumberText.percent(t.completionRate))（\(t.done)/\(t.inScope)）　平均进度 \(NumberText.oneDecimal(t.meanPercent))%　逾期 \(t.overdue)　逾期完成 \(t.doneLate)　滞后 \(t.lagging)　暂缓 \(t.suspended)"
                  + (context.plan.review ? "　待审核 \(t.pendingReview)" : ""))
            print("")
            // Under review, work reported done and awaiting sign-off has its own column, so each row adds up to its 任务.
            let review = context.plan.review
            var lines = [["名次", by == .district ? "区县（市）" : "单位", "任务", "已完成", "推进中"] + (review ? ["待审核"] : [])
                         + ["未启动", "逾期", "完成率", "得分"]]
            for r in rows {
                lines.append([r.rank.map(String.init) ?? "—", shown(r.unit) + (r.commended ? " ★" : ""),
                              String(r.assignments - r.suspended), String(r.done), String(r.in_progress)]
                             + (review ? [String(r.pending_review)] : [])
                             + [String(r.not_started), String(r.overdue), NumberText.percent(r.completion_rate), String(r.score)])
            }
            print(table(lines))
            if by == .district && rows.contains(where: \.commended) { print("\n★ 建议表扬（真抓实干督查激励推荐）") }
            // A county's own plan, or one whose districts no work point names, has nobody to rank by district.
            if by == .district && rows.isEmpty { print("\n此计划没有参与排名的区县（市）；按责任单位查看：duban progress \(context.plan.id) --by unit") }
        }
    }
}

struct OverdueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue",
        abstract: "逾期未完成的任务，最早到期的在前：责任单位、完成时限、逾期天数（自然日/工作日）、最近进展。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号。", valueName: "plan")) var planID: String
    @Option(help: ArgumentHelp("只看某个单位（名称、简称或编号）。", valueName: "unit")) var unit: String?
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "以 JSON 输出。") var json = false

    struct Row: Encodable {
        let node: String
        let title: String
        let unit: String
        let unit_id: String
        let deadline: String
        @Null var deadline_source: String?
        let effective_deadline: String
        let days_overdue: Int
        @Null var working_days_overdue: Int?
        let status: String
        let percent: Int
        /// Always red: overdue is the red light (the field is here so every per-assignment row carries its light).
        let light: String
        @Null var last_event: Int64?
        @Null var last_update: String?
        @Null var last_note: String?
    }

    mutating func run() throws {
        try reporting {
            let context = try Context(global: global, planID: planID, asOf: asOf)
            let unitID = try unit.map { try context.resolveUnit($0).id }
            let standings = context.snapshot.standings
            let overdue = context.snapshot.overduePlaces(unitID: unitID).lazy.map { standings[$0] }
            let notes = try context.store.notes(ids: overdue.compactMap(\.lastReportID))
            let row = { (s: AssignmentStanding) -> Row in
                // The two fields read in place: a copy of the node retained every one of its strings and arrays.
                let nodeAt = context.plan.nodeIndex(of: s.assignment.nodeID)
                return Row(node: s.assignment.nodeID, title: nodeAt.map { context.plan.nodes[$0].title } ?? "",
                           unit: context.unitName(s.assignment.unitID), unit_id: s.assignment.unitID, deadline: s.deadline.description,
                           deadline_source: nodeAt.flatMap { context.plan.nodes[$0].deadline.phrase },
                           effective_deadline: s.effectiveDeadline.description, days_overdue: s.daysOverdue ?? 0,
                           working_days_overdue: s.workingDaysOverdue, status: s.status.rawValue, percent: s.percent, light: s.light.rawValue,
                           last_event: s.lastEventID, last_update: s.lastUpdate?.description, last_note: s.lastReportID.flatMap { notes[$0] })
            }
            if json { return try printJSON(elements: overdue.lazy.map(row)) }
            let rows = Array(overdue.map(row))
            print("\(shown(context.plan.title))　截至 \(context.snapshot.asOf.chinese)　逾期 \(rows.count) 项")
            if rows.isEmpty { return }
            var lines = [["编号", "事项", "责任单位", "时限", "逾期(天/工作日)", "进度", "最近进展"]]
            let width = DisplayWidth()
            for r in rows {
                // A deadline on a day off is met by the next working day, and days overdue count from that: shown, so
                // the figure can be checked against the date beside it ("2022-01-31→02-07" over the Spring Festival).
                let deadline = r.deadline == r.effective_deadline ? r.deadline
                    : r.deadline + "→" + (r.effective_deadline.prefix(4) == r.deadline.prefix(4) ? String(r.effective_deadline.dropFirst(5)) : r.effective_deadline)
                lines.append([r.node, width.truncated(shown(r.title), to: 24), shown(r.unit), deadline,
                              "\(r.days_overdue)/\(r.working_days_overdue.map(String.init) ?? "?")", "\(r.percent)%",
                              r.last_update ?? "无"])
            }
            print(table(lines))
            if rows.contains(where: { $0.deadline != $0.effective_deadline }) {
                print("注：时限遇节假日顺延到其后第一个工作日（→ 后为顺延后的日期），逾期天数自顺延后的日期算起。")
            }
        }
    }
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "进展记录的历史（按日期先后），可按事项和单位筛选。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号。", valueName: "plan")) var planID: String
    @Argument(help: ArgumentHelp("事项编号（含其下子任务）。", valueName: "node")) var nodeID: String?
    @Option(help: ArgumentHelp("只看某个单位。", valueName: "unit")) var unit: String?
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "以 JSON 输出。") var json = false

    struct Row: Encodable {
        let id: Int64
        let node: String
        let unit: String
        let unit_id: String
        let date: String
        let status: String
        let percent: Int
        let note: String
        @Null var evidence: String?
        let author: String
        let recorded_at: String
        let demo: Bool
        /// The record this one corrects (更正), if it is a correction.
        @Null var corrects: Int64?
        /// update, approve, return, extension_request, extension_approve, extension_refuse; and the date asked or granted.
        let kind: String
        @Null var extend_to: String?
        /// The claim's standing after this event: claimed, approved, returned (null: no claim).
        @Null var review: String?
        /// For a 回头看 item's earlier records: the plan and node they were recorded on.
        let plan: String
        /// A report on work the office had signed off (销号), which reopened it (`update --reopen`, or a report made
        /// before the stores refused them).
        let reopened: Bool
    }

    /// Which events reopened signed-off work: a report coming after its assignment's record left it approved.
    /// Worked out from the records themselves (in the stores' order, by day then id), so records of every duban
    /// version are read alike.
    static func reopenings(_ events: [ProgressEvent]) -> [Bool] {
        var signedOff: Set<[String]> = []
        return events.map { e in
            let assignment = [e.planID, e.nodeID, e.unitID]
            defer { if e.review == .approved { signedOff.insert(assignment) } else { signedOff.remove(assignment) } }
            return e.kind == .update && signedOff.contains(assignment)
        }
    }

    mutating func run() throws {
        try reporting {
            let (_, plan) = try global.loadPlan(planID)
            if let nodeID, plan.node(nodeID) == nil {
                throw CLIError.input("计划 \(plan.id) 中没有编号为“\(shown(nodeID))”的事项；可用 duban tree \(plan.id) 查看编号")
            }
            let unitID = try unit.map { reference -> String in
                guard let unit = plan.registry.resolve(reference) else {
                    throw CLIError(UnitRegistry.unknownUnitMessage(shown(reference), registry: plan.registry))
                }
                return unit.id
            }
            let store = try global.openStore(readOnly: true)
            let own = try store.history(planID: plan.id, nodeID: nodeID, unitID: unitID, asOf: asOf.storeDay)
            let carriedNodes = plan.nodes.filter { $0.carriedFrom != nil && (nodeID == nil || $0.id == nodeID || $0.id.hasPrefix(nodeID! + ".")) }
            let events = try CarriedHistory.events(store: store, plan: plan, nodeIDs: carriedNodes.map(\.id), unitID: unitID, asOf: asOf.storeDay) + own
            let rows = zip(events, Self.reopenings(events)).map { e, reopened in
                Row(id: e.id, node: e.nodeID, unit: plan.registry.unit(id: e.unitID)?.name ?? e.unitID, unit_id: e.unitID,
                    date: e.date.description, status: e.status.rawValue, percent: e.percent, note: e.note,
                    evidence: e.evidence, author: e.author, recorded_at: e.recordedAt, demo: e.demo, corrects: e.corrects,
                    kind: e.kind.rawValue, extend_to: e.extendTo?.description, review: e.review?.asciiName, plan: e.planID,
                    reopened: reopened)
            }
            if json { return try printJSON(rows) }
            if rows.isEmpty {
                print("暂无进展记录。")
                return
            }
            var lines = [["#", "日期", "编号", "单位", "状态", "进度", "记录人", "说明"]]
            for (r, e) in zip(rows, events) {
                // A simulated event says so: a figure from `duban demo` is not anyone's report.
                let step = e.kind == .update ? (r.reopened ? "［重新打开已办结的任务］" : "") + (plan.review && e.review == .claimed ? "［申报完成，待审核］" : "")
                    : "［\(e.kind.label)\(e.extendTo.map { "至 \($0)" } ?? "")］"
                lines.append(["#\(r.id)", r.date, r.plan == plan.id ? r.node : "\(r.node)（\(r.plan)）", shown(r.unit), plan.review && e.review == .approved ? "已办结" : r.status, "\(r.percent)%",
                              r.demo ? "（演示）" : shown(r.author),
                              step + (r.corrects.map { "［更正 #\($0)］" } ?? "") + shown(r.note) + (r.evidence.map { " ［佐证：\(shown($0))］" } ?? "")])
            }
            print(table(lines))
        }
    }
}
