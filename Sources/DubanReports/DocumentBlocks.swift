import DubanCore
/// A document as blocks: what a rendered template says, before it becomes txt, Markdown or Word.
///
/// Templates write one block per line: `@title …`, `@to …`, `@h1 …`, `@h2 …`, `@table NAME`,
/// `@signature …`, `@date …`, `@pagebreak`, `@blank N` (lines left empty to write on); any other non-empty line is a
/// body paragraph.
public enum Block: Equatable, Sendable {
    case title(String)
    case addressee(String)
    case heading1(String)
    case heading2(String)
    case paragraph(String)
    case table(String)
    case signature(String)
    case date(String)
    case pageBreak
    /// Lines left empty for a hand to write on (a 回执's 整改措施): a line of spaces alone is no paragraph.
    case blank(Int)
    /// The document will be sealed (加盖印章): the signature is centred over the date, the date four characters in
    /// (GB/T 9704 7.3.5.1). Without it, the unsealed layout (7.3.5.2). Set by `@sealed` in a template; draws nothing.
    case sealed
    /// 附件 at the top left of an attachment page (黑体, no colon, GB/T 9704 8.1).
    case attachmentLabel(String)
    /// A new page that starts its own numbering (each unit's 催办单 is a document of its own when printed).
    case newSection
}

/// A table the document refers to by name.
public struct TableData: Sendable, Equatable {
    public let headers: [String]
    public let rows: [[String]]
    /// Columns holding numbers (right-aligned).
    public let numeric: Set<Int>

    public init(headers: [String], rows: [[String]], numeric: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.numeric = numeric
    }
}

extension Block {
    var isSignature: Bool { if case .signature = self { true } else { false } }
}

/// A 2号 title's lines. The template marks where a line may end with ｜ (between words: `…工作要点｜落实情况的通报`);
/// the parts are packed into lines of at most `perLine` characters (20 at 2号 on a GB/T 9704 page), so the title
/// never breaks inside a word unless one part alone is longer than a line. Plain text shows the title whole.
public enum TitleLines {
    public static let marker: Character = "｜"

    public static func lines(_ title: String, perLine: Int = 20) -> [String] {
        let measure = DisplayWidth()
        var lines: [String] = []
        var current = ""
        for part in title.split(separator: marker, omittingEmptySubsequences: true).map(String.init) {
            if current.isEmpty || measure.of(current + part) <= perLine * 2 {
                current += part
            } else {
                lines.append(current)
                current = part
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    public static func plain(_ title: String) -> String { title.filter { $0 != marker } }
}

public struct Document: Sendable {
    public let blocks: [Block]
    public let tables: [String: TableData]

    public init(blocks: [Block], tables: [String: TableData]) {
        self.blocks = blocks
        self.tables = tables
    }

    /// A document whose figures count simulated (demo) events says so before anything else.
    public func markingDemo(_ count: Int) -> Document {
        guard count > 0 else { return self }
        let notice = "【演示数据】本文件的统计含 \(count) 条由 duban 演示功能模拟的进展，不是真实登记，不得作为正式文件印发。"
        return Document(blocks: [.paragraph(notice)] + blocks, tables: tables)
    }

    /// Reads rendered template text into blocks; an unknown directive or table is an error naming the line.
    public static func parse(_ text: String, tables: [String: TableData], template: String) throws -> Document {
        var blocks: [Block] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw).trimmingTrailingSpaces
            guard !line.trimmingLeadingSpaces.isEmpty else { continue }
            guard line.hasPrefix("@") else {
                blocks.append(.paragraph(line))
                continue
            }
            let parts = line.dropFirst().split(separator: " ", maxSplits: 1)
            let directive = parts.first.map(String.init) ?? ""
            let argument = parts.count > 1 ? String(parts[1]).trimmingLeadingSpaces : ""
            switch directive {
            case "title": blocks.append(.title(argument))
            case "to": blocks.append(.addressee(argument))
            case "h1": blocks.append(.heading1(argument))
            case "h2": blocks.append(.heading2(argument))
            case "signature": blocks.append(.signature(argument))
            case "date": blocks.append(.date(argument))
            case "pagebreak": blocks.append(.pageBreak)
            case "blank":
                guard let count = Int(argument), (1...30).contains(count) else {
                    throw ReportError.template(template, line: index + 1, "@blank 后应为 1 到 30 的行数，而不是“\(argument)”")
                }
                blocks.append(.blank(count))
            case "sealed": blocks.append(.sealed)
            case "attachment": blocks.append(.attachmentLabel(argument.isEmpty ? "附件" : argument))
            case "table":
                guard tables[argument] != nil else {
                    throw ReportError.template(template, line: index + 1,
                                               "没有名为“\(argument)”的表格（可用：\(tables.keys.sorted().joined(separator: "、"))）")
                }
                blocks.append(.table(argument))
            default:
                throw ReportError.template(template, line: index + 1,
                                           "不认识的指令“@\(directive)”：可用 @title @to @h1 @h2 @table @signature @date @pagebreak @blank @attachment @sealed")
            }
        }
        return Document(blocks: blocks, tables: tables)
    }
}

public enum ReportError: Error, CustomStringConvertible, Equatable {
    case template(String, line: Int, String)
    case unknownFormat(String, allowed: [String])

    public var description: String {
        switch self {
        case let .template(name, line, message): return "模板 \(name) 第 \(line) 行：\(message)"
        case let .unknownFormat(format, allowed): return "不支持的格式“\(format)”：可用 \(allowed.joined(separator: "、"))"
        }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }

    var trimmingLeadingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\u{3000}" })
    }
}
