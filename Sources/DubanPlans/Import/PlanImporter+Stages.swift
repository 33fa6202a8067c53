import DubanCore
import Foundation

extension PlanImporter {
    /// A work point without 一是 numbering may still run in dated stages (“于7月底前……。于8月底前……。”),
    /// each with its own units. Those become unnumbered sub-tasks, so each stage is due when the text says.
    /// A stage begins at a sentence that starts with its deadline or with its unit (“长沙高新区要……”);
    /// “A、B等n个领域……按序分别由甲、乙……各负责一个领域” becomes one stage per unit.
    static func stages(_ text: String, parentID: String, planYear: Int, line: Int, file: String,
                       registry: UnitRegistry) -> [NodeDraft] {
        let sentences = text.split(separator: "。", omittingEmptySubsequences: true).map { String($0) + "。" }
        guard sentences.count >= 3 else { return [] }
        let body = Array(sentences.dropFirst())   // the first sentence is the item's title
        let dated = body.filter { !DeadlineParser.mentions(in: $0, planYear: planYear).isEmpty }
        guard Set(dated.compactMap { DeadlineParser.latest(in: $0, planYear: planYear)?.date }).count >= 2 else { return [] }

        var groups: [String] = []
        for sentence in body {
            // A stage opens with its deadline (于7月底前…, 9月底前，…) or with its unit (长沙高新区要…).
            let opensWithDeadline = DeadlineParser.mentions(in: String(sentence.prefix(12)), planYear: planYear)
                .first.map { sentence.hasPrefix($0.phrase) } ?? false
            let startsStage = groups.isEmpty || sentence.hasPrefix("于") || opensWithDeadline || subject(of: sentence, registry: registry) != nil
            if startsStage { groups.append(sentence) } else { groups[groups.count - 1] += sentence }
        }
        guard groups.count >= 2 else { return [] }

        var stages: [NodeDraft] = []
        for group in groups {
            let location = SourceLocation(file: file, line: line)
            if let split = inTurn(group, registry: registry) {
                for (domain, unit) in split {
                    stages.append(NodeDraft(id: Located("\(parentID).\(stages.count + 1)", at: location), kind: .subtask,
                                            title: Located("\(domain)领域：\(stageTitle(group, registry: registry))"), text: group,
                                            unitsSource: .text, lead: [], responsible: [Located(unit)], numbered: false,
                                            location: location))
                }
                continue
            }
            var node = NodeDraft(id: Located("\(parentID).\(stages.count + 1)", at: location), kind: .subtask,
                                 title: Located(stageTitle(group, registry: registry)), text: group, numbered: false,
                                 location: location)
            if let subject = subject(of: group, registry: registry) {
                node.lead = []
                node.responsible = [Located(subject)]
                node.unitsSource = .text
            } else {
                let named = unitsNamed(in: group, registry: registry)
                if !named.isEmpty {
                    node.lead = named.lead.map { Located($0) }
                    node.responsible = named.responsible.map { Located($0) }
                    node.unitsSource = .text
                }
            }
            stages.append(node)
        }
        return stages
    }

    /// The unit a sentence opens with, when it is the sentence's subject (“长沙高新区要……”).
    static func subject(of sentence: String, registry: UnitRegistry) -> String? {
        guard let unit = leadingUnit(of: sentence, registry: registry) else { return nil }
        return sentence.dropFirst(unit.alias.count).hasPrefix("要") ? unit.name : nil
    }

    /// “旅游、统计……等6个领域……按序分别由宁乡市、岳麓区……各负责一个领域” → [(旅游, 宁乡市), (统计, 岳麓区), …].
    static func inTurn(_ sentence: String, registry: UnitRegistry) -> [(String, String)]? {
        guard let byRange = sentence.range(of: "按序分别由"), let each = sentence.range(of: "各负责", range: byRange.upperBound..<sentence.endIndex),
              let fields = sentence.range(of: #"[^，,。；]+?等\d*个?领域"#, options: .regularExpression, range: sentence.startIndex..<byRange.lowerBound)
        else { return nil }
        var list = String(sentence[fields])
        list = String(list[..<list.range(of: "等")!.lowerBound])
        // “国家部委新下发的旅游” → 旅游: the first field is what follows the last 的.
        var domains = splitTopLevel(list, at: ["、"])   // fields of work, not units
        if let first = domains.first, let de = first.lastIndex(of: "的") { domains[0] = String(first[first.index(after: de)...]) }
        let units = splitNames(String(sentence[byRange.upperBound..<each.lowerBound]))
            .map { registry.resolve($0)?.name ?? $0 }
        guard domains.count == units.count, domains.count >= 2 else { return nil }
        return Array(zip(domains, units))
    }

    /// A stage's title: its last clause, without the deadline and the subject in front.
    static func stageTitle(_ sentence: String, registry: UnitRegistry) -> String {
        let clauses = sentence.dropLast().split(whereSeparator: { $0 == "，" || $0 == "," }).map(String.init)
        var title = clauses.last ?? sentence
        if let subject = leadingUnit(of: title, registry: registry) { title = String(title.dropFirst(subject.alias.count)) }
        if title.hasPrefix("要") { title.removeFirst() }
        return nonEmptyTitle(String(title.prefix(40)), body: sentence)
    }
}
