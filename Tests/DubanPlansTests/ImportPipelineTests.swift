import DubanCore
@testable import DubanPlans
import Foundation
import Testing
import ZIPFoundation

/// Each stage of the importer alone: the numbering lexer, the outline, responsibility, header and year, scripts.
@Suite struct ImportStages {
    @Test(arguments: [
        ("一、总体要求", MarkerStyle.chineseComma, 1), ("（十二）加强", .chineseParen, 12), ("(三)推进", .chineseParen, 3),
        ("1.做好", .arabicPoint, 1), ("2．做好", .arabicPoint, 2), ("3﹒做好", .arabicPoint, 3), ("4、做好", .arabicComma, 4),
        ("（5）做好", .arabicParen, 5), ("(6)做好", .arabicParen, 6), ("⑦做好", .circled, 7), ("第二十三，做好", .ordinalWord, 23),
        ("第一部分 总体要求", .part, 1), ("第二章 任务", .part, 2),
    ])
    func everyCommonMarker(_ line: String, _ style: MarkerStyle, _ ordinal: Int) throws {
        let (marker, rest) = try #require(NumberingLexer.marker(line))
        #expect(marker.style == style && marker.ordinal == ordinal)
        #expect(!rest.isEmpty)
    }

    @Test(arguments: ["1.5亿元资金", "2023年底前完成", "12345热线", "一是加强", "（含负责人）", "第一次会议", "十分重要"])
    func quantitiesAndWordsAreNotMarkers(_ line: String) {
        #expect(NumberingLexer.marker(line) == nil)
    }

    @Test func inlineRunsCountAtLeastToTwo() {
        #expect(NumberingLexer.inlineRuns("一是甲。二是乙。三是丙。").map(\.number) == ["一是", "二是", "三是"])
        #expect(NumberingLexer.inlineRuns("①甲；②乙").map(\.number) == ["①", "②"])
        #expect(NumberingLexer.inlineRuns("（1）甲；（2）乙").count == 2)
        #expect(NumberingLexer.inlineRuns("一是只有一个。").isEmpty)
    }

    /// Levels follow the order styles first appear in, whatever the styles are.
    @Test func outlineLevelsFromOrderOfAppearance() {
        var b = OutlineBuilder()
        for line in ["（一）甲", "1、子甲", "2、子乙", "（二）乙", "1、子丙"] {
            let (m, rest) = NumberingLexer.marker(line)!
            b.add(m, text: rest, line: 1)
        }
        #expect(b.roots.map(\.text) == ["甲", "乙"])
        #expect(b.roots.map(\.children.count) == [2, 1])
        #expect(b.warnings.isEmpty)
    }

    @Test func numberingThatRepeatsOrSkipsIsReported() {
        var b = OutlineBuilder()
        for line in ["1.甲", "2.乙", "2.乙又一次", "5.戊"] {
            let (m, rest) = NumberingLexer.marker(line)!
            b.add(m, text: rest, line: 1)
        }
        #expect(b.warnings.map(\.kind) == ["repeated-number", "skipped-number"])
    }

