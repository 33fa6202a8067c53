import DubanCore
import Foundation

/// The 督办台账: one row per assignment.
public struct Ledger: Sendable {
    /// 责任人, 联系人 and 备注 are left for the office to fill in (duban does not know them).
    public static let headers = ["序号", "编号", "任务", "牵头单位", "责任单位", "完成时限", "状态", "预警", "完成进度", "进展说明",
                                 "佐证材料", "更新时间", "逾期天数", "责任人", "联系人", "备注"]

    public struct Row: Sendable, Equatable {
        public let number: Int
        public let nodeID: String
        public let task: String
        public let lead: String
        public let unit: String
        public let deadline: CivilDate
        public let status: String
        /// 红灯 / 黄灯（临期 or 滞后）/ 绿灯 / 灰.
        public let light: String
        public let percent: Int
        public let note: String
        public let evidence: String
        public let updated: CivilDate?
        public let daysOverdue: Int?
        /// What the office must know beside the figures: an extension (with the original deadline), one asked for.
        public let remark: String
    }

    public let title: String
    public let asOf: CivilDate
    public let rows: [Row]

    /// `events`: the latest event of each assignment, by id (for note and evidence). `reports`: the units' reports, so a
    /// row says when its unit has one missing.
    public init(_ snapshot: PlanSnapshot, events: [Int64: ProgressEvent], reports: [UnitReport] = []) {
        let missing = Dictionary(grouping: reports.filter { $0.state == .missing }, by: \.unitID).mapValues { $0.map(\.period.label) }
        let plan = snapshot.plan
        // Simulated records are marked where they stand and in the title: a ledger is forwarded without its context.
        let hasDemo = snapshot.standings.contains { s in s.lastReportID.flatMap { events[$0] }?.demo == true }
        title = "\(plan.title)督办台账（截至\(OfficeText.date(snapshot.asOf))）" + (hasDemo ? "（含演示数据，非真实登记）" : "")
        asOf = snapshot.asOf
        rows = snapshot.standings.enumerated().map { index, s in
            let node = plan.node(s.assignment.nodeID)
            let event = s.lastReportID.flatMap { events[$0] }
            let status = OfficeText.status(s)
            return Row(number: index + 1, nodeID: s.assignment.nodeID, task: node?.title ?? "",
                       lead: node?.lead.map(\.name).joined(separator: "、") ?? "",
                       unit: plan.registry.unit(id: s.assignment.unitID)?.name ?? s.assignment.unitID,
                       deadline: s.deadline, status: status, light: OfficeText.light(s), percent: s.isDone ? 100 : s.percent,
                       note: event.map { $0.demo ? "（演示）" + $0.note : $0.note } ?? "", evidence: event?.evidence ?? "", updated: s.lastUpdate,
                       daysOverdue: s.isOverdue || s.verdict == .doneLate ? s.daysOverdue : nil,
                       remark: Self.remark(s, node: node, missing: missing[s.assignment.unitID] ?? []))
        }
    }

    /// 备注: an extension and its original deadline, a request awaiting decision, last year's item this one continues,
    /// and the unit's reports missing.
    static func remark(_ s: AssignmentStanding, node: PlanNode?, missing: [String]) -> String {
        var parts = [OfficeText.deadlineRemark(s)].filter { !$0.isEmpty }
        if let from = node?.carriedFrom { parts.append("回头看：上年 \(from.planID) \(from.nodeID) 未完成转入") }
        if !missing.isEmpty { parts.append("本单位\(OfficeText.list(missing))进展未报") }
        return parts.joined(separator: "；")
    }

    func cells(_ row: Row) -> [String] {
        [String(row.number), row.nodeID, row.task, row.lead, row.unit, row.deadline.description, row.status, row.light,
         "\(row.percent)%", row.note, row.evidence, row.updated?.description ?? "", row.daysOverdue.map(String.init) ?? "", "", "", row.remark]
    }

