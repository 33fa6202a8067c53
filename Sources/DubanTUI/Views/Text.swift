import DubanCore

enum TextLayout {
    static let noLineStart: Set<Character> = ["，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "”", "’", "》", "〕", "】", "＝", ",", ".", ")"]

    /// Text cut in two for two lines: the first at most `width` columns, ending after the last pause (、，；：) that
    /// fits, so a list of file names breaks between names; where none fits, wherever `wrap` breaks.
    static func split(_ text: String, width: Int, measure: DisplayWidth) -> (String, String) {
        var used = 0
        var lastPause: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let w = measure.of(text[index])
            if used + w > width { break }
            used += w
            let next = text.index(after: index)
            if "、，；：,;".contains(text[index]) { lastPause = next }
            index = next
        }
        if let pause = lastPause { return (String(text[..<pause]), String(text[pause...])) }
        let lines = wrap(text, width: width, measure: measure)
        return (lines.first ?? "", lines.dropFirst().joined())
    }

    /// Breaks text into lines of at most `width` columns (Chinese breaks anywhere; no hyphenation).
    static func wrap(_ text: String, width: Int, measure: DisplayWidth) -> [String] {
        guard width > 1 else { return [] }
        var lines: [String] = []
        var line = ""
        var used = 0
        for ch in text {
            if ch == "\n" {
                lines.append(line)
                line = ""
                used = 0
                continue
            }
            let w = measure.of(ch)
            if used + w > width {
                // Chinese typesetting does not start a line with closing punctuation: carry the last
                // character down with it.
                if noLineStart.contains(ch), let last = line.popLast() {
                    lines.append(line)
                    line = String(last)
                    used = measure.of(last)
                } else {
                    lines.append(line)
                    line = ""
                    used = 0
                }
            }
            line.append(ch)
            used += w
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

extension Grid {
    /// Writes wrapped text into a box; returns the next free row.
    @discardableResult
    mutating func paragraph(_ text: String, x: Int, y: Int, width: Int, maxY: Int, style: Style = .plain) -> Int {
        var row = y
        for line in TextLayout.wrap(SafeText.escaped(text, keepNewlines: true), width: width, measure: measure) {
            guard row < maxY else { break }
            put(line, x: x, y: row, style: style, limit: width)
            row += 1
        }
        return row
    }
}
