import DubanCore

/// Where things go on the screen; shared by drawing and by mouse hit-testing.
public enum Layout {
    public static let minimumWidth = 40
    public static let minimumHeight = 12

    /// The first list row below header, tabs, the screen's summary line and column headings.
    public static func listTop(_ screen: ScreenID) -> Int { 4 }

    /// The rows of a list on screen: which entries are shown and on which screen line, the selection kept
    /// in view. Drawing and mouse clicks both go through here.
    public static func visibleRows(count: Int, selected: Int, state: AppState) -> [(index: Int, y: Int)] {
        let first = Lists.firstVisible(selected: selected, count: count, visible: state.listHeight)
        let top = listTop(state.screen)
        return (first..<min(count, first + state.listHeight)).map { ($0, top + $0 - first) }
    }

    /// Width of the task tree; the detail pane takes the rest.
    public static func treeWidth(_ state: AppState) -> Int {
        state.width < 60 ? state.width : max(30, state.width * 9 / 20)
    }

    /// The columns of each tab on row 1, as the header draws them.
    public static func tabColumns(_ state: AppState) -> [(ScreenID, Range<Int>)] {
        var x = 0
        var result: [(ScreenID, Range<Int>)] = []
        let measure = state.settings.measure
        for screen in ScreenID.tabs {
            let label = tabLabel(screen, state)
            let w = measure.of(label)
            result.append((screen, x..<(x + w)))
            x += w + 1
        }
        return result
    }

    static func tabLabel(_ screen: ScreenID, _ state: AppState) -> String {
        state.width < 64 ? " \(screen.rawValue)\(screen.label.prefix(1)) " : " \(screen.rawValue) \(screen.label) "
    }
}

/// A table's columns: fixed widths, one flexible column, and priorities deciding which columns go first
/// when the terminal is narrow.
struct Columns {
    struct Column {
        let title: String
        let width: Int          // 0: takes what is left
        let priority: Int       // higher numbers are dropped first
        let right: Bool
        var x = 0
        var actualWidth = 0
    }

    private(set) var shown: [Column] = []

    /// Column 0 is kept for the selection marker.
    static let margin = 1

    init(_ columns: [Column], width total: Int, gap: Int = 1) {
        let width = total - Columns.margin
        var keep = columns
        func need(_ cols: [Column]) -> Int {
            cols.reduce(0) { $0 + ($1.width == 0 ? 12 : $1.width) } + gap * max(0, cols.count - 1)
        }
        while need(keep) > width, let drop = keep.enumerated().filter({ $0.element.priority > 0 }).max(by: { $0.element.priority < $1.element.priority }) {
            keep.remove(at: drop.offset)
        }
        let fixed = keep.reduce(0) { $0 + $1.width } + gap * max(0, keep.count - 1)
        let flexible = max(4, width - fixed)
        var x = Columns.margin
        for var column in keep {
            column.x = x
            column.actualWidth = column.width == 0 ? flexible : column.width
            x += column.actualWidth + gap
            shown.append(column)
        }
    }

    func has(_ title: String) -> Bool { shown.contains { $0.title == title } }

    /// Marks the selected row: a marker in the margin and the first column reversed. Only those cells
    /// change when the selection moves, which keeps a cursor move to a few dozen bytes over SSH.
    func highlight(_ grid: inout Grid, y: Int, marker: String) {
        grid.put(marker, x: 0, y: y, style: Style(bold: true))
        if let first = shown.first { grid.restyle(x: first.x, y: y, width: first.actualWidth) { $0.reverse = true } }
    }

    func drawHeadings(_ grid: inout Grid, y: Int, style: Style) {
        grid.fill(x: 0, y: y, width: grid.width, style: style)
        for c in shown { put(&grid, c, c.title, y: y, style: style) }
    }

    func put(_ grid: inout Grid, _ title: String, _ text: String, y: Int, style: Style) {
        guard let c = shown.first(where: { $0.title == title }) else { return }
        put(&grid, c, text, y: y, style: style)
    }

    private func put(_ grid: inout Grid, _ c: Column, _ text: String, y: Int, style: Style) {
        let fitted = grid.measure.truncated(text, to: c.actualWidth)
        let x = c.right ? c.x + c.actualWidth - grid.measure.of(fitted) : c.x
        grid.put(fitted, x: x, y: y, style: style, limit: c.actualWidth)
    }
}
