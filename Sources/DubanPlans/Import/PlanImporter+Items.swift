import DubanCore
import Foundation

/// Work points and their sub-tasks: text, units in every form, deadlines, titles.
extension PlanImporter {
    /// A work point: its text (with any unnumbered paragraphs after it), its units in whichever form the document
    /// gives them, its sub-tasks (numbered paragraphs under it, or 一是/①/（1） runs inside it, or dated stages).
    mutating func makeItem(_ node: OutlineNode, id: String, file: String, registry: UnitRegistry, addressees: [Located<String>],
                           planYear: Int, inherited: Responsibility, standing: [String]) -> NodeDraft {
        let number = node.marker.written
        let line = node.line
        var rest = node.text
        for paragraph in node.continuation {
            warn(paragraph.line, "unplaced", "这段文字没有编号，已并入上一项事项的正文：“\(paragraph.text.prefix(30))…”")
            rest += paragraph.text
        }
        let read = Self.responsibility(in: rest)
        var text = read.text
        var found = read.responsibility
        if let columns = node.columns {
            found.merge(Self.columnResponsibility(columns))
            if Self.firstNamedLeads(columns.names) { firstNamedLeads = true }
        }
        if Self.firstNamedLeads(rest) { firstNamedLeads = true }
        // “列第一位者为牵头单位，下同”: from there on, a list without 牵头 is led by its first unit.
        if firstNamedLeads && found.lead.isEmpty && !found.responsible.isEmpty {
            found.lead = [found.responsible.removeFirst()]
        }
        if found.isEmpty && !inherited.isEmpty { found = inherited }
        if !standing.isEmpty && !found.isEmpty { found.merge(Responsibility(responsible: standing)) }
        let clause: String? = read.trailing ?? (found.clauses.isEmpty ? nil : found.clauses.joined(separator: "；"))
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            text = "（原文此处只有编号，请补充）"
            warn(line, "empty-item", "事项\(number)只有编号，没有内容，请在计划文件中补充")
        }
        let title = String(text.split(separator: "。", maxSplits: 1).first ?? Substring(text))
        var lead: [Located<String>] = []
        var responsible: [Located<String>] = []
        var unitsSource: UnitsSource? = found.isEmpty ? nil : .clause
        var subtasks = node.children.isEmpty
            ? Self.subtasks(text, parentID: id, line: line, file: file)
            : outlineSubtasks(node.children, parentID: id, file: file, registry: registry)
        if subtasks.isEmpty && found.isEmpty {
            subtasks = Self.stages(text, parentID: id, planYear: planYear, line: line, file: file, registry: registry)
            if !subtasks.isEmpty {
                warn(line, "stages", "事项\(number)按时限分为 \(subtasks.count) 个阶段（未编号子任务）；子任务标题取自原文末句，请核对")
            }
        }
        var deadline: Located<String>?
        if let written = node.columns?.deadline, !written.isEmpty {
            deadline = tableDeadline(written, planYear: planYear, line: line, number: number)
        }
        if found.isEmpty && !standing.isEmpty {
            found = Responsibility(responsible: standing)
            unitsSource = .clause
        }
        if !found.isEmpty {
            lead = found.lead.flatMap { resolve($0, registry: registry, line: line) }
            responsible = found.responsible.flatMap { resolve($0, registry: registry, line: line) }
            lead = Self.unique(lead)
            responsible = Self.unique(responsible).filter { r in !lead.contains { $0.value == r.value } }
        } else {
            // No clause: the units the text names, else the notice's addressees — marked so, and to be checked.
            // Each unit keeps where it is written (the item, or the addressee line), so check's errors name that line.
            let here = SourceLocation(file: sourceFile, line: line)
            let named = textUnits(text, registry: registry, line: line, addressees: addressees.map(\.value))
            if subtasks.isEmpty {
                lead = named.lead.map { Located($0, at: here) }
                responsible = named.responsible.map { Located($0, at: here) }
            } else {
                responsible = named.all.map { Located($0, at: here) }   // the sub-tasks say who leads what
            }
            let onlyAddressees = named.isEmpty || named.all == addressees.map(\.value)
            if named.isEmpty { responsible = addressees }
            unitsSource = onlyAddressees ? .addressees : .text
            let list = (lead + responsible).map(\.value).joined(separator: "、")
            warn(line, "no-unit-clause", "事项\(number)没有写明责任单位（没有“（……牵头，……负责）”、“责任单位：”或表格的单位列）；已按\(onlyAddressees ? "主送单位" : "正文提到的单位")暂定为：\(list.isEmpty ? "无" : list)，请核对")

            // A sub-task that names its own units gets them. One that names none inherits its item's units when
            // those are the addressees or named before 一是; when they come only from the other sub-tasks, it
            // falls back to the addressees.
            if !subtasks.isEmpty && subtasks[0].numbered {
                let leadIn = subtasks.first.flatMap { first in text.range(of: first.text).map { String(text[..<$0.lowerBound]) } } ?? ""
                let leadInNamed = Self.unitsNamed(in: leadIn, registry: registry)
                for index in subtasks.indices {
                    let own = Self.unitsNamed(in: subtasks[index].text, registry: registry)
                    if !own.isEmpty {
                        subtasks[index].lead = own.lead.map { Located($0, at: here) }
                        subtasks[index].responsible = own.responsible.map { Located($0, at: here) }
                        subtasks[index].unitsSource = .text
                    } else if !named.isEmpty && leadInNamed.isEmpty {
                        subtasks[index].lead = []
                        subtasks[index].responsible = addressees
                        subtasks[index].unitsSource = .addressees
                    }
                }
            }
        }
        for phrase in Self.unplacedDeadlinePhrases(text) {
            warn(line, "deadline", "无法确定时限“\(phrase)”的日期，请在计划文件中用 deadline 指定")
        }
        var item = NodeDraft(id: Located(id, at: loc(file, line)), kind: .item, number: number,
                             title: Located(title, at: loc(file, line)), text: text, unitsClause: clause,
                             unitsSource: unitsSource, lead: lead, responsible: responsible, deadline: deadline,
                             location: loc(file, line))
        item.children = subtasks
        return item
    }

    /// A 牵头单位 column leads; a 责任单位 column is responsible, unless its cell says who leads
    /// (“市法制局牵头，市有关单位负责”).
    static func columnResponsibility(_ columns: TableColumns) -> Responsibility {
        var result = Responsibility(lead: unitNames(in: columns.lead))
        for cell in columns.responsible {
            if let parsed = parseUnitClause("（\(cell)）", strict: false), !parsed.lead.isEmpty {
                result.merge(Responsibility(lead: parsed.lead, responsible: parsed.responsible))
            } else {
                result.merge(Responsibility(responsible: unitNames(in: cell)))
            }
        }
        return result
    }

    static func unique(_ names: [Located<String>]) -> [Located<String>] {
        var seen = Set<String>()
        return names.filter { seen.insert($0.value).inserted }
    }

    /// Numbered paragraphs under a work point are its sub-tasks; anything deeper is part of their text.
    mutating func outlineSubtasks(_ children: [OutlineNode], parentID: String, file: String, registry: UnitRegistry) -> [NodeDraft] {
        children.enumerated().map { index, child in
            var text = child.text + child.continuation.map(\.text).joined()
            for grandchild in child.children {
                grandchild.walk { node, _ in text += node.marker.written + node.text + node.continuation.map(\.text).joined() }
            }
            let read = Self.responsibility(in: text)
            let body = read.text
            let sentence = String(body.split(separator: "。", maxSplits: 1).first ?? Substring(body))
            let clause = sentence.count > 40 ? String(sentence.split(whereSeparator: { "，,；;".contains($0) }).first ?? Substring(sentence)) : sentence
            var node = NodeDraft(id: Located("\(parentID).\(index + 1)", at: loc(file, child.line)), kind: .subtask,
                                 number: child.marker.written, title: Located(Self.nonEmptyTitle(Self.subtaskTitle(clause), body: body)),
                                 text: body.trimmingCharacters(in: .whitespaces).isEmpty ? "（原文此处为空，请补充）" : body,
                                 location: loc(file, child.line))
            if let columns = child.columns, !columns.lead.isEmpty || !columns.responsible.isEmpty {
                let units = Self.columnResponsibility(columns)
                node.lead = units.lead.flatMap { resolve($0, registry: registry, line: child.line) }
                node.responsible = units.responsible.flatMap { resolve($0, registry: registry, line: child.line) }
                node.unitsSource = .clause
            } else if !read.responsibility.isEmpty {
                node.unitsClause = read.trailing ?? read.responsibility.clauses.joined(separator: "；")
                node.lead = read.responsibility.lead.flatMap { resolve($0, registry: registry, line: child.line) }
                node.responsible = read.responsibility.responsible.flatMap { resolve($0, registry: registry, line: child.line) }
                node.unitsSource = .clause
            }
            return node
        }
    }

    /// A table's 完成时限 cell: a deadline phrase (2023年6月底前), a month (2023年6月 → its end), or a standing
    /// commitment (长期坚持, 持续推进) that sets none.
    mutating func tableDeadline(_ written: String, planYear: Int, line: Int, number: String) -> Located<String>? {
        let cell = written.replacingOccurrences(of: " ", with: "")
        if let mention = DeadlineParser.latest(in: cell, planYear: planYear) { return Located(mention.phrase, at: nil) }
        // A cell says the period alone (年底, 上半年, 三季度, 12月中旬): by its end.
        if let mention = DeadlineParser.parse(cell + "前", planYear: planYear) { return Located(mention.phrase) }
        if cell.range(of: #"^(\d{4}年)?(\d{1,2}月)?底$"#, options: .regularExpression) != nil,
           let mention = DeadlineParser.parse(cell + "前", planYear: planYear) { return Located(mention.phrase) }
        if cell.range(of: #"^(\d{4}年)?\d{1,2}月$"#, options: .regularExpression) != nil,
           let mention = DeadlineParser.parse(cell + "底前", planYear: planYear) { return Located(mention.phrase) }
        if cell.range(of: #"^(\d{4}年)?\d{1,2}月\d{1,2}日$"#, options: .regularExpression) != nil,
           let mention = DeadlineParser.parse(cell + "前", planYear: planYear) { return Located(mention.phrase) }
        if ["长期", "持续", "常态", "经常", "全年", "每月", "每季度", "每年", "按要求", "按时间节点", "按规定"].contains(where: { cell.contains($0) }) { return nil }
        warn(line, "deadline", "事项\(number)的完成时限“\(written)”无法识别为日期，请在计划文件中用 deadline 指定")
        return nil
    }

    /// A part with dates and no items (一、总体要求：“2022年7月底前，完成……”) sets the first of its dates for the task
    /// items after it that name none of their own; standing measures (保障措施) stay without one.
    mutating func applyGeneralDeadline(_ sections: inout [NodeDraft], planYear: Int) {
        guard let index = sections.firstIndex(where: { $0.children.isEmpty && !$0.text.isEmpty }),
              let first = DeadlineParser.mentions(in: sections[index].text, planYear: planYear).first else { return }
        let general = sections[index]
        var dated: [String] = []
        for s in sections.indices where s > index && !sections[s].title.value.contains("保障") {
            for i in sections[s].children.indices where sections[s].children[i].deadline == nil
                && DeadlineParser.mentions(in: sections[s].children[i].text, planYear: planYear).isEmpty {
                sections[s].children[i].deadline = Located(first.phrase)
                sections[s].children[i].deadlineNote = "见“\(general.number)\(general.title.value)”"
                dated.append(sections[s].children[i].number)
            }
        }
        if !dated.isEmpty {
            warn(general.location?.line ?? 1, "deadline-general",
                 "事项\(dated.joined(separator: "、"))正文没有时限，已按“\(general.number)\(general.title.value)”的第一个时限“\(first.phrase)”暂定，请核对")
        }
    }

    /// 一是……。二是……。 (or ①……②……, （1）……（2）……, 第一，……第二，……) → sub-tasks, when a run counts at least to two.
    static func subtasks(_ text: String, parentID: String, line: Int, file: String) -> [NodeDraft] {
        let runs = NumberingLexer.inlineRuns(text)
        guard runs.count >= 2 else { return [] }
        return runs.enumerated().map { index, entry in
            let end = index + 1 < runs.count ? runs[index + 1].range.lowerBound : text.endIndex
            // The sub-task's text is its sentences without the marker; its title, the first clause.
            let body = String(text[entry.range.upperBound..<end])
            let clause = Self.subtaskTitle(String(body.split(whereSeparator: { $0 == "。" || $0 == "，" || $0 == "," }).first ?? Substring(body)))
            let title = Self.nonEmptyTitle(clause, body: body)
            return NodeDraft(id: Located("\(parentID).\(index + 1)", at: SourceLocation(file: file, line: line)), kind: .subtask,
                             number: entry.number, title: Located(title),
                             text: body.trimmingCharacters(in: .whitespaces).isEmpty ? "（原文此处为空，请补充）" : body,
                             location: SourceLocation(file: file, line: line))
        }
    }

    /// A title is never empty: the start of the text, or a note that the source has nothing there.
    static func nonEmptyTitle(_ title: String, body: String) -> String {
        let trimmed = title.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { return trimmed }
        let start = body.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)).prefix(30)
        return start.isEmpty ? "（原文此处为空，请补充）" : String(start)
    }

    /// “认真落实《国务院办公厅关于推进X的意见》(…)精神” says what the sub-task is about: X.
    static func subtaskTitle(_ clause: String) -> String {
        guard let match = clause.range(of: #"^(认真)?(贯彻)?落实《[^》]*?关于(.+)的(意见|通知|决定|办法|方案)》"#, options: .regularExpression),
              let about = clause[match].range(of: "关于") else { return clause }
        var subject = String(clause[about.upperBound..<match.upperBound].dropLast())
        for suffix in ["的意见", "的通知", "的决定", "的办法", "的方案"] where subject.hasSuffix(suffix) {
            subject = String(subject.dropLast(suffix.count))
            break
        }
        return subject
    }

    func loc(_ file: String, _ line: Int) -> SourceLocation { SourceLocation(file: file, line: line) }

    /// Deadline-looking words the parser could not date where they stand (“上半年” without a year it belongs to, …).
    static func unplacedDeadlinePhrases(_ text: String) -> [String] {
        let read = DeadlineParser.mentions(in: text, planYear: 2000).map(\.phrase)
        return ["上半年", "下半年", "季度末", "季度前", "中旬前", "上旬前", "下旬前"].filter { word in
            text.contains(word) && !read.contains { $0.contains(word) || word.hasPrefix($0) }
        }
    }
}
