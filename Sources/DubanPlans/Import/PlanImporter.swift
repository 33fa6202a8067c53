import DubanCore
import Foundation

/// Something the importer was unsure of, with the source line it came from.
public struct ImportWarning: Sendable, Equatable {
    public let line: Int
    public let kind: String
    public let message: String
}

/// An official 工作要点 text → a plan draft (the plan file format), with warnings by line.
public struct PlanImporter {
    public struct Options: Sendable {
        public var planID: String?
        public var city: String?

        public init(planID: String? = nil, city: String? = nil) {
            self.planID = planID
            self.city = city
        }
    }

    /// A paragraph of the source: text joined across page breaks, and the line it starts on.
    struct Paragraph {
        var text: String
        let line: Int
    }

    public struct Result: Sendable {
        public let yaml: String
        public let planID: String
        public let warnings: [ImportWarning]
        public let draft: PlanDraft
    }

    let registries: [String: UnitRegistry]
    let options: Options
    private(set) var warnings: [ImportWarning] = []

    public init(registries: [String: UnitRegistry], options: Options) {
        self.registries = registries
        self.options = options
    }

    mutating func warn(_ line: Int, _ kind: String, _ message: String) {
        warnings.append(ImportWarning(line: line, kind: kind, message: message))
    }

    // MARK: - lines and paragraphs

    static let maximumCharacters = 2_000_000

