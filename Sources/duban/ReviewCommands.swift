import ArgumentParser
import DubanCore
import DubanPlans
import DubanStore

/// Takes one of the office's steps (or a unit's extension request): checked against the assignment's standing now,
/// then appended; the store checks who may and whether the step fits the assignment's state at the moment of writing.
enum OfficeStep {
    /// `at`: the day given (nil: today, with a word on a finished year's plan; see `RecordingDay`).
    static func take(_ request: StepRequest, at: CivilDate?, expecting: Int64?, global: GlobalOptions, planID: String) throws -> (Plan, ProgressEvent) {
        let (library, plan) = try global.loadPlan(planID)
        var request = request
        request.date = RecordingDay().of(at, plan: plan)
        let store = try global.openStore()
        let snapshot = library.snapshot(of: plan, asOf: max(request.date, today()), states: try store.states(of: plan, asOf: nil))
        let assignment: Assignment
        switch request.resolve(in: plan, today: today(), standing: { a in snapshot.standings(of: a.nodeID).first { $0.assignment == a } }) {
        case let .success(value): assignment = value
        case let .failure(rejection): throw CLIError.input(rejection.message)
        }
        let me = Identity.current
        do {
            let event = try store.record(
                NewUpdate.step(request.kind, planID: plan.id, nodeID: assignment.nodeID, unitID: assignment.unitID, note: request.note,
                               date: request.date, extendTo: request.extendTo, author: me.name, uid: me.uid),
                expecting: expecting)
            return (plan, event)
        } catch let error as StoreError {
            throw CLIError(error.description, exitCode: error.exitCode)
        }
    }

    struct Output: Encodable {
        let id: Int64
        let plan: String
        let node: String
        let unit_id: String
        let kind: String
        let status: String
        let percent: Int
        @Null var review: String?
        @Null var extend_to: String?
        let note: String
        let date: String
        let author: String
    }

