import DubanCore

/// The update form, drawn over the 单位 screen.
enum FormView {
    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) -> (x: Int, y: Int)? {
        guard let form = state.form else { return nil }
        let s = state.settings
        let width = min(grid.width - 2, 76)
        let height = min(grid.height - 2, form.conflict == nil ? 14 : 17)
        let spacing = height >= 14 ? 2 : 1
        let left = (grid.width - width) / 2
        let top = max(1, (grid.height - height) / 2)
        Dashboard.drawBox(&grid, x: left, y: top, width: width, height: height, settings: s)
        let node = data.plan.node(form.assignment.nodeID)
        let unit = data.plan.registry.unit(id: form.assignment.unitID)?.name ?? form.assignment.unitID
        let inner = left + 2
        let innerWidth = width - 4
        var y = top + 1
        grid.put("登记进展：\(form.assignment.nodeID) \(node?.title ?? "") — \(unit)", x: inner, y: y, style: s.heading, limit: innerWidth)
        y += 1
        if let conflict = form.conflict, y + 3 < top + height - 1 {
            grid.put("他人已更新：\(conflict.author) 记录为 \(conflict.status) \(conflict.percent)%", x: inner, y: y, style: s.warn, limit: innerWidth)
            y += 1
            grid.put("说明：\(conflict.note.isEmpty ? "（无）" : conflict.note)", x: inner, y: y, style: s.warn, limit: innerWidth)
            y += 2
        } else if form.reopens {
            // On the line that is otherwise blank: saving takes back the office's own sign-off.
            grid.put("此任务已办结销号：保存即重新打开（再报“已完成”须重新审核）", x: inner, y: y, style: s.warn, limit: innerWidth)
            y += 1
        } else if form.finishedPlan {
            grid.put("计划年度已结束：日期默认为所查看的 \(data.asOf)，改成今天则统计截至今天", x: inner, y: y,
                     style: s.warn, limit: innerWidth)
            y += 1
        } else {
            y += 1
        }
        let labelWidth = 10
        let fieldWidth = innerWidth - labelWidth
        var cursor: (x: Int, y: Int)?
        for field in FormState.Field.allCases {
            guard y < top + height - 2 else { break }
            let focused = form.focus == field
            grid.put((focused ? s.marker : " ") + field.label, x: inner, y: y, style: focused ? s.heading : .plain, limit: labelWidth)
            let x = inner + labelWidth
            switch field {
            case .status:
                var cx = x
                for status in [Status.notStarted, .inProgress, .done, .suspended] {
                    let chosen = status == form.status
                    cx = grid.put(chosen ? "(\(status.rawValue))" : " \(status.rawValue) ", x: cx, y: y,
                                  style: chosen ? (focused ? s.selected : s.heading) : s.dim) + 1
                }
                if focused { grid.put("← → 切换", x: cx, y: y, style: s.dim) }
            case .percent, .date, .note, .evidence:
                let text = field == .percent ? form.percent : field == .date ? form.date : field == .note ? form.note : form.evidence
                let width = field == .date ? 11 : fieldWidth - 1
                // The field being edited scrolls to its cursor; the others show their beginning (a prefilled link reads
                // "https://…", not its tail).
                let visible = focused ? text.visible(width: width, measure: s.measure)
                    : (text: s.measure.truncated(text.text, to: width), cursorColumn: 0)
                grid.fill(x: x, y: y, width: width, style: Style(underline: true))
                grid.put(visible.text, x: x, y: y, style: Style(underline: true), limit: width)
                if field == .percent { grid.put("%", x: x + 4, y: y) }
                if field == .date {
                    let mark = form.isCorrection ? "［更正 #\(form.expect)］" : (focused && form.expect > 0 ? "空格：标为更正上一条" : "")
                    grid.put(mark, x: x + 12, y: y, style: form.isCorrection ? s.warn : s.dim, limit: max(0, fieldWidth - 13))
                }
                if focused { cursor = (x + visible.cursorColumn, y) }
            }
            y += spacing
        }
        let messageY = top + height - 2
        if let error = form.error {
            grid.put(error, x: inner, y: messageY, style: s.error, limit: innerWidth)
        } else {
            grid.put(form.saving ? "正在保存……" : "Tab/Enter 下一栏  Ctrl-S 保存（在末栏按 Enter 也保存）  Esc 取消", x: inner, y: messageY, style: s.dim, limit: innerWidth)
        }
        return cursor
    }
}
