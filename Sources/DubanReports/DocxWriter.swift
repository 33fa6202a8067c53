import DubanCore
import Foundation

/// A document as .docx laid out to GB/T 9704-2012 (党政机关公文格式): A4; margins top 37 mm, bottom 35 mm,
/// left 28 mm, right 26 mm; 22 lines of 28 characters; title 2号 方正小标宋简体; body 3号 仿宋_GB2312;
/// first-level headings 黑体, second-level 楷体_GB2312; page numbers “— 1 —” in 4号 at the outer bottom
/// corner; real Word tables.
public enum DocxWriter {
    // Twentieths of a point (twips): 1 mm = 56.7 twips.
    static let pageWidth = 11906, pageHeight = 16838
    static let marginTop = 2098, marginBottom = 1984, marginLeft = 1587, marginRight = 1474
    /// (297 − 37 − 35) mm ÷ 22 lines.
    static let linePitch = 579
    /// (210 − 28 − 26) mm ÷ 28 characters = 15.79 pt per character; 3号 is 16 pt, so each character gives
    /// back a quarter point (−5 twips of character spacing). A character grid (linesAndChars) would do the
    /// same in Word, but LibreOffice then gives a full-width glyph two grid cells; spacing works in all three.
    static let characterSpacing = -5

    public static func data(_ document: Document, title: String, date: CivilDate) throws -> Data {
        var package = OOXMLPackage()
        package.add("[Content_Types].xml", contentTypes)
        package.add("_rels/.rels", rootRelationships)
        package.add("docProps/core.xml", core(title: title, date: date))
        package.add("docProps/app.xml", app)
        package.add("word/_rels/document.xml.rels", documentRelationships)
        package.add("word/document.xml", body(document))
        package.add("word/styles.xml", styles)
        package.add("word/settings.xml", settings)
        package.add("word/fontTable.xml", fontTable)
        package.add("word/footer1.xml", footer(alignment: "right"))
        package.add("word/footer2.xml", footer(alignment: "left"))
        return try package.data(modified: date.noon)
    }

    // MARK: - body

