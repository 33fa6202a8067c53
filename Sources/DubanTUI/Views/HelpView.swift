import DubanCore

/// Every key, from KeyTable, grouped by screen; scrolls when the window is shorter than the list.
enum HelpView {
    enum Line: Equatable {
        case heading(String)
        case binding(keys: String, action: String)
    }

    static func lines(_ state: AppState) -> [Line] {
        var lines: [Line] = []
        var lastScreen: ScreenID?? = .none
        for binding in KeyTable.bindings where !(state.readOnly && binding.edits) {
            if lastScreen == .none || lastScreen! != binding.screen {
                if let screen = binding.screen { lines.append(.heading("【\(screen.label)】")) }
                lastScreen = .some(binding.screen)
            }
            lines.append(.binding(keys: binding.keys, action: binding.action))
        }
        return lines
    }

    /// Rows 3 to the footer.
    static func visibleRows(_ state: AppState) -> Int { max(1, state.height - 4) }

    /// The new first line for a scrolling key, or nil when the key does not scroll the help.
    static func scrolled(_ state: AppState, by key: Key) -> Int? {
        let last = max(0, lines(state).count - visibleRows(state))
        let page = max(1, visibleRows(state) - 1)
        let target: Int
        switch key {
        case .down, .character("j"): target = state.helpOffset + 1
        case .up, .character("k"): target = state.helpOffset - 1
        case .pageDown, .control("f"), .character(" "): target = state.helpOffset + page
        case .pageUp, .control("b"): target = state.helpOffset - page
        case .home: target = 0
        case .end, .character("G"): target = last
        default: return nil
        }
        return max(0, min(last, target))
    }

    static func draw(_ grid: inout Grid, _ state: AppState) {
        let s = state.settings
        let all = lines(state)
        let rows = visibleRows(state)
        let first = max(0, min(state.helpOffset, all.count - rows))
        let shown = all.dropFirst(first).prefix(rows)
        let position = all.count > rows ? "  第 \(first + 1)–\(first + shown.count) 行，共 \(all.count) 行，↑ ↓ 翻动" : ""
        Dashboard.summaryLine(&grid, "按键一览" + (state.readOnly ? "（领导视图：只读）" : "") + position, style: s.heading)
        let keyWidth = 16
        for (y, line) in zip(3..., shown) {
            switch line {
            case let .heading(text):
                grid.put(text, x: 0, y: y, style: s.heading)
            case let .binding(keys, action):
                grid.put(keys, x: 2, y: y, style: s.warn, limit: keyWidth)
                grid.put(grid.measure.truncated(action, to: max(0, grid.width - 2 - keyWidth)), x: 2 + keyWidth, y: y)
            }
        }
    }
}