    /// A cell a spreadsheet would run as a formula is prefixed with an apostrophe. (Tabs and carriage
    /// returns, the other classic triggers, are already shown escaped by then.)
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        return "=+-@".unicodeScalars.contains(first) ? "'" + text : text
    }

    /// UTF-8 with a byte-order mark and CRLF line ends, as Excel and WPS expect for Chinese.
    public func csv() -> Data {
        func field(_ text: String) -> String {
            let safe = Self.neutralised(SafeText.escaped(text))
            return safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : safe
        }
        var text = "\u{FEFF}" + Self.headers.map(field).joined(separator: ",") + "\r\n"
        for row in rows { text += cells(row).map(field).joined(separator: ",") + "\r\n" }
        return Data(text.utf8)
    }

    /// An .xlsx workbook that prints: a title row, the header row repeated on every page, landscape A4 one page wide,
    /// borders, wrapped text with rows tall enough for it, dates and percentages as such, evidence as links.
    public func xlsx() throws -> Data {
        let last = Self.column(Self.headers.count - 1)
        let links = rows.enumerated().compactMap { index, row in Self.isLink(row.evidence) ? (index, row.evidence) : nil }
        var package = OOXMLPackage()
        package.add("[Content_Types].xml", OOXMLPackage.header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#)
        package.add("_rels/.rels", OOXMLPackage.header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)
        package.add("xl/_rels/workbook.xml.rels", OOXMLPackage.header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#)
        package.add("xl/workbook.xml", OOXMLPackage.header + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="督办台账" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'督办台账'!$A$2:$\#(last)$\#(rows.count + 2)</definedName><definedName name="_xlnm.Print_Titles" localSheetId="0">'督办台账'!$2:$2</definedName></definedNames></workbook>"#)
        package.add("xl/styles.xml", Self.styles)
        if !links.isEmpty {
            let relationships = links.map { index, url in
                #"<Relationship Id="rIdLink\#(index)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="\#(XML.escape(url))" TargetMode="External"/>"#
            }.joined()
            package.add("xl/worksheets/_rels/sheet1.xml.rels", OOXMLPackage.header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#(relationships)</Relationships>"#)
        }
        package.add("xl/worksheets/sheet1.xml", sheet(links: links.map(\.0)))
        return try package.data(modified: asOf.noon)
    }

    /// 0 default; 1 header (bold, grey, bordered, centred, wrapped); 2 date 2021年12月31日; 3 wrapped text; 4 short text;
    /// 5 percentage; 6 whole number; 7 title (bold 14 pt, centred); 8 link (blue, underlined). 2–6 and 8 bordered.
    static let styles = OOXMLPackage.header + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><fonts count="4"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font><font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font><font><b/><sz val="14"/><name val="宋体"/><charset val="134"/></font><font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="宋体"/><charset val="134"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="9"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf><xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf><xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf><xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf><xf numFmtId="9" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf><xf numFmtId="1" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf><xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#

    static let columnWidths: [Double] = [5, 6, 28, 14, 10, 15, 8, 8, 8, 36, 24, 15, 9, 8, 8, 14]
    /// Columns whose text wraps, and so decide a row's height.
    static let wrapped: Set<Int> = [2, 3, 4, 9, 10, 15]

    static func column(_ i: Int) -> String { String(UnicodeScalar(UInt8(65 + i))) }

    static func isLink(_ text: String) -> Bool { text.hasPrefix("https://") || text.hasPrefix("http://") }

    func sheet(links: [Int]) -> String {
        let last = Self.column(Self.headers.count - 1)
        let measure = DisplayWidth()
        var xml = OOXMLPackage.header
        xml += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:\#(last)\#(rows.count + 2)"/>"#
        xml += #"<sheetViews><sheetView workbookViewId="0" tabSelected="1"><pane ySplit="2" xSplit="3" topLeftCell="D3" activePane="bottomRight" state="frozen"/><selection pane="bottomRight" activeCell="D3" sqref="D3"/></sheetView></sheetViews>"#
        xml += "<sheetFormatPr defaultRowHeight=\"15\"/><cols>"
        for (i, width) in Self.columnWidths.enumerated() {
            xml += #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(width)" customWidth="1"/>"#
        }
        xml += "</cols><sheetData>"
        // Inline strings are never formulas, so no apostrophe is needed here (the CSV needs one); line breaks stay.
        func text(_ ref: String, _ value: String, style: Int) -> String {
            #"<c r="\#(ref)" t="inlineStr" s="\#(style)"><is><t xml:space="preserve">\#(XML.escape(SafeText.escaped(value, keepNewlines: true)))</t></is></c>"#
        }
        func number(_ ref: String, _ value: String, style: Int) -> String { #"<c r="\#(ref)" s="\#(style)"><v>\#(value)</v></c>"# }
        func date(_ ref: String, _ value: CivilDate?) -> String { value.map { number(ref, String($0.dayNumber + 25569), style: 2) } ?? text(ref, "", style: 4) }
        xml += #"<row r="1" ht="24" customHeight="1">"# + text("A1", title, style: 7) + "</row>"
        xml += #"<row r="2" ht="30" customHeight="1">"# + Self.headers.enumerated().map { text("\(Self.column($0))2", $1, style: 1) }.joined() + "</row>"
        for (index, row) in rows.enumerated() {
            let r = index + 3
            let c = { (i: Int) in "\(Self.column(i))\(r)" }
            var cells = number(c(0), String(row.number), style: 6) + text(c(1), row.nodeID, style: 4) + text(c(2), row.task, style: 3)
            cells += text(c(3), row.lead, style: 3) + text(c(4), row.unit, style: 3) + date(c(5), row.deadline)
            cells += text(c(6), row.status, style: 4) + text(c(7), row.light, style: 4)
            cells += number(c(8), String(Double(row.percent) / 100), style: 5) + text(c(9), row.note, style: 3)
            cells += text(c(10), row.evidence, style: Self.isLink(row.evidence) ? 8 : 3) + date(c(11), row.updated)
            cells += row.daysOverdue.map { number(c(12), String($0), style: 6) } ?? text(c(12), "", style: 4)
            cells += text(c(13), "", style: 4) + text(c(14), "", style: 4) + text(c(15), row.remark, style: 3)
            // Tall enough for the longest wrapped cell: lines of the column's width, 15 points each. A fifth more than
            // the display columns count: the fonts a printer or LibreOffice substitutes set Chinese wider than two of
            // Excel's units, and a link breaks only at its slashes, so an exact count cut the last line off on paper.
            let texts = [2: row.task, 3: row.lead, 4: row.unit, 9: row.note, 10: row.evidence, 15: row.remark]
            let lines = texts.map { column, value in
                value.split(separator: "\n", omittingEmptySubsequences: false).reduce(0) { total, line in
                    total + max(1, Int((Double(measure.of(String(line))) * 1.2 / max(1, Self.columnWidths[column] - 1)).rounded(.up)))
                }
            }.max() ?? 1
            xml += #"<row r="\#(r)" ht="\#(max(1, lines) * 15)" customHeight="1">\#(cells)</row>"#
        }
        xml += "</sheetData><autoFilter ref=\"A2:\(last)\(rows.count + 2)\"/>"
        xml += "<mergeCells count=\"1\"><mergeCell ref=\"A1:\(last)1\"/></mergeCells>"
        if !links.isEmpty {
            xml += "<hyperlinks>" + links.map { #"<hyperlink ref="K\#($0 + 3)" r:id="rIdLink\#($0)"/>"# }.joined() + "</hyperlinks>"
        }
        xml += #"<printOptions horizontalCentered="1"/><pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/><headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>"#
        return xml + "</worksheet>"
    }
}
