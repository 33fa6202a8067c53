import DubanCore

enum HelpView {
    static func draw(_ grid: inout Grid, _ state: AppState) {
        let s = state.settings
        Dashboard.summaryLine(&grid, "按键一览" + (state.readOnly ? "（领导视图：只读，登记进展的按键不可用）" : ""), style: s.heading)
        var y = 3
        let keyWidth = 16
        var lastScreen: ScreenID?? = .none
        for binding in KeyTable.bindings where !(state.readOnly && binding.edits) {
            guard y < grid.height - 1 else { break }
            if lastScreen == .none || lastScreen! != binding.screen {
                if let screen = binding.screen {
                    grid.put("【\(screen.label)】", x: 0, y: y, style: s.heading)
                    y += 1
                }
                lastScreen = .some(binding.screen)
            }
            guard y < grid.height - 1 else { break }
            grid.put(binding.keys, x: 2, y: y, style: s.warn, limit: keyWidth)
            grid.put(binding.action, x: 2 + keyWidth, y: y)
            y += 1
        }
    }
}
