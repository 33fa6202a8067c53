import DubanCore
@testable import DubanPlans
import Foundation
import Testing
import ZIPFoundation

/// The text in another encoding, made with the system's iconv (an independent encoder).
func encoded(_ text: String, as encoding: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    process.arguments = ["-f", "UTF-8", "-t", encoding]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}

/// Imports a seed document and assembles the result against the bundled registries.
func imported(_ text: String, file: String = "seed.txt", city: String? = nil, id: String? = nil, year: Int? = nil) throws -> (Plan, [ImportWarning], String) {
    var importer = PlanImporter(registries: Bundled.library.registries, options: .init(planID: id, city: city, year: year))
    let result = try importer.run(text: text, file: file)
    let (draft, problems) = PlanFile.parse(result.yaml, file: "imported.yaml")
    #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")
    let parsed = try #require(draft)
    let registry = try #require(Bundled.library.registries[parsed.city.value])
    return (PlanAssembler.assemble(parsed, registry: registry).0, result.warnings, result.yaml)
}

@Suite struct Import {
    /// Where the bundled plan reads more into the prose than an importer can, and why. Everything else must match.
    enum Reading: Hashable { case title, units }
    static let readings: [String: [String: Set<Reading>]] = [
        "changsha-2021": [:],
        "zhuzhou-2020": [
            "5.18": [.units],   // “选择……基础好的县市区” is read as every 县市区 taking part
        ],
        "changsha-2018": [
            "1.2": [.units],    // follows 1.2.4's reading below
            "1.2.4": [.units],  // 财政部门 leads; “推动市、区县(市)政府及其部门” read as 各区县（市）人民政府 and 市直部门
            "3.11": [.units],   // the 公报 editors lead the 公报 item, though the text names them only as receiver
            "4.13": [.units],   // 浏阳市 is the pilot, so it leads
        ],
        "changsha-2022": [
            "2.4.1": [.title], "2.5.1": [.title], "2.5.2": [.title], "2.5.3": [.title], "2.5.4": [.title],
            "2.5.5": [.title], "2.5.6": [.title], "2.5.7": [.title], "2.5.8": [.title],   // unnumbered stages: titles written by hand
            "2.4.2": [.units],  // “基层政府工作人员” read as the districts' staff
        ],
    ]
    static let seeds = ["changsha-2021": "000_cceafcc75b2966bb.txt", "changsha-2018": "001_ba8def7f6884b930.txt",
                        "zhuzhou-2020": "003_083bca08c54f1534.txt", "changsha-2022": "004_39e31d1736c085e7.txt"]

