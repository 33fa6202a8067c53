import DubanCore

/// Documents as plain text (to paste into WPS or Word) and as Markdown.
public enum TextRenderer {
    public static func plain(_ document: Document, width: DisplayWidth = DisplayWidth(ambiguous: 2)) -> String {
        var lines: [String] = []
        for block in document.blocks {
            switch block {
            case let .title(text):
                lines += ["", TitleLines.plain(text), ""]
            case let .addressee(text):
                lines.append(text)
            case let .heading1(text), let .heading2(text), let .paragraph(text):
                lines.append(text)
            case let .table(name):
                guard let table = document.tables[name] else { continue }
                lines += aligned(table, width: width).map { "　　" + $0 }
            case let .signature(text):
                lines += ["", text]
            case let .date(text):
                lines.append(text)
            case .pageBreak, .newSection:
                lines += ["", String(repeating: "—", count: 20), ""]
            case let .blank(count):
                lines += Array(repeating: "", count: count)
            case let .attachmentLabel(text):
                lines.append(text)
            case .sealed:
                break
            }
        }
        while lines.first == "" { lines.removeFirst() }
        return lines.map { SafeText.escaped($0) }.joined(separator: "\n") + "\n"
    }

    public static func markdown(_ document: Document) -> String {
        var out: [String] = []
        for block in document.blocks {
            switch block {
            case let .title(text): out.append("# \(escaped(TitleLines.plain(text)))")
            case let .addressee(text): out.append(escaped(text))
            case let .heading1(text): out.append("## \(escaped(text))")
            case let .heading2(text): out.append("### \(escaped(text))")
            case let .paragraph(text): out.append(escaped(text.trimmingLeadingSpaces))
            case let .table(name):
                guard let table = document.tables[name] else { continue }
                var rows = ["| " + table.headers.map(escapedCell).joined(separator: " | ") + " |"]
                rows.append("|" + table.headers.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined())
                rows += table.rows.map { "| " + $0.map(escapedCell).joined(separator: " | ") + " |" }
                out.append(rows.joined(separator: "\n"))
            case let .signature(text): out.append("<p align=\"right\">\(escaped(text))</p>")
            case let .date(text): out.append("<p align=\"right\">\(escaped(text))</p>")
            case .pageBreak, .newSection: out.append("---")
            case let .blank(count): out.append(Array(repeating: "&nbsp;", count: count).joined(separator: "<br>"))
            case let .attachmentLabel(text): out.append(escaped(text))
            case .sealed: break
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    /// Columns padded in display columns (Chinese counts two).
    static func aligned(_ table: TableData, width: DisplayWidth) -> [String] {
        let all = [table.headers] + table.rows
        let widths = table.headers.indices.map { i in all.map { width.of($0.indices.contains(i) ? $0[i] : "") }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - width.of(cell)))
                return table.numeric.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
    }

    static func escaped(_ text: String) -> String {
        var out = ""
        for ch in SafeText.escaped(text) {
            if "\\`*_[]<>#|".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    static func escapedCell(_ text: String) -> String { escaped(text) }
}
