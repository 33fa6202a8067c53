import DubanCore

/// The eight terminal colours; `.default` is the terminal's own.
public enum Color: UInt8, Sendable, Equatable, CaseIterable {
    case `default`, black, red, green, yellow, blue, magenta, cyan, white
}

public struct Style: Sendable, Equatable, Hashable {
    public var foreground: Color = .default
    public var background: Color = .default
    public var bold = false
    public var reverse = false
    public var dim = false
    public var underline = false

    public init(foreground: Color = .default, background: Color = .default, bold: Bool = false, reverse: Bool = false,
                dim: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    public static let plain = Style()
}

/// One terminal cell. A wide character occupies its cell and the next, which holds `.continuation`.
public struct Cell: Sendable, Equatable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell(" ")
    /// The right half of a wide character: drawn by its left neighbour.
    public static let continuation = Cell("")

    public var isContinuation: Bool { text.isEmpty }
}

/// A frame: what the screen should show, drawn from state before anything reaches the terminal.
public struct Grid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    public let measure: DisplayWidth

    public init(width: Int, height: Int, measure: DisplayWidth = DisplayWidth()) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.measure = measure
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes text from (x, y), not past `limit` columns (default: the row's end). A wide character that
    /// would be cut by the edge is replaced by a space; control characters are shown escaped, never sent.
    /// Returns the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return x }
        let end = min(width, x + (limit ?? width))
        var column = x
        for ch in SafeText.escaped(text) {
            if ch == "\n" || ch == "\r" || ch == "\t" { continue }
            let w = measure.of(ch)
            if w == 0 {
                // A combining mark joins the previous character.
                if column > x, column - 1 < width, column - 1 >= 0 { self[column - 1, y].text.append(ch) }
                continue
            }
            if column + w > end {
                if column < end { fill(x: column, y: y, width: end - column, style: style) }
                column = end
                break
            }
            if column >= 0 {
                clearWide(at: column, y: y)
                self[column, y] = Cell(String(ch), style)
                if w == 2 {
                    clearWide(at: column + 1, y: y)
                    self[column + 1, y] = Cell.continuation
                    self[column + 1, y].style = style
                }
            }
            column += w
        }
        return column
    }

    /// Overwriting half of a wide character leaves the other half blank rather than a broken glyph.
    private mutating func clearWide(at x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        if self[x, y].isContinuation, x > 0 {
            self[x - 1, y] = Cell(" ", self[x - 1, y].style)
        }
        if x + 1 < width, self[x + 1, y].isContinuation, measure.of(self[x, y].text) == 2 {
            self[x + 1, y] = Cell(" ", self[x + 1, y].style)
        }
    }

    public mutating func fill(x: Int, y: Int, width w: Int, style: Style = .plain, with character: Character = " ") {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + w)) {
            clearWide(at: column, y: y)
            self[column, y] = Cell(String(character), style)
        }
    }

    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, style: Style = .plain) {
        for row in max(0, y)..<max(max(0, y), min(height, y + h)) { fill(x: x, y: row, width: w, style: style) }
    }

    /// Applies a style to a run of cells without changing their text (a highlighted row).
    public mutating func restyle(x: Int, y: Int, width w: Int, _ change: (inout Style) -> Void) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + w)) { change(&self[column, y].style) }
    }

    /// The frame as plain text, one line per row, trailing spaces kept: what golden tests compare.
    public var text: String {
        (0..<height).map { row(at: $0) }.joined(separator: "\n")
    }

    public func row(at y: Int) -> String {
        var line = ""
        for x in 0..<width where !self[x, y].isContinuation { line += self[x, y].text }
        return line
    }
}
