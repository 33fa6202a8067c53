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

    /// Column widths (twips) that fit the content: every column as wide as its widest cell (12 pt table text: 120 twips, and slack,
    /// per display column). When that is more than the line, the headings of figure columns wrap first (onto two lines, down
    /// to the column's widest figure), and only then the widest text columns (task titles) give way and wrap: dates,
    /// figures and short names stay on one line.
    static func columnWidths(_ table: TableData) -> [Int] {
        let measure = DisplayWidth()
        let textWidth = pageWidth - marginLeft - marginRight
        func twips(_ columns: Int) -> Int { columns * 132 + 180 }  // 10% slack for the fonts a reader substitutes
        func values(_ column: Int) -> [String] { table.rows.compactMap { column < $0.count ? $0[column] : nil } }
        // Figures are given room for the Latin digits of a CJK font (about 0.6 em): "100.0%" wrapped in the tables of 12 pt.
        func figures(_ column: Int) -> Int {
            table.numeric.contains(column) ? (values(column).map { measure.of($0) }.max() ?? 0) * 150 + 180 : 0
        }
        let needed = table.headers.indices.map { column -> Int in
            max(twips(max(4, ([table.headers[column]] + values(column)).map { measure.of($0) }.max() ?? 4)), figures(column))
        }
        // A figure column's least: its widest figure, its heading on two lines.
        let floors = table.headers.indices.map { column -> Int in
            table.numeric.contains(column)
                ? min(needed[column], max(twips((measure.of(table.headers[column]) + 1) / 2), figures(column))) : needed[column]
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
        if needed.reduce(0, +) <= textWidth {
            // Room to spare: every column widened in proportion, so the table spans the line evenly.
            widths = needed.map { $0 * textWidth / max(1, needed.reduce(0, +)) }
        } else if floors.reduce(0, +) <= textWidth {
            widths = largestFitting { cap in needed.indices.map { min(needed[$0], max(cap, floors[$0])) } }
        } else {
            let figures = needed.indices.map { table.numeric.contains($0) ? floors[$0] : 0 }
            widths = largestFitting { cap in needed.indices.map { table.numeric.contains($0) ? figures[$0] : min(needed[$0], cap) } }
        }
        // Rounding's remainder goes to the widest column.
        if let widest = widths.indices.max(by: { widths[$0] < widths[$1] }) { widths[widest] += textWidth - widths.reduce(0, +) }
        return widths
    }

    static func table(_ table: TableData) -> String {
        var xml = #"<w:tbl><w:tblPr><w:tblStyle w:val="DubanTable"/><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/>"#
        xml += #"<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders>"#
        let widths = columnWidths(table)
        xml += #"<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#
        xml += widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        func row(_ cells: [String], header: Bool) -> String {
            var r = header ? #"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"# : #"<w:tr><w:trPr><w:cantSplit/></w:trPr>"#
            for (index, cell) in cells.enumerated() {
                // CT_RPr order: rFonts before b (Word drops properties out of order).
                let bold = header ? "<w:rFonts w:eastAsia=\"黑体\" w:hint=\"eastAsia\"/><w:b/>" : ""
                let width = index < widths.count ? widths[index] : 0
                r += #"<w:tc><w:tcPr><w:tcW w:w="\#(width)" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="DubanTableText"/></w:pPr><w:r><w:rPr>\#(bold)</w:rPr><w:t xml:space="preserve">\#(XML.escape(cell))</w:t></w:r></w:p></w:tc>"#
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
