import DubanCore

/// 审核: claims of 已完成 awaiting the office's sign-off, the longest waiting first; the admin approves (a) or returns (r).
enum ReviewView {
    static func columns(_ width: Int) -> Columns {
        Columns([
            .init(title: "编号", width: 6, priority: 0, right: false),
            .init(title: "事项", width: 0, priority: 0, right: false),
            .init(title: "单位", width: 12, priority: 0, right: false),
            .init(title: "申报", width: 8, priority: 1, right: false),
            .init(title: "时限", width: 8, priority: 2, right: false),
            .init(title: "已等", width: 4, priority: 3, right: true),
        ], width: width)
    }

    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) {
        let s = state.settings
        let rows = Lists.review(state)
        guard data.plan.review else {
            Dashboard.summaryLine(&grid, "此计划未开启审核销号：单位登记“已完成”即计为完成", style: s.dim)
            return
        }
        let who = state.canDecide ? "（a 通过销号，r 退回）" : "（只读：审核由政务公开办管理员办理）"
        Dashboard.summaryLine(&grid, "待审核 \(rows.count) 项，申报最早的在前" + (state.showsKeyHints ? who : ""),
                              style: rows.isEmpty ? s.good : s.warn)
        let cols = columns(grid.width)
        cols.drawHeadings(&grid, y: 3, style: s.heading)
        let selectedIndex = rows.firstIndex { $0.assignment == state.reviewSelection } ?? 0
        for (index, y) in Layout.visibleRows(count: rows.count, selected: selectedIndex, state: state) {
            let row = rows[index]
            let late = row.daysOverdue != nil
            cols.put(&grid, "编号", row.assignment.nodeID, y: y, style: .plain)
            cols.put(&grid, "事项", data.plan.node(row.assignment.nodeID)?.title ?? "", y: y, style: .plain)
            cols.put(&grid, "单位", data.plan.registry.unit(id: row.assignment.unitID)?.name ?? row.assignment.unitID, y: y, style: .plain)
            cols.put(&grid, "申报", row.doneOn.map(Dashboard.short) ?? "", y: y, style: late ? s.bad : .plain)
            cols.put(&grid, "时限", Dashboard.short(row.deadline), y: y, style: .plain)
            cols.put(&grid, "已等", row.doneOn.map { String($0.days(until: data.asOf)) } ?? "", y: y, style: s.dim)
            if index == selectedIndex { cols.highlight(&grid, y: y, marker: s.marker) }
        }
        if rows.isEmpty {
            grid.put("没有待审核的申报", x: 0, y: Layout.listTop(.review), style: s.good)
        }
        if let row = rows.dropFirst(selectedIndex).first {
            let note = row.lastReportID.flatMap { data.notes[$0] }
            let late = row.daysOverdue.map { "，超过时限\($0)天申报" } ?? ""
            Dashboard.infoLine(&grid, "申报说明：" + (note.map { $0.isEmpty ? "（无说明）" : $0 } ?? "（未载入）") + late, style: s.dim)
        }
    }
}
