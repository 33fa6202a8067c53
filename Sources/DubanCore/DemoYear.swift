/// A realistic, deterministic simulated year of updates for a plan: stronger and weaker units,
/// about one assignment in ten overdue, a few done late, a few suspended, Chinese notes and evidence links; under review,
/// the office signs claims off days later, returns about one in eight and has not yet reached one in twenty; a few units ask for more time, most granted.
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
        // About one assignment in twenty-five that runs late asks for more time a week or two before its deadline.
        var timeAsked: (asked: CivilDate, to: CivilDate, granted: Bool, decided: CivilDate)?
        if outcome == .late || outcome == .overdue, rng.nextDouble() < 0.3 {
            let asked = deadline.adding(days: -7 - Int(rng.nextDouble() * 10))
            let to = deadline.adding(days: 30 + Int(rng.nextDouble() * 30))
            let granted = rng.nextDouble() < 0.7
            timeAsked = (asked, to, granted, asked.adding(days: 2 + Int(rng.nextDouble() * 5)))
        }
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
        var result = updates.map { day, status, percent, note, evidence in
            NewUpdate(planID: plan.id, nodeID: assignment.nodeID, unitID: assignment.unitID, status: status,
                      percent: percent, note: note, evidence: evidence, date: day, author: author, uid: 0)
        }
        func step(_ kind: EventKind, _ day: CivilDate, _ note: String, to: CivilDate? = nil) -> NewUpdate {
            .step(kind, planID: plan.id, nodeID: assignment.nodeID, unitID: assignment.unitID, note: note, date: day,
                  extendTo: to, author: kind.isOfficeDecision ? "demo-office" : author, uid: 0)
        }
        if let e = timeAsked, let first = result.first, e.asked > first.date {
            // Inserted among the progress reports by date; each step strictly after the one before it.
            let request = step(.extensionRequest, e.asked, "因需等待上级平台改造完成，申请延期至\(e.to.chinese)", to: e.to)
            let decision = e.granted ? step(.extensionApproved, e.decided, "同意延期，请按新时限完成")
                : step(.extensionRefused, e.decided, "理由不充分，请按原时限完成")
            result = (result + [request, decision]).enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        }
        if plan.review, let claim = result.last(where: { $0.kind == .update }), claim.status == .done, let last = result.last {
            // The office reviews a claim within about two weeks; about one in eight goes back with a reason and returns.
            let reviewed = last.date.adding(days: 2 + Int(rng.nextDouble() * 12))
            let roll = rng.nextDouble()
            // About one claim in twenty is still waiting when the records stop: a finished year opens with a queue.
            if roll < 0.05 {
                return result.filter { $0.date <= today }
            }
            if roll < 0.17 {
                result.append(step(.returnClaim, reviewed, Self.returnReason(&rng)))
                let again = reviewed.adding(days: 3 + Int(rng.nextDouble() * 10))
                var resubmitted = claim
                resubmitted.date = again
                resubmitted.note = "已按退回意见补充佐证材料：" + claim.note
                result.append(resubmitted)
                result.append(step(.approve, again.adding(days: 2 + Int(rng.nextDouble() * 6)), "经审核，同意销号"))
            } else {
                result.append(step(.approve, reviewed, "经审核，同意销号"))
            }
        }
        return result.filter { $0.date <= today }
    }

    private static func returnReason(_ rng: inout SplitMix64) -> String {
        let forms = ["佐证材料未体现公开内容，请补充网页截图", "佐证链接无法打开，请核实后重新报送", "完成情况与任务要求不一致，请补充说明"]
        return forms[Int(rng.nextDouble() * Double(forms.count))]
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
        let forms = ["“\(t)”已全部完成，相关信息已公开", "已按要求完成，佐证材料已归档", "已完成，佐证材料已上传，请审核销号"]
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
