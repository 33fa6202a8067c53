import DubanCore
import DubanPlans
@testable import DubanReports
import DubanTestSupport
import Foundation
import SnapshotTesting
import Testing

/// Each bundled plan a month after its year ends, on the demo year: overdue items, commendations, all of it.
func bulletin(_ planID: String, templates: TemplateSet? = nil, asOf: CivilDate? = nil) throws -> Document {
    let plan = DemoSnapshots.library.plan(planID)!
    let day = asOf ?? CivilDate(year: plan.year + 1, month: 1, day: 31)!
    let (snapshot, _) = DemoSnapshots.snapshot(planID, asOf: day, today: day)
    return try Bulletin.document(snapshot, letterhead: .of(plan, date: day), templates: templates ?? TemplateSet(directory: nil))
}

@Suite struct BulletinGoldens {
    static let plans = ["changsha-2018", "zhuzhou-2020", "changsha-2021", "changsha-2022"]

    @Test(arguments: plans) func plainText(planID: String) throws {
        assertSnapshot(of: TextRenderer.plain(try bulletin(planID)), as: .lines, named: planID)
    }

    @Test(arguments: plans) func markdown(planID: String) throws {
        assertSnapshot(of: TextRenderer.markdown(try bulletin(planID)), as: .lines, named: planID)
    }

    /// Mid-year and 09-30 as well (year-end + 1 month above): the words that depend on the date, read in the goldens.
    @Test(arguments: plans) func duringTheYear(planID: String) throws {
        let year = DemoSnapshots.library.plan(planID)!.year
        for (name, day) in [("06-30", CivilDate(year: year, month: 6, day: 30)!), ("09-30", CivilDate(year: year, month: 9, day: 30)!)] {
            assertSnapshot(of: TextRenderer.plain(try bulletin(planID, asOf: day)), as: .lines, named: "\(planID)-\(name)")
        }
    }

    @Test func theBulletinSaysWhatAnOfficeWrites() throws {
        let text = TextRenderer.plain(try bulletin("changsha-2021"))
        #expect(text.hasPrefix("关于长沙市2021年政务公开工作要点落实情况的通报"))
        for heading in ["一、总体情况", "二、各区县（市）进展", "三、存在问题", "四、下一步工作要求", "附件：各区县（市）任务完成情况统计表"] {
            #expect(text.contains(heading), "\(heading)")
        }
        #expect(text.contains("2022年1月31日"))
        #expect(text.contains("真抓实干督查激励"))
        #expect(text.contains("长沙市政务公开政务服务工作领导小组办公室"))
    }
}

@Suite struct Templating {
    @Test func aClerkCanRewordTheNextSteps() throws {
        let directory = NSTemporaryDirectory() + "duban-templates-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let edited = DefaultTemplates.bulletin.replacingOccurrences(of: "@h2 （一）压实工作责任。", with: "@h2 （一）务必于月底前整改到位。")
        try edited.write(toFile: directory + "/bulletin.mustache", atomically: true, encoding: .utf8)
        let text = TextRenderer.plain(try bulletin("changsha-2021", templates: TemplateSet(directory: directory)))
        #expect(text.contains("（一）务必于月底前整改到位。"))
        #expect(!text.contains("压实工作责任"))
    }

    @Test func aBadTemplateNamesItsFileAndLine() throws {
        let directory = NSTemporaryDirectory() + "duban-templates-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "@title 通报\n第二行\n{{#problems}}未结束的段落\n".write(toFile: directory + "/bulletin.mustache", atomically: true, encoding: .utf8)
        do {
            _ = try TemplateSet(directory: directory)
            Issue.record("a broken template was accepted")
        } catch let error as ReportError {
            #expect(error.description.contains("bulletin.mustache"))
            #expect(error.description.contains("{{/"))
        }
        try "@title 通报\n@tabel ranking\n".write(toFile: directory + "/bulletin.mustache", atomically: true, encoding: .utf8)
        #expect(throws: ReportError.self) { try bulletin("changsha-2021", templates: TemplateSet(directory: directory)) }
    }
}

@Suite struct LedgerAndReminders {
    @Test func csvOpensInChineseExcelAndNeutralisesFormulas() throws {
        let plan = DemoSnapshots.library.plan("changsha-2021")!
        let day = CivilDate(iso: "2022-01-31")!
        let (snapshot, events) = DemoSnapshots.snapshot(plan.id, asOf: day, today: day)
        var byID = Dictionary(uniqueKeysWithValues: events.map { ($0.id, $0) })
        // A clerk's note that a spreadsheet would execute.
        if let id = snapshot.standings.first?.lastReportID, let e = byID[id] {
            byID[id] = ProgressEvent(id: e.id, planID: e.planID, nodeID: e.nodeID, unitID: e.unitID, status: e.status, percent: e.percent,
                                     note: "=HYPERLINK(\"http://evil\",\"点我\")", evidence: "@SUM(1)", author: e.author, date: e.date,
                                     recordedAt: e.recordedAt)
        }
        let ledger = Ledger(snapshot, events: byID)
        let csv = ledger.csv()
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: csv, as: UTF8.self)
        #expect(text.contains("'=HYPERLINK"))
        #expect(text.contains("'@SUM(1)"))
        #expect(text.components(separatedBy: "\r\n").count == plan.assignments.count + 2)
    }

    @Test func remindersGoToLateUnitsWithAReplyByDateInWorkingDays() throws {
        let plan = DemoSnapshots.library.plan("changsha-2021")!
        let day = CivilDate(iso: "2021-09-30")!
        let (snapshot, _) = DemoSnapshots.snapshot(plan.id, asOf: CivilDate(iso: "2022-01-31")!, today: CivilDate(iso: "2022-01-31")!)
        let document = try #require(try Reminders.document(snapshot, letterhead: .of(plan, date: day), templates: TemplateSet(directory: nil),
                                                           calendar: DemoSnapshots.library.calendar, options: .init(replyWithin: 1)))
        let text = TextRenderer.plain(document)
        #expect(text.contains("请于2021年10月8日前（1个工作日内）"))   // the National Day holiday is skipped
        let units = document.blocks.compactMap { if case let .addressee(u) = $0 { return u } else { return nil } }
        let late = Set(snapshot.standings.filter { $0.isOverdue || $0.lagging }.map(\.assignment.unitID))
        #expect(units.count == late.count)
    }
}

