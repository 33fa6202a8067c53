import DubanCore

enum OverdueView {
    static func columns(_ width: Int) -> Columns {
        Columns([
            .init(title: "编号", width: 6, priority: 0, right: false),
            .init(title: "事项", width: 0, priority: 0, right: false),
            .init(title: "责任单位", width: 12, priority: 0, right: false),
            .init(title: "时限", width: 10, priority: 2, right: false),
            .init(title: "逾期天", width: 6, priority: 0, right: true),
            .init(title: "工作日", width: 6, priority: 3, right: true),
            .init(title: "进度", width: 4, priority: 4, right: true),
            .init(title: "最近", width: 8, priority: 5, right: false),
        ], width: width)
    }

    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) {
        let s = state.settings
        let rows = Lists.overdue(state)
        let filter = state.overdueFilter.flatMap { data.plan.registry.unit(id: $0)?.name }
        let what = state.overdueList == .stale
            ? "未完成且 \(StandingFilter.staleDays) 天以上没有进展记录 \(rows.count) 项"
            : "逾期未完成 \(rows.count) 项"
        Dashboard.summaryLine(&grid, what + "，按\(state.overdueOrder.rawValue)排列" + (filter.map { "（只看 \($0)，f 取消）" } ?? "（f 按所选单位筛选）"),
                              style: rows.isEmpty ? s.good : s.bad)
        let cols = columns(grid.width)
        cols.drawHeadings(&grid, y: 3, style: s.heading)
        let selectedIndex = rows.firstIndex { $0.assignment == state.overdueSelection } ?? 0
        for (index, y) in Layout.visibleRows(count: rows.count, selected: selectedIndex, state: state) {
            let row = rows[index]
            let node = data.plan.node(row.assignment.nodeID)
            cols.put(&grid, "编号", row.assignment.nodeID, y: y, style: .plain)
            cols.put(&grid, "事项", node?.title ?? "", y: y, style: .plain)
            cols.put(&grid, "责任单位", data.plan.registry.unit(id: row.assignment.unitID)?.name ?? row.assignment.unitID, y: y, style: .plain)
            cols.put(&grid, "时限", row.deadline.description, y: y, style: .plain)
            cols.put(&grid, "逾期天", String(row.daysOverdue ?? 0), y: y, style: s.bad)
            cols.put(&grid, "工作日", row.workingDaysOverdue.map(String.init) ?? "?", y: y, style: s.bad)
            cols.put(&grid, "进度", "\(row.percent)%", y: y, style: .plain)
            cols.put(&grid, "最近", row.lastUpdate.map(Dashboard.short) ?? "无", y: y, style: s.dim)
            if index == selectedIndex { cols.highlight(&grid, y: y, marker: s.marker) }
        }
        if rows.isEmpty {
            grid.put(state.overdueList == .stale ? "没有久未更新的任务" : "没有逾期任务", x: 0, y: Layout.listTop(.overdue), style: s.good)
        }
        if let row = rows.dropFirst(selectedIndex).first {
            let note = row.lastReportID.flatMap { data.notes[$0] }
            let line = "最近进展：" + (note.map { $0.isEmpty ? "（无说明）" : $0 } ?? "尚无记录") + (row.lastUpdate.map { "（\($0)）" } ?? "")
            Dashboard.infoLine(&grid, line, style: s.dim)
        }
    }
}
