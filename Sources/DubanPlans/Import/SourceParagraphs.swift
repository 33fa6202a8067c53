import DubanCore
import Foundation

/// A paragraph of the source: text joined across page breaks, and the line it starts on. A table row
/// (cells separated by tabs) is a paragraph of its own and never joined.
struct Paragraph {
    var text: String
    let line: Int

    var isTableRow: Bool { text.contains("\t") }
    var cells: [String] { text.components(separatedBy: "\t").map { PlanImporter.normalised($0) } }
}

extension PlanImporter {
    static let maximumCharacters = 2_000_000

    /// Furniture a scan or a web page leaves in the text: page numbers, file stamps, website chrome.
    static func isFurniture(_ line: String) -> Bool {
        let t = line
        // Page numbers and file stamps are short lines of digits and dashes; only those are worth a pattern.
        if t.count <= 24, t.unicodeScalars.first.map({ $0.properties.numericType != nil || "-—–－".unicodeScalars.contains($0) }) == true,
           t.range(of: #"^[-—–－]\s*\d{1,3}\s*[-—–－]$"#, options: .regularExpression) != nil { return true }
        if t.count <= 3, t.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        if t.count <= 24, t.first?.isNumber == true, t.range(of: #"^\d+-\d{4}-\d+\s+\d+$"#, options: .regularExpression) != nil { return true }
        for marker in ["扫一扫在手机打开", "分享到", "相关文档", "字体大小", ".png", "（此件主动公开）", "(此件主动公开)", "【打印】", "【关闭】", "打印本页", "关闭窗口"]
            where t.contains(marker) { return true }
        if t.hasSuffix("印发") && t.range(of: #"\d{4}年\d{1,2}月\d{1,2}日印发$"#, options: .regularExpression) != nil { return true }
        if t.hasSuffix("文件") && t.count < 40 && !t.contains("。") && NumberingLexer.marker(t) == nil { return true }   // a letterhead
        return false
    }

    /// PDF extraction puts spaces between Chinese and ASCII; remove those (and only those).
    static func normalised(_ line: String) -> String {
        var out = ""
        // A web copy that could not encode the full-width indent shows it as ?? at the start of each line.
        var line = Substring(line)
        while line.first == "?" { line = line.dropFirst() }
        let chars = Array(line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{3000}\u{FEFF}\u{A0}"))))
        for (i, ch) in chars.enumerated() {
            if (ch == " " || ch == "\u{3000}" || ch == "\u{A0}") && i > 0 && i + 1 < chars.count {
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
    /// keeping numbered lines, table rows and unit clauses as their own starts.
    mutating func paragraphs(_ text: String) -> [Paragraph] {
        var result: [Paragraph] = []
        var open = false
        var inBody = false
        for (original, index) in Self.sourceLines(text) {
          for raw in Self.pieces(Self.tabbed(original)) {
            let isRow = raw.contains("\t") && raw.split(separator: "\t", omittingEmptySubsequences: true).count >= 2
            var line = isRow ? raw.components(separatedBy: "\t").map { Self.normalised($0) }.joined(separator: "\t") : Self.normalised(raw.replacingOccurrences(of: "\t", with: " "))
            // Control characters have no place in a plan (and could drive a terminal): dropped, and said so.
            if line.unicodeScalars.contains(where: { Self.isControl($0) && $0 != "\t" }) {
                line = String(String.UnicodeScalarView(line.unicodeScalars.filter { !Self.isControl($0) || $0 == "\t" }))
                warn(index + 1, "control-characters", "此行含控制字符，已删除")
            }
            guard !line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\t"))).isEmpty else { continue }
            if Self.isFurniture(line) { continue }
            if isRow {
                result.append(Paragraph(text: line, line: index + 1))
                open = false
                continue
            }
            let marker = NumberingLexer.marker(line)
            let isField = TableReader.labelField(line) != nil || Self.isUnitLine(line)
            // A plan's title, or the notice's, stands alone: it never runs on, nor is it run into.
            let isTitle = line.hasSuffix("的通知") || Self.isPlanTitle(line)
            // A signature and its date stand alone too, after the body as before it: 湘潭市人民政府办公室 / 2024年3月15日
            // had run together into one line, and neither was then read.
            let isSignature = Self.dateLine(line) != nil || (marker == nil && Self.isIssuer(Self.issuerText(line)))
            let startsNew = marker != nil || isField || isTitle || isSignature
            if marker != nil { inBody = true }
            if open, !startsNew, !line.hasSuffix("："), var last = result.popLast() {
                last.text += line
                result.append(last)
            } else if !startsNew, Self.isUnitClause(line), let previous = result.last, NumberingLexer.marker(previous.text) != nil {
                result[result.count - 1].text += line
            } else {
                result.append(Paragraph(text: line, line: index + 1))
            }
            // Only a long line runs on: headings, titles and signatures are short and end without punctuation.
            // In the body a sentence never ends without punctuation, so an unfinished line runs on, except a
            // numbered heading (一、总体要求, （一）推进决策公开).
            let isHeading = marker.map { $0.0.style == .chineseComma || $0.0.style == .part || $0.1.count < 16 } ?? false
            open = !isField && !isTitle && !isSignature && !(line.last.map { Self.terminal.contains($0) } ?? true)
                && (line.count >= 40 || (inBody && !isHeading))
          }
        }
        return result
    }

    /// The text's lines with their 0-based numbers. Some web copies of a table put each cell on a line of its own
    /// ending in |, and end each row with a line of bars only: those cells are gathered into one row.
    static func sourceLines(_ text: String) -> [(String, Int)] {
        // \r\n is one line break (a Windows file), not two: line numbers must match what the clerk's editor shows.
        let lines = cellStreams(text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: .newlines))
        var result: [(String, Int)] = []
        var cells: [String] = []
        var rowStart = 0
        func isBars(_ line: String) -> Bool { !line.isEmpty && line.allSatisfy { $0 == "|" || $0 == " " } }
        func isCell(_ line: String) -> Bool {
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasSuffix("|") && t.filter { $0 == "|" }.count == 1
        }
        func flush() {
            if !cells.isEmpty { result.append((cells.joined(separator: "\t"), rowStart)) }
            cells = []
        }
        for (index, line) in lines.enumerated() {
            if isCell(line) {
                if cells.isEmpty { rowStart = index }
                cells.append(String(line.trimmingCharacters(in: .whitespaces).dropLast()).trimmingCharacters(in: .whitespaces))
            } else if isBars(line.trimmingCharacters(in: .whitespaces)) {
                if cells.count == 1 { cells.append("") }
                flush()
            } else {
                if cells.count == 1 {
                    result.append((cells[0], rowStart))
                    cells = []
                }
                flush()
                result.append((line, index))
            }
        }
        flush()
        return result
    }

    /// Another web copy of a table: every cell on its own line, a line holding only | between cells, and rows
    /// known only by their 序号 cell. Such a stream becomes its header line and one tab-separated line per row
    /// (a row is its number and the cells up to the next number, at most as many as the header has after its
    /// first column; cells left over open the next row, as a merged category does). Other lines stay as they are.
    static func cellStreams(_ lines: [String]) -> [String] {
        func isBar(_ line: String) -> Bool { line.trimmingCharacters(in: .whitespaces) == "|" }
        let isNumber = TableReader.isRowNumber
        var out: [String] = []
        var i = 0
        while i < lines.count {
            if let (rows, end) = barelessTable(lines, from: i) {
                out += rows
                i = end
                continue
            }
            // A stream: content, |, content, |, … with at least four bars. Each cell keeps its line.
            var j = i, cells: [String] = [], cellLines: [Int] = []
            while j < lines.count, !isBar(lines[j]), !lines[j].trimmingCharacters(in: .whitespaces).isEmpty || cells.count > 0,
                  j + 1 < lines.count, isBar(lines[j + 1]) {
                cells.append(lines[j].trimmingCharacters(in: .whitespaces))
                cellLines.append(j)
                j += 2
            }
            guard cells.count >= 5, let firstNumber = cells.firstIndex(where: isNumber) else {
                out.append(lines[i])
                i += 1
                continue
            }
            if j < lines.count, !lines[j].trimmingCharacters(in: .whitespaces).isEmpty, !isBar(lines[j]) {
                cells.append(lines[j])
                cellLines.append(j)
                j += 1
            }
            let lead = Array(cells[..<firstNumber])
            // The header is the leading cells that name columns; what follows them before the first number is data.
            let named = lead.prefix { TableReader.column(of: $0) != .other }.count
            let headerCount = named > 0 && TableReader.columns(ofHeader: Array(lead.prefix(named))) != nil ? named : 0
            // Each row stands on the line of its first cell, so warnings name the line the clerk sees.
            var rows: [(cells: [String], line: Int)] = headerCount > 0 ? [(Array(lead.prefix(headerCount)), cellLines[0])] : []
            let perRow = max(1, headerCount - 1)
            var pending = Array(lead.dropFirst(headerCount))
            var pendingLine = headerCount < lead.count ? cellLines[headerCount] : nil
            var k = firstNumber
            while k < cells.count {
                var row = (cells: pending + [cells[k]], line: pendingLine ?? cellLines[k])
                pending = []
                pendingLine = nil
                k += 1
                var taken = 0
                while k < cells.count, !isNumber(cells[k]) {
                    if taken < perRow {
                        row.cells.append(cells[k])
                        taken += 1
                    } else {
                        if pending.isEmpty { pendingLine = cellLines[k] }
                        pending.append(cells[k])
                    }
                    k += 1
                }
                rows.append(row)
            }
            var region = Array(repeating: "", count: j - i)
            for row in rows { region[row.line - i] = row.cells.joined(separator: "\t") }
            out += region
            i = j
        }
        return out
    }

    /// The same without bars, as a PDF or a web page gives a table: a header of short cells one per line (blank
    /// lines between them allowed) that names a 序号 column, then rows each opened by its number with one line per
    /// remaining column. Returns the lines that replace it (rows on the line of their number) and where it ends.
    static func barelessTable(_ lines: [String], from start: Int) -> ([String], Int)? {
        func trimmed(_ k: Int) -> String { lines[k].trimmingCharacters(in: .whitespaces) }
        func nextFilled(_ k: Int) -> Int? { (k..<lines.count).first { !trimmed($0).isEmpty } }
        guard !trimmed(start).isEmpty, trimmed(start).count <= 4, TableReader.column(of: trimmed(start)) == .number else { return nil }
        var header: [String] = []
        var k = start
        while let f = nextFilled(k), header.count < 10 {
            let cell = trimmed(f).replacingOccurrences(of: " ", with: "")
            guard cell.count <= 8, !TableReader.isRowNumber(cell) else { break }
            header.append(cell)
            k = f + 1
        }
        guard header.count >= 3, TableReader.columns(ofHeader: header) != nil, let first = nextFilled(k), TableReader.isRowNumber(trimmed(first))
        else { return nil }
        var out = Array(repeating: "", count: k - start)
        out[0] = header.joined(separator: "\t")
        var end = k
        while let number = nextFilled(end), TableReader.isRowNumber(trimmed(number)) {
            var cells = [trimmed(number)]
            var cursor = number + 1
            while cells.count < header.count, let f = nextFilled(cursor), !TableReader.isRowNumber(trimmed(f)) {
                cells.append(trimmed(f))
                cursor = f + 1
            }
            out += Array(repeating: "", count: number - end) + [cells.joined(separator: "\t")] + Array(repeating: "", count: cursor - number - 1)
            end = cursor
        }
        return (out, end)
    }

    /// A table copied from a web page as text keeps its cells between | bars (two or more make a row).
    static func tabbed(_ line: String) -> String {
        guard line.filter({ $0 == "|" }).count >= 2 else { return line }
        var cells = line.components(separatedBy: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        if cells.first?.isEmpty == true { cells.removeFirst() }
        if cells.last?.isEmpty == true { cells.removeLast() }
        return cells.count >= 2 ? cells.joined(separator: "\t") : line
    }

    /// A web page that lost its line breaks runs a whole document into one line: a long line is cut again
    /// where a sentence ends and a numbered paragraph begins (。二、 / 。（三） / 。4、).
    static func pieces(_ line: String) -> [String] {
        guard line.count > 300, !line.contains("\t") else { return [line] }
        // A space before a number is a lost break too (“（一）强化重点领域信息公开 1、数字经济……”).
        let pattern = #"(?:(?<=[。；])\s*|\s+)(?=([一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[、.．](?!\d)))"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [line] }
        let ns = line as NSString
        var pieces: [String] = []
        var start = 0
        for match in regex.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            pieces.append(ns.substring(with: NSRange(location: start, length: match.range.location - start)))
            start = match.range.location + match.range.length
        }
        pieces.append(ns.substring(from: start))
        return pieces.filter { !$0.isEmpty }
    }

    /// What no plan may hold (SafeText.isForbidden); a line's own end is already gone here.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool { SafeText.isForbidden(scalar) || scalar == "\n" }

    static func isUnitClause(_ line: String) -> Bool {
        (line.hasPrefix("（") || line.hasPrefix("(")) && (line.hasSuffix("）") || line.hasSuffix(")")) && (line.contains("负责") || line.contains("牵头"))
    }
}