    @Test func responsibilityInEveryCommonForm() {
        func read(_ text: String) -> Responsibility { PlanImporter.responsibility(in: text).responsibility }
        #expect(read("做好公开。（市发改委牵头，市财政局，各区县（市）人民政府按职责分工负责）") ==
                Responsibility(lead: ["市发改委"], responsible: ["市财政局", "各区县（市）人民政府"],
                               clauses: ["（市发改委牵头，市财政局，各区县（市）人民政府按职责分工负责）"]))
        #expect(read("完善规划公开（市规划国土委负责落实），并做好解读。").responsible == ["市规划国土委"])
        #expect(read("推进财政信息公开。市财政局、市审计局等部门按职责分工负责。").responsible == ["市财政局", "市审计局"])
        #expect(read("做好解读。牵头单位：市政府办公室；责任单位：市政府各委、办、局").lead == ["市政府办公室"])
        #expect(read("做好解读。牵头单位：市政府办公室；责任单位：市政府各委、办、局").responsible == ["市政府各委、办、局"])
        #expect(read("加强监管（市场监管局牵头，市公安局配合）").responsible == ["市公安局"])
        #expect(read("做好公开（含负责人信息）。").isEmpty)
        #expect(read("推进建设（重点场景应用建设牵头单位按职责分工负责）").lead.isEmpty)
        #expect(PlanImporter.standingResponsibility(in: "各市州、县市区人民政府均为责任单位，以下不再列出") == ["各市州、县市区人民政府"])
        #expect(PlanImporter.standingResponsibility(in: "以下均需各区县人民政府负责，不再列出") == ["各区县人民政府"])
        #expect(PlanImporter.splitNames("县直相关单位和各乡镇（街道）") == ["县直相关单位", "各乡镇（街道）"])
        #expect(PlanImporter.splitNames("市自然资源和规划局") == ["市自然资源和规划局"])
        #expect(PlanImporter.unitNames(in: "市有关单位（见附件1，下同）") == ["市有关单位"])
    }

    func importing(_ text: String, year: Int? = nil, part: String? = nil) throws -> PlanImporter.Result {
        var importer = PlanImporter(registries: Bundled.library.registries, options: .init(year: year, part: part))
        return try importer.run(text: text, file: "t.txt")
    }

    @Test func yearFromTitleThenNumberThenDateButNeverTheClock() throws {
        #expect(try importing("某市人民政府办公室\n某政办發〔2024〕3號\n某市政务公开工作要点\n1.甲。\n2.乙。").draft.year.value == 2024)
        #expect(try importing("某市人民政府办公室\n2019年3月1日\n某市政务公开工作要点\n1.甲。\n2.乙。").draft.year.value == 2019)
    }

    @Test func noYearAnywhereAsksForIt() throws {
        #expect { try importing("某市政务公开工作要点\n1.甲。\n2.乙。") } throws: { error in
            guard case ImportError.noYear = error else { return false }
            return "\(error)".contains("--year")
        }
        #expect(try importing("某市政务公开工作要点\n1.甲。\n2.乙。", year: 2025).draft.year.value == 2025)
    }

    @Test func aNoticeWithTwoPlansImportsTheOpennessOneOrThePartNamed() throws {
        let text = """
        湘潭市人民政府办公室关于印发《2023年政务管理服务工作要点》和《2023年政务公开工作要点》的通知
        2023年政务管理服务工作要点
        1.优化营商环境。（市行政审批服务局负责）
        2.推进一件事一次办。（市政务服务中心负责）
        2023年政务公开工作要点
        1.加强政策解读。（市政府办公室负责）
        2.做好政府信息公开。（市直各单位负责）
        """
        let openness = try importing(text)
        #expect(openness.draft.title == "2023年政务公开工作要点")
        #expect(openness.draft.sections.flatMap(\.children).map(\.title.value) == ["加强政策解读", "做好政府信息公开"])
        #expect(openness.warnings.contains { $0.kind == "two-plans" })
        #expect(try importing(text, part: "政务管理服务").draft.sections.flatMap(\.children).first?.title.value == "优化营商环境")
    }

    @Test func traditionalScriptIsConvertedAndSaidSo() throws {
        let result = try importing("湘潭市2023年政務公開工作要點\n一、深化政務公開\n（一）加強政策解讀。（市政府辦公室牽頭，各縣市區人民政府負責）\n（二）做好依申請公開。")
        #expect(result.draft.title == "湘潭市2023年政务公开工作要点")
        #expect(result.warnings.contains { $0.kind == "traditional-script" })
        #expect(result.draft.sections[0].children[0].responsible?.map(\.value) == ["各县市区人民政府"])
    }

    @Test func big5IsReadAndMisEncodedBytesAreNamedAsSuch() throws {
        let text = "湘潭市2023年政務公開工作要點\n一、深化政務公開\n（一）加強政策解讀。"
        let big5 = try encoded(text, as: "BIG5")
        let (decoded, encoding) = try #require(TextDecoding.decode(big5))
        #expect(encoding == .big5 && decoded == text)
        // Bytes that are no Chinese encoding's text: the failure names the encoding, not the numbering.
        var garbage = Data()
        var seed: UInt32 = 7
        for _ in 0..<600 { seed = seed &* 1_103_515_245 &+ 12345; garbage.append(UInt8(0x81 + (seed >> 16) % 0x7E)) }
        guard case let .failure(failure) = TextDecoding.decodeOrExplain(garbage) else { Issue.record("decoded garbage"); return }
        #expect(failure.description.contains("编码"))
    }

    /// A task-split table in a .docx: header, merged category cells, units and deadline columns.
    @Test func docxTablesBecomeItemsWithTheirColumns() throws {
        func cell(_ text: String, merge: String? = nil) -> String {
            let props = merge.map { "<w:tcPr><w:vMerge w:val=\"\($0)\"/></w:tcPr>" } ?? ""
            return "<w:tc>\(props)<w:p><w:r><w:t>\(text)</w:t></w:r></w:p></w:tc>"
        }
        func row(_ cells: String...) -> String { "<w:tr>" + cells.joined() + "</w:tr>" }
        let table = "<w:tbl>" + row(cell("序号"), cell("类别"), cell("工作任务"), cell("牵头单位"), cell("责任单位"), cell("完成时限"))
            + row(cell("1"), cell("一、决策公开", merge: "restart"), cell("推进重大决策预公开。"), cell("市司法局"), cell("各县市区人民政府"), cell("2023年6月底前"))
            + row(cell("2"), "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>", cell("做好政策解读。"), cell("市政府办公室"), cell("市直各单位"), cell("长期坚持"))
            + "</w:tbl>"
        let xml = "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
            + "<w:p><w:r><w:t>湘潭市2023年政务公开重点工作任务分工</w:t></w:r></w:p>" + table + "</w:body></w:document>"
        let archive = try Archive(accessMode: .create)
        let data = Data(xml.utf8)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { p, n in
            data.subdata(in: Int(p)..<Int(p) + n)
        }
        let text = try DocxText.paragraphs(try #require(archive.data))
        let result = try importing(text)
        let items = result.draft.sections.flatMap(\.children)
        #expect(result.draft.sections.map(\.title.value) == ["决策公开"])
        #expect(items.map(\.title.value) == ["推进重大决策预公开", "做好政策解读"])
        #expect(items.map { $0.lead?.map(\.value) ?? [] } == [["市司法局"], ["市政府办公室"]])
        #expect(items[0].responsible?.map(\.value) == ["各县市区人民政府"])
        #expect(items[0].deadline?.value == "2023年6月底前" && items[1].deadline == nil)
    }

    /// A damaged document.xml is named with its line and expat's reason; entities that expand without bound (a
    /// "billion laughs" file) are refused rather than filling memory; character references and the five named
    /// entities are text.
    @Test func docxXMLIsReadStrictly() throws {
        func docx(_ xml: String) throws -> Data {
            let archive = try Archive(accessMode: .create)
            let data = Data(xml.utf8)
            try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { p, n in
                data.subdata(in: Int(p)..<Int(p) + n)
            }
            return try #require(archive.data)
        }
        let head = "<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\n"
        let text = try DocxText.paragraphs(docx(head + "<w:p><w:r><w:t>A&amp;B &lt;一&gt; &#x4E8C;&#19977;</w:t><w:tab/><w:t>四</w:t></w:r></w:p></w:body></w:document>"))
        #expect(text == "A&B <一> 二三\t四")
        do {
            _ = try DocxText.paragraphs(docx(head + "<w:p><w:r><w:t>未闭合</w:r></w:p>\n</w:body></w:document>"))
            Issue.record("a mismatched tag was read")
        } catch let ImportError.notADocument(message) {
            #expect(message.contains("第 3 行") && message.contains("标签不配对"), "\(message)")
        }
        var laughs = "<!DOCTYPE w:document [<!ENTITY a \"哈哈哈哈哈哈哈哈哈哈\">"
        for (name, inner) in zip("bcdefghij", "abcdefghi") {
            laughs += "<!ENTITY \(name) \"" + String(repeating: "&\(inner);", count: 10) + "\">"
        }
        laughs += "]>"
        do {
            _ = try DocxText.paragraphs(docx("<?xml version=\"1.0\"?>" + laughs + "<w:document><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"))
            Issue.record("the entities were expanded")
        } catch let ImportError.notADocument(message) {
            #expect(message.contains("恶意"), "\(message)")
        }
    }

    /// The issuing office, wherever a real copy puts it: a web page's label taken off, the spaces a lossy copy turned
    /// into "?" dropped from the signature and its date, or the name that opens the notice's title.
    @Test func theIssuerIsFoundWithoutItsWrapping() throws {
        let body = "一、推进决策公开\n（一）做好政策解读。（牵头单位：市政府办公室）\n"
        let labelled = try importing("2020年某市政务公开工作实施方案\n基本介绍\n  • 发布单位:某市人民政府办公室\n" + body)
        #expect(labelled.draft.issuer == "某市人民政府办公室")
        let signed = try importing("长沙市2021年政务公开工作要点\n长沙市政务公开领导小组??????????\n2021年6月18日??????\n" + body)
        #expect(signed.draft.issuer == "长沙市政务公开领导小组")
        #expect(signed.draft.issued?.value == "2021-06-18")
        let notice = try importing("长乐区人民政府办公室关于贯彻落实《2020年政务公开工作要点》的通知\n发布时间:2020-09-10 10:38\n" + body)
        #expect(notice.draft.issuer == "长乐区人民政府办公室")
    }

    /// Labelled unit fields on a line of their own, one or several to the line (牵头单位：…；责任单位：…): each goes to
    /// its column, as it does inside the item's brackets.
    @Test func labelledFieldsOnTheirOwnLineAreEachRead() throws {
        let result = try importing("""
            湘潭市2024年政务公开工作要点
            一、深化重点领域信息公开
            （一）加强财政信息公开。全面公开财政预决算信息。
            牵头单位：市财政局；责任单位：市直各单位、各县市区人民政府；完成时限：6月底前
            （二）做好政策解读。重要政策文件与解读材料同步发布。
            牵头单位：市政府办公室
            责任单位：各县市区人民政府
            """)
        let items = result.draft.sections.flatMap(\.children)
        #expect(items.map { $0.lead?.map(\.value) ?? [] } == [["市财政局"], ["市政府办公室"]])
        #expect(items.map { $0.responsible?.map(\.value) ?? [] } == [["市直各单位", "各县市区人民政府"], ["各县市区人民政府"]])
        #expect(items[0].deadline?.value == "6月底前")
    }

    /// A work point that runs in dated stages splits into them, whether a stage opens with 于 or with its date.
    @Test func datedStagesBecomeSubtasks() throws {
        let result = try importing("长沙市2023年政务公开工作要点\n一、推进标准化\n（一）推进目录编制。6月底前，完成目录编制。9月底前，完成专栏建设。\n（二）做好解读。")
        let item = result.draft.sections[0].children[0]
        #expect(item.children.count == 2)
        let plan = PlanAssembler.assemble(result.draft, registry: Bundled.library.registries["长沙市"]!).0
        #expect(plan.nodes.filter { $0.parentID == "1.1" }.map(\.deadline.date.description) == ["2023-06-30", "2023-09-30"])
    }

    /// Every county-level division of each 市州 of 湖南 is in its shipped registry, and each registry's
    /// all-districts collective expands to them.
    @Test func everyHunanCityHasARegistryWithItsDistricts() throws {
        let hunan = DivisionTable.cities.filter { $0.code.hasPrefix("43") }
        #expect(hunan.count == 14)
        for city in hunan {
            let registry = try #require(Bundled.library.registries[city.name], "\(city.name)")
            let counties = Set(DivisionTable.counties(of: city).map(\.name))
            #expect(counties.isSubset(of: Set(registry.districts.map(\.name))), "\(city.name)")
            #expect(registry.units.contains { $0.kind == .collective && Set(registry.concreteUnits(for: $0).map(\.name)) == counties }, "\(city.name)")
        }
    }
}
