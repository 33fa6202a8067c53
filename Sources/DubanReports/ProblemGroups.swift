import DubanCore

/// 三、存在问题 as real 通报 write it: for each kind of problem (overdue, lagging, done late, returned by the office,
/// never reported), the units that have it, worst first, each with its count and its items by name — districts and city
/// departments alike. Extended work is listed last, apart: it is measured against its new deadline, and says so.
struct ProblemGroups {
    struct UnitLine {
        let unit: String
        let count: Int
        let items: String
    }

    struct Group {
        let heading: String
        let lead: String
        let units: [UnitLine]
        /// What the counts count: 项 (tasks) or 期 (reports).
        var countWord = "项"
    }

    /// Items named per unit; the rest are counted ("等5项") and left to the ledger.
    static let itemsPerUnit = 3

    static func groups(_ snapshot: PlanSnapshot, reports: [UnitReport] = [], cycle: ReportingCycle = .none) -> [Group] {
        let plan = snapshot.plan
        func title(_ s: AssignmentStanding) -> String { OfficeText.quoted(plan.node(s.assignment.nodeID)?.title ?? s.assignment.nodeID) }
        // Lagging work is common mid-year: its units are named with their counts, the items left to the ledger.
        let kinds: [(String, String, (AssignmentStanding) -> Bool, ((AssignmentStanding) -> String)?)] = [
            ("逾期未完成", "已过完成时限仍未完成的任务", { $0.isOverdue },
             { s in "\(title(s))逾期\(s.daysOverdue ?? 0)天、进度\(s.percent)%" }),
            ("进度滞后", "完成进度低于时间进度的任务", { $0.lagging }, nil),
            ("逾期完成", "超过完成时限才完成的任务", { $0.verdict == .doneLate },
             { s in "\(title(s))逾期\(s.daysOverdue ?? 0)天完成" }),
            ("退回整改", "报送完成后经审核未通过、退回整改的任务", { $0.isReturned }, { s in title(s) }),
            ("未报送进展", "印发\(StandingFilter.staleDays)天以上仍未报送任何进展的任务", { snapshot.isUnreported($0) }, nil),
            ("经批准延期", "经申请批准延期的任务（按延期后的时限考核）", { $0.isExtended },
             { s in "\(title(s))由\(OfficeText.date(s.originalDeadline))延至\(OfficeText.date(s.deadline))" }),
        ]
        // Ties by registry order, looked up once rather than searched in every comparison.
        let position = Dictionary(plan.registry.units.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var groups: [Group] = []
        for (name, meaning, matches, describe) in kinds {
            let rows = snapshot.standings.filter(matches)
            guard !rows.isEmpty else { continue }
            let byUnit = Dictionary(grouping: rows, by: \.assignment.unitID)
            let units = byUnit.keys.sorted { a, b in
                let (ca, cb) = (byUnit[a]!.count, byUnit[b]!.count)
                return ca != cb ? ca > cb : (position[a] ?? .max, a) < (position[b] ?? .max, b)
            }
            let lines = units.map { id -> UnitLine in
                let items = byUnit[id]!
                guard let describe else { return UnitLine(unit: plan.registry.unit(id: id)?.name ?? id, count: items.count, items: "") }
                let named = items.prefix(itemsPerUnit).map(describe).joined(separator: "，")
                let more = items.count > itemsPerUnit ? "等" : ""
                return UnitLine(unit: plan.registry.unit(id: id)?.name ?? id, count: items.count, items: named + more)
            }
            let heading = "（\(NumberText.chinese(groups.count + 1))）\(name)任务\(rows.count)项。"
            groups.append(Group(heading: heading, lead: "\(meaning)涉及\(units.count)个单位：", units: lines))
        }
        // 未报 is about reporting, not the work: units that let a report day pass without reporting, most periods first.
        let missed = Dictionary(grouping: reports.filter { $0.state == .missing }, by: \.unitID)
        if !missed.isEmpty {
            let units = missed.keys.sorted { a, b in
                let (ca, cb) = (missed[a]!.count, missed[b]!.count)
                return ca != cb ? ca > cb : (position[a] ?? .max, a) < (position[b] ?? .max, b)
            }
            let lines = units.map { id in
                UnitLine(unit: plan.registry.unit(id: id)?.name ?? id, count: missed[id]!.count,
                         items: OfficeText.list(missed[id]!.map(\.period.label)))
            }
            let heading = "（\(NumberText.chinese(groups.count + 1))）未按时报送进展\(units.count)个单位。"
            groups.append(Group(heading: heading, lead: "按照“\(cycle.chinese)”的要求，至今仍未报送的期次涉及\(units.count)个单位：",
                                units: lines, countWord: "期"))
        }
        return groups
    }

    /// For the template: one dictionary per group, its units marked so the last one ends the sentence.
    static func context(_ groups: [Group]) -> [[String: Any]] {
        groups.map { group in
            [
                "heading": group.heading,
                "lead": group.lead,
                "units": group.units.enumerated().map { index, line -> [String: Any] in
                    // An empty string is not a false section in every Mustache: absent items are `false`.
                    ["unit": line.unit, "count": line.count, "countWord": group.countWord, "items": line.items.isEmpty ? false : line.items,
                     "last": index == group.units.count - 1]
                },
            ]
        }
    }
}
