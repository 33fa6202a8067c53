import DubanCore

enum OverviewView {
    /// Under review, work reported done and awaiting sign-off (待审) has its own column, so a row adds up to its 任务.
    static func columns(_ width: Int, review: Bool) -> Columns {
        Columns([
            .init(title: "名次", width: 4, priority: 0, right: true),
            .init(title: "区县（市）", width: 12, priority: 0, right: false),
            .init(title: "任务", width: 4, priority: 3, right: true),
            .init(title: "完成", width: 4, priority: 0, right: true),
            .init(title: "推进", width: 4, priority: 5, right: true),
        ] + (review ? [.init(title: "待审", width: 4, priority: 5, right: true)] : []) + [
            .init(title: "未启", width: 4, priority: 6, right: true),
            .init(title: "逾期", width: 4, priority: 0, right: true),
            .init(title: "完成率", width: 0, priority: 0, right: false),
            .init(title: "滞后", width: 4, priority: 4, right: true),
            .init(title: "得分", width: 5, priority: 2, right: true),
        ], width: width)
    }

    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) {
        let s = state.settings
        let snapshot = data.snapshot
        let t = snapshot.totals
        Dashboard.summaryLine(&grid, "时间进度 \(NumberText.percent(snapshot.timeElapsed))  完成率 \(NumberText.percent(t.completionRate))（\(t.done)/\(t.inScope)）  逾期 \(t.overdue)  滞后 \(t.lagging)  计划 \(data.plans.firstIndex { $0.id == data.plan.id }.map { "\($0 + 1)/\(data.plans.count)" } ?? "")（p 切换）")
        let cols = columns(grid.width, review: data.plan.review)
        cols.drawHeadings(&grid, y: 3, style: s.heading)
        let rows = Lists.overview(state)
        let selectedIndex = rows.firstIndex { $0.unit.id == state.overviewSelection } ?? 0
        let barWidth = cols.shown.first { $0.title == "完成率" }?.actualWidth ?? 10
        for (index, y) in Layout.visibleRows(count: rows.count, selected: selectedIndex, state: state) {
            let row = rows[index]
            let selected = index == selectedIndex
            let tt = row.totals
            let commended = snapshot.isCommended(row)
            cols.put(&grid, "名次", row.rankText, y: y, style: .plain)
            cols.put(&grid, "区县（市）", row.unit.name + (commended ? s.star : ""), y: y, style: commended ? s.good : .plain)
            cols.put(&grid, "任务", String(tt.inScope), y: y, style: .plain)
            cols.put(&grid, "完成", String(tt.done), y: y, style: .plain)
            cols.put(&grid, "推进", String(tt.inProgress), y: y, style: .plain)
            cols.put(&grid, "待审", String(tt.pendingReview), y: y, style: .plain)
            cols.put(&grid, "未启", String(tt.notStarted), y: y, style: .plain)
            cols.put(&grid, "逾期", String(tt.overdue), y: y, style: tt.overdue > 0 ? s.bad : .plain)
            // A fixed-width label keeps every bar the same length, so bars compare at a glance.
            let figure = NumberText.percent(tt.completionRate)
            let label = String(repeating: " ", count: max(1, 7 - figure.count)) + figure
            let bar = s.bar(tt.completionRate, width: max(0, barWidth - 7))
            cols.put(&grid, "完成率", bar + label, y: y, style: tt.completionRate + 0.0001 < snapshot.timeElapsed ? s.warn : s.good)
            cols.put(&grid, "滞后", tt.lagging > 0 ? "\(tt.lagging)" : "", y: y, style: s.warn)
            cols.put(&grid, "得分", String(row.score), y: y, style: .plain)
            if selected { cols.highlight(&grid, y: y, marker: s.marker) }
        }
        if rows.isEmpty { grid.put("本计划没有分解到区县（市）的任务", x: 0, y: Layout.listTop(.overview), style: s.dim) }
        if let row = rows.dropFirst(selectedIndex).first {
            let t = row.totals
            var line = "\(row.unit.name)：应办 \(t.inScope) 项，已完成 \(t.done)（逾期完成 \(t.doneLate)），逾期 \(t.overdue)，平均进度 \(Int(t.meanPercent.rounded()))%"
            if snapshot.isCommended(row) { line += "，建议表扬" }
            Dashboard.infoLine(&grid, line + "。Enter 查看", style: s.dim)
        }
    }
}
