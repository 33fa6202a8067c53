import DubanCore
@testable import DubanPlans
import Foundation
import Testing
import Yams

/// Real documents from other cities, provinces and years (Fixtures/corpus: each with its source in the expected
/// file's comments), against the tree a person wrote down by reading them. The totals are the importer's score.
@Suite struct Corpus {
    struct Expected {
        struct Item {
            let marker: String
            let starts: String
            let lead: [String]?
            let responsible: [String]?
            let deadline: String?
        }
        let year: Int?
        let title: String?
        /// The issuing office as the document names it; nil where it names none (the importer then asks for it).
        let issuer: String?
        let items: [Item]
    }

    struct Score {
        var document = ""
        var itemsFound = 0, itemsPresent = 0
        var unitsRight = 0, unitsChecked = 0
        var deadlinesRight = 0, deadlinesChecked = 0
        var yearRight = 0, yearChecked = 0
        var titleRight = 0, titleChecked = 0
        var issuerRight = 0, issuerChecked = 0
        var misses: [String] = []

        static func + (a: Score, b: Score) -> Score {
            var s = a
            s.itemsFound += b.itemsFound; s.itemsPresent += b.itemsPresent
            s.unitsRight += b.unitsRight; s.unitsChecked += b.unitsChecked
            s.deadlinesRight += b.deadlinesRight; s.deadlinesChecked += b.deadlinesChecked
            s.yearRight += b.yearRight; s.yearChecked += b.yearChecked
            s.titleRight += b.titleRight; s.titleChecked += b.titleChecked
            s.issuerRight += b.issuerRight; s.issuerChecked += b.issuerChecked
            return s
        }
    }

    static let directory = Bundled.root.appendingPathComponent("Tests/DubanPlansTests/Fixtures/corpus")

