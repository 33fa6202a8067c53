/// Brackets in official text: （） () 〔〕 【】 []. Unit clauses, remarks after names and labels all live inside
/// them, and names nest them (各区县（市）人民政府), so every reader asks the same questions of them here.
enum Brackets {
    static func isOpening(_ ch: Character) -> Bool { "（(〔【[".contains(ch) }
    static func isClosing(_ ch: Character) -> Bool { "）)〕】]".contains(ch) }

    /// The top-level balanced groups, in order (a group never closed is not one).
    static func groups(in text: String) -> [Range<String.Index>] {
        var groups: [Range<String.Index>] = []
        var depth = 0
        var start: String.Index?
        for index in text.indices {
            let ch = text[index]
            if isOpening(ch) {
                if depth == 0 { start = index }
                depth += 1
            } else if isClosing(ch), depth > 0 {
                depth -= 1
                if depth == 0, let s = start { groups.append(s..<text.index(after: index)) }
            }
        }
        return groups
    }

    /// Where the balanced group that ends the text begins, read from the end (so an unclosed bracket earlier in
    /// the text does not hide it); nil when the text does not end in one, or it is the whole text.
    static func trailingGroup(in text: String) -> String.Index? {
        guard let last = text.last, isClosing(last) else { return nil }
        var depth = 0
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            if isClosing(text[index]) { depth += 1 }
            if isOpening(text[index]) {
                depth -= 1
                if depth == 0 { return index > text.startIndex ? index : nil }
            }
        }
        return nil
    }

    /// The text up to the first closing bracket it did not open: a label's value inside (牵头单位:甲;责任单位:乙).
    static func untilUnbalancedClose(_ text: String) -> String {
        var depth = 0
        let end = text.firstIndex { ch in
            if isOpening(ch) { depth += 1 } else if isClosing(ch) { depth -= 1 }
            return depth < 0
        }
        return String(text[..<(end ?? text.endIndex)])
    }
}
