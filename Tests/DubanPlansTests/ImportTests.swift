import DubanCore
@testable import DubanPlans
import Foundation
import Testing
import ZIPFoundation

/// Imports a seed document and assembles the result against the bundled registries.
func imported(_ text: String, file: String = "seed.txt", city: String? = nil, id: String? = nil) throws -> (Plan, [ImportWarning], String) {
    var importer = PlanImporter(registries: Bundled.library.registries, options: .init(planID: id, city: city))
    let result = try importer.run(text: text, file: file)
    let (draft, problems) = PlanFile.parse(result.yaml, file: "imported.yaml")
    #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")
    let parsed = try #require(draft)
    let registry = try #require(Bundled.library.registries[parsed.city.value])
    return (PlanAssembler.assemble(parsed, registry: registry).0, result.warnings, result.yaml)
}

@Suite struct Import {
    /// The 2021 document has a unit clause on every item: the import is the bundled plan, node by node.
    @Test func changsha2021IsReproducedNodeByNode() throws {
        let (plan, warnings, _) = try imported(Bundled.seed("000_cceafcc75b2966bb.txt"))
        let bundled = Bundled.plan("changsha-2021")
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(plan.id == bundled.id && plan.title == bundled.title && plan.documentNumber == bundled.documentNumber)
        #expect(plan.issued == bundled.issued && plan.issuer == bundled.issuer)
        #expect(plan.nodes.map(\.id) == bundled.nodes.map(\.id))
        for (a, b) in zip(plan.nodes, bundled.nodes) {
            #expect(a.title == b.title, "\(a.id)")
            #expect(a.text == b.text, "\(a.id)")
            #expect(a.lead.map(\.name) == b.lead.map(\.name), "\(a.id)")
            #expect(a.responsible.map(\.name) == b.responsible.map(\.name), "\(a.id)")
            #expect(a.deadline.date == b.deadline.date, "\(a.id)")
        }
        #expect(Set(plan.districts.map(\.name)) == Set(bundled.districts.map(\.name)))
    }

    @Test func zhuzhou2020MatchesWhereTheDocumentGivesUnitsAndWarnsWhereItDoesNot() throws {
        let (plan, warnings, _) = try imported(Bundled.seed("003_083bca08c54f1534.txt"))
        let bundled = Bundled.plan("zhuzhou-2020")
        #expect(plan.nodes.map(\.id) == bundled.nodes.map(\.id))
        let withoutClause = Set(["5.15", "5.18", "5.19"])
        for (a, b) in zip(plan.nodes, bundled.nodes) {
            #expect(a.title == b.title && a.text == b.text && a.deadline.date == b.deadline.date, "\(a.id)")
            if !withoutClause.contains(a.id) {
                #expect(a.lead.map(\.name) == b.lead.map(\.name) && a.responsible.map(\.name) == b.responsible.map(\.name), "\(a.id)")
            }
        }
        #expect(Set(warnings.filter { $0.kind == "no-unit-clause" }.map(\.line)) == Set([76, 84, 86]))
        #expect(plan.documentNumber == "株政办函〔2020〕19号")
    }

    @Test func changsha2018StructureAndTexts() throws {
        let (plan, _, _) = try imported(Bundled.seed("001_ba8def7f6884b930.txt"))
        let bundled = Bundled.plan("changsha-2018")
        #expect(plan.nodes.map(\.id) == bundled.nodes.map(\.id))
        for (a, b) in zip(plan.nodes, bundled.nodes) where a.kind != .subtask {
            #expect(a.title == b.title && a.text == b.text && a.deadline.date == b.deadline.date, "\(a.id)")
        }
        #expect(plan.documentNumber == nil)
    }

    @Test func theDamagedScanNamesItsRepeatsByLine() throws {
        let (_, warnings, _) = try imported(Bundled.seed("002_f98ea696aa1fd708.txt"), city: "长沙市", id: "changsha-scan")
        let repeated = warnings.filter { $0.kind == "repeated-number" }
        #expect(repeated.contains { $0.line == 31 }, "(四) twice")
        #expect(warnings.contains { $0.kind == "skipped-number" && $0.line == 45 }, "（六） after （三）")
        let duplicates = warnings.filter { $0.kind == "duplicate-paragraph" }
        #expect(duplicates.contains { $0.line == 27 } && duplicates.contains { $0.line == 29 }, "\(duplicates)")
        #expect(warnings.contains { $0.kind == "unplaced" })
    }

    @Test func gb18030AndDocxVariantsImportTheSame() throws {
        let text = Bundled.seed("000_cceafcc75b2966bb.txt")
        let (_, _, utf8) = try imported(text)
        // GB18030, made with the system's iconv.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let gb = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(data: gb, encoding: .utf8) == nil, "really not UTF-8")
        let (decoded, encoding) = try #require(TextDecoding.decode(gb))
        #expect(encoding == .gb18030)
        #expect(try imported(decoded).2 == utf8)
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
        #expect(try imported(docx).2 == utf8)
    }

    @Test func importIsDeterministic() throws {
        let text = Bundled.seed("003_083bca08c54f1534.txt")
        #expect(try imported(text).2 == (try imported(text).2))
    }

    @Test func aDocumentFromAnotherCityKeepsItsUnitsAndSaysSo() throws {
        let text = """
        湘潭市2023年政务公开工作要点
        一、深化政务公开
        （一）做好规划公开。在政府门户网站开设专栏。（市发展改革委牵头，各县市区人民政府按职责分工负责）
        """
        var importer = PlanImporter(registries: Bundled.library.registries, options: .init())
        let result = try importer.run(text: text, file: "xiangtan.txt")
        #expect(result.draft.city.value == "湘潭市")
        #expect(result.draft.year.value == 2023)
        #expect(result.warnings.contains { $0.kind == "unknown-city" })
        #expect(result.yaml.contains("市发展改革委"))
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
    }
}
