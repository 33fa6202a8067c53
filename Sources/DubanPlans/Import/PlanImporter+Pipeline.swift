import DubanCore
import Foundation

extension PlanImporter {
    /// Reads the document into a plan draft and its YAML. The stages, each testable alone:
    /// script (Traditional → Simplified) → paragraphs with source lines → the plan part (a notice may carry two)
    /// → header (title, 文号, issuer, date, year) → numbering lexer and outline (tables included) → the level that
    /// carries the work points → items with their units and deadlines → registry resolution → plan.
    public mutating func run(text input: String, file: String) throws -> Result {
        guard !input.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ImportError.empty }
        guard input.count <= Self.maximumCharacters else { throw ImportError.tooLarge }
        sourceFile = file
        var text = input
        if let converted = ScriptConversion.simplified(input) {
            text = converted.text
            warn(1, "traditional-script", "原文为繁体字，已用 OpenCC 转为简体（改动 \(converted.changed) 处）；请核对标题和单位名称")
        }
        let all = paragraphs(text)
        let (header, body, closing) = try split(all)
        let head = readHeader(header, closing: closing)
        let (year, _) = try planYear(head)

        // City: as given (湘潭 is 湘潭市), else the registry or division the title, issuer or 文号 begins with.
        let named = DivisionTable.place(named: [head.title, head.issuer, head.documentNumber ?? ""])
        let given = options.city.map { name in registries[name] != nil ? name : (DivisionTable.division(named: name)?.name ?? name) }
        let city = given ?? registries.keys.sorted().first { head.title.hasPrefix($0) || head.issuer.hasPrefix($0) }
            ?? named?.name ?? Self.inferredCity(head.title + head.issuer) ?? "未知"
        if let given, let named, named.name != given, !Self.place(named, isIn: given) {
            warn(head.titleLine, "city-mismatch", "文件的标题或发文机关是“\(named.name)”，而 --city 是“\(given)”：单位会按\(given)的名册读，请确认")
        }
        let registry = registries[city] ?? UnitRegistry(city: city, units: [])
        if registries[city] == nil {
            warn(head.titleLine, "unknown-city",
                 "没有“\(city)”的单位名册：单位名称将按原文保留。请先运行 duban registry init \(city) --from \(Self.shellWord(file)) 生成名册（核对后）再导入")
        }
        let id = options.planID ?? Self.planID(city: city, year: year)

        var addressees: [Located<String>] = []
        if let (line, number) = head.addresseeLine {
            for name in Self.splitNames(line) {
                addressees += resolve(name, registry: registry, line: number, warnUnknown: false)
            }
        }

        let outline = buildOutline(body)
        var sections = makeSections(outline, file: file, registry: registry, addressees: addressees, planYear: year,
                                    standing: standingUnits(header + body, registry: registry))
        applyGeneralDeadline(&sections, planYear: year)