/// A Word table wider than the line: the figure columns' headings wrap before anything else does, and the figures and
/// the short names stay on one line (the appendix of a plan under review has eleven columns).
@Suite struct WordTableWidths {
    @Test func headingsWrapBeforeFiguresAndNames() {
        let headers = ["区县（市）", "任务", "已完成", "按时完成", "逾期完成", "推进中", "待审核", "未启动", "逾期", "暂缓", "完成率"]
        let rows = [["长沙高新区", "13", "12", "10", "2", "0", "1", "0", "0", "0", "100.0%"]]
        let table = TableData(headers: headers, rows: rows, numeric: Set(1..<headers.count))
        let widths = DocxWriter.columnWidths(table)
        #expect(widths.reduce(0, +) == DocxWriter.pageWidth - DocxWriter.marginLeft - DocxWriter.marginRight)
        let measure = DisplayWidth()
        // The name and every figure as wide as its text at 12 pt (120 twips a column) and the cell's margins (114).
        #expect(widths[0] >= measure.of("长沙高新区") * 120 + 114, "\(widths)")
        for column in 1..<headers.count {
            #expect(widths[column] >= measure.of(rows[0][column]) * 144 + 114, "column \(headers[column]): \(widths)")
        }
        // Some heading wraps: the table did not fit as written.
        #expect(headers.indices.contains { widths[$0] < measure.of(headers[$0]) * 120 + 114 })
        // As laid out: in 五号 no heading of three characters breaks, and one of four breaks in its middle.
        let (laid, halfPoints) = DocxWriter.layout(table)
        #expect(halfPoints == 21 && DocxWriter.brokenWords(table, laid, halfPoints: halfPoints) == 0, "\(laid)")
        let xml = DocxWriter.table(table)
        #expect(xml.contains("按时</w:t><w:br/><w:t xml:space=\"preserve\">完成") && !xml.contains("已完</w:t><w:br/>"), "\(xml.prefix(3000))")
    }

    /// A reminder's table: the task's title wraps before a date, a figure or a heading does (a date had broken as
    /// 2021年12月31 / 日, 32 / % beside a half-empty task column).
    @Test func runningTextWrapsBeforeDatesAndFigures() {
        let table = TableData(headers: ["序号", "任务", "完成时限", "状态", "进度", "逾期天数"],
                              rows: [["1", "做好“三高四新”战略实施信息公开", "2021年12月31日", "逾期", "32%", "59"]], numeric: [0, 4, 5])
        let (widths, halfPoints) = DocxWriter.layout(table)
        #expect(DocxWriter.brokenWords(table, widths, halfPoints: halfPoints) == 0, "\(widths)")
        #expect(widths[1] < DisplayWidth().of(table.rows[0][1]) * 120 + 114, "the title wraps: \(widths)")
        #expect(widths.reduce(0, +) == DocxWriter.pageWidth - DocxWriter.marginLeft - DocxWriter.marginRight)
    }
}

/// `@blank N` leaves N lines to write on (a line of spaces alone is no paragraph); a count that is not one is named.
@Test func blankLinesAreLeftToWriteOn() throws {
    let document = try Document.parse("回执\n@blank 3\n签字：", tables: [:], template: "t.mustache")
    #expect(document.blocks == [.paragraph("回执"), .blank(3), .paragraph("签字：")])
    #expect(TextRenderer.plain(document) == "回执\n\n\n\n签字：\n")
    #expect(throws: ReportError.self) { try Document.parse("@blank 几行", tables: [:], template: "t.mustache") }
}