    /// Each seed document imports to its bundled plan, node by node: ids, numbers, titles, full texts, units and deadlines.
    @Test(arguments: ["changsha-2021", "changsha-2018", "zhuzhou-2020", "changsha-2022"])
    func seedReproducesBundledPlanNodeByNode(_ planID: String) throws {
        let (plan, warnings, _) = try imported(Bundled.seed(Self.seeds[planID]!))
        let bundled = Bundled.plan(planID)
        let readings = Self.readings[planID]!
        #expect(plan.id == bundled.id && plan.title == bundled.title && plan.documentNumber == bundled.documentNumber)
        #expect(plan.issued == bundled.issued && plan.issuer == bundled.issuer && plan.year == bundled.year)
        #expect(Set(plan.districts.map(\.name)) == Set(bundled.districts.map(\.name)))
        #expect(plan.nodes.map(\.id) == bundled.nodes.map(\.id))
        for (a, b) in zip(plan.nodes, bundled.nodes) {
            let id = a.id
            #expect(a.kind == b.kind && a.number == b.number && a.numbered == b.numbered, "\(id)")
            #expect(a.text == b.text, "\(id)")
            #expect(a.deadline.date == b.deadline.date && a.deadline.phrase == b.deadline.phrase, "\(id)")
            if !(readings[id]?.contains(.title) ?? false) { #expect(a.title == b.title, "\(id)") } else {
                #expect(a.title != b.title, "\(id): the importer now reads this title; remove it from Import.readings")
            }
            let unitsMatch = a.lead.map(\.name) == b.lead.map(\.name) && a.responsible.map(\.name) == b.responsible.map(\.name)
                && a.unitsSource == b.unitsSource
            if !(readings[id]?.contains(.units) ?? false) {
                #expect(a.lead.map(\.name) == b.lead.map(\.name), "\(id)")
                #expect(a.responsible.map(\.name) == b.responsible.map(\.name), "\(id)")
                #expect(a.unitsSource == b.unitsSource, "\(id)")
            } else {
                #expect(!unitsMatch, "\(id): the importer now reads these units; remove it from Import.readings")
            }
        }
        // Every node that needed a reading is one the importer asked the clerk to check.
        let flagged = warnings.filter { ["no-unit-clause", "stages"].contains($0.kind) }.map(\.message)
        for id in readings.keys {
            let node = try #require(plan.nodes.first { $0.id == id })
            let item = try #require(node.kind == .subtask ? plan.nodes.first { $0.id == node.parentID } : node)
            #expect(flagged.contains { $0.hasPrefix("事项\(item.number)") }, "\(id) not flagged")
        }
        if planID == "changsha-2021" { #expect(warnings.isEmpty, "\(warnings)") }
    }

    @Test func zhuzhou2020WarnsWhereTheDocumentGivesNoUnits() throws {
        let (plan, warnings, _) = try imported(Bundled.seed("003_083bca08c54f1534.txt"))
        #expect(Set(warnings.filter { $0.kind == "no-unit-clause" }.map(\.line)) == Set([76, 84, 86]))
        #expect(plan.documentNumber == "株政办函〔2020〕19号")
    }

    @Test func functionNamedDepartmentsAreReadAndReceiversPartnersAndTitlesAreNot() throws {
        let registry = Bundled.library.registries["长沙市"]!
        let units = PlanImporter.unitsNamed(in: "发展改革、国土资源和环保等部门要出台方案，报市政务公开办备案。建立完善与宣传、网信等部门的联动机制。《长沙市财政局关于……的通知》", registry: registry)
        #expect(units.all == ["市发展改革委", "市国土资源局", "市环保局"])
    }

    @Test func theDamagedScanNamesItsRepeatsByLine() throws {
        let (_, warnings, _) = try imported(Bundled.seed("002_f98ea696aa1fd708.txt"), city: "长沙市", id: "changsha-scan", year: 2021)
        let repeated = warnings.filter { $0.kind == "repeated-number" }
        #expect(repeated.contains { $0.line == 31 }, "(四) twice")
        #expect(warnings.contains { $0.kind == "skipped-number" && $0.line == 45 }, "（六） after （三）")
        let duplicates = warnings.filter { $0.kind == "duplicate-paragraph" }
        #expect(duplicates.contains { $0.line == 27 } && duplicates.contains { $0.line == 29 }, "\(duplicates)")
        #expect(warnings.contains { $0.kind == "unplaced" })
    }

    @Test(arguments: ["000_cceafcc75b2966bb.txt", "001_ba8def7f6884b930.txt", "002_f98ea696aa1fd708.txt",
                      "003_083bca08c54f1534.txt", "004_39e31d1736c085e7.txt"])
    func gb18030AndDocxVariantsImportTheSame(_ seed: String) throws {
        let text = Bundled.seed(seed)
        // The damaged scan lost its title, 文号 and date: its year is given, as a clerk would with --year.
        let options: (city: String?, id: String?, year: Int?) = seed.hasPrefix("002") ? ("长沙市", "changsha-scan", 2021) : (nil, nil, nil)
        let (_, _, utf8) = try imported(text, city: options.city, id: options.id, year: options.year)
        // GB18030, made with the system's iconv.
        let gb = try encoded(text, as: "GB18030")
        #expect(String(data: gb, encoding: .utf8) == nil, "really not UTF-8")
        let (decoded, encoding) = try #require(TextDecoding.decode(gb))
        #expect(encoding == .gb18030)
        #expect(try imported(decoded, city: options.city, id: options.id, year: options.year).2 == utf8)
        // The same paragraphs as a .docx.
        let archive = try Archive(accessMode: .create)
        let paragraphs = text.components(separatedBy: "\n").map { line in
            "<w:p><w:r><w:t xml:space=\"preserve\">\(line.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;"))</w:t></w:r></w:p>"
        }.joined()
        let xml = Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>" + paragraphs + "</w:body></w:document>").utf8)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(xml.count), compressionMethod: .deflate) { p, n in
            xml.subdata(in: Int(p)..<Int(p) + n)
        }
        let docx = try DocxText.paragraphs(try #require(archive.data))
        #expect(try imported(docx, city: options.city, id: options.id, year: options.year).2 == utf8)
    }

    @Test func importIsDeterministic() throws {
        let text = Bundled.seed("003_083bca08c54f1534.txt")
        #expect(try imported(text).2 == (try imported(text).2))
    }

    /// 一、总体要求 written as （一）指导思想 （二）工作目标 (the opening of 《2023年新余市政务公开工作要点》, echinagov.com/policy/346701.htm,
    /// here in 长沙 so the registry resolves): the framing is kept as the section's text, not made into work to report on;
    /// a part that is work keeps its items even under a similar heading.
    @Test func theFramingUnderGeneralRequirementsIsNotWork() throws {
        let text = """
        长沙市2023年政务公开工作要点
        一、总体要求
        （一）指导思想
        坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神。
        （二）工作目标
        到2023年底，市、县（区）两级政务公开工作机制趋于完善。
        二、紧扣经济发展大局深化公开
        （三）加强重大战略实施信息公开。做好相关信息公开。（市发展改革委牵头，各区县（市）人民政府负责）
        三、工作目标与任务
        （四）编制公开事项目录。（市政务公开办牵头）
        """
        var importer = PlanImporter(registries: Bundled.library.registries, options: .init())
        let result = try importer.run(text: text, file: "changsha.txt")
        let sections = result.draft.sections
        #expect(sections.map(\.children.count) == [0, 1, 1])
        #expect(sections[0].text.contains("（一）指导思想\n坚持以习近平") && sections[0].text.contains("（二）工作目标\n到2023年底"), "\(sections[0].text)")
        #expect(result.warnings.contains { $0.kind == "framing" && $0.line == 2 && $0.message.contains("（一）指导思想、（二）工作目标") },
                "\(result.warnings)")
    }

    @Test func aDocumentFromAnotherCityKeepsItsUnitsAndSaysSo() throws {
        let text = """
        九江市2023年政务公开工作要点
        一、深化政务公开
        （一）做好规划公开。在政府门户网站开设专栏。（市发展改革委牵头，各县市区人民政府按职责分工负责）
        """
        var importer = PlanImporter(registries: Bundled.library.registries, options: .init())
        let result = try importer.run(text: text, file: "xiangtan.txt")
        #expect(result.draft.city.value == "九江市")
        #expect(result.warnings.contains { $0.message.contains("duban registry init 九江市 --from") })
        #expect(result.draft.year.value == 2023)
        #expect(result.warnings.contains { $0.kind == "unknown-city" })
        #expect(result.yaml.contains("市发展改革委"))
    }

    /// Each reason is said once: a unit the city's registry lacks is one warning at its first line, naming the others;
    /// with no registry for the city at all, the one warning that says so covers every unit.
    @Test func aMissingUnitIsWarnedOnceWhereverItIsNamed() throws {
        let text = """
        长沙市2023年政务公开工作要点
        一、深化政务公开
        （一）做好规划公开。在政府门户网站开设专栏。（市统筹办牵头，各区县（市）人民政府负责）
        （二）做好财政公开。按要求公开预决算。（市统筹办牵头）
        （三）做好统计公开。按要求公开统计数据。（市统筹办负责）
        """
        var importer = PlanImporter(registries: Bundled.library.registries, options: .init())
        let warned = try importer.run(text: text, file: "changsha.txt").warnings.filter { $0.kind == "unknown-unit" }
        #expect(warned.count == 1 && warned.first?.line == 3, "\(warned)")
        #expect(warned.first?.message.contains("市统筹办") == true && warned.first?.message.contains("另见第 4、5 行") == true,
                "\(warned)")
        var elsewhere = PlanImporter(registries: Bundled.library.registries, options: .init())
        let other = try elsewhere.run(text: text.replacingOccurrences(of: "长沙市", with: "九江市"), file: "jiujiang.txt")
        #expect(other.warnings.filter { $0.kind == "unknown-unit" }.isEmpty, "\(other.warnings)")
        #expect(other.warnings.contains { $0.message.contains("duban registry init 九江市") })
    }

    @Test(arguments: ["", "   \n\n", "这是一段没有编号的文字。\n第二段也没有。", "一、只有章节\n没有事项"])
    func textsThatAreNotPlansAreRefused(text: String) {
        var importer = PlanImporter(registries: Bundled.library.registries, options: .init())
        #expect(throws: ImportError.self) { try importer.run(text: text, file: "x.txt") }
    }

    @Test func unbalancedParenthesesAndControlCharactersDoNotCrash() throws {
        let text = "某市2023年工作要点\n一、章节\n（一）事项甲。正文（未闭合的括号\u{1B}[2J。（市发展改革委牵头\n（二）事项乙。正文）多余的右括号。\u{0}\u{7}"
        var importer = PlanImporter(registries: Bundled.library.registries, options: .init(city: "长沙市"))
        let result = try importer.run(text: text, file: "x.txt")
        #expect(result.draft.sections.first?.children.count == 2)
        #expect(!result.yaml.contains("\u{1B}"))
        var bidi = PlanImporter(registries: Bundled.library.registries, options: .init(city: "长沙市"))
        let reordered = try bidi.run(text: "某市2023年工作要点\n一、章节\n（一）事项\u{202E}甲。\n（二）事项乙。", file: "x.txt")
        #expect(!reordered.yaml.unicodeScalars.contains("\u{202E}"))
        #expect(reordered.warnings.contains { $0.kind == "control-characters" })
    }
}