    static func body(_ document: Document) -> String {
        var xml = OOXMLPackage.header
        xml += #"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#
        let restarts = document.blocks.contains(.newSection)
        let sealed = document.blocks.contains(.sealed)
        var signatureIndents: SignatureLayout?
        for (index, block) in document.blocks.enumerated() {
            // The paragraph before the signature keeps with it, and the signature with its date: the signature block
            // never stands alone on a page (GB/T 9704 7.3.5).
            let beforeSignature = index + 1 < document.blocks.count && document.blocks[index + 1].isSignature
            switch block {
            case let .title(text):
                let runs = TitleLines.lines(text).map { #"<w:r><w:t xml:space="preserve">\#(XML.escape($0))</w:t></w:r>"# }
                xml += #"<w:p><w:pPr><w:pStyle w:val="DubanTitle"/></w:pPr>\#(runs.joined(separator: "<w:r><w:br/></w:r>"))</w:p>"#
                xml += paragraph("", style: "Normal")
            case let .addressee(text): xml += paragraph(text, style: "DubanAddressee")
            case let .heading1(text): xml += paragraph(text, style: "DubanHeading1")
            case let .attachmentLabel(text): xml += paragraph(text, style: "DubanAttachment")
            case let .heading2(text): xml += paragraph(text, style: "DubanHeading2")
            case let .paragraph(text): xml += paragraph(text.trimmingLeadingSpaces, style: "Normal", keepWithNext: beforeSignature)
            case let .table(name):
                if let table = document.tables[name] { xml += self.table(table) }
            case let .signature(text):
                let date = document.blocks.dropFirst(index + 1).first { if case .date = $0 { true } else { false } }
                let dateText = if case let .date(d)? = date { d } else { "" }
                signatureIndents = SignatureLayout(signature: text, date: dateText, sealed: sealed)
                xml += paragraph("", style: "Normal", keepWithNext: true)
                xml += signatureLine(text, rightIndent: signatureIndents?.signature ?? 2, keepWithNext: true)
            case let .date(text):
                xml += signatureLine(text, rightIndent: signatureIndents?.date ?? 2, keepWithNext: false)
            case .sealed: break
            case .pageBreak: xml += #"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#
            case let .blank(count): xml += String(repeating: paragraph("", style: "Normal"), count: count)
            // The paragraph carrying a section's properties ends that section; the next starts on a new page at 1.
            case .newSection: xml += "<w:p><w:pPr>\(sectionProperties(restartNumbering: restarts))</w:pPr></w:p>"
            }
        }
        xml += sectionProperties(restartNumbering: restarts)
        xml += "</w:body></w:document>"
        return xml
    }

    /// Page size, margins, grid and footers; elements in the order CT_SectPr requires (footerReference, type, pgSz,
    /// pgMar, pgNumType, docGrid). `restartNumbering`: this section's pages are numbered from 1.
    static func sectionProperties(restartNumbering: Bool) -> String {
        """
        <w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>\
        <w:type w:val="nextPage"/>\
        <w:pgSz w:w="\(pageWidth)" w:h="\(pageHeight)"/>\
        <w:pgMar w:top="\(marginTop)" w:right="\(marginRight)" w:bottom="\(marginBottom)" w:left="\(marginLeft)" w:header="851" w:footer="1247" w:gutter="0"/>\
        \(restartNumbering ? #"<w:pgNumType w:start="1"/>"# : "")<w:docGrid w:type="lines" w:linePitch="\(linePitch)"/></w:sectPr>
        """
    }

    /// A signature or date line, right-aligned `rightIndent` characters (3号: 320 twips each) from the margin.
    static func signatureLine(_ text: String, rightIndent: Int, keepWithNext: Bool) -> String {
        let runs = text.isEmpty ? "" : #"<w:r><w:t xml:space="preserve">\#(XML.escape(text))</w:t></w:r>"#
        let keep = keepWithNext ? "<w:keepNext/>" : ""
        return #"<w:p><w:pPr><w:pStyle w:val="DubanSignature"/>\#(keep)<w:ind w:firstLineChars="0" w:firstLine="0" w:rightChars="\#(rightIndent * 100)" w:right="\#(rightIndent * 320)"/><w:jc w:val="right"/></w:pPr>\#(runs)</w:p>"#
    }

    static func paragraph(_ text: String, style: String, keepWithNext: Bool = false) -> String {
        let runs = text.isEmpty ? "" : #"<w:r><w:t xml:space="preserve">\#(XML.escape(text))</w:t></w:r>"#
        // CT_PPr order: pStyle, keepNext, …
        return #"<w:p><w:pPr><w:pStyle w:val="\#(style)"/>\#(keepWithNext ? "<w:keepNext/>" : "")</w:pPr>\#(runs)</w:p>"#
    }

    /// The width (twips) text takes in a table cell at 12 pt × `scale`: 240 a Chinese character, 144 a digit or Latin
    /// letter (a CJK font's Latin digits are about 0.6 em: "100.0%" and "2021年12月31日" had wrapped), and 60 where Chinese
    /// meets digits (the gap Word and LibreOffice put there: "2021 年 12 月 31 日"). The one measure of the table's layout.
    static func textTwips(_ text: some Sequence<Character>, scale: Double = 1) -> Int {
        let measure = DisplayWidth()
        var (total, previousWide) = (0.0, nil as Bool?)
        for ch in text {
            let isWide = measure.of(ch) >= 2
            total += (isWide ? 240 : 144) + (previousWide.map { $0 != isWide } == true ? 60 : 0)
            previousWide = isWide
        }
        return Int(total * scale)
    }

    /// A cell's left and right margins (57 twips each, in `table`).
    static let cellMargins = 114
    /// A heading this short (characters) is never broken: 已完成 reads wrong as 已完 / 成.
    static let wholeHeading = 3

    /// Running text: a text column whose widest cell is eight Chinese characters or more (task titles). It may wrap,
    /// down to eight a line; dates, figures and short names may not.
    static func isRunningText(_ table: TableData, _ column: Int) -> Bool {
        !table.numeric.contains(column) && values(table, column).contains { textTwips($0) > textTwips("八个字符八个字符") }
    }

    static func values(_ table: TableData, _ column: Int) -> [String] { table.rows.compactMap { column < $0.count ? $0[column] : nil } }

    /// Column widths (twips) that fit the content: every column as wide as its widest cell (`textTwips`, with a tenth
    /// more for the fonts a reader substitutes, and the margins). When that is more than the line, running text wraps
    /// first, down to eight characters a line; then the headings of figure columns wrap onto two lines, down to the
    /// column's widest figure; only then does everything give way. Dates, figures and short names stay on one line as
    /// long as anything else can wrap. What is left over goes first to the columns made narrower than their content,
    /// the nearest to whole first, so a heading of three characters is made whole again rather than the widest column
    /// padded.
    static func columnWidths(_ table: TableData, scale: Double = 1) -> [Int] {
        let textWidth = pageWidth - marginLeft - marginRight
        func twips(_ text: some Sequence<Character>) -> Int { textTwips(text, scale: scale) * 11 / 10 + cellMargins + 66 }
        let columns = table.headers.indices
        let needed = columns.map { column in max(twips("两字"), ([table.headers[column]] + values(table, column)).map { twips($0) }.max() ?? 0) }
        let shortest = twips("八个字符八个字符")
        let running = Set(columns.filter { isRunningText(table, $0) })
        // A figure column's least: its widest figure, its heading on two lines.
        let floors = columns.map { column -> Int in
            if running.contains(column) { return min(needed[column], shortest) }
            guard table.numeric.contains(column) else { return needed[column] }
            let heading = Array(table.headers[column])
            let half = twips(heading.prefix((heading.count + 1) / 2))
            return min(needed[column], max(half, values(table, column).map { twips($0) }.max() ?? 0))
        }
        func largestFitting(_ widths: (Int) -> [Int]) -> [Int] {
            var (low, high) = (0, needed.max() ?? 0)
            while low < high {
                let cap = (low + high + 1) / 2
                if widths(cap).reduce(0, +) <= textWidth { low = cap } else { high = cap - 1 }
            }
            return widths(low)
        }
        var widths: [Int]
        let wholeButRunning = columns.map { running.contains($0) ? floors[$0] : needed[$0] }
        if needed.reduce(0, +) <= textWidth {
            // Room to spare: every column widened in proportion, so the table spans the line evenly.
            widths = needed.map { $0 * textWidth / max(1, needed.reduce(0, +)) }
        } else if wholeButRunning.reduce(0, +) <= textWidth {
            widths = largestFitting { cap in columns.map { running.contains($0) ? min(needed[$0], max(cap, floors[$0])) : needed[$0] } }
        } else if floors.reduce(0, +) <= textWidth {
            widths = largestFitting { cap in columns.map { min(needed[$0], max(cap, floors[$0])) } }
        } else {
            let figures = columns.map { table.numeric.contains($0) ? floors[$0] : 0 }
            widths = largestFitting { cap in columns.map { table.numeric.contains($0) ? figures[$0] : min(needed[$0], cap) } }
        }
        var left = textWidth - widths.reduce(0, +)
        for column in columns.filter({ widths[$0] < needed[$0] }).sorted(by: { needed[$0] - widths[$0] < needed[$1] - widths[$1] }) {
            let more = min(left, needed[column] - widths[column])
            widths[column] += more
            left -= more
        }
        if let widest = widths.indices.max(by: { widths[$0] < widths[$1] }) { widths[widest] += left }
        return widths
    }

    /// The widths, and the table's type size in half-points: 12 pt (小四), or 10.5 pt (五号) when at 12 pt a word would
    /// break that at 10.5 pt stays whole (the bulletin's eleven columns broke 已完成 into 已完 / 成 at 12 pt).
    static func layout(_ table: TableData) -> (widths: [Int], halfPoints: Int) {
        let normal = columnWidths(table)
        let broken = brokenWords(table, normal, halfPoints: 24)
        guard broken > 0 else { return (normal, 24) }
        let small = columnWidths(table, scale: 21 / 24)
        return brokenWords(table, small, halfPoints: 21) < broken ? (small, 21) : (normal, 24)
    }

    /// Cells a column is too narrow for that ought to stay on one line: a short heading, and every figure, date or
    /// short name (the cells of columns that are not running text).
    static func brokenWords(_ table: TableData, _ widths: [Int], halfPoints: Int) -> Int {
        table.headers.indices.reduce(0) { count, column in
            let heading = table.headers[column].count <= wholeHeading ? [table.headers[column]] : []
            let words = isRunningText(table, column) ? heading : heading + values(table, column)
            return count + words.filter { textTwips($0, scale: Double(halfPoints) / 24) + cellMargins > widths[column] }.count
        }
    }

    /// Whether a heading that may break (longer than `wholeHeading`) is wider than its column, and so goes on two lines.
    static func headingWraps(_ heading: String, width: Int, halfPoints: Int) -> Bool {
        heading.count > wholeHeading && textTwips(heading, scale: Double(halfPoints) / 24) + cellMargins > width
    }

    static func table(_ table: TableData) -> String {
        var xml = #"<w:tbl><w:tblPr><w:tblStyle w:val="DubanTable"/><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/>"#
        xml += #"<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders>"#
        let (widths, halfPoints) = layout(table)
        let size = halfPoints == 24 ? "" : "<w:sz w:val=\"\(halfPoints)\"/><w:szCs w:val=\"\(halfPoints)\"/>"
        xml += #"<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#
        xml += widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        func row(_ cells: [String], header: Bool) -> String {
            var r = header ? #"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"# : #"<w:tr><w:trPr><w:cantSplit/></w:trPr>"#
            for (index, cell) in cells.enumerated() {
                // CT_RPr order: rFonts before b (Word drops properties out of order).
                let bold = (header ? "<w:rFonts w:eastAsia=\"黑体\" w:hint=\"eastAsia\"/><w:b/>" : "") + size
                let width = index < widths.count ? widths[index] : 0
                // A heading too wide for its column breaks in the middle (按时 / 完成), not where the line runs out
                // (按时完 / 成).
                let lines = header && headingWraps(cell, width: width, halfPoints: halfPoints)
                    ? [String(cell.prefix((cell.count + 1) / 2)), String(cell.dropFirst((cell.count + 1) / 2))] : [cell]
                let text = lines.map { #"<w:t xml:space="preserve">\#(XML.escape($0))</w:t>"# }.joined(separator: "<w:br/>")
                r += #"<w:tc><w:tcPr><w:tcW w:w="\#(width)" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="DubanTableText"/></w:pPr><w:r><w:rPr>\#(bold)</w:rPr>\#(text)</w:r></w:p></w:tc>"#
            }
            return r + "</w:tr>"
        }
        xml += row(table.headers, header: true)
        for cells in table.rows { xml += row(cells, header: false) }
        return xml + "</w:tbl>"
    }

    static func footer(alignment: String) -> String {
        let indent = alignment == "right" ? #"<w:ind w:right="280"/>"# : #"<w:ind w:left="280"/>"#
        return OOXMLPackage.header + #"<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr>\#(indent)<w:jc w:val="\#(alignment)"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">— </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#
    }

    // MARK: - fixed parts

    static let styles = OOXMLPackage.header + #"""
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312"/><w:spacing w:val="-5"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:snapToGrid w:val="1"/><w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="DubanTitle"><w:name w:val="公文标题"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:line="720" w:lineRule="exact"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="方正小标宋简体" w:hAnsi="方正小标宋简体" w:eastAsia="方正小标宋简体"/><w:spacing w:val="0"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="DubanAttachment"><w:name w:val="附件标识"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr><w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="DubanAddressee"><w:name w:val="主送机关"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="DubanHeading1"><w:name w:val="一级标题"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="DubanHeading2"><w:name w:val="二级标题"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:ascii="楷体_GB2312" w:hAnsi="楷体_GB2312" w:eastAsia="楷体_GB2312"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="DubanSignature"><w:name w:val="发文机关署名"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0" w:rightChars="400" w:right="1280"/><w:jc w:val="right"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="DubanTableText"><w:name w:val="表格文字"/><w:basedOn w:val="Normal"/><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="360" w:lineRule="exact"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:spacing w:val="0"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="DubanTable"><w:name w:val="公文表格"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/></w:tblPr></w:style>
</w:styles>
"""#

    static let settings = OOXMLPackage.header + #"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#

    /// The fonts GB/T 9704 names, each with the fallback Windows, WPS and LibreOffice have.
    static let fontTable = OOXMLPackage.header + #"""
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>
<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>
</w:fonts>
"""#

    static let contentTypes = OOXMLPackage.header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#

    static let rootRelationships = OOXMLPackage.header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#

    static let documentRelationships = OOXMLPackage.header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>"#

    static func core(title: String, date: CivilDate) -> String {
        OOXMLPackage.header + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>\#(XML.escape(title))</dc:title><dc:creator>duban</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">\#(date)T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">\#(date)T00:00:00Z</dcterms:modified></cp:coreProperties>"#
    }

    static let app = OOXMLPackage.header + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>duban</Application></Properties>"#
}

extension CivilDate {
    /// Noon UTC of the day: a fixed timestamp for archive entries.
    var noon: Date { Date(timeIntervalSince1970: TimeInterval(dayNumber) * 86400 + 43200) }
}
