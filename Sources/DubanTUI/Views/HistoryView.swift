import DubanCore

enum HistoryView {
    static func columns(_ width: Int) -> Columns {
        Columns([
            .init(title: "#", width: 6, priority: 3, right: true),
            .init(title: "日期", width: 10, priority: 0, right: false),
            .init(title: "状态", width: 8, priority: 0, right: false),
            .init(title: "进度", width: 4, priority: 1, right: true),
            .init(title: "记录人", width: 8, priority: 2, right: false),
            .init(title: "说明", width: 0, priority: 0, right: false),
        ], width: width)
    }

    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) {
        let s = state.settings
        guard let history = state.history else {
            Dashboard.summaryLine(&grid, "在“单位”或“逾期”页选择一项任务后按 Enter 查看历史")
            return
        }
        let node = data.plan.node(history.assignment.nodeID)
        let unit = data.plan.registry.unit(id: history.assignment.unitID)?.name ?? history.assignment.unitID
        Dashboard.summaryLine(&grid, "\(history.assignment.nodeID) \(node?.title ?? "") — \(unit)：\(history.events.count) 条记录")
        let cols = columns(grid.width)
        cols.drawHeadings(&grid, y: 3, style: s.heading)
        let rows = history.events
        let selected = min(state.historySelection, max(0, rows.count - 1))
        for (index, y) in Layout.visibleRows(count: rows.count, selected: selected, state: state) {
            let event = rows[index]
            cols.put(&grid, "#", "#\(event.id)", y: y, style: s.dim)
            cols.put(&grid, "日期", event.date.description, y: y, style: .plain)
            cols.put(&grid, "状态", event.kind == .update ? event.status.rawValue : event.kind.shortLabel, y: y,
                     style: event.kind == .returnClaim || event.kind == .extensionRefused ? s.warn : .plain)
            cols.put(&grid, "进度", "\(event.percent)%", y: y, style: .plain)
            cols.put(&grid, "记录人", event.demo ? "（演示）" : event.author, y: y, style: event.demo ? s.dim : .plain)
            let asked = event.extendTo.map { "［至 \($0)］" } ?? ""
            cols.put(&grid, "说明", asked + (event.corrects.map { "［更正 #\($0)］" } ?? "") + event.note, y: y, style: .plain)
            if index == selected { cols.highlight(&grid, y: y, marker: s.marker) }
        }
        if rows.isEmpty { grid.put("尚无进展记录", x: 0, y: Layout.listTop(.history), style: s.dim) }
        if let event = rows.dropFirst(selected).first {
            let evidence = event.evidence.map { "  佐证：\($0)" } ?? ""
            let who = event.demo ? "演示数据，非真实登记" : "\(event.author) 记录于 \(event.recordedAt.prefix(16).replacingT)"
            Dashboard.infoLine(&grid, "\(event.note)\(evidence)（\(who)）", style: s.dim)
        }
    }
}
