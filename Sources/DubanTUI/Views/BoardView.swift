import DubanCore

/// 总表: the whole plan as a grid — items down, units across, one light per cell — scrolling both ways; the cell under
/// the cursor is explained on the line above the footer. Only the cells on screen are looked at, so a plan of
/// thousands of assignments draws as fast as a small one.
enum BoardView {
    /// Each unit's column: its light (two columns) and a gap.
    static let cellWidth = 4

    static func labelWidth(_ width: Int) -> Int { max(12, min(26, width / 3)) }

    /// Two characters that name a unit in a column heading: its shortest name without the city's 市, among the names
    /// that shorten its own (their characters in its name, in order: 发改委 of 市发展改革委). An alias can be a former
    /// agency's name (市市场监管局 is also 市质监局, abolished in 2018), which would head its column as another agency.
    static func heading(_ unit: Unit, measure: DisplayWidth) -> String {
        func plain(_ name: String) -> String { name.hasPrefix("市") && name.count > 2 ? String(name.dropFirst()) : name }
        func shortens(_ alias: String) -> Bool {
            var rest = Substring(unit.name)
            for ch in alias {
                guard let at = rest.firstIndex(of: ch) else { return false }
                rest = rest[rest.index(after: at)...]
            }
            return true
        }
        let names = unit.allNames.filter(shortens).map(plain)
        let shortest = names.min { $0.count < $1.count } ?? plain(unit.name)
        return measure.truncated(shortest, to: 4, ellipsis: false)
    }

    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) {
        let s = state.settings
        let nodes = Lists.boardNodes(state)
        let units = Lists.units(state)
        guard !nodes.isEmpty, !units.isEmpty else {
            Dashboard.summaryLine(&grid, "本计划没有分解到具体单位的任务")
            return
        }
        let snapshot = data.snapshot
        let tally = WarningLight.allCases.map { "\($0.mark) \(snapshot.totals.count(of: $0))" }.joined(separator: "  ")
        Dashboard.summaryLine(&grid, "\(nodes.count) 项 × \(units.count) 个单位  \(tally)  （· 不承担）")

        let label = labelWidth(grid.width)
        let columns = max(1, (grid.width - label - 1) / cellWidth)
        let nodeIndex = nodes.firstIndex { $0.id == state.boardNode } ?? 0
        let unitIndex = units.firstIndex { $0.id == state.boardUnit } ?? 0
        let firstUnit = Lists.firstVisible(selected: unitIndex, count: units.count, visible: columns)
        let shownUnits = Array(units[firstUnit..<min(units.count, firstUnit + columns)])
        // Headings: the selected unit's stands out; arrows say more lies to either side.
        grid.put(firstUnit > 0 ? "◀" : " ", x: label - 1, y: 3, style: s.dim)
        for (offset, unit) in shownUnits.enumerated() {
            let x = label + offset * cellWidth
            grid.put(heading(unit, measure: grid.measure), x: x, y: 3, style: unit.id == units[unitIndex].id ? s.tabActive : s.heading)
        }
        if firstUnit + columns < units.count { grid.put("▶", x: min(grid.width - 1, label + columns * cellWidth), y: 3, style: s.dim) }

        for (index, y) in Layout.visibleRows(count: nodes.count, selected: nodeIndex, state: state) {
            let node = nodes[index]
            let isRow = index == nodeIndex
            grid.put(grid.measure.truncated("\(node.id) \(node.title)", to: label - 2), x: 0, y: y, style: isRow ? s.heading : .plain)
            let standings = snapshot.standings(of: node.id)
            for (offset, unit) in shownUnits.enumerated() {
                let x = label + offset * cellWidth
                let isCursor = isRow && unit.id == units[unitIndex].id
                if let standing = standings.first(where: { $0.assignment.unitID == unit.id }) {
                    var style = s.style(for: standing.light)
                    if isCursor { style.reverse = true }
                    grid.put(standing.light.mark, x: x, y: y, style: style)
                } else {
                    grid.put(isCursor ? "[]" : "·", x: x, y: y, style: isCursor ? s.selected : s.dim)
                }
            }
        }
        Dashboard.infoLine(&grid, explanation(nodes[nodeIndex], units[unitIndex], snapshot), style: s.dim)
    }

    static func explanation(_ node: PlanNode, _ unit: Unit, _ snapshot: PlanSnapshot) -> String {
        guard let s = snapshot.standings(of: node.id).first(where: { $0.assignment.unitID == unit.id }) else {
            return "\(node.id) \(node.title) × \(unit.name)：不承担此项"
        }
        var why: String
        switch s.light {
        case .red: why = "逾期\(s.daysOverdue ?? 0)天"
        case .yellow: why = s.dueSoon ? "临近时限" : "进度滞后"
        case .green: why = s.verdict.rawValue
        case .grey: why = "暂缓"
        }
        if s.isExtended { why += "，经批准延期" }
        return "\(unit.name) × \(node.id) \(node.title)：\(s.light.label)，\(why)，进度 \(s.isDone ? 100 : s.percent)%，时限 \(s.deadline)"
    }
}