    /// Each expected file with the document(s) beside it: .txt, and a .docx where there is one.
    static func documents() -> [(stem: String, file: URL, expected: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".expected.yaml") }.sorted().flatMap { name -> [(String, URL, URL)] in
            let stem = String(name.dropLast(".expected.yaml".count))
            return ["txt", "docx"].compactMap { ext in
                let file = directory.appendingPathComponent("\(stem).\(ext)")
                return FileManager.default.fileExists(atPath: file.path) ? ("\(stem).\(ext)", file, directory.appendingPathComponent(name)) : nil
            }
        }
    }

    static func expected(_ url: URL) throws -> Expected {
        let root = try #require(try Yams.load(yaml: String(contentsOf: url, encoding: .utf8)) as? [String: Any])
        let items = (root["items"] as? [[String: Any]] ?? []).map { item in
            Expected.Item(marker: "\(item["marker"] ?? "")", starts: "\(item["starts"] ?? "")",
                          lead: (item["lead"] as? [Any])?.map { "\($0)" }, responsible: (item["responsible"] as? [Any])?.map { "\($0)" },
                          deadline: item["deadline"].map(Self.dateText))
        }
        return Expected(year: root["year"] as? Int, title: root["title"] as? String, issuer: root["issuer"] as? String, items: items)
    }

    /// YAML reads 2023-06-30 as a timestamp: back to the date as written.
    static func dateText(_ value: Any) -> String {
        guard let date = value as? Date else { return "\(value)" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// What the clerk would compare: Simplified script, no spaces.
    static func plain(_ text: String) -> String {
        squeezed(ScriptConversion.toSimplified(text) ?? text).replacingOccurrences(of: "(", with: "（").replacingOccurrences(of: ")", with: "）")
    }

    static func score(_ document: (stem: String, file: URL, expected: URL)) throws -> Score {
        let expected = try Self.expected(document.expected)
        var score = Score(document: document.stem)
        score.itemsPresent = expected.items.count
        let data = try Data(contentsOf: document.file)
        let text = document.file.pathExtension == "docx" ? try DocxText.paragraphs(data) : try #require(TextDecoding.decode(data)).0
        var importer = PlanImporter(registries: Bundled.library.registries, options: .init())
        let result: PlanImporter.Result
        do {
            result = try importer.run(text: text, file: document.stem)
            if expected.year != nil { score.yearChecked = 1 }
        } catch ImportError.noYear {
            // The stored text names no year anywhere: the clerk is asked for --year, which is right.
            var again = PlanImporter(registries: Bundled.library.registries, options: .init(year: expected.year))
            result = try again.run(text: text, file: document.stem)
            score.misses.append("需 --year")
        } catch {
            score.misses.append("导入失败：\(error)")
            score.unitsChecked = expected.items.filter { $0.lead != nil || $0.responsible != nil }.count
            score.deadlinesChecked = expected.items.filter { $0.deadline != nil }.count
            score.yearChecked = expected.year == nil ? 0 : 1
            score.titleChecked = expected.title == nil ? 0 : 1
            return score
        }
        let draft = result.draft
        if score.yearChecked == 1, draft.year.value == expected.year { score.yearRight = 1 }
        score.issuerChecked = 1
        if plain(draft.issuer) == plain(expected.issuer ?? "（待补充）") { score.issuerRight = 1 } else { score.misses.append("发文机关：\(draft.issuer)") }
        if let title = expected.title {
            score.titleChecked = 1
            if plain(draft.title) == plain(title) { score.titleRight = 1 } else { score.misses.append("标题：\(draft.title)") }
        }
        let registry = Bundled.library.registries[draft.city.value] ?? UnitRegistry(city: draft.city.value, units: [])
        let plan = PlanAssembler.assemble(draft, registry: registry).0
        let items = draft.sections.flatMap { $0.children }
        let nodes = items + items.flatMap(\.children)
        func canonical(_ names: [String]) -> [String] {
            names.map { name in
                let simplified = ScriptConversion.toSimplified(name) ?? name
                return plain(PlanImporter.resolveVariant(simplified, registry: registry)?.name ?? simplified)
            }.sorted()
        }
        var used = Set<String>()
        for item in expected.items {
            let marker = plain(item.marker), starts = plain(item.starts)
            guard let node = nodes.first(where: { !used.contains($0.id.value) && plain($0.number) == marker && plain($0.text).hasPrefix(starts) })
                ?? nodes.first(where: { !used.contains($0.id.value) && plain($0.text).hasPrefix(starts) }) else {
                score.misses.append("缺事项 \(item.marker)\(item.starts)")
                if item.lead != nil || item.responsible != nil { score.unitsChecked += 1 }
                if item.deadline != nil { score.deadlinesChecked += 1 }
                continue
            }
            used.insert(node.id.value)
            score.itemsFound += 1
            if item.lead != nil || item.responsible != nil {
                score.unitsChecked += 1
                let lead = canonical((node.lead ?? []).map(\.value)), responsible = canonical((node.responsible ?? []).map(\.value))
                // A unit that leads is assigned once, as lead, even where the text also lists it as responsible.
                let expectedLead = canonical(item.lead ?? [])
                if lead == expectedLead && responsible == canonical(item.responsible ?? []).filter({ !expectedLead.contains($0) }) {
                    score.unitsRight += 1
                } else {
                    score.misses.append("单位 \(item.marker)：读作 牵头\(lead) 责任\(responsible)")
                }
            }
            if let deadline = item.deadline {
                score.deadlinesChecked += 1
                let date = plan.nodes.first { $0.id == node.id.value }?.deadline.date.description
                if date == deadline { score.deadlinesRight += 1 } else { score.misses.append("时限 \(item.marker)：读作 \(date ?? "无")") }
            }
        }
        return score
    }

    @Test func realDocumentsImportAsTheirReadersSeeThem() throws {
        let documents = Self.documents()
        #expect(documents.count >= 25)
        var total = Score(document: "合计")
        func percent(_ a: Int, _ b: Int) -> String { b == 0 ? "—" : "\(a)/\(b)" }
        var report = ["文件\t事项\t单位\t时限\t年度\t标题\t发文机关\t未读对的"]
        for document in documents {
            let s = try Self.score(document)
            total = total + s
            report.append([s.document, percent(s.itemsFound, s.itemsPresent), percent(s.unitsRight, s.unitsChecked),
                           percent(s.deadlinesRight, s.deadlinesChecked), percent(s.yearRight, s.yearChecked),
                           percent(s.titleRight, s.titleChecked), percent(s.issuerRight, s.issuerChecked), s.misses.joined(separator: "；")].joined(separator: "\t"))
        }
        report.append(["合计", percent(total.itemsFound, total.itemsPresent), percent(total.unitsRight, total.unitsChecked),
                       percent(total.deadlinesRight, total.deadlinesChecked), percent(total.yearRight, total.yearChecked),
                       percent(total.titleRight, total.titleChecked), percent(total.issuerRight, total.issuerChecked), ""].joined(separator: "\t"))
        // The table goes to the test log (and to a file, for the issue note).
        print(report.joined(separator: "\n"))
        try? report.joined(separator: "\n").write(toFile: NSTemporaryDirectory() + "duban-corpus-report.tsv", atomically: true, encoding: .utf8)
        func rate(_ a: Int, _ b: Int) -> Double { b == 0 ? 1 : Double(a) / Double(b) }
        #expect(rate(total.itemsFound, total.itemsPresent) >= 0.95, "items")
        #expect(rate(total.unitsRight, total.unitsChecked) >= 0.95, "units")
        #expect(rate(total.deadlinesRight, total.deadlinesChecked) >= 0.95, "deadlines")
        #expect(rate(total.yearRight, total.yearChecked) >= 0.95, "year")
        #expect(rate(total.titleRight, total.titleChecked) >= 0.95, "title")
        #expect(rate(total.issuerRight, total.issuerChecked) >= 0.95, "issuer")
    }
}
