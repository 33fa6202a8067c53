import DubanCore

/// Every key, from KeyTable, grouped by screen; scrolls when the window is shorter than the list.
enum HelpView {
    enum Line: Equatable {
        case heading(String)
        case binding(keys: String, action: String)
    }

    static let keyWidth = 16

    /// Each screen's keys under its heading (the keys of every screen first); an action longer than the window
    /// continues on the lines below rather than being cut (the lights' legend ends with 灰＝暂缓).
    static func lines(_ state: AppState) -> [Line] {
        var lines: [Line] = []
        var lastScreen: ScreenID?? = .none
        let width = max(8, state.width - 2 - keyWidth)
        for binding in KeyTable.bindings where !(state.readOnly && binding.edits) {
            if lastScreen == .none || lastScreen! != binding.screen {
                if let screen = binding.screen { lines.append(.heading("【\(screen.label)】")) }
                lastScreen = .some(binding.screen)
            }
            for (n, part) in TextLayout.wrap(binding.action, width: width, measure: state.settings.measure).enumerated() {
                lines.append(.binding(keys: n == 0 ? binding.keys : "", action: part))
            }
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
