import DubanCore
import Foundation

/// The body's paragraphs → an outline (numbered paragraphs, headings, field lines, table rows), and the outline's
/// levels → sections, work points and sub-tasks.
extension PlanImporter {
    // MARK: - outline

    /// Numbered paragraphs, headings, field lines and table rows into a forest (see OutlineBuilder).
    mutating func buildOutline(_ body: [Paragraph]) -> OutlineBuilder {
        var builder = OutlineBuilder()
        let headings = Self.headingCandidates(body)
        var headingCount = 0
        var unnumberedCount = 0
        var seenTexts: [String: Int] = [:]
        func heading(_ text: String, line: Int) {
            if let (marker, rest) = NumberingLexer.marker(text) {
                builder.add(marker, text: rest, line: line)
            } else {
                headingCount += 1
                builder.add(Marker(style: .heading, ordinal: headingCount, written: ""), text: text, line: line)
            }
        }
        var index = 0
        while index < body.count {
            let paragraph = body[index]
            index += 1
            // The same paragraph twice, numbered differently or not at all, is a scan's repeat.
            let key = NumberingLexer.marker(paragraph.text)?.1 ?? paragraph.text
            if key.count > 20, let first = seenTexts[key] {
                warn(paragraph.line, "duplicate-paragraph", "此段与第 \(first) 行的段落完全相同（扫描件重复？），仍按原文导入")
            } else {
                seenTexts[key] = paragraph.line
            }
            if paragraph.isTableRow {
                let cells = paragraph.cells
                guard let columns = TableReader.columns(ofHeader: cells) else {
                    builder.addUnnumbered(Paragraph(text: cells.filter { !$0.isEmpty }.joined(separator: " "), line: paragraph.line))
                    continue
                }
                var rows: [(cells: [String], line: Int)] = []
                // A short numbered line between rows is a heading row whose cells were not kept.
                while index < body.count, body[index].isTableRow
                        || (body[index].text.count <= 30 && NumberingLexer.marker(body[index].text) != nil
                            && index + 1 < body.count && body[index + 1].isTableRow) {
                    rows.append((body[index].isTableRow ? body[index].cells : [body[index].text], body[index].line))
                    index += 1
                }
                var rowCount = 0
                for row in TableReader.read(rows, columns: columns, header: cells) {
                    switch row {
                    case let .heading(text, line): heading(text, line: line)
                    case let .task(number, text, columns, line):
                        rowCount += 1
                        // The task's own number, in its 序号 cell or at the start of its text.
                        let n = number.trimmingCharacters(in: CharacterSet(charactersIn: " .．、"))
                        if n.isEmpty, let (marker, rest) = NumberingLexer.marker(text) {
                            builder.add(marker, text: rest, line: line, columns: columns)
                        } else {
                            let marker = NumberingLexer.marker(number).map(\.0)
                                ?? Marker(style: .tableRow, ordinal: Int(n) ?? rowCount, written: n)
                            builder.add(marker, text: text, line: line, columns: columns)
                        }
                    }
                }
                continue
            }
            if let fields = TableReader.labelFields(paragraph.text), fields.allSatisfy({ builder.addField($0.0, $0.1) }) { continue }
            if let (marker, rest) = NumberingLexer.marker(paragraph.text) {
                builder.add(marker, text: rest, line: paragraph.line)
            } else if headings.contains(index - 1) {
                heading(paragraph.text, line: paragraph.line)
            } else if index < body.count, Self.isUnitLine(body[index].text), !Self.isUnitLine(paragraph.text) {
                // A task without a number, closed by the line naming its units.
                unnumberedCount += 1
                builder.add(Marker(style: .unnumbered, ordinal: unnumberedCount, written: ""), text: paragraph.text + "。" + body[index].text,
                            line: paragraph.line)
                index += 1
            } else {
                builder.addUnnumbered(paragraph)
            }
        }
        warnings += builder.warnings
        return builder
    }

    /// A line that is nothing but units and their role (市发改委牵头落实).
    static func isUnitLine(_ text: String) -> Bool {
        text.count <= 80 && NumberingLexer.marker(text) == nil && listSentence(text) != nil
    }

    /// Unnumbered headings: short lines without a sentence's punctuation, each followed by a numbered paragraph.
    /// One such line could be anything; two or more are the document's way of heading its parts.
    static func headingCandidates(_ body: [Paragraph]) -> Set<Int> {
        var found = Set<Int>()
        for (i, p) in body.enumerated() where i + 1 < body.count && !p.isTableRow {
            let t = p.text
            guard NumberingLexer.marker(t) == nil, (2...30).contains(t.count), !t.contains("。"), !t.contains("；"),
                  let last = t.last, !"：:，,；;。".contains(last), !isUnitClause(t), dateLine(t) == nil else { continue }
            let next = body[i + 1]
            if next.isTableRow || NumberingLexer.marker(next.text) != nil { found.insert(i) }
        }
        return found.count >= 2 ? found : []
    }

    // MARK: - levels → sections, items, sub-tasks

    /// Whether a node names who does it, in any form.
    static func assigns(_ node: OutlineNode) -> Bool {
        if let c = node.columns, !c.lead.isEmpty || !c.responsible.isEmpty { return true }
        return !responsibility(in: node.text + node.continuation.map(\.text).joined(), owners: false).responsibility.isEmpty
    }

