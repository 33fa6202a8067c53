import DubanCore
import Foundation

/// The 督办台账: one row per assignment.
public struct Ledger: Sendable {
    public static let headers = ["序号", "编号", "任务", "牵头单位", "责任单位", "完成时限", "状态", "完成进度", "进展说明", "佐证材料", "更新时间", "逾期天数"]

    public struct Row: Sendable, Equatable {
        public let number: Int
        public let nodeID: String
        public let task: String
        public let lead: String
        public let unit: String
        public let deadline: CivilDate
        public let status: String
        public let percent: Int
        public let note: String
        public let evidence: String
        public let updated: CivilDate?
        public let daysOverdue: Int?
    }

    public let title: String
    public let asOf: CivilDate
    public let rows: [Row]

    /// `events`: the latest event of each assignment, by id (for note and evidence).
    public init(_ snapshot: PlanSnapshot, events: [Int64: ProgressEvent]) {
        let plan = snapshot.plan
        // Simulated records are marked where they stand and in the title: a ledger is forwarded without its context.
        let hasDemo = snapshot.standings.contains { s in s.lastEventID.flatMap { events[$0] }?.demo == true }
        title = "\(plan.title)督办台账（截至\(OfficeText.date(snapshot.asOf))）" + (hasDemo ? "（含演示数据，非真实登记）" : "")
        asOf = snapshot.asOf
        rows = snapshot.standings.enumerated().map { index, s in
            let node = plan.node(s.assignment.nodeID)
            let event = s.lastEventID.flatMap { events[$0] }
            let status = OfficeText.status(s)
            return Row(number: index + 1, nodeID: s.assignment.nodeID, task: node?.title ?? "",
                       lead: node?.lead.map(\.name).joined(separator: "、") ?? "",
                       unit: plan.registry.unit(id: s.assignment.unitID)?.name ?? s.assignment.unitID,
                       deadline: s.deadline, status: status, percent: s.isDone ? 100 : s.percent,
                       note: event.map { $0.demo ? "（演示）" + $0.note : $0.note } ?? "", evidence: event?.evidence ?? "", updated: s.lastUpdate,
                       daysOverdue: s.isOverdue || s.verdict == .doneLate ? s.daysOverdue : nil)
        }
    }

    func cells(_ row: Row) -> [String] {
        [String(row.number), row.nodeID, row.task, row.lead, row.unit, row.deadline.description, row.status, "\(row.percent)%",
         row.note, row.evidence, row.updated?.description ?? "", row.daysOverdue.map(String.init) ?? ""]
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

    /// An .xlsx workbook: header row, frozen panes, column widths, a filter, dates as dates.
    public func xlsx() throws -> Data {
        var package = OOXMLPackage()
        package.add("[Content_Types].xml", OOXMLPackage.header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#)
        package.add("_rels/.rels", OOXMLPackage.header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)
        package.add("xl/_rels/workbook.xml.rels", OOXMLPackage.header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#)
        package.add("xl/workbook.xml", OOXMLPackage.header + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="督办台账" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'督办台账'!$A$1:$L$\#(rows.count + 1)</definedName></definedNames></workbook>"#)
        // Styles: 0 default, 1 header (bold, grey), 2 date, 3 wrapped text.
        package.add("xl/styles.xml", OOXMLPackage.header + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font><font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#)
        package.add("xl/worksheets/sheet1.xml", sheet())
        return try package.data(modified: asOf.noon)
    }

    static let columnWidths: [Double] = [6, 8, 36, 20, 14, 12, 10, 10, 48, 36, 12, 10]

    func sheet() -> String {
        var xml = OOXMLPackage.header
        xml += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:L\#(rows.count + 1)"/>"#
        xml += #"<sheetViews><sheetView workbookViewId="0" tabSelected="1"><pane ySplit="1" xSplit="3" topLeftCell="D2" activePane="bottomRight" state="frozen"/><selection pane="bottomRight" activeCell="D2" sqref="D2"/></sheetView></sheetViews>"#
        xml += "<sheetFormatPr defaultRowHeight=\"15\"/><cols>"
        for (i, width) in Self.columnWidths.enumerated() {
            xml += #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(width)" customWidth="1"/>"#
        }
        xml += "</cols><sheetData>"
        func column(_ i: Int) -> String { String(UnicodeScalar(UInt8(65 + i))) }
        func text(_ ref: String, _ value: String, style: Int = 0) -> String {
            #"<c r="\#(ref)" t="inlineStr" s="\#(style)"><is><t xml:space="preserve">\#(XML.escape(Self.neutralised(SafeText.escaped(value))))</t></is></c>"#
        }
        func number(_ ref: String, _ value: Int, style: Int = 0) -> String { #"<c r="\#(ref)" s="\#(style)"><v>\#(value)</v></c>"# }
        func date(_ ref: String, _ value: CivilDate) -> String { number(ref, value.dayNumber + 25569, style: 2) }
        xml += "<row r=\"1\">" + Self.headers.enumerated().map { text("\(column($0))1", $1, style: 1) }.joined() + "</row>"
        for (index, row) in rows.enumerated() {
            let r = index + 2
            var cells = number("A\(r)", row.number) + text("B\(r)", row.nodeID) + text("C\(r)", row.task) + text("D\(r)", row.lead)
            cells += text("E\(r)", row.unit) + date("F\(r)", row.deadline) + text("G\(r)", row.status) + number("H\(r)", row.percent)
            cells += text("I\(r)", row.note, style: 3) + text("J\(r)", row.evidence)
            cells += row.updated.map { date("K\(r)", $0) } ?? ""
            cells += row.daysOverdue.map { number("L\(r)", $0) } ?? ""
            xml += "<row r=\"\(r)\">\(cells)</row>"
        }
        xml += "</sheetData><autoFilter ref=\"A1:L\(rows.count + 1)\"/>"
        xml += #"<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape"/></worksheet>"#
        return xml
    }
}
