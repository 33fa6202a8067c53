/// A frame written out as text, for `duban summary --once` and anything else without a terminal.
extension Grid {
    /// Plain text with trailing spaces trimmed from each line and trailing empty lines dropped.
    public var plainText: String {
        var lines = (0..<height).map { y -> String in
            var line = row(at: y)
            while line.last == " " { line.removeLast() }
            return line
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text with ANSI SGR colour codes (for `--color`).
    public var ansiText: String {
        var out = ""
        var lastRow = height - 1
        while lastRow > 0 && row(at: lastRow).allSatisfy({ $0 == " " }) { lastRow -= 1 }
        for y in 0...max(0, lastRow) {
            var current = Style.plain
            for x in 0..<width where !self[x, y].isContinuation {
                let cell = self[x, y]
                if cell.style != current {
                    out += Grid.sgr(cell.style)
                    current = cell.style
                }
                out += cell.text
            }
            out += "\u{1B}[0m\n"
        }
        return out
    }

    static func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.underline { codes.append("4") }
        if style.reverse { codes.append("7") }
        if style.foreground != .default { codes.append(String(29 + Int(style.foreground.rawValue))) }
        if style.background != .default { codes.append(String(39 + Int(style.background.rawValue))) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