    /// The level that carries the work points: the shallowest where units are assigned (in at least three
    /// nodes in ten); failing that, the second level when there is one. Official documents attach units to
    /// the tasks themselves, never to the headings that group them.
    static func itemDepth(_ roots: [OutlineNode]) -> Int {
        var counts: [Int: (all: Int, assigned: Int)] = [:]
        for root in roots {
            root.walk { node, depth in
                var c = counts[depth] ?? (0, 0)
                c.all += 1
                if assigns(node) { c.assigned += 1 }
                counts[depth] = c
            }
        }
        let maxDepth = counts.keys.max() ?? 0
        for depth in 0...maxDepth {
            if let c = counts[depth], c.assigned > 0, Double(c.assigned) >= 0.3 * Double(c.all) { return depth }
        }
        return maxDepth >= 1 ? 1 : 0
    }

    mutating func makeSections(_ outline: OutlineBuilder, file: String, registry: UnitRegistry, addressees: [Located<String>],
                               planYear: Int, standing: [(line: Int, names: [String])]) -> [NodeDraft] {
        let depth = Self.itemDepth(outline.roots)
        var groups: [(heading: OutlineNode?, items: [OutlineNode])] = []
        if depth == 0 {
            groups = [(nil, outline.roots)]
        } else {
            var styleCounts: [MarkerStyle: Int] = [:]
            for root in outline.roots { root.walk { node, d in if d == depth { styleCounts[node.marker.style, default: 0] += 1 } } }
            let itemStyle = styleCounts.max { $0.value < $1.value }?.key
            func visit(_ node: OutlineNode, _ d: Int) {
                if d >= depth - 1 || node.children.contains(where: { $0.marker.style == itemStyle }) || node.children.isEmpty {
                    groups.append((node, node.children))
                } else {
                    warn(node.line, "part", "“\(node.marker.written)\(node.text.prefix(20))”下分几个章节，章节按下一级编号导入")
                    for child in node.children { visit(child, d + 1) }
                }
            }
            for root in outline.roots { visit(root, 0) }
        }

        var sections: [NodeDraft] = []
        var itemCounter = 0
        for group in groups {
            let sectionID = "\(sections.count + 1)"
            var section: NodeDraft
            if let heading = group.heading {
                let written = heading.text
                let title = Self.nonEmptyTitle(String(written.split(separator: "。", maxSplits: 1).first ?? Substring(written)), body: "")
                if title != written.trimmingCharacters(in: .whitespaces) && written.trimmingCharacters(in: .whitespaces).isEmpty {
                    warn(heading.line, "empty-item", "章节\(heading.marker.written)只有编号，没有标题，请在计划文件中补充")
                }
                section = NodeDraft(id: Located(sectionID, at: loc(file, heading.line)), kind: .section, number: heading.marker.written,
                                    title: Located(title, at: loc(file, heading.line)), location: loc(file, heading.line))
                let extra = (written == title ? [] : [String(written.dropFirst(title.count + 1))].filter { !$0.isEmpty })
                    + heading.continuation.map(\.text)
                section.text = extra.joined(separator: "\n")
            } else {
                section = NodeDraft(id: Located(sectionID), kind: .section, number: "", title: Located("工作任务"), numbered: false)
                warn(group.items.first?.line ?? 1, "no-sections", "原文没有分章节，全部 \(group.items.count) 项事项归入“工作任务”一节")
            }
            // 一、总体要求 carrying （一）指导思想 （二）工作目标: the plan's framing, not work anyone reports on. Its
            // parts become the section's text, as a 总体要求 written as one paragraph does (its dates still count,
            // see applyGeneralDeadline).
            if let heading = group.heading, Self.isFraming(heading.text), !group.items.isEmpty,
               group.items.allSatisfy({ Self.isFraming($0.text) && $0.children.isEmpty }) {
                let parts = group.items.map { item in
                    item.marker.written + ([item.text] + item.continuation.map(\.text)).joined(separator: "\n")
                }
                section.text = ([section.text].filter { !$0.isEmpty } + parts).joined(separator: "\n")
                warn(heading.line, "framing", "“\(heading.marker.written)\(section.title.value)”下的"
                     + group.items.map { $0.marker.written + Self.framingWord($0.text)! }.joined(separator: "、")
                     + "是总体要求，不是督办任务：已作为该章节的说明导入，请核对")
                sections.append(section)
                continue
            }
            // Items are numbered across the whole document (（七） follows （六） into the next part) unless a
            // part starts again at 1.
            if let first = group.items.first, first.marker.ordinal == 1, itemCounter > 0 { itemCounter = 0 }
            let inherited = group.heading.map { Self.responsibility(in: $0.text).responsibility } ?? Responsibility()
            for node in group.items {
                itemCounter += 1
                let standingNames = standing.filter { $0.line < node.line }.flatMap(\.names)
                section.children.append(makeItem(node, id: "\(sectionID).\(itemCounter)", file: file, registry: registry,
                                                  addressees: addressees, planYear: planYear, inherited: inherited, standing: standingNames))
            }
            sections.append(section)
        }
        return sections
    }

    /// The headings a plan's framing is written under (总体要求, 指导思想, 工作目标…), as the first words of a paragraph.
    static let framingWords = ["总体要求", "总体思路", "总体目标", "指导思想", "基本原则", "工作原则", "工作目标", "主要目标", "目标要求"]

    static func framingWord(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return framingWords.first { trimmed.hasPrefix($0) }
    }

    static func isFraming(_ text: String) -> Bool { framingWord(text) != nil }
}