    static func report(_ plan: Plan, _ event: ProgressEvent, json: Bool) throws {
        if json {
            return try printJSON(Output(id: event.id, plan: plan.id, node: event.nodeID, unit_id: event.unitID, kind: event.kind.rawValue,
                                        status: event.status.rawValue, percent: event.percent, review: event.review?.asciiName,
                                        extend_to: event.extendTo?.description, note: event.note, date: event.date.description,
                                        author: event.author))
        }
        let unit = plan.registry.unit(id: event.unitID)?.name ?? event.unitID
        let to = event.extendTo.map { "至 \($0)" } ?? ""
        print("已记录 #\(event.id)：\(plan.id) \(event.nodeID) \(unit) \(event.kind.label)\(to)（\(event.date)，\(shown(event.author))）")
    }
}

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "审核销号：列出待审核的“已完成”申报，或由政务公开办审核通过（办结销号）、退回。",
        discussion: """
        计划文件中 review: true 时，单位登记“已完成”即为待审核的申报，经管理员审核通过才计为完成（销号日期为审核日期，
        是否逾期完成按单位申报日期计）；退回须写明理由，任务回到推进中。
        例：duban review changsha-2021                       列出待审核
            duban review changsha-2021 1.2 --unit 芙蓉区 --approve
            duban review changsha-2021 1.2 --unit 芙蓉区 --return --note "佐证材料未体现公开内容"
        退出码：0 成功；2 内容有误（未保存）；3 与他人的操作冲突；4 无权操作。
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号。", valueName: "plan")) var planID: String
    @Argument(help: ArgumentHelp("事项编号（审核时必填；列出时只看其下的事项）。", valueName: "node")) var nodeID: String?
    @Option(help: ArgumentHelp("责任单位。", valueName: "unit")) var unit: String?
    @Flag(help: "审核通过，办结销号。") var approve = false
    @Flag(name: .customLong("return"), help: "退回（须用 --note 写明理由）。") var returnClaim = false
    @Option(help: ArgumentHelp("审核意见或退回理由。", valueName: "text")) var note: String = ""
    @Option(help: ArgumentHelp("审核日期（默认今天）。", valueName: "YYYY-MM-DD")) var at: DateArgument?
    @Option(parsing: .unconditional, help: ArgumentHelp("期望的最新事件编号（即所审核的申报）；不符则拒绝。", valueName: "event")) var expect: Int64?
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "以 JSON 输出。") var json = false

    mutating func validate() throws {
        if approve && returnClaim { throw ValidationError("--approve 与 --return 只能选一个") }
        if (approve || returnClaim) && (nodeID == nil || unit == nil) { throw ValidationError("审核请给出事项编号和 --unit") }
    }

    struct Row: Encodable {
        let node: String
        let title: String
        let unit: String
        let unit_id: String
        @Null var claimed_on: String?
        let deadline: String
        let late: Bool
        @Null var event: Int64?
        @Null var note: String?
        @Null var evidence: String?
        @Null var author: String?
    }

    mutating func run() throws {
        try reporting {
            if approve || returnClaim {
                let request = StepRequest(kind: approve ? .approve : .returnClaim, nodeID: nodeID!, unit: unit!, note: note, date: today())
                let (plan, event) = try OfficeStep.take(request, at: at?.date, expecting: expect, global: global, planID: planID)
                return try OfficeStep.report(plan, event, json: json)
            }
            let context = try Context(global: global, planID: planID, asOf: asOf)
            let unitID = try unit.map { try context.resolveUnit($0).id }
            let queue = context.snapshot.reviewQueue.filter { s in
                (unitID == nil || s.assignment.unitID == unitID) && (nodeID == nil || s.assignment.nodeID == nodeID || s.assignment.nodeID.hasPrefix(nodeID! + "."))
            }
            let claims = try context.store.events(ids: queue.compactMap(\.lastReportID))
            let rows = queue.map { s in
                let claim = s.lastReportID.flatMap { claims[$0] }
                return Row(node: s.assignment.nodeID, title: context.plan.node(s.assignment.nodeID)?.title ?? "",
                           unit: context.unitName(s.assignment.unitID), unit_id: s.assignment.unitID,
                           claimed_on: s.doneOn?.description, deadline: s.deadline.description, late: s.daysOverdue != nil,
                           event: s.lastReportID, note: claim?.note, evidence: claim?.evidence, author: claim?.author)
            }
            if json { return try printJSON(rows) }
            print("\(shown(context.plan.title))　截至 \(context.snapshot.asOf.chinese)　待审核 \(rows.count) 项")
            if !context.plan.review { print("（此计划未开启审核销号：单位登记“已完成”即计为完成）") }
            if rows.isEmpty { return }
            var lines = [["编号", "事项", "单位", "申报日期", "时限", "佐证", "#"]]
            let width = DisplayWidth()
            for r in rows {
                lines.append([r.node, width.truncated(shown(r.title), to: 24), shown(r.unit), (r.claimed_on ?? "") + (r.late ? "（逾期）" : ""),
                              r.deadline, r.evidence.map { width.truncated(shown($0), to: 30) } ?? "无", r.event.map { "#\($0)" } ?? ""])
            }
            print(table(lines))
        }
    }
}

struct ExtendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend",
        abstract: "延期：单位申请延长完成时限，政务公开办同意或不同意；或列出延期申请和已批准的延期。",
        discussion: """
        例：单位申请、管理员同意（--to 可改批日期，--note 附意见）、管理员不同意、列出：
        duban extend changsha-2021 2.3 --unit 芙蓉区 --to 2021-12-31 --reason "需待省级平台上线"
        duban extend changsha-2021 2.3 --unit 芙蓉区 --approve --to 2021-11-30
        duban extend changsha-2021 2.3 --unit 芙蓉区 --refuse --note "按原时限完成"
        duban extend changsha-2021
        同意后该单位此项任务按新时限计算是否逾期，原时限保留并在台账、通报中列明；不同意的申请留在记录中。
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号。", valueName: "plan")) var planID: String
    @Argument(help: ArgumentHelp("事项编号。", valueName: "node")) var nodeID: String?
    @Option(help: ArgumentHelp("责任单位。", valueName: "unit")) var unit: String?
    @Option(help: ArgumentHelp("申请（或同意）延期到的日期。", valueName: "YYYY-MM-DD")) var to: DateArgument?
    @Option(help: ArgumentHelp("申请延期的理由。", valueName: "text")) var reason: String?
    @Flag(help: "同意延期（管理员）。") var approve = false
    @Flag(help: "不同意延期（管理员）。") var refuse = false
    @Option(help: ArgumentHelp("审批意见。", valueName: "text")) var note: String = ""
    @Option(help: ArgumentHelp("申请或审批日期（默认今天）。", valueName: "YYYY-MM-DD")) var at: DateArgument?
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "以 JSON 输出。") var json = false

    mutating func validate() throws {
        if approve && refuse { throw ValidationError("--approve 与 --refuse 只能选一个") }
        let acting = approve || refuse || reason != nil || to != nil
        if acting && (nodeID == nil || unit == nil) { throw ValidationError("申请或审批延期请给出事项编号和 --unit") }
        if !approve && !refuse && acting && (to == nil || reason == nil) { throw ValidationError("申请延期请给出 --to 日期和 --reason 理由") }
        if refuse && to != nil { throw ValidationError("不同意延期时不需要 --to") }
    }

    struct Row: Encodable {
        let node: String
        let title: String
        let unit: String
        let unit_id: String
        let original_deadline: String
        let deadline: String
        @Null var requested_to: String?
        let state: String
    }

    mutating func run() throws {
        try reporting {
            if approve || refuse || reason != nil {
                let kind: EventKind = approve ? .extensionApproved : refuse ? .extensionRefused : .extensionRequest
                let request = StepRequest(kind: kind, nodeID: nodeID!, unit: unit!, note: kind == .extensionRequest ? reason ?? "" : note,
                                          date: today(), extendTo: to?.date)
                let (plan, event) = try OfficeStep.take(request, at: at?.date, expecting: nil, global: global, planID: planID)
                return try OfficeStep.report(plan, event, json: json)
            }
            let context = try Context(global: global, planID: planID, asOf: asOf)
            let unitID = try unit.map { try context.resolveUnit($0).id }
            let rows = context.snapshot.standings.filter { s in
                (s.isExtended || s.requestedTo != nil) && (unitID == nil || s.assignment.unitID == unitID)
                    && (nodeID == nil || s.assignment.nodeID == nodeID)
            }.map { s in
                Row(node: s.assignment.nodeID, title: context.plan.node(s.assignment.nodeID)?.title ?? "",
                    unit: context.unitName(s.assignment.unitID), unit_id: s.assignment.unitID,
                    original_deadline: s.originalDeadline.description, deadline: s.deadline.description,
                    requested_to: s.requestedTo?.description, state: s.requestedTo != nil ? "requested" : "approved")
            }
            if json { return try printJSON(rows) }
            print("\(shown(context.plan.title))　截至 \(context.snapshot.asOf.chinese)　已批准延期 \(rows.filter { $0.state == "approved" || $0.deadline != $0.original_deadline }.count) 项，待审批 \(rows.filter { $0.requested_to != nil }.count) 项")
            if rows.isEmpty { return }
            // What each row is, said in words: an approved extension has no request left open, and a bare "—" under
            // 申请延至 read as a request lost.
            var lines = [["编号", "事项", "单位", "原时限", "现时限", "状态"]]
            let width = DisplayWidth()
            for r in rows {
                let state = r.requested_to.map { "待审批：申请延至 \($0)" } ?? (r.deadline == r.original_deadline ? "—" : "已批准延期")
                lines.append([r.node, width.truncated(shown(r.title), to: 24), shown(r.unit), r.original_deadline,
                              r.deadline == r.original_deadline ? "—" : r.deadline, state])
            }
            print(table(lines))
        }
    }
}

