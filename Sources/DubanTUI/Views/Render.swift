import DubanCore

/// A drawn screen: the grid and where the terminal cursor should stand (for text input), if anywhere.
public struct Frame: Sendable, Equatable {
    public var grid: Grid
    public var cursor: (x: Int, y: Int)?

    public static func == (a: Frame, b: Frame) -> Bool {
        a.grid == b.grid && a.cursor?.x == b.cursor?.x && a.cursor?.y == b.cursor?.y
    }
}

extension Dashboard {
    /// State → frame. Pure: the same state always draws the same frame.
    public static func render(_ state: AppState) -> Frame {
        let s = state.settings
        var grid = Grid(width: state.width, height: state.height, measure: s.measure)
        guard state.width >= Layout.minimumWidth, state.height >= Layout.minimumHeight else {
            grid.put("窗口太小：请至少 40×12", x: 0, y: 0, limit: state.width)
            return Frame(grid: grid, cursor: nil)
        }
        guard let data = state.data else {
            grid.put("正在载入……", x: 0, y: 0)
            return Frame(grid: grid, cursor: nil)
        }
        drawHeader(&grid, state, data)
        var cursor: (x: Int, y: Int)?
        switch state.screen {
        case .overview: OverviewView.draw(&grid, state, data)
        case .tasks: TasksView.draw(&grid, state, data)
        case .overdue: OverdueView.draw(&grid, state, data)
        case .unit: UnitView.draw(&grid, state, data)
        case .history: HistoryView.draw(&grid, state, data)
        case .summary: SummaryView.draw(&grid, state, data, top: 2)
        case .review: ReviewView.draw(&grid, state, data)
        case .changes: ChangesView.draw(&grid, state, data)
        case .board: BoardView.draw(&grid, state, data)
        case .help: HelpView.draw(&grid, state)
        case .search: cursor = SearchView.draw(&grid, state, data)
        }
        drawFooter(&grid, state)
        if let entry = state.dateEntry { cursor = drawPrompt(&grid, state, "跳到日期（如 2021-09-30，Enter 确定，Esc 取消）：", entry) }
        if let entry = state.reasonEntry { cursor = drawPrompt(&grid, state, "退回理由（Enter 退回，Esc 取消）：", entry) }
        if state.unitPicker != nil { cursor = UnitPickerView.draw(&grid, state) }
        if state.form != nil { cursor = FormView.draw(&grid, state, data) }
        return Frame(grid: grid, cursor: cursor)
    }

    static func drawHeader(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) {
        let s = state.settings
        grid.fill(x: 0, y: 0, width: grid.width, style: s.header)
        // Plainly when the figures are not today's: a finished year's plan opens at its last recorded day.
        let asOf = data.asOf == data.today ? "截至今天 \(data.asOf)"
            : data.isPlansOwnDay ? "截至 \(data.asOf)（年度已结束）"
            : "截至 \(data.asOf)，非今天" + (state.showsKeyHints ? "（t 返回）" : "")
        let right = (data.demoEvents > 0 ? "演示数据　" : "") + (state.readOnly ? "只读　" : "") + asOf
        let rightWidth = s.measure.of(right)
        let title = "督办 \(s.vertical) \(data.plan.title)"
        grid.put(s.measure.truncated(title, to: max(0, grid.width - rightWidth - 1)), x: 0, y: 0, style: s.header)
        grid.put(right, x: max(0, grid.width - rightWidth), y: 0, style: s.header)

        guard state.showsKeyHints else { return }
        grid.fill(x: 0, y: 1, width: grid.width, style: s.tab)
        let tabs = Layout.tabColumns(state)
        for (screen, range) in tabs {
            let active = screen == state.screen
            grid.put(Layout.tabLabel(screen, state), x: range.lowerBound, y: 1, style: active ? s.tabActive : s.tab)
        }
        // Help and search have no number; their name goes at the right, where it cannot be taken for a tab.
        let label = " \(state.screen.label) "
        if state.screen == .help || state.screen == .search, (tabs.last?.1.upperBound ?? 0) + 1 + s.measure.of(label) <= grid.width {
            grid.put(label, x: max(0, grid.width - s.measure.of(label)), y: 1, style: s.tabActive)
        }
    }

