import DubanCore

enum SearchView {
    static func draw(_ grid: inout Grid, _ state: AppState, _ data: DashboardData) -> (x: Int, y: Int)? {
        let s = state.settings
        let label = "搜索："
        let x = s.measure.of(label)
        grid.put(label, x: 0, y: 2, style: s.heading)
        let field = state.search.query.visible(width: grid.width - x - 1, measure: s.measure)
        grid.put(field.text, x: x, y: 2, style: Style(underline: true))
        let results = Lists.search(state)
        grid.put(state.search.query.isEmpty ? "输入事项标题、正文或单位名称中的文字" : "找到 \(results.count) 项（Enter 在任务树中打开）",
                 x: 0, y: 3, style: s.dim)
        let selectedIndex = results.firstIndex { $0.id == state.search.selection } ?? 0
        for (index, y) in Layout.visibleRows(count: results.count, selected: selectedIndex, state: state) {
            let node = results[index]
            let end = grid.put("\(node.id)", x: 1, y: y)
            grid.put("  \(node.number)\(node.title)", x: end, y: y)
            if !state.search.typing && index == selectedIndex {
                grid.put(s.marker, x: 0, y: y, style: Style(bold: true))
                grid.restyle(x: 1, y: y, width: end - 1) { $0.reverse = true }
            }
        }
        return state.search.typing ? (x + field.cursorColumn, 2) : nil
    }
}
