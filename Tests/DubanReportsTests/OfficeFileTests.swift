import DubanCore
import DubanPlans
@testable import DubanReports
import DubanTestSupport
import Foundation
import Testing
import ZIPFoundation

/// The .docx and .xlsx read back by independent readers (python-docx, openpyxl), as Word and Excel would.
@Suite struct OfficeFilesReadBack {
    static var readersAvailable: Bool {
        (try? ChildProcess.run("/usr/bin/env", ["python3", "-c", "import docx, openpyxl"]))?.status == 0
    }

    static func python(_ script: String, _ arguments: [String]) throws -> (Int32, String) {
        let result = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script] + arguments)
        return (result.status, result.stdout + result.stderr)
    }

    static func temporary(_ name: String, _ data: Data) throws -> String {
        let path = NSTemporaryDirectory() + UUID().uuidString + "-" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(.enabled(if: readersAvailable)) func bulletinDocxFollowsGBT9704() throws {
        let document = try bulletin("changsha-2021")
        let path = try Self.temporary("bulletin.docx", try DocxWriter.data(document, title: "通报", date: CivilDate(iso: "2022-01-31")!))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output) = try Self.python(#"""
import sys, docx
from docx.shared import Mm
d = docx.Document(sys.argv[1])
s = d.sections[0]
assert abs(s.page_width.mm - 210) < 0.5 and abs(s.page_height.mm - 297) < 0.5, "A4"
assert abs(s.top_margin.mm - 37) < 0.2 and abs(s.bottom_margin.mm - 35) < 0.2, "top/bottom"
assert abs(s.left_margin.mm - 28) < 0.2 and abs(s.right_margin.mm - 26) < 0.2, "left/right"
def east_asia(style):
    rpr = style.element.rPr
    fonts = rpr.rFonts if rpr is not None else None
    return fonts.get('{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia') if fonts is not None else None
paragraphs = d.paragraphs
title = paragraphs[0]
assert title.text.replace("\n", "") == "关于长沙市2021年政务公开工作要点落实情况的通报", title.text
# Two lines, broken between words (not 落实情 / 况的通报).
assert title.text.split("\n") == ["关于长沙市2021年政务公开工作要点", "落实情况的通报"], title.text
assert east_asia(title.style) == "方正小标宋简体", east_asia(title.style)
assert title.style.font.size.pt == 22, title.style.font.size
h1 = [p for p in paragraphs if p.text == "一、总体情况"][0]
assert east_asia(h1.style) == "黑体"
h2 = [p for p in paragraphs if p.text.startswith("（一）")][0]
assert east_asia(h2.style) == "楷体_GB2312"
defaults = d.styles.element.find('{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docDefaults')
from lxml import etree
xml = etree.tostring(defaults, encoding="unicode") if defaults is not None else ""
assert '仿宋_GB2312' in xml and 'w:val="32"' in xml, "body 3号 仿宋_GB2312"
ranking = d.tables[0]
header = [c.text for c in ranking.rows[0].cells]
assert header == ["名次", "区县（市）", "应办", "已完成", "完成率", "逾期", "得分", "备注"], header
assert len(ranking.rows) == 10, len(ranking.rows)
first = [c.text for c in ranking.rows[1].cells]
assert first[0] == "1" and first[4].endswith("%"), first
assert any(p.text == "2022年1月31日" for p in paragraphs), "成文日期"
footer = s.even_page_footer.paragraphs[0].text + "|" + s.footer.paragraphs[0].text
assert "—" in footer, footer
print("ok", len(paragraphs), len(d.tables))
"""#, [path])
        #expect(status == 0, "\(output)")
    }

    @Test(.enabled(if: readersAvailable)) func ledgerXlsxHasRowsDatesAndFrozenHeader() throws {
        let plan = DemoSnapshots.library.plan("zhuzhou-2020")!
        let day = CivilDate(iso: "2021-01-31")!
        let (snapshot, events) = DemoSnapshots.snapshot(plan.id, asOf: day, today: day)
        let ledger = Ledger(snapshot, events: Dictionary(uniqueKeysWithValues: events.map { ($0.id, $0) }))
        let path = try Self.temporary("ledger.xlsx", try ledger.xlsx())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output) = try Self.python(#"""
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
assert ws.title == "督办台账", ws.title
# A title row over the table, with the plan and the day.
assert "督办台账" in ws["A1"].value and "2021年1月31日" in ws["A1"].value, ws["A1"].value
assert "A1:P1" in [str(r) for r in ws.merged_cells.ranges], ws.merged_cells.ranges
header = [c.value for c in ws[2]]
assert header == ["序号", "编号", "任务", "牵头单位", "责任单位", "完成时限", "状态", "预警", "完成进度", "进展说明", "佐证材料", "更新时间", "逾期天数", "责任人", "联系人", "备注"], header
# Every row carries its light in the ledger's words; a yellow one says why.
lights = {ws.cell(r, 8).value for r in range(3, ws.max_row + 1)}
assert lights <= {"红灯", "黄灯（临期）", "黄灯（滞后）", "绿灯", "灰灯"} and "红灯" in lights, lights
assert ws.max_row == int(sys.argv[2]) + 2, ws.max_row
assert ws.freeze_panes == "D3", ws.freeze_panes
row = [c.value for c in ws[3]]
assert row[0] == 1 and row[1] == "1.1", row
assert isinstance(row[5], datetime.datetime) and row[5].year == 2020, row[5]
# Progress as a percentage, not text.
assert isinstance(row[8], float) and 0 <= row[8] <= 1 and ws.cell(3, 9).number_format == "0%", (row[8], ws.cell(3, 9).number_format)
assert ws.column_dimensions["C"].width > 20
statuses = {ws.cell(r, 7).value for r in range(3, ws.max_row + 1)}
assert "逾期" in statuses and "已完成" in statuses, statuses
# Prints: landscape A4, one page wide, the header row on every page, borders, wrapped text in rows tall enough.
assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9"), ws.page_setup.orientation
assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, "1") and ws.page_setup.fitToHeight in (0, "0")
assert ws.print_title_rows in ("2:2", "$2:$2"), ws.print_title_rows
assert ws.cell(3, 3).border.left.style == "thin" and ws.cell(3, 10).alignment.wrap_text
assert all(ws.row_dimensions[r].height >= 15 for r in range(3, ws.max_row + 1))
# Evidence links are links; no cell shows a leading apostrophe.
links = [ws.cell(r, 11).hyperlink.target for r in range(3, ws.max_row + 1) if ws.cell(r, 11).hyperlink]
assert links and all(l.startswith("http") for l in links), links[:3]
assert not any(isinstance(c.value, str) and c.value.startswith("'") for r in ws.iter_rows(min_row=3) for c in r)
print("ok", ws.max_row)
"""#, [path, String(plan.assignments.count)])
        #expect(status == 0, "\(output)")
    }
}

/// LibreOffice opens the bulletin without repair and lays it out on A4 pages.
@Suite struct LibreOfficeOpensTheBulletin {
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice") && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdfinfo")
    }

    /// A tool's stdout; LibreOffice gets a private HOME (its profile) in the scratch directory.
    static func run(_ tool: String, _ arguments: [String], home: String) throws -> String {
        try ChildProcess.run(tool, arguments, environment: ["HOME": home, "PATH": "/usr/bin:/bin"]).stdout
    }

    @Test(.enabled(if: available), .timeLimit(.minutes(3))) func convertsToAnA4PDF() throws {
        let directory = NSTemporaryDirectory() + "duban-lo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let docx = directory + "/bulletin.docx"
        try DocxWriter.data(try bulletin("changsha-2021"), title: "通报", date: CivilDate(iso: "2022-01-31")!).write(to: URL(fileURLWithPath: docx))
        func run(_ tool: String, _ arguments: [String]) throws -> String { try Self.run(tool, arguments, home: directory) }
        _ = try run("/usr/bin/soffice", ["--headless", "--convert-to", "pdf", "--outdir", directory, docx])
        let info = try run("/usr/bin/pdfinfo", [directory + "/bulletin.pdf"])
        #expect(info.contains("(A4)"), "\(info)")
        let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        #expect(pages >= 2)
        // Page by page: no page holds only the signature or the date (GB/T 9704 7.3.5), whatever the plan.
        for planID in ["changsha-2018", "zhuzhou-2020", "changsha-2021", "changsha-2022"] {
            let plan = DemoSnapshots.library.plan(planID)!
            let file = directory + "/\(planID).docx"
            let document = try bulletin(planID)
            try DocxWriter.data(document, title: "通报", date: CivilDate(iso: "2022-01-31")!).write(to: URL(fileURLWithPath: file))
            _ = try run("/usr/bin/soffice", ["--headless", "--convert-to", "pdf", "--outdir", directory, file])
            let pdf = directory + "/\(planID).pdf"
            let count = try run("/usr/bin/pdfinfo", [pdf]).split(separator: "\n").first { $0.hasPrefix("Pages:") }
                .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
            #expect(count >= 2, "\(planID)")
            let signature = Set([plan.issuer, OfficeText.date(CivilDate(year: plan.year + 1, month: 1, day: 31)!)])
            for page in 1...max(1, count) {
                let text = try run("/usr/bin/pdftotext", ["-f", "\(page)", "-l", "\(page)", pdf, "-"])
                let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty && $0.range(of: #"^—\s*\d+\s*—$"#, options: .regularExpression) == nil }
                let content = lines.filter { !signature.contains($0.replacingOccurrences(of: " ", with: "")) }
                #expect(!content.isEmpty, "\(planID) page \(page) holds only the signature or date: \(lines)")
            }
        }
    }

    /// The ledger printed by LibreOffice Calc: landscape A4, and the first page shows the task and its progress together
    /// (fit to one page wide). Skipped where Calc is not installed.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/lib/libreoffice/program/libsclo.so")), .timeLimit(.minutes(3)))
    func theLedgerPrintsOnePageWide() throws {
        let directory = NSTemporaryDirectory() + "duban-lo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plan = DemoSnapshots.library.plan("changsha-2021")!
        let day = CivilDate(iso: "2021-09-30")!
        let (snapshot, events) = DemoSnapshots.snapshot(plan.id, asOf: day, today: day)
        let ledger = Ledger(snapshot, events: Dictionary(uniqueKeysWithValues: events.map { ($0.id, $0) }))
        try ledger.xlsx().write(to: URL(fileURLWithPath: directory + "/ledger.xlsx"))
        func run(_ tool: String, _ arguments: [String]) throws -> String { try Self.run(tool, arguments, home: directory) }
        _ = try run("/usr/bin/soffice", ["--headless", "--convert-to", "pdf", "--outdir", directory, directory + "/ledger.xlsx"])
        let info = try run("/usr/bin/pdfinfo", [directory + "/ledger.pdf"])
        #expect(info.contains("841.89 x 595.") && info.contains("(A4)"), "landscape A4: \(info)")
        // A heading may wrap in its cell (with a CJK font installed, 逾期天数 does): read the page without its line breaks.
        let first = try run("/usr/bin/pdftotext", ["-f", "1", "-l", "1", directory + "/ledger.pdf", "-"]).filter { !$0.isWhitespace }
        for heading in ["任务", "完成进度", "进展说明", "逾期天数", "备注"] { #expect(first.contains(heading), "page 1 lacks \(heading)") }
        #expect(first.contains("督办台账"))
    }

    /// GB/T 9704 7.3.5: unsealed, the signature two characters in and the date's first character two to the right of
    /// the signature's; a long date two in, pushing the signature left; sealed, the date four in, the signature centred over it.
    @Test func signatureAndDatePositions() {
        let office = "长沙市政务公开政务服务工作领导小组办公室"   // 20 characters
        #expect(SignatureLayout(signature: office, date: "2021年9月30日", sealed: false) == SignatureLayout(signature: 2, date: 13))
        #expect(SignatureLayout(signature: "市政府办", date: "2021年12月31日", sealed: false) == SignatureLayout(signature: 7, date: 2))
        #expect(SignatureLayout(signature: "市政府", date: "2021年12月31日", sealed: true) == SignatureLayout(signature: 6, date: 4))
    }

    @Test func titlesBreakBetweenWords() {
        #expect(TitleLines.lines("关于长沙市2021年政务公开工作要点｜落实情况的通报") == ["关于长沙市2021年政务公开工作要点", "落实情况的通报"])
        #expect(TitleLines.lines("关于短标题｜落实情况的通报") == ["关于短标题落实情况的通报"])
        #expect(TitleLines.plain("甲｜乙") == "甲乙")
    }

    /// Run properties in schema order (CT_RPr: rFonts before b), which Word is reported to drop otherwise.
    @Test func runPropertiesAreInSchemaOrder() throws {
        let data = try DocxWriter.data(try bulletin("changsha-2021"), title: "通报", date: CivilDate(iso: "2022-01-31")!)
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive["word/document.xml"])
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        let xml = String(decoding: bytes, as: UTF8.self)
        #expect(xml.contains("<w:rFonts") && !xml.contains("<w:b/><w:rFonts"))
        #expect(!xml.contains("<w:keepNext/><w:pStyle"))
    }
}

/// A bidi override or C1 control in text that reaches a document is shown, not obeyed (issue 12, item 8).
@Suite struct DocumentTextSafety {
    @Test func bidiAndC1ControlsAreShownAsText() {
        #expect(XML.escape("甲\u{202E}乙\u{85}丙\u{1B}") == #"甲\u{202E}乙\u{85}丙\u{1B}"#)
        #expect(XML.escape("一\t二\n三") == "一\t二\n三")
    }
}
