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
    public var isFull: Bool { characters.count >= limit }

    /// Why a typed character was not taken (the field is full), in the words the command line uses.
    public var fullMessage: String { "本栏最多 \(limit) 字，已满" }

    /// Inserts pasted text at the cursor, whole or not at all: control sequences and control characters are removed
    /// whole, line breaks and tabs become one space. Returns why the paste was refused (too long), or nil.
    public mutating func paste(_ text: String, length: Int) -> String? {
        let clean = Array(Self.cleaned(text))
        guard length <= KeyDecoder.pasteLimit, characters.count + clean.count <= limit else {
            return "粘贴的内容有 \(max(length, clean.count)) 字，本栏最多 \(limit) 字（已有 \(characters.count) 字），未粘贴"
        }
        characters.insert(contentsOf: clean, at: cursor)
        cursor += clean.count
        return nil
    }

    /// Pasted text as a field may hold it: what the terminal's own key grammar (KeyDecoder) reads as characters.
    static func cleaned(_ text: String) -> String {
        var decoder = KeyDecoder()
        var kept = String.UnicodeScalarView()
        var lastWasBreak = false
        for scalar in text.unicodeScalars {
            for event in decoder.feed(scalar) {
                guard case let .key(key) = event else { continue }
                switch key {
                case let .character(character):
                    kept.append(contentsOf: character.unicodeScalars)
                    lastWasBreak = false
                case .enter, .tab:
                    if !lastWasBreak { kept.append(" ") }
                    lastWasBreak = true
                default:
                    break
                }
            }
        }
        return String(kept)
    }

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
        // From the cursor back, as much as fits (leaving one column for the cursor): linear in what is shown, so a
        // 2,000-character note scrolls as fast as a short one.
        var start = cursor
        var before = 0
        while start > 0 {
            let w = measure.of(characters[start - 1])
            if before + w > width - 1 { break }
            before += w
            start -= 1
        }
        var shown = ""
        var used = 0
        for ch in characters[start...] {
            let w = measure.of(ch)
            if used + w > width { break }
            shown.append(ch)
            used += w
        }
        return (shown, before)
    }
}
