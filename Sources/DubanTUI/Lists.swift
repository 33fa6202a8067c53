import DubanCore

/// The rows each screen lists, derived from state: navigation and drawing use the same lists.
public enum Lists {
    public struct TaskRow: Sendable, Equatable {
        public let node: PlanNode
        public let depth: Int
        public let hasChildren: Bool
        public let isExpanded: Bool

        public static func == (a: TaskRow, b: TaskRow) -> Bool { a.node.id == b.node.id && a.isExpanded == b.isExpanded }
    }

    public static func overview(_ state: AppState) -> [RankedUnit] {
        state.data?.snapshot.districtRanking ?? []
    }

    /// Sections start open, items with sub-tasks closed; `expanded` holds what the clerk toggled.
    public static func tasks(_ state: AppState) -> [TaskRow] {
        guard let plan = state.data?.plan else { return [] }
        var rows: [TaskRow] = []
        func visit(_ node: PlanNode, depth: Int) {
            let open = isExpanded(node, state)
            rows.append(TaskRow(node: node, depth: depth, hasChildren: !node.isLeaf, isExpanded: open))
            if open { plan.children(of: node).forEach { visit($0, depth: depth + 1) } }
        }
        plan.sections.forEach { visit($0, depth: 0) }
        return rows
    }

    public static func isExpanded(_ node: PlanNode, _ state: AppState) -> Bool {
        let byDefault = node.kind == .section
        return state.expanded.contains(node.id) != byDefault
    }

    /// The 审核 screen's rows: claims awaiting sign-off, the longest waiting first; a liaison sees only their units'.
    public static func review(_ state: AppState) -> [AssignmentStanding] {
        guard let data = state.data else { return [] }
        return data.snapshot.reviewQueue.filter { state.editableUnits?.contains($0.assignment.unitID) ?? true }
    }

    /// The 逾期 screen's rows: overdue (earliest deadline first) or 久未更新 (longest silent first), as ordered by `s`.
    public static func overdue(_ state: AppState) -> [AssignmentStanding] {
        guard let data = state.data else { return [] }
        let rows = state.overdueList == .stale
            ? data.snapshot.standings.filter {
                StandingFilter.isStale($0, asOf: data.asOf) && (state.overdueFilter == nil || $0.assignment.unitID == state.overdueFilter)
            }
            : data.snapshot.overdue(unitID: state.overdueFilter)
        return state.overdueOrder.sorted(rows)
    }

    /// The orders `s` steps through on each list screen.
    public static let unitOrders: [StandingOrder] = [.number, .deadline, .percent, .lastUpdate]
    public static let overdueOrders: [StandingOrder] = [.deadline, .unit, .percent, .lastUpdate]

    /// Units that have something to do in this plan: districts in ranking order, then departments.
    public static func units(_ state: AppState) -> [Unit] {
        state.data?.units ?? []
    }

    /// The 动态 screen's rows: changes in the kinds' order (done first), then by plan order within a kind.
    public static func changes(_ state: AppState) -> [PlanChange] {
        guard let changes = state.changes?.changes else { return [] }
        let order = Dictionary(uniqueKeysWithValues: PlanChange.Kind.allCases.enumerated().map { ($1, $0) })
        return changes.enumerated().sorted { (order[$0.element.kind]!, $0.offset) < (order[$1.element.kind]!, $1.offset) }.map(\.element)
    }

    /// The 总表 board's rows: every leaf item (sub-tasks included), in document order.
    public static func boardNodes(_ state: AppState) -> [PlanNode] {
        state.data?.plan.nodes.filter { $0.isLeaf && $0.kind != .section } ?? []
    }

    /// The units the picker offers for what is typed: names and short names containing it (full-width and
    /// half-width punctuation alike), districts first.
    public static func pickableUnits(_ state: AppState) -> [Unit] {
        let query = TextMatching.foldedName(state.unitPicker?.query.text ?? "").lowercased()
        guard !query.isEmpty else { return units(state) }
        return units(state).filter { unit in
            ([unit.name, unit.id] + unit.aliases).contains { TextMatching.foldedName($0).lowercased().contains(query) }
        }
    }

    public static func currentUnit(_ state: AppState) -> Unit? {
        let all = units(state)
        return all.first { $0.id == state.unitID } ?? all.first
    }

    /// Every assignment of the unit on screen (its totals).
    public static func unitStandings(_ state: AppState) -> [AssignmentStanding] {
        guard let data = state.data, let unit = currentUnit(state) else { return [] }
        return data.snapshot.standings.filter { $0.assignment.unitID == unit.id }
    }

    /// The rows shown: narrowed by `v`, ordered by `s`.
    public static func unitAssignments(_ state: AppState) -> [AssignmentStanding] {
        guard let data = state.data else { return [] }
        return state.unitOrder.sorted(unitStandings(state).filter { state.unitFilter.matches($0, asOf: data.asOf) })
    }

    /// The cached search results as nodes.
    public static func search(_ state: AppState) -> [PlanNode] {
        guard let plan = state.data?.plan else { return [] }
        return state.search.results.compactMap { plan.node($0) }
    }

    /// Nodes whose title, text or units contain the query (case and width of punctuation ignored).
    public static func runSearch(_ state: AppState) -> [PlanNode] {
        guard let plan = state.data?.plan else { return [] }
        let query = TextMatching.foldedName(state.search.query.text).lowercased()
        guard !query.isEmpty else { return [] }
        return plan.nodes.filter { node in
            // The numbering as written too: 十五 finds （十五）.
            let haystack = ([node.id, node.number, node.title, node.text] + (node.lead + node.responsible).map(\.name)
                            + plan.assignees(of: node).map(\.name)).joined(separator: " ")
            return TextMatching.foldedName(haystack).lowercased().contains(query)
        }
    }

    /// The first row shown so that `selected` is visible in `visible` rows: the selection sits mid-list
    /// where it can, so a reload never makes the list jump.
    public static func firstVisible(selected: Int, count: Int, visible: Int) -> Int {
        guard count > visible else { return 0 }
        return max(0, min(selected - visible / 2, count - visible))
    }
}
