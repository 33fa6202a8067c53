/// Tab-separated lines, as the PostgreSQL store has the server write a plan's states (one text instead of thousands of
/// rows): lines end at newlines, fields at tabs; in a free-text field a backslash, tab or newline arrives as `\\`, `\t`
/// or `\n`, so neither separator can come from the data.
enum TabSeparated {
    /// The SQL that escapes a text column so.
    static func escapedSQL(_ column: String) -> String {
        #"replace(replace(replace(\#(column), E'\\', E'\\\\'), E'\t', E'\\t'), E'\n', E'\\n')"#
    }

    /// Each line's fields, unescaped.
    static func lines(_ text: String) -> [[String]] {
        var lines: [[String]] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var escaped = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            if escaped {
                field.append(byte == UInt8(ascii: "t") ? 9 : byte == UInt8(ascii: "n") ? 10 : byte)
                escaped = false
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"): escaped = true
            case 9: endField()
            case 10:
                endField()
                lines.append(fields)
                fields.removeAll(keepingCapacity: true)
            default: field.append(byte)
            }
        }
        if !text.isEmpty {
            endField()
            lines.append(fields)
        }
        return lines
    }
}