struct LightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lights",
        abstract: "亮灯预警：每项任务每个责任单位的红灯（逾期）、黄灯（临期或滞后）、绿灯、灰（暂缓）。",
        discussion: "黄灯的临期天数和滞后幅度在 Plans/scoring.yaml 中设定（due_soon_working_days、lag_margin）。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号。", valueName: "plan")) var planID: String
    @Option(help: ArgumentHelp("只看某个单位。", valueName: "unit")) var unit: String?
    @Option(help: ArgumentHelp("只看某种灯：red、yellow、green、grey。", valueName: "light")) var light: String?
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "以 JSON 输出。") var json = false

    struct Row: Encodable {
        let node: String
        let title: String
        let unit: String
        let unit_id: String
        let light: String
        let verdict: String
        let status: String
        let percent: Int
        let deadline: String
        let original_deadline: String
        let due_soon: Bool
        let lagging: Bool
        @Null var review: String?
        @Null var requested_to: String?
    }

    mutating func run() throws {
        try reporting {
            let wanted = try light.map { text -> WarningLight in
                guard let l = WarningLight(rawValue: text) ?? WarningLight.allCases.first(where: { $0.label == text || $0.mark == text }) else {
                    throw CLIError.input("“\(shown(text))”不是灯色：应为 red、yellow、green、grey（或 红灯、黄灯、绿灯、灰）")
                }
                return l
            }
            let context = try Context(global: global, planID: planID, asOf: asOf)
            let unitID = try unit.map { try context.resolveUnit($0).id }
            let standings = context.snapshot.standings.filter { s in
                (unitID == nil || s.assignment.unitID == unitID) && (wanted == nil || s.light == wanted)
            }.sorted { $0.light.severity > $1.light.severity }
            let rows = standings.map { s in
                Row(node: s.assignment.nodeID, title: context.plan.node(s.assignment.nodeID)?.title ?? "",
                    unit: context.unitName(s.assignment.unitID), unit_id: s.assignment.unitID, light: s.light.rawValue,
                    verdict: s.verdict.rawValue, status: s.status.rawValue, percent: s.percent, deadline: s.deadline.description,
                    original_deadline: s.originalDeadline.description, due_soon: s.dueSoon, lagging: s.lagging,
                    review: s.review?.asciiName, requested_to: s.requestedTo?.description)
            }
            if json { return try printJSON(rows) }
            let totals = ProgressTotals(standings)
            let counts = WarningLight.allCases.map { "\($0.label) \(totals.count(of: $0))" }.joined(separator: "　")
            print("\(shown(context.plan.title))　截至 \(context.snapshot.asOf.chinese)　\(counts)")
            if rows.isEmpty { return }
            var lines = [["灯", "编号", "事项", "单位", "状态", "进度", "时限"]]
            let width = DisplayWidth()
            for (r, s) in zip(rows, standings) {
                lines.append([s.light.mark, r.node, width.truncated(shown(r.title), to: 24), shown(r.unit), r.verdict + (s.dueSoon ? "（临期）" : s.lagging ? "（滞后）" : ""),
                              "\(r.percent)%", r.deadline + (s.isExtended ? "（延期）" : "")])
            }
            print(table(lines))
        }
    }
}
