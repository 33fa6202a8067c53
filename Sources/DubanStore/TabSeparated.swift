/// Tab-separated lines, as the PostgreSQL store has the server write a plan's states (one text instead of thousands of
/// rows): lines end at newlines, fields at tabs; in a free-text field a backslash, tab or newline arrives as `\\`, `\t`
/// or `\n`, so neither separator can come from the data. Read in place: numbers are parsed from the bytes and only the
/// fields wanted as text become Strings (a plan has 14,280 lines of 12 fields).
enum TabSeparated {
    /// The SQL that escapes a text column so.
    static func escapedSQL(_ column: String) -> String {
        #"replace(replace(replace(\#(column), E'\\', E'\\\\'), E'\t', E'\\t'), E'\n', E'\\n')"#
    }

    /// One line's fields, as ranges of the text's bytes.
    struct Line {
        let bytes: UnsafeBufferPointer<UInt8>
        let fields: [Range<Int>]

        var count: Int { fields.count }

        /// The field as text, unescaped.
        func text(_ i: Int) -> String {
            let field = UnsafeBufferPointer(rebasing: bytes[fields[i]])
            guard field.contains(UInt8(ascii: "\\")) else { return String(decoding: field, as: UTF8.self) }
            var out: [UInt8] = []
            var escaped = false
            for byte in field {
                if escaped {
                    out.append(byte == UInt8(ascii: "t") ? 9 : byte == UInt8(ascii: "n") ? 10 : byte)
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else {
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// The field as a decimal integer; nil when empty (NULL) or not one.
        func int(_ i: Int) -> Int? {
            var index = fields[i].lowerBound
            let end = fields[i].upperBound
            guard index < end else { return nil }
            let negative = bytes[index] == UInt8(ascii: "-")
            if negative { index += 1 }
            guard index < end else { return nil }
            var value = 0
            while index < end {
                let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit) else { return nil }
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times.addingReportingOverflow(digit)
                guard !overflow, !carry else { return nil }
                value = sum
                index += 1
            }
            return negative ? -value : value
        }

        /// The case the field spells; nil when none does (an empty field, NULL, included).
        func value<T>(_ i: Int, among spellings: Spellings<T>) -> T? { spellings.value(bytes[fields[i]]) }
    }

    /// Calls `body` with each line's fields.
    static func forEachLine(_ text: String, _ body: (Line) throws -> Void) rethrows {
        var text = text
        try text.withUTF8 { bytes in
            var fields: [Range<Int>] = []
            var start = 0
            var escaped = false
            for (index, byte) in bytes.enumerated() {
                if escaped { escaped = false; continue }
                switch byte {
                case UInt8(ascii: "\\"): escaped = true
                case 9:
                    fields.append(start..<index)
                    start = index + 1
                case 10:
                    fields.append(start..<index)
                    try body(Line(bytes: bytes, fields: fields))
                    fields.removeAll(keepingCapacity: true)
                    start = index + 1
                default: break
                }
            }
            if !bytes.isEmpty {
                fields.append(start..<bytes.count)
                try body(Line(bytes: bytes, fields: fields))
            }
        }
    }

    /// Each line's fields as text (what the tests read).
    static func lines(_ text: String) -> [[String]] {
        var lines: [[String]] = []
        forEachLine(text) { line in lines.append((0..<line.count).map(line.text)) }
        return lines
    }
}
