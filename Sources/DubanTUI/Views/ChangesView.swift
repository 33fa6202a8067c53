import DubanCore

/// 动态: what changed over the last 7 (or 30) days — the office's Monday view — and which units have reports missing.
enum ChangesView {
    static func columns(_ width: Int) -> Columns {
        Columns([
            .init(title: "变化", width: 10, priority: 0, right: false),
            .init(title: "单位", width: 12, priority: 0, right: false),
            .init(title: "编号", width: 6, priority: 2, right: false),
            .init(title: "事项", width: 0, priority: 0, right: false),
            .init(title: "说明", width: 14, priority: 1, right: false),
        ], width: width)
    }

    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) {
        let s = state.settings
        let missing = Set(data.reports.filter { $0.state == .missing }.map(\.unitID)).count
        let missingText = data.cycle == .none ? "" : "；未报 \(missing) 个单位"
        guard let changes = state.changes, changes.asOf == data.asOf else {
            Dashboard.summaryLine(&grid, "正在计算近 \(state.changesDays) 天的变化……" + missingText, style: s.dim)
            return
        }
        let rows = Lists.changes(state)
        Dashboard.summaryLine(&grid, "近 \(state.changesDays) 天（\(Dashboard.short(changes.since.adding(days: 1)))至\(Dashboard.short(changes.asOf))）变化 \(rows.count) 项" + missingText,
                              style: missing > 0 ? s.warn : .plain)
        let cols = columns(grid.width)
        cols.drawHeadings(&grid, y: 3, style: s.heading)
        let selected = min(state.changesSelection, max(0, rows.count - 1))
        for (index, y) in Layout.visibleRows(count: rows.count, selected: selected, state: state) {
            let change = rows[index]
            let bad = [.overdue, .lagging, .returned, .reportMissed].contains(change.kind)
                || (change.kind == .light && (change.after == WarningLight.red.rawValue || change.after == WarningLight.yellow.rawValue))
            cols.put(&grid, "变化", change.kind.label, y: y, style: bad ? s.warn : s.good)
            cols.put(&grid, "单位", data.plan.registry.unit(id: change.unitID)?.name ?? change.unitID, y: y, style: .plain)
            cols.put(&grid, "编号", change.assignment?.nodeID ?? "", y: y, style: .plain)
            cols.put(&grid, "事项", change.assignment.flatMap { data.plan.node($0.nodeID)?.title } ?? "\(change.before ?? "")进展", y: y, style: .plain)
            cols.put(&grid, "说明", detail(change), y: y, style: s.dim)
            if index == selected { cols.highlight(&grid, y: y, marker: s.marker) }
        }
        if rows.isEmpty { grid.put("这段时间没有变化", x: 0, y: Layout.listTop(.changes), style: s.dim) }
        if rows.indices.contains(selected) {
            let change = rows[selected]
            let title = change.assignment.flatMap { data.plan.node($0.nodeID)?.title } ?? ""
            let unit = data.plan.registry.unit(id: change.unitID)?.name ?? change.unitID
            let cycle = change.kind == .reportMissed ? "（\(data.cycle.chinese)）" : ""
            Dashboard.infoLine(&grid, "\(unit) \(change.kind.label)：\(title)\(change.before.map { change.kind == .reportMissed ? $0 : "" } ?? "") \(detail(change))\(cycle)", style: s.dim)
        }
    }

    static func detail(_ change: PlanChange) -> String {
        switch change.kind {
        case .light:
            let name = { (raw: String?) in raw.flatMap(WarningLight.init(rawValue:))?.label ?? "" }
            return "\(name(change.before))→\(name(change.after))"
        case .extended: return "延至 \(change.after ?? "")"
        case .reportMissed: return change.after.map { "\($0) 补报" } ?? "未报"
        default: return ""
        }
    }
}
