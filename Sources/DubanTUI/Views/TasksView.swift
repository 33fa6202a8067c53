import DubanCore

enum TasksView {
    /// `[7/10] 70%`; `[—]` for a node no concrete unit is assigned to.
    static func cookie(_ t: ProgressTotals) -> String {
        t.inScope == 0 ? "[—]" : "[\(t.done)/\(t.inScope)] \(Int((t.completionRate * 100).rounded()))%"
    }

    static func style(_ t: ProgressTotals, _ s: DisplaySettings) -> Style {
        if t.overdue > 0 { return s.bad }
        if t.inScope > 0 && t.done == t.inScope { return s.good }
        if t.lagging > 0 { return s.warn }
        return .plain
    }

    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) {
        let s = state.settings
        let snapshot = data.snapshot
        let treeWidth = Layout.treeWidth(state)
        let rows = Lists.tasks(state)
        let selectedID = state.taskSelection ?? rows.first?.node.id
        let selectedIndex = rows.firstIndex { $0.node.id == selectedID } ?? 0
        Dashboard.summaryLine(&grid, "\(data.plan.sections.count) 章 \(data.plan.items.count) 项 \(data.plan.subtasks.count) 个子任务，\(data.plan.assignments.count) 项责任分工")
        grid.put("任务树", x: 0, y: 3, style: s.heading, limit: treeWidth)
        for (index, y) in Layout.visibleRows(count: rows.count, selected: selectedIndex, state: state) {
            let row = rows[index]
            let totals = snapshot.totals(of: row.node)
            let c = cookie(totals)
            let marker = row.hasChildren ? (row.isExpanded ? s.expanded : s.collapsed) : " "
            let indent = String(repeating: " ", count: row.depth * 2)
            let label = "\(indent)\(marker) \(row.node.id) \(row.node.title)"
            let cookieWidth = s.measure.of(c)
            let labelWidth = max(4, treeWidth - cookieWidth - 2)
            grid.put(s.measure.truncated(label, to: labelWidth), x: 0, y: y,
                     style: row.node.kind == .section ? s.heading : .plain, limit: labelWidth)
            grid.put(c, x: treeWidth - cookieWidth - 1, y: y, style: style(totals, s))
            if index == selectedIndex { grid.restyle(x: 0, y: y, width: treeWidth - 1) { $0.reverse = true } }
        }
        guard treeWidth < grid.width - 10, let row = rows.dropFirst(selectedIndex).first else { return }
        for y in 3..<(grid.height - 1) { grid.put(String(s.vertical), x: treeWidth - 1, y: y, style: s.dim) }
        drawDetail(&grid, state, data, row.node, x: treeWidth + 1, width: grid.width - treeWidth - 1)
    }

    static func drawDetail(_ grid: inout Grid, _ state: AppState, _ data: DashboardData, _ node: PlanNode, x: Int, width: Int) {
        let s = state.settings
        let maxY = grid.height - 1
        var y = 3
        y = grid.paragraph("\(node.id) \(node.number)\(node.title)", x: x, y: y, width: width, maxY: maxY, style: s.heading)
        let deadline = node.deadline
        var source: String
        switch deadline.origin {
        case .text: source = "“\(deadline.phrase ?? "")”"
        case let .explicit(note): source = "“\(deadline.phrase ?? "")”" + (note.map { "，\($0)" } ?? "")
        case let .inherited(from): source = "同 \(from)" + (deadline.phrase.map { "“\($0)”" } ?? "")
        case .planYearEnd: source = "未写明，按年底"
        }
        if node.kind != .section || deadline.origin != .planYearEnd {
            y = grid.paragraph("时限：\(deadline.date)（\(source)）", x: x, y: y, width: width, maxY: maxY)
        }
        if !node.lead.isEmpty {
            y = grid.paragraph("牵头：" + node.lead.map(\.name).joined(separator: "、"), x: x, y: y, width: width, maxY: maxY)
        }
        if !node.responsible.isEmpty {
            y = grid.paragraph("责任：" + node.responsible.map(\.name).joined(separator: "、"), x: x, y: y, width: width, maxY: maxY)
        }
        if !node.standingRules.isEmpty {
            y = grid.paragraph("时效：" + node.standingRules.map(\.phrase).joined(separator: "、"), x: x, y: y, width: width, maxY: maxY)
        }
        // Every assigned unit's status on this node (leaves) — or the node's totals for a parent.
        if node.isLeaf && node.kind != .section {
            let standings = data.snapshot.standings(of: node.id)
            if !standings.isEmpty && y < maxY {
                grid.put("各单位进展：", x: x, y: y, style: s.heading)
                y += 1
                var column = 0
                let cellWidth = 20
                let perLine = max(1, width / cellWidth)
                for standing in standings {
                    guard y < maxY else { break }
                    let name = data.plan.registry.unit(id: standing.assignment.unitID)?.name ?? standing.assignment.unitID
                    let text = standing.light.mark + " " + s.measure.truncated(name, to: 8) + " " + short(standing)
                    grid.put(text, x: x + column * cellWidth, y: y, style: s.style(for: standing.verdict), limit: cellWidth - 1)
                    column += 1
                    if column == perLine { column = 0; y += 1 }
                }
                if column != 0 { y += 1 }
            }
        } else {
            let t = data.snapshot.totals(of: node)
            y = grid.paragraph("进展：\(cookie(t))，逾期 \(t.overdue)，滞后 \(t.lagging)", x: x, y: y, width: width, maxY: maxY)
        }
        if y < maxY && !node.text.isEmpty {
            y += 1
            grid.paragraph(node.text, x: x, y: y, width: width, maxY: maxY, style: s.dim)
        }
    }

    static func short(_ s: AssignmentStanding) -> String {
        switch s.verdict {
        case .done: return "完成"
        case .doneLate: return "逾期完成"
        case .overdue: return "逾期\(s.daysOverdue ?? 0)天"
        case .inProgress: return "\(s.percent)%"
        case .notStarted: return "未启动"
        case .suspended: return "暂缓"
        case .pendingReview: return "待审核"
        }
    }
}
