import DubanCore

/// One line of editable text: characters (not bytes, not columns), so Chinese typed through an IME,
/// backspace over a wide character and the cursor's column all come out right.
public struct TextField: Sendable, Equatable {
    public private(set) var characters: [Character]
    /// Index in `characters` the cursor stands before.
    public private(set) var cursor: Int
    public let limit: Int

    public init(_ text: String = "", limit: Int = 2000) {
        characters = Array(text)
        cursor = characters.count
        self.limit = limit
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    /// Applies an editing key; false when the key is not an editing key.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case let .character(ch):
            guard characters.count < limit, !ch.isNewline else { return true }
            characters.insert(ch, at: cursor)
            cursor += 1
        case .backspace:
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .control("u"):
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case .control("k"): characters.removeSubrange(cursor..<characters.count)
        default: return false
        }
        return true
    }

    /// The part to show in `width` columns, scrolled so the cursor is visible, and the cursor's column in it.
    public func visible(width: Int, measure: DisplayWidth) -> (text: String, cursorColumn: Int) {
        guard width > 1 else { return ("", 0) }
        var start = 0
        // Move the window right until the cursor fits (leaving one column for it).
        while start < cursor, measure.of(String(characters[start..<cursor])) > width - 1 { start += 1 }
        var shown = ""
        var used = 0
        for ch in characters[start...] {
            let w = measure.of(ch)
            if used + w > width { break }
            shown.append(ch)
            used += w
        }
        return (shown, measure.of(String(characters[start..<cursor])))
    }
}
