/// Records in PostgreSQL's text form, `(1.2,"芙蓉 区",42,,推进中)`, one per line: how the PostgreSQL store has the server
/// write a plan's states (one text instead of 14,280 rows, whose generic per-column decode cost more than the query)
/// and a list's notes. The server writes a record with one output call (`row(…)::text`), about half what assembling
/// the same line with `concat` and `replace` cost it. Its rules (record_out): fields separated by commas, NULL as
/// nothing; a value that is empty or holds a quote, backslash, parenthesis, comma or white space is quoted, with `"`
/// and `\` doubled inside. So a line break inside a value is always within quotes. Read in place: numbers are parsed
/// from the bytes and only the fields wanted as text become Strings.
enum RecordText {
    /// One record's fields, as ranges of the text's bytes (inside the quotes, for a quoted one).
    struct Record {
        let bytes: UnsafeBufferPointer<UInt8>
        let fields: [Field]

        struct Field {
            let range: Range<Int>
            /// Quoted by the server: may hold doubled quotes and backslashes.
            let quoted: Bool
        }

        var count: Int { fields.count }

        /// The field as text, undoubled; "" for NULL.
        func text(_ i: Int) -> String {
            let field = UnsafeBufferPointer(rebasing: bytes[fields[i].range])
            guard fields[i].quoted, field.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }) else {
                return String(decoding: field, as: UTF8.self)
            }
            var out: [UInt8] = []
            out.reserveCapacity(field.count)
            var index = 0
            while index < field.count {
                let byte = field[index]
                // A doubled quote or a backslash stands for the byte after it (the field's range holds whole pairs).
                if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\""), index + 1 < field.count { index += 1 }
                out.append(field[index])
                index += 1
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// The field as a decimal integer; nil when NULL, quoted or not one.
        func int(_ i: Int) -> Int? {
            guard !fields[i].quoted else { return nil }
            var index = fields[i].range.lowerBound
            let end = fields[i].range.upperBound
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

        /// The case the field spells; nil when none does (NULL included). Spellings are plain words, never quoted.
        func value<T>(_ i: Int, among spellings: Spellings<T>) -> T? {
            fields[i].quoted ? nil : spellings.value(bytes[fields[i].range])
        }
    }

    struct Malformed: Error {
        /// Byte offset where the text stopped being records.
        let offset: Int
    }

    /// Calls `body` with each record of `text`: records in the server's text form, separated by line breaks.
    static func forEachRecord(_ text: String, _ body: (Record) throws -> Void) throws {
        var text = text
        try text.withUTF8 { bytes in
            var fields: [Record.Field] = []
            var index = 0
            let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), close = UInt8(ascii: ")")
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "(") else { throw Malformed(offset: index) }
                index += 1
                fields.removeAll(keepingCapacity: true)
                while true {
                    guard index < bytes.count else { throw Malformed(offset: index) }
                    if bytes[index] == quote {
                        let start = index + 1
                        index = start
                        while true {
                            guard index < bytes.count else { throw Malformed(offset: index) }
                            let byte = bytes[index]
                            if byte == backslash { index += 2; continue }
                            if byte == quote {
                                if index + 1 < bytes.count, bytes[index + 1] == quote { index += 2; continue }
                                break
                            }
                            index += 1
                        }
                        guard index < bytes.count else { throw Malformed(offset: index) }
                        fields.append(Record.Field(range: start..<index, quoted: true))
                        index += 1
                    } else {
                        let start = index
                        while index < bytes.count, bytes[index] != comma, bytes[index] != close { index += 1 }
                        fields.append(Record.Field(range: start..<index, quoted: false))
                    }
                    guard index < bytes.count else { throw Malformed(offset: index) }
                    if bytes[index] == comma { index += 1; continue }
                    guard bytes[index] == close else { throw Malformed(offset: index) }
                    index += 1
                    break
                }
                try body(Record(bytes: bytes, fields: fields))
                if index < bytes.count {
                    guard bytes[index] == 10 else { throw Malformed(offset: index) }
                    index += 1
                }
            }
        }
    }

    /// Each record's fields as text (what the tests read).
    static func records(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        try forEachRecord(text) { record in records.append((0..<record.count).map(record.text)) }
        return records
    }
}