        var draft = PlanDraft(id: Located(id), city: Located(city), year: Located(year), title: head.title, issuer: head.issuer,
                              documentNumber: head.documentNumber, issued: head.issued.map { Located($0.description) },
                              source: (file as NSString).lastPathComponent, noticeTitle: head.noticeTitle, notice: head.notice,
                              preamble: head.preamble, closing: closing.isEmpty ? nil : closing.map(\.text).joined(separator: "\n"),
                              addressees: addressees, districts: [], sections: sections)
        draft.districts = Self.districts(registry: registry, addressees: addressees)
        if draft.districts.isEmpty {
            // No addressee line (a web copy often drops it): the districts the work points name, through their collectives.
            var named: [Located<String>] = []
            func walk(_ node: NodeDraft) {
                named += (node.lead ?? []) + (node.responsible ?? [])
                node.children.forEach(walk)
            }
            sections.forEach(walk)
            draft.districts = Self.districts(registry: registry, addressees: named)
            if !draft.districts.isEmpty {
                warn(head.titleLine, "districts", "原文没有主送单位：参与排名的区县（市）按各事项的责任单位定为 \(draft.districts.map(\.value).joined(separator: "、"))，请核对")
            }
        }
        let yaml = PlanYAML.emit(draft)
        return Result(yaml: yaml, planID: id, warnings: warnings.sorted { $0.line < $1.line }, draft: draft)
    }

    public static func shellWord(_ text: String) -> String {
        text.allSatisfy { !$0.isWhitespace && !"'\"$`\\;&|<>()*?[]{}!#~".contains($0) } ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    // MARK: - the plan part

    /// Header, body and closing of the plan to import. A notice may carry two plans (政务管理服务工作要点 and
    /// 政务公开工作要点): each begins at its own title; the one `--part` names is taken, else the 政务公开 one.
    mutating func split(_ all: [Paragraph]) throws -> (header: [Paragraph], body: [Paragraph], closing: [Paragraph]) {
        func numbered(_ p: Paragraph) -> Bool { p.isTableRow || NumberingLexer.marker(p.text) != nil }
        let titles = all.indices.filter { !all[$0].isTableRow && Self.isPlanTitle(all[$0].text) }
        // Titles followed by numbered paragraphs before the next title are the starts of plans.
        var starts: [Int] = []
        for (k, t) in titles.enumerated() {
            let end = k + 1 < titles.count ? titles[k + 1] : all.count
            if all[(t + 1)..<end].filter(numbered).count >= 2 { starts.append(t) }
        }
        var header: [Paragraph]
        var region: ArraySlice<Paragraph>
        if starts.count >= 2 {
            let names = starts.map { all[$0].text }
            let chosen = options.part.flatMap { part in starts.indices.first { names[$0].contains(part) } }
                ?? starts.indices.first { names[$0].contains("政务公开") } ?? 0
            if let part = options.part, !names.contains(where: { $0.contains(part) }) {
                throw ImportError.noPart(part, names)
            }
            let start = starts[chosen], end = chosen + 1 < starts.count ? starts[chosen + 1] : all.count
            warn(all[start].line, "two-plans", "此文件含 \(starts.count) 个计划（\(names.joined(separator: "；"))），导入的是“\(names[chosen])”；"
                 + "要导入另一个，请用 --part 指定（如 --part \(names[chosen == 0 ? 1 : 0].contains("政务公开") ? "政务公开" : Self.partKeyword(names[chosen == 0 ? 1 : 0]))）")
            header = Array(all[..<starts[0]]) + [all[start]]
            region = all[(start + 1)..<end]
        } else {
            let titleIndex = starts.first ?? titles.last { t in all[(t + 1)...].contains(where: numbered) }
            let from = titleIndex.map { $0 + 1 } ?? 0
            guard let first = all[from...].firstIndex(where: numbered) else { throw ImportError.noStructure }
            header = Array(all[..<first])
            region = all[first...]
        }
        // The body runs from the first numbered paragraph to the last; what follows is the closing. One numbered
        // paragraph is a plan only under a title (a web page's excerpt); a bare line is not.
        guard let first = region.firstIndex(where: numbered), let last = region.lastIndex(where: { numbered($0) || Self.isUnitLine($0.text) }),
              region.filter(numbered).count >= 2 || !(header + all[region.startIndex..<first]).isEmpty else { throw ImportError.noStructure }
        // Field lines after the last numbered paragraph still belong to it.
        var end = last
        while end + 1 < region.endIndex, TableReader.labelField(region[end + 1].text) != nil || Self.isUnitLine(region[end + 1].text) { end += 1 }
        header += all[region.startIndex..<first]
        return (header, Array(region[first...end]), Array(region[(end + 1)...]))
    }

    static func partKeyword(_ title: String) -> String {
        var t = title
        if let r = t.range(of: #"\d{4}年"#, options: .regularExpression) { t = String(t[r.upperBound...]) }
        return String(t.prefix(6))
    }

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
            if let (column, value) = TableReader.labelField(paragraph.text), builder.addField(column, value) { continue }
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
        return !responsibility(in: node.text + node.continuation.map(\.text).joined()).responsibility.isEmpty
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

    /// Clauses naming units for everything after them (“……均为责任单位，以下不再列出”).
    mutating func standingUnits(_ paragraphs: [Paragraph], registry: UnitRegistry) -> [(line: Int, names: [String])] {
        paragraphs.compactMap { p in
            guard let names = Self.standingResponsibility(in: p.text) else { return nil }
            warn(p.line, "standing-units", "“\(names.joined(separator: "、"))均为责任单位”：已列入此后每一项事项的责任单位，请核对")
            return (p.line, names)
        }
    }

    /// Whether a division is, or lies within, the named city (石城县 lies within 赣州市).
    static func place(_ division: Division, isIn city: String) -> Bool {
        guard let parent = DivisionTable.division(named: city) else { return false }
        return division.code == parent.code || (parent.level == .prefecture && division.code.hasPrefix(String(parent.code.prefix(4))))
            || (parent.level == .province && division.code.hasPrefix(String(parent.code.prefix(2))))
    }

    static func inferredCity(_ text: String) -> String? {
        text.range(of: #"^[\p{Han}]{2,6}?(市|省|州|盟|地区|县)"#, options: .regularExpression).map { String(text[$0]) }
    }

    /// city-year: the division table's slug for the city (xiangtan-2023), else its pinyin.
    static func planID(city: String, year: Int) -> String {
        "\(DivisionTable.place(named: [city])?.slug ?? Slug.make(city, dropping: ["市", "县", "区", "州", "省"]))-\(year)"
    }
}
