import DubanCore

enum UnitView {
    static func columns(_ width: Int) -> Columns {
        Columns([
            .init(title: "灯", width: 2, priority: 0, right: false),
            .init(title: "编号", width: 6, priority: 0, right: false),
            .init(title: "事项", width: 0, priority: 0, right: false),
            .init(title: "状态", width: 10, priority: 0, right: false),
            .init(title: "进度", width: 4, priority: 2, right: true),
            .init(title: "时限", width: 10, priority: 3, right: false),
            .init(title: "更新", width: 8, priority: 4, right: false),
        ], width: width)
    }

    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) {
        let s = state.settings
        guard let unit = Lists.currentUnit(state) else {
            Dashboard.summaryLine(&grid, "本计划没有分解到具体单位的任务")
            return
        }
        let rows = Lists.unitAssignments(state)
        let t = ProgressTotals(Lists.unitStandings(state))
        Dashboard.summaryLine(&grid, "\(unit.name)（u 选单位）  应办 \(t.inScope)  已完成 \(t.done)  逾期 \(t.overdue)  滞后 \(t.lagging)  完成率 \(NumberText.percent(t.completionRate))")
        let cols = columns(grid.width)
        cols.drawHeadings(&grid, y: 3, style: s.heading)
        let selectedIndex = rows.firstIndex { $0.assignment == state.unitSelection } ?? 0
        for (index, y) in Layout.visibleRows(count: rows.count, selected: selectedIndex, state: state) {
            let row = rows[index]
            cols.put(&grid, "灯", row.light.mark, y: y, style: s.style(for: row.light))
            cols.put(&grid, "编号", row.assignment.nodeID, y: y, style: .plain)
            cols.put(&grid, "事项", data.plan.node(row.assignment.nodeID)?.title ?? "", y: y, style: .plain)
            let label = row.verdict == .overdue ? "逾期\(row.daysOverdue ?? 0)天" : row.isReturned ? "退回整改" : row.verdict.rawValue
            cols.put(&grid, "状态", label + (row.lagging ? "!" : ""), y: y, style: s.style(for: row.verdict))
            cols.put(&grid, "进度", "\(row.isDone ? 100 : row.percent)%", y: y, style: .plain)
            cols.put(&grid, "时限", row.deadline.description + (row.isExtended ? "*" : ""), y: y, style: .plain)
            cols.put(&grid, "更新", row.lastUpdate.map(Dashboard.short) ?? "—", y: y, style: s.dim)
            if index == selectedIndex { cols.highlight(&grid, y: y, marker: s.marker) }
        }
        if let row = rows.dropFirst(selectedIndex).first, let node = data.plan.node(row.assignment.nodeID) {
            var why = row.light == .yellow ? (row.dueSoon ? "，临近时限（黄灯）" : "，进度低于时间进度（黄灯）") : ""
            if row.isExtended { why += "，经批准延期（原定 \(row.originalDeadline)）" }
            if let asked = row.requestedTo { why += "，申请延期至 \(asked)，待审批" }
            if row.isReturned { why += "，申报完成被退回" }
            Dashboard.infoLine(&grid, "\(node.id) \(node.title)：时限 \(row.deadline)\(why)", style: s.dim)
        }
    }
}
