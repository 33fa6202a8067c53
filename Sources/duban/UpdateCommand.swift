import ArgumentParser
import DubanCore
import DubanPlans
import DubanStore

struct UpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "登记一个单位在一项任务上的进展（追加一条记录，不覆盖历史）。",
        discussion: """
        例：duban update changsha-2021 1.2 --unit 芙蓉区 --status 推进中 --percent 60 --note "已开设专栏"
        状态：未启动、推进中、已完成、暂缓（或 todo、doing、done、suspended）。
        --expect 事件编号：仅当该任务的最新记录仍是这一条时才保存（无记录时写 0），否则报告是谁在何时改过。
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号。", valueName: "plan")) var planID: String
    @Argument(help: ArgumentHelp("事项或子任务编号，如 2.7、1.2.3。", valueName: "node")) var nodeID: String
    @Option(help: ArgumentHelp("责任单位：名称、简称或编号。", valueName: "unit")) var unit: String
    @Option(help: ArgumentHelp("状态：未启动/推进中/已完成/暂缓。", valueName: "status")) var status: String
    @Option(help: ArgumentHelp("完成进度 0–100（已完成默认 100）。", valueName: "N")) var percent: Int?
    @Option(help: ArgumentHelp("进展说明。", valueName: "text")) var note: String = ""
    @Option(help: ArgumentHelp("佐证材料链接（http/https）。", valueName: "url")) var evidence: String?
    @Option(help: ArgumentHelp("进展发生的日期（默认今天）。", valueName: "YYYY-MM-DD")) var at: DateArgument?
    @Option(help: ArgumentHelp("期望的最新事件编号（0 表示尚无记录）；不符则拒绝。", valueName: "event")) var expect: Int64?
    @Flag(help: "以 JSON 输出。") var json = false

    struct Output: ExplicitNullEncodable {
        let id: Int64
        let plan: String
        let node: String
        let unit: String
        let unit_id: String
        let status: String
        let percent: Int
        let note: String
        let evidence: String?
        let date: String
        let author: String
        let recorded_at: String
    }

    mutating func run() throws {
        try reporting {
            let library = try global.loadLibrary()
            let plan = try global.plan(planID, in: library)
            let store = try global.openStore()
            let request = UpdateRequest(nodeID: nodeID, unit: unit, status: status, percent: percent, note: note,
                                        evidence: evidence, date: at?.date ?? today())
            // The previous percent carries forward when none is given; read it before validating.
            let previous = plan.registry.resolve(unit).flatMap { try? store.latest(planID: plan.id, nodeID: nodeID, unitID: $0.id) }
            let resolved: UpdateRequest.Resolved
            switch request.resolve(in: plan, today: today(), previousPercent: previous?.percent) {
            case let .success(value): resolved = value
            case let .failure(rejection): throw CLIError(rejection.message, exitCode: 2)
            }
            let me = Identity.current
            let event: ProgressEvent
            do {
                event = try store.record(
                    NewUpdate(planID: plan.id, nodeID: resolved.node, unitID: resolved.unitID, status: resolved.status,
                              percent: resolved.percent, note: resolved.note, evidence: resolved.evidence,
                              date: resolved.date, author: me.name, uid: me.uid),
                    expecting: expect)
            } catch let error as StoreError {
                if case .conflict = error { throw CLIError(error.description, exitCode: 3) }
                throw CLIError(error.description)
            }
            let unitName = plan.registry.unit(id: event.unitID)?.name ?? event.unitID
            if json {
                return try printJSON(Output(id: event.id, plan: plan.id, node: event.nodeID, unit: unitName, unit_id: event.unitID,
                                            status: event.status.rawValue, percent: event.percent, note: event.note,
                                            evidence: event.evidence, date: event.date.description, author: event.author,
                                            recorded_at: event.recordedAt))
            }
            print("已记录 #\(event.id)：\(plan.id) \(event.nodeID) \(unitName) \(event.status.rawValue) \(event.percent)%（\(event.date)，\(shown(event.author))）")
        }
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "用模拟的一年进展填充数据库（每个内置计划；可重复运行，结果相同；不影响真实记录）。")

    @OptionGroup var global: GlobalOptions
    @Option(help: "随机种子：相同种子得到相同的模拟数据。") var seed: UInt64 = 2024
    @Flag(help: "以 JSON 输出。") var json = false

    struct Output: Encodable {
        let plans: [String: Int]
        let events: Int
        let seed: UInt64
    }

    mutating func run() throws {
        try reporting {
            let counts = try Self.fill(global: global, seed: seed)
            if json { return try printJSON(Output(plans: counts, events: counts.values.reduce(0, +), seed: seed)) }
            for (plan, count) in counts.sorted(by: { $0.key < $1.key }) { print("\(plan)：\(count) 条模拟进展") }
            print("已写入演示数据（种子 \(seed)）。试试：duban progress changsha-2021")
        }
    }

    static func fill(global: GlobalOptions, seed: UInt64) throws -> [String: Int] {
        let library = try global.loadLibrary()
        let store = try global.openStore()
        let demo = DemoYear(seed: seed)
        var all: [NewUpdate] = []
        var counts: [String: Int] = [:]
        for plan in library.plans {
            let updates = demo.updates(for: plan, today: today())
            counts[plan.id] = updates.count
            all += updates
        }
        do {
            try store.replaceDemoEvents(all)
        } catch let error as StoreError {
            throw CLIError(error.description)
        }
        return counts
    }
}
