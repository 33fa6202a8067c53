import DubanCore

enum TextLayout {
    static let noLineStart: Set<Character> = ["，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "”", "’", "》", "〕", "】", ",", ".", ")"]

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
