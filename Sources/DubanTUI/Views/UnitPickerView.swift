import DubanCore

/// The `u` picker over the unit screen: a box with what has been typed and the units whose names contain it.
enum UnitPickerView {
    static func draw(_ grid: inout Grid, _ state: AppState) -> (x: Int, y: Int)? {
        guard let picker = state.unitPicker else { return nil }
        let s = state.settings
        let units = Lists.pickableUnits(state)
        let width = min(grid.width - 4, 40)
        let height = max(5, min(grid.height - 4, units.count + 4))
        let left = (grid.width - width) / 2
        let top = 2
        Dashboard.drawBox(&grid, x: left, y: top, width: width, height: height, settings: s)
        let inner = left + 2
        let innerWidth = width - 4
        let label = "选择单位："
        let x = grid.put(label, x: inner, y: top + 1, style: s.heading)
        let visible = picker.query.visible(width: max(2, inner + innerWidth - x), measure: s.measure)
        grid.put(visible.text, x: x, y: top + 1, style: Style(underline: true))
        let rows = height - 4
        let selected = units.firstIndex { $0.id == picker.selection } ?? 0
        let first = Lists.firstVisible(selected: selected, count: units.count, visible: rows)
        if units.isEmpty {
            grid.put("没有名称中含“\(picker.query.text)”的单位", x: inner, y: top + 2, style: s.dim, limit: innerWidth)
        }
        for (offset, unit) in units.dropFirst(first).prefix(rows).enumerated() {
            let y = top + 2 + offset
            let isSelected = first + offset == selected
            grid.put((isSelected ? s.marker : " ") + unit.name, x: inner, y: y, style: isSelected ? s.selected : .plain, limit: innerWidth)
        }
        grid.put(s.measure.truncated("↑↓ 选择  Enter 确定  Esc 取消", to: innerWidth), x: inner, y: top + height - 2, style: s.dim)
        return (x + visible.cursorColumn, top + 1)
    }
}