    static func drawFooter(_ grid: inout Grid, _ state: AppState) {
        let s = state.settings
        let y = grid.height - 1
        grid.fill(x: 0, y: y, width: grid.width, style: s.footer)
        if state.confirmDemo {
            grid.put(s.measure.truncated("填入一年的演示数据？可用 duban demo --remove 删除（y 确定，其他键取消）", to: grid.width - 1),
                     x: 0, y: y, style: s.warn)
            return
        }
        if state.confirmQuit {
            grid.put("表单有未保存的内容，确定退出吗？(y 退出 / 其他键取消)", x: 0, y: y, style: s.error)
            return
        }
        if state.emptyDatabase && state.message == nil && !state.readOnly {
            grid.put("数据库中还没有进展记录：按 D 填入一年的演示数据（不影响今后的真实记录）", x: 0, y: y, style: s.warn)
            return
        }
        if let message = state.message {
            // A message longer than the line (the two files an export wrote, with their folder) takes the line above
            // as well, so what it names can be read in full; only beyond two lines is it cut with …. The bottom-right
            // cell is never drawn (it would scroll some terminals), so the last line stops one column short.
            let style = state.messageIsError ? s.error : s.footer
            let text = SafeText.escaped(message)
            if s.measure.of(text) > grid.width - 1 {
                let (first, rest) = TextLayout.split(text, width: grid.width, measure: s.measure)
                grid.fill(x: 0, y: y - 1, width: grid.width, style: style)
                grid.put(first, x: 0, y: y - 1, style: style)
                grid.put(s.measure.truncated(rest, to: grid.width - 1), x: 0, y: y, style: style)
            } else {
                grid.put(s.measure.truncated(text, to: grid.width - 1), x: 0, y: y, style: style)
            }
            return
        }
        let hints: String
        switch state.screen {
        case .overview: hints = "↑↓ 选择  Enter 打开区县  p 换计划  [ ] 换月  / 搜索  ? 帮助  q 退出"
        case .tasks: hints = "↑↓ 选择  Enter 展开/折叠  ← 上级  p 换计划  / 搜索  ? 帮助  q 退出"
        case .overdue: hints = (state.readOnly ? "↑↓ 选择  " : "↑↓ 选择  e 登记  ")
            + "f 单位  v \(state.overdueList == .stale ? "看逾期" : "看久未更新")  s 排序:\(state.overdueOrder.rawValue)  ? 帮助  q 退出"
        case .unit: hints = (state.readOnly ? "↑↓ 选择  " : "↑↓ 选择  e 登记  ")
            + "u 选单位  v 筛选:\(state.unitFilter.rawValue)  s 排序:\(state.unitOrder.rawValue)  ? 帮助  q 退出"
        case .history: hints = state.readOnly ? "↑↓ 选择  Esc 返回  ? 帮助  q 退出" : "↑↓ 选择  e 登记进展  Esc 返回  ? 帮助  q 退出"
        case .summary: hints = "p 换计划  [ ] 换月  t 今天  1–9 其他页面  q 退出"
        case .review: hints = (state.canDecide ? "↑↓ 选择  a 通过销号  r 退回  " : "↑↓ 选择  ") + "Enter 历史  ? 帮助  q 退出"
        case .changes: hints = "↑↓ 选择  Enter 历史  v 看\(state.changesDays == 7 ? "近30天" : "近7天")  [ ] 换月  ? 帮助  q 退出"
        case .board: hints = "↑↓ 事项  ←→ 单位  Enter 历史  PgUp PgDn 翻页  Home End 首末单位  ? 帮助  q 退出"
        case .help: hints = "↑↓ PgUp PgDn 翻动  Esc 返回  q 退出"
        case .search: hints = state.search.typing ? "输入关键词，Enter 确定，Esc 取消" : "↑↓ 选择  Enter 打开  / 重新搜索  Esc 返回"
        }
        // Narrow windows: cut with …, never mid-word without it (the bottom-right cell is never drawn).
        grid.put(s.measure.truncated(hints, to: grid.width - 1), x: 0, y: y, style: s.footer)
    }

    /// A cleared box with a rule above and below and bars at the sides, for what is drawn over a screen (the form,
    /// the unit picker).
    static func drawBox(_ grid: inout Grid, x left: Int, y top: Int, width: Int, height: Int, settings s: DisplaySettings) {
        // The rows it spans are cleared edge to edge: the list's cut ends beside the border read as part of the form.
        grid.fillRect(x: 0, y: top, width: grid.width, height: height, style: .plain)
        let line = String(repeating: s.horizontal, count: max(0, width - 2))
        let (topLeft, topRight, bottomLeft, bottomRight) = s.corners
        grid.put(String(topLeft) + line + String(topRight), x: left, y: top, style: s.heading)
        grid.put(String(bottomLeft) + line + String(bottomRight), x: left, y: top + height - 1, style: s.heading)
        for y in (top + 1)..<(top + height - 1) {
            grid.put(String(s.vertical), x: left, y: y, style: s.heading)
            grid.put(String(s.vertical), x: left + width - 1, y: y, style: s.heading)
        }
    }

    /// A prompt on the footer line (the `g` date, a return reason); returns where the cursor stands.
    static func drawPrompt(_ grid: inout Grid, _ state: AppState, _ label: String, _ entry: TextField) -> (x: Int, y: Int) {
        let s = state.settings
        let y = grid.height - 1
        grid.fill(x: 0, y: y, width: grid.width, style: s.footer)
        // What was wrong with the last Enter, on the line above: the footer where messages go is the prompt's now.
        if let message = state.message, state.messageIsError { infoLine(&grid, message, style: s.error) }
        let x = grid.put(label, x: 0, y: y, style: s.warn)
        let visible = entry.visible(width: max(2, grid.width - x - 1), measure: s.measure)
        grid.put(visible.text, x: x, y: y, style: Style(underline: true))
        return (x + visible.cursorColumn, y)
    }

    /// The line above the footer: more about the selected row, cut with … when too long.
    static func infoLine(_ grid: inout Grid, _ text: String, style: Style) {
        // Cleared first: what the screen had drawn there (the selected row's detail) showed through after a shorter
        // message ("而不是 13" read "而不是 130，平均进度 53%").
        grid.fill(x: 0, y: grid.height - 2, width: grid.width, style: .plain)
        grid.put(grid.measure.truncated(SafeText.escaped(text), to: grid.width), x: 0, y: grid.height - 2, style: style)
    }

    /// A line of the screen's summary (row 2).
    static func summaryLine(_ grid: inout Grid, _ text: String, style: Style = .plain) {
        grid.put(text, x: 0, y: 2, style: style)
    }

    /// 21-10-20: a date in eight columns.
    static func short(_ date: CivilDate) -> String {
        String(date.description.dropFirst(2))
    }
}