    /// Furniture a scan or a web page leaves in the text: page numbers, file stamps, website chrome.
    static func isFurniture(_ line: String) -> Bool {
        let t = line
        if t.range(of: #"^[-—–－]\s*\d{1,3}\s*[-—–－]$"#, options: .regularExpression) != nil { return true }
        if t.range(of: #"^\d{1,3}$"#, options: .regularExpression) != nil { return true }
        if t.range(of: #"^\d+-\d{4}-\d+\s+\d+$"#, options: .regularExpression) != nil { return true }
        for marker in ["扫一扫在手机打开", "分享到", "相关文档", "字体大小", ".png", "（此件主动公开）", "(此件主动公开)"] where t.contains(marker) { return true }
        if t.hasSuffix("印发") && t.range(of: #"\d{4}年\d{1,2}月\d{1,2}日印发$"#, options: .regularExpression) != nil { return true }
        if t.hasSuffix("文件") && t.count < 40 && !t.contains("。") { return true }
        return false
    }

    /// PDF extraction puts spaces between Chinese and ASCII; remove those (and only those).
    static func normalised(_ line: String) -> String {
        var out = ""
        let chars = Array(line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{3000}\u{FEFF}"))))
        for (i, ch) in chars.enumerated() {
            if ch == " " && i > 0 && i + 1 < chars.count {
                let (a, b) = (chars[i - 1], chars[i + 1])
                if (isCJK(a) && (b.isASCII && (b.isLetter || b.isNumber))) || (isCJK(b) && (a.isASCII && (a.isLetter || a.isNumber))) || (isCJK(a) && isCJK(b)) {
                    continue
                }
            }
            out.append(ch)
        }
        return out
    }

    static func isCJK(_ ch: Character) -> Bool {
        guard let v = ch.unicodeScalars.first?.value else { return false }
        return (0x3000...0x303F).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xFF00...0xFFEF).contains(v)
    }

    static let terminal: Set<Character> = ["。", "；", "：", "！", "？", "）", ")", "”", "」", "』"]

    /// Joins lines a page break split (a line that does not end a sentence runs on into the next),
    /// keeping numbered lines and unit clauses as their own starts.
    mutating func paragraphs(_ text: String) -> [Paragraph] {
        var result: [Paragraph] = []
        var open = false
        var inBody = false
        for (index, raw) in text.components(separatedBy: .newlines).enumerated() {
            var line = Self.normalised(raw)
            // Control characters have no place in a plan (and could drive a terminal): dropped, and said so.
            if line.unicodeScalars.contains(where: Self.isControl) {
                line = String(String.UnicodeScalarView(line.unicodeScalars.filter { !Self.isControl($0) }))
                warn(index + 1, "control-characters", "此行含控制字符，已删除")
            }
            guard !line.isEmpty else { continue }
            if Self.isFurniture(line) { continue }
            let startsNew = Self.sectionNumber(line) != nil || Self.itemNumber(line) != nil
            if Self.sectionNumber(line) != nil { inBody = true }
            if open, !startsNew, !line.hasSuffix("："), var last = result.popLast() {
                last.text += line
                result.append(last)
            } else if !startsNew, Self.isUnitClause(line), var last = result.popLast(), Self.itemNumber(last.text) != nil {
                last.text += line
                result.append(last)
            } else {
                result.append(Paragraph(text: line, line: index + 1))
            }
            // Only a long line runs on: headings, titles and signatures are short and end without punctuation.
            // In the body a sentence never ends without punctuation, so an unfinished line runs on.
            open = !(line.last.map { Self.terminal.contains($0) } ?? true) && (line.count >= 40 || (inBody && Self.sectionNumber(line) == nil))
        }
        return result
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }

    static func isUnitClause(_ line: String) -> Bool {
        (line.hasPrefix("（") || line.hasPrefix("(")) && (line.hasSuffix("）") || line.hasSuffix(")")) && (line.contains("负责") || line.contains("牵头"))
    }

    // MARK: - numbering

    static let numerals: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10]

    static func chineseNumber(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ numerals[$0] != nil }) else { return nil }
        let values = text.map { numerals[$0]! }
        switch values.count {
        case 1: return values[0]
        case 2 where values[0] == 10: return 10 + values[1]
        case 2 where values[1] == 10: return values[0] * 10
        case 3 where values[1] == 10: return values[0] * 10 + values[2]
        default: return nil
        }
    }

    /// 一、标题 → (1, "一、", "标题")
    static func sectionNumber(_ line: String) -> (Int, String, String)? {
        guard let mark = line.firstIndex(of: "、"), line.distance(from: line.startIndex, to: mark) <= 3,
              let n = chineseNumber(line[..<mark]) else { return nil }
        return (n, String(line[...mark]), String(line[line.index(after: mark)...]))
    }

    /// （七）正文 or (七) 正文 → (7, "（七）", "正文")
    static func itemNumber(_ line: String) -> (Int, String, String)? {
        guard let first = line.first, first == "（" || first == "(" else { return nil }
        guard let close = line.firstIndex(where: { $0 == "）" || $0 == ")" }), line.distance(from: line.startIndex, to: close) <= 4,
              let n = chineseNumber(line[line.index(after: line.startIndex)..<close]) else { return nil }
        let rest = String(line[line.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        return (n, String(line[...close]), rest)
    }

    // MARK: - unit clause

    /// Splits a trailing （…牵头，…负责） off an item's text: (text, clause).
    static func splitUnitClause(_ text: String) -> (String, String?) {
        let chars = Array(text)
        guard let last = chars.last, last == "）" || last == ")" else { return (text, nil) }
        var depth = 0
        var index = chars.count - 1
        while index >= 0 {
            let ch = chars[index]
            if ch == "）" || ch == ")" { depth += 1 }
            if ch == "（" || ch == "(" {
                depth -= 1
                if depth == 0 { break }
            }
            index -= 1
        }
        guard index > 0, depth == 0 else { return (text, nil) }
        let clause = String(chars[index...])
        guard clause.contains("负责") || clause.contains("牵头") else { return (text, nil) }
        return (String(chars[..<index]), clause)
    }

    /// （市发改委牵头，市数据资源管理局，各区县（市）人民政府按职责分工负责） → lead, responsible.
    static func parseUnitClause(_ clause: String) -> (lead: [String], responsible: [String]) {
        var lead: [String] = []
        var responsible: [String] = []
        for part in splitTopLevel(String(clause.dropFirst().dropLast()), at: ["，", ","]) {
            var p = part
            let isLead = p.hasSuffix("牵头") || p.hasSuffix("按职责牵头负责") || p.hasSuffix("牵头负责")
            for suffix in ["按职责分工负责", "按职责牵头负责", "牵头负责", "等单位牵头", "牵头", "等单位按职责分工负责", "按职责负责", "负责"] where p.hasSuffix(suffix) {
                p = String(p.dropLast(suffix.count))
                break
            }
            if p.hasSuffix("等单位") { p = String(p.dropLast(3)) }
            let names = splitNames(p)
            if isLead { lead += names } else { responsible += names }
        }
        return (lead, responsible)
    }

    /// 甲、乙 → [甲, 乙]. 和 is left to resolution: it is part of many names (市自然资源和规划局).
    static func splitNames(_ text: String) -> [String] { splitTopLevel(text, at: ["、"]) }

    /// Splits at separators outside parentheses (各区县（市）人民政府 stays whole); trims and drops empties.
    static func splitTopLevel(_ text: String, at separators: Set<Character>) -> [String] {
        var parts: [String] = []
        var depth = 0
        var current = ""
        for ch in text {
            if ch == "（" || ch == "(" { depth += 1 }
            if ch == "）" || ch == ")" { depth -= 1 }
            if separators.contains(ch) && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
