/// A realistic, deterministic simulated year of updates for a plan: stronger and weaker units,
/// about one assignment in ten overdue, a few done late, a few suspended, Chinese notes and evidence links.
/// The same seed always gives the same updates.
public struct DemoYear: Sendable {
    public let seed: UInt64
    public let author: String

    public init(seed: UInt64 = 2024, author: String = "demo") {
        self.seed = seed
        self.author = author
    }

    /// Updates for every assignment of the plan, none dated after `today`.
    public func updates(for plan: Plan, today: CivilDate) -> [NewUpdate] {
        var rng = SplitMix64(seed: seed ^ Self.fnv1a(plan.id))
        let strengths = Dictionary(uniqueKeysWithValues: plan.registry.units.map { unit -> (String, Double) in
            var unitRNG = SplitMix64(seed: seed ^ Self.fnv1a(plan.city + unit.id))
            return (unit.id, 0.55 + 0.45 * unitRNG.nextDouble())
        })
        let start = plan.issued ?? CivilDate(year: plan.year, month: 1, day: 1)!
        var result: [NewUpdate] = []
        for assignment in plan.assignments {
            guard let node = plan.node(assignment.nodeID) else { continue }
            let strength = strengths[assignment.unitID] ?? 0.8
            result += simulate(assignment, node: node, plan: plan, start: start, strength: strength, today: today, rng: &rng)
        }
        return result
    }

    private enum Outcome { case onTime, late, overdue, suspended }

    private func simulate(_ assignment: Assignment, node: PlanNode, plan: Plan, start: CivilDate, strength: Double,
                          today: CivilDate, rng: inout SplitMix64) -> [NewUpdate] {
        let deadline = max(node.deadline.date, start.adding(days: 20))
        let roll = rng.nextDouble()
        let weakness = 1.6 - strength  // 0.6 (strong) … 1.05 (weak)
        let outcome: Outcome = roll < 0.02 ? .suspended
            : roll < 0.02 + 0.095 * weakness * 1.1 ? .overdue
            : roll < 0.02 + 0.095 * weakness * 1.1 + 0.06 * weakness ? .late
            : .onTime
        let span = max(10, start.days(until: deadline))
        let begin = start.adding(days: Int(rng.nextDouble() * Double(min(30, span / 4))) + 3)
        let finish: CivilDate
        switch outcome {
        case .onTime: finish = deadline.adding(days: -Int(rng.nextDouble() * Double(min(60, span / 3))))
        case .late: finish = deadline.adding(days: 4 + Int(rng.nextDouble() * 45))
        case .overdue, .suspended: finish = deadline.adding(days: -Int(rng.nextDouble() * Double(min(40, span / 3))) - 1)
        }
        let title = node.title
        var updates: [(CivilDate, Status, Int, String, String?)] = [(begin, .inProgress, 10 + Int(rng.nextDouble() * 15), Self.opening(title, &rng), nil)]
        let steps = 1 + Int(rng.nextDouble() * 3)
        let finalPercent = outcome == .overdue ? 30 + Int(rng.nextDouble() * 55) : 95
        for step in 1...steps {
            let fraction = Double(step) / Double(steps + 1)
            let day = begin.adding(days: Int(Double(max(1, begin.days(until: finish))) * fraction))
            let percent = min(finalPercent, updates.last!.2 + max(5, Int(Double(finalPercent - updates.last!.2) * fraction)))
            updates.append((day, .inProgress, percent, Self.middle(percent, &rng), nil))
        }
        switch outcome {
        case .onTime, .late:
            updates.append((max(finish, updates.last!.0), .done, 100, Self.closing(title, &rng), Self.evidence(plan, &rng)))
        case .suspended:
            updates.append((max(finish, updates.last!.0), .suspended, updates.last!.2, "因上级政策调整，经领导小组同意暂缓实施", nil))
        case .overdue:
            break
        }
        return updates.filter { $0.0 <= today }.map { day, status, percent, note, evidence in
            NewUpdate(planID: plan.id, nodeID: assignment.nodeID, unitID: assignment.unitID, status: status,
                      percent: percent, note: note, evidence: evidence, date: day, author: author, uid: 0)
        }
    }

    private static func opening(_ title: String, _ rng: inout SplitMix64) -> String {
        let t = String(title.prefix(24))
        let forms = ["已召开专题会议部署“\(t)”工作，明确责任科室和联络员", "已制定“\(t)”工作方案，细化任务分工和时间节点",
                     "已启动“\(t)”相关工作，正在梳理底数"]
        return forms[Int(rng.nextDouble() * Double(forms.count))]
    }

    private static func middle(_ percent: Int, _ rng: inout SplitMix64) -> String {
        let forms = ["已完成约\(percent)%，相关信息已在政府门户网站专栏发布", "按计划推进，完成约\(percent)%，正在组织自查",
                     "完成约\(percent)%，已对照标准目录逐项核对", "完成约\(percent)%，部分内容待相关科室提供材料"]
        return forms[Int(rng.nextDouble() * Double(forms.count))]
    }

    private static func closing(_ title: String, _ rng: inout SplitMix64) -> String {
        let t = String(title.prefix(24))
        let forms = ["“\(t)”已全部完成，相关信息已公开", "已按要求完成，佐证材料已归档", "已完成并通过市政务公开办审核"]
        return forms[Int(rng.nextDouble() * Double(forms.count))]
    }

    private static func evidence(_ plan: Plan, _ rng: inout SplitMix64) -> String {
        let host = plan.city == "株洲市" ? "www.zhuzhou.gov.cn" : "www.changsha.gov.cn"
        return "https://\(host)/zfxxgk/gzdt/\(plan.year)/t\(plan.year)\(100000 + Int(rng.nextDouble() * 899_999)).html"
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same sequence on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
