import DubanCore
import Foundation

extension PlanImporter {
    /// Reads the document into a plan draft and its YAML.
    public mutating func run(text: String, file: String) throws -> Result {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ImportError.empty }
        guard text.count <= Self.maximumCharacters else { throw ImportError.tooLarge }
        let paragraphs = self.paragraphs(text)
        guard let firstSection = paragraphs.firstIndex(where: { Self.sectionNumber($0.text) != nil }),
              paragraphs.contains(where: { Self.itemNumber($0.text) != nil }) else { throw ImportError.noStructure }

        // Header: title, 文号, issuer, date, notice, addressees, preamble.
        let header = Array(paragraphs[..<firstSection])
        let titleIndex = header.lastIndex { p in
            !p.text.hasPrefix("关于印发") && !p.text.contains("。") && (p.text.hasSuffix("工作要点") || p.text.hasSuffix("方案") || p.text.hasSuffix("意见"))
        }
        var title = titleIndex.map { header[$0].text } ?? header.first?.text ?? "未命名计划"
        if title.hasPrefix("关于印发") { title = title.replacingOccurrences(of: "关于印发", with: "") }
        // The 文号 stands on its own line; numbers cited in the text (国办发〔2018〕23号) are not it.
        let documentNumber = header.first { $0.text.range(of: #"^[\p{Han}]+〔\d{4}〕\d+号$"#, options: .regularExpression) != nil }?.text
        let dateLine = header.firstIndex { $0.text.range(of: #"^\d{4}年\d{1,2}月\d{1,2}日$"#, options: .regularExpression) != nil }
        let issued = dateLine.flatMap { Self.date(header[$0].text) }
        var issuer = dateLine.flatMap { $0 > 0 ? header[$0 - 1].text : nil } ?? ""
        if issuer.isEmpty || issuer.count > 40 {
            issuer = header.first { $0.text.hasSuffix("办公室") || $0.text.hasSuffix("办公厅") }?.text ?? ""
        }
        let noticeTitle = header.first { $0.text.contains("关于印发") && $0.text.hasSuffix("的通知") }?.text
        let addresseeIndex = header.firstIndex { ($0.text.hasSuffix("：") || $0.text.hasSuffix(":")) && $0.text.count < 60 && !$0.text.contains("。") }
        var notice: String?
        if let a = addresseeIndex {
            let end = dateLine.map { max(a + 1, $0 - 1) } ?? min(header.count, a + 2)
            notice = header[(a + 1)..<max(a + 1, end)].map(\.text).joined(separator: "\n")
        }
        let preambleStart = (titleIndex.map { $0 + 1 }) ?? 0
        let preamble = preambleStart < header.count && preambleStart > (dateLine ?? -1)
            ? header[preambleStart...].map(\.text).joined(separator: "\n") : nil

        if issuer.isEmpty {
            issuer = "（待补充）"
            warn(header.first?.line ?? 1, "no-issuer", "没有找到发文机关，已写为“（待补充）”，请在计划文件中补充 issuer")
        }

        // City and year.
        let city = options.city ?? registries.keys.sorted().first { title.hasPrefix($0) || issuer.hasPrefix($0) }
            ?? Self.inferredCity(title + issuer) ?? "未知"
        let registry = registries[city] ?? UnitRegistry(city: city, units: [])
        if registries[city] == nil {
            warn(titleIndex.map { header[$0].line } ?? 1, "unknown-city", "没有“\(city)”的单位名册：单位名称将按原文保留，并逐一提示")
        }
        let year = Self.year(title) ?? issued?.year ?? Calendar.current.component(.year, from: Date())
        let id = options.planID ?? Self.planID(city: city, year: year, registries: registries)

        var addressees: [Located<String>] = []
        if let a = addresseeIndex {
            let line = String(header[a].text.dropLast())   // the colon
            for name in line.split(whereSeparator: { $0 == "，" || $0 == "," }).flatMap({ Self.splitNames(String($0)) }) {
                addressees += resolve(name, registry: registry, line: header[a].line, warnUnknown: false)
            }
        }

        // Body: sections, items, sub-tasks; anything else is reported.
        var sections: [NodeDraft] = []
        var seenItems: [Int: Int] = [:]
        var seenTexts: [String: Int] = [:]
        var lastItem = 0
        var closing: [String] = []
        let body = Array(paragraphs[firstSection...])
        let lastItemIndex = body.lastIndex { Self.itemNumber($0.text) != nil } ?? 0
        for (index, paragraph) in body.enumerated() {
            // The same paragraph twice, numbered differently or not at all, is a scan's repeat.
            let key = Self.itemNumber(paragraph.text)?.2 ?? paragraph.text
            if key.count > 20, let first = seenTexts[key] {
                warn(paragraph.line, "duplicate-paragraph", "此段与第 \(first) 行的段落完全相同（扫描件重复？），仍按原文导入")
            } else {
                seenTexts[key] = paragraph.line
            }
            if let (n, number, written) = Self.sectionNumber(paragraph.text) {
                let heading = Self.nonEmptyTitle(written, body: "")
                if heading != written.trimmingCharacters(in: .whitespaces) {
                    warn(paragraph.line, "empty-item", "章节\(number)只有编号，没有标题，请在计划文件中补充")
                }
                if n != sections.count + 1 {
                    warn(paragraph.line, "section-number", "章节编号“\(number)”不连续：应为第 \(sections.count + 1) 部分")
                }
                sections.append(NodeDraft(id: Located("\(sections.count + 1)", at: loc(file, paragraph.line)), kind: .section,
                                          number: number, title: Located(heading, at: loc(file, paragraph.line)),
                                          location: loc(file, paragraph.line)))
                continue
            }
            guard !sections.isEmpty else { continue }
            if let (n, number, rest) = Self.itemNumber(paragraph.text) {
                // Some documents number items afresh in each part (2022 三、保障措施 starts again at （一）).
                if n == 1, let section = sections.last, section.children.isEmpty, lastItem > 0 {
                    lastItem = 0
                    seenItems = [:]
                }
                if let first = seenItems[n] {
                    warn(paragraph.line, "repeated-number", "事项编号“\(number)”重复（第 \(first) 行已有），按顺序编为第 \(lastItem + 1) 项")
                } else if n != lastItem + 1 {
                    warn(paragraph.line, "skipped-number", "事项编号“\(number)”不连续：上一项是第 \(lastItem) 项")
                }
                seenItems[n] = seenItems[n] ?? paragraph.line
                lastItem += 1
                let section = sections.count
                let item = makeItem(rest, number: number, id: "\(section).\(lastItem)", line: paragraph.line, file: file,
                                    registry: registry, addressees: addressees, planYear: year)
                sections[section - 1].children.append(item)
                continue
            }
            if index > lastItemIndex {
                closing.append(paragraph.text)
            } else if let last = sections.last, last.children.isEmpty {
                var section = sections.removeLast()
                section.text += (section.text.isEmpty ? "" : "\n") + paragraph.text
                sections.append(section)
            } else {
                warn(paragraph.line, "unplaced", "这段文字没有编号，已并入上一项事项的正文：“\(paragraph.text.prefix(30))…”")
                var section = sections.removeLast()
                var item = section.children.removeLast()
                item.text += paragraph.text
                section.children.append(item)
                sections.append(section)
            }
        }

        applyGeneralDeadline(&sections, planYear: year)

        var draft = PlanDraft(id: Located(id), city: Located(city), year: Located(year), title: title, issuer: issuer,
                              documentNumber: documentNumber, issued: issued.map { Located($0.description) },
                              source: (file as NSString).lastPathComponent, noticeTitle: noticeTitle, notice: notice,
                              preamble: preamble, closing: closing.isEmpty ? nil : closing.joined(separator: "\n"),
                              addressees: addressees, districts: [], sections: sections)
        draft.districts = Self.districts(registry: registry, addressees: addressees)
        let yaml = PlanYAML.emit(draft)
        return Result(yaml: yaml, planID: id, warnings: warnings.sorted { $0.line < $1.line }, draft: draft)
    }

    mutating func makeItem(_ rest: String, number: String, id: String, line: Int, file: String, registry: UnitRegistry,
                           addressees: [Located<String>], planYear: Int) -> NodeDraft {
        var (text, clause) = Self.splitUnitClause(rest)
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            text = "（原文此处只有编号，请补充）"
            warn(line, "empty-item", "事项\(number)只有编号，没有内容，请在计划文件中补充")
        }
        let title = String(text.split(separator: "。", maxSplits: 1).first ?? Substring(text))
        var lead: [Located<String>] = []
        var responsible: [Located<String>] = []
        var unitsSource: UnitsSource? = clause == nil ? nil : .clause
        var subtasks = Self.subtasks(text, parentID: id, line: line, file: file)
        if subtasks.isEmpty && clause == nil {
            subtasks = Self.stages(text, parentID: id, planYear: planYear, line: line, file: file, registry: registry)
            if !subtasks.isEmpty {
                warn(line, "stages", "事项\(number)按时限分为 \(subtasks.count) 个阶段（未编号子任务）；子任务标题取自原文末句，请核对")
            }
        }
        if let clause {
            let parsed = Self.parseUnitClause(clause)
            lead = parsed.lead.flatMap { resolve($0, registry: registry, line: line) }
            responsible = parsed.responsible.flatMap { resolve($0, registry: registry, line: line) }
        } else {
            // No clause: the units the text names, else the notice's addressees — marked so, and to be checked.
            let named = textUnits(text, registry: registry, line: line, addressees: addressees.map(\.value))
            if subtasks.isEmpty {
                lead = named.lead.map { Located($0) }
                responsible = named.responsible.map { Located($0) }
            } else {
                responsible = named.all.map { Located($0) }   // the sub-tasks say who leads what
            }
            let onlyAddressees = named.isEmpty || named.all == addressees.map(\.value)
            if named.isEmpty { responsible = addressees.map { Located($0.value) } }
            unitsSource = onlyAddressees ? .addressees : .text
            let list = (lead + responsible).map(\.value).joined(separator: "、")
            warn(line, "no-unit-clause", "事项\(number)没有“（……牵头，……负责）”的责任单位；已按\(onlyAddressees ? "主送单位" : "正文提到的单位")暂定为：\(list.isEmpty ? "无" : list)，请核对")

            // A sub-task that names its own units gets them. One that names none inherits its item's units when
            // those are the addressees or named before 一是; when they come only from the other sub-tasks, it
            // falls back to the addressees.
            if !subtasks.isEmpty && subtasks[0].numbered {
                let leadIn = subtasks.first.flatMap { first in text.range(of: first.text).map { String(text[..<$0.lowerBound]) } } ?? ""
                let leadInNamed = Self.unitsNamed(in: leadIn, registry: registry)
                for index in subtasks.indices {
                    let own = Self.unitsNamed(in: subtasks[index].text, registry: registry)
                    if !own.isEmpty {
                        subtasks[index].lead = own.lead.map { Located($0) }
                        subtasks[index].responsible = own.responsible.map { Located($0) }
                        subtasks[index].unitsSource = .text
                    } else if !named.isEmpty && leadInNamed.isEmpty {
                        subtasks[index].lead = []
                        subtasks[index].responsible = addressees.map { Located($0.value) }
                        subtasks[index].unitsSource = .addressees
                    }
                }
            }
        }
        for phrase in Self.unplacedDeadlinePhrases(text, year: 0) {
            warn(line, "deadline", "无法确定时限“\(phrase)”的日期，请在计划文件中用 deadline 指定")
        }
        var node = NodeDraft(id: Located(id, at: loc(file, line)), kind: .item, number: number,
                             title: Located(title, at: loc(file, line)), text: text, unitsClause: clause,
                             unitsSource: unitsSource, lead: lead, responsible: responsible, location: loc(file, line))
        node.children = subtasks
        return node
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

    /// Units named in the text; function names the registry lacks are kept as written, and said so.
    mutating func textUnits(_ text: String, registry: UnitRegistry, line: Int, addressees: [String]) -> TextUnits {
        let units = Self.unitsNamed(in: text, registry: registry, addressees: addressees)
        for name in units.unknown { warnUnknownUnit(name, registry: registry, line: line) }
        return units
    }

    /// A unit the registry does not know: kept as written, with the closest known names.
    mutating func warnUnknownUnit(_ name: String, registry: UnitRegistry, line: Int) {
        let near = registry.closestNames(to: name)
        warn(line, "unknown-unit", "单位名册中没有“\(name)”" + (near.isEmpty ? "，已按原文保留" : "；相近的有：\(near.joined(separator: "、"))"))
    }

    /// 一是……。二是……。 → sub-tasks (only when the text counts at least to 二是).
    static func subtasks(_ text: String, parentID: String, line: Int, file: String) -> [NodeDraft] {
        let markers = ["一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是"]
        var ranges: [(Int, Range<String.Index>)] = []
        var searchFrom = text.startIndex
        for (i, marker) in markers.enumerated() {
            guard let r = text.range(of: marker, range: searchFrom..<text.endIndex) else { break }
            ranges.append((i + 1, r))
            searchFrom = r.upperBound
        }
        guard ranges.count >= 2 else { return [] }
        return ranges.enumerated().map { index, entry in
            let end = index + 1 < ranges.count ? ranges[index + 1].1.lowerBound : text.endIndex
            // The sub-task's text is its sentences without the 一是 marker; its title, the first clause.
            let body = String(text[entry.1.upperBound..<end])
            let clause = Self.subtaskTitle(String(body.split(whereSeparator: { $0 == "。" || $0 == "，" || $0 == "," }).first ?? Substring(body)))
            let title = Self.nonEmptyTitle(clause, body: body)
            return NodeDraft(id: Located("\(parentID).\(entry.0)", at: SourceLocation(file: file, line: line)), kind: .subtask,
                             number: markers[entry.0 - 1], title: Located(title), text: body.trimmingCharacters(in: .whitespaces).isEmpty ? "（原文此处为空，请补充）" : body,
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

    /// Names resolved through the registry (aliases included); a name joined by 和 is tried whole, then split.
    mutating func resolve(_ name: String, registry: UnitRegistry, line: Int, warnUnknown: Bool = true) -> [Located<String>] {
        if let unit = registry.resolve(name) { return [Located(unit.name)] }
        if name.contains("和") {
            let parts = name.split(separator: "和").map(String.init)
            if parts.allSatisfy({ registry.resolve($0) != nil }) { return parts.map { Located(registry.resolve($0)!.name) } }
        }
        if warnUnknown { warnUnknownUnit(name, registry: registry, line: line) }
        return [Located(name)]
    }

    func loc(_ file: String, _ line: Int) -> SourceLocation { SourceLocation(file: file, line: line) }

    static func date(_ text: String) -> CivilDate? {
        let digits = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard digits.count >= 3 else { return nil }
        return CivilDate(year: digits[0], month: digits[1], day: digits[2])
    }

    static func year(_ title: String) -> Int? {
        title.range(of: #"(19|20)\d{2}(?=年)"#, options: .regularExpression).flatMap { Int(title[$0]) }
    }

    static func inferredCity(_ text: String) -> String? {
        text.range(of: #"^[\p{Han}]{2,6}?(市|省|州|盟|地区)"#, options: .regularExpression).map { String(text[$0]) }
    }

    /// changsha-2021 for the bundled cities, else city-<year>.
    static func planID(city: String, year: Int, registries: [String: UnitRegistry]) -> String {
        let slugs = ["长沙市": "changsha", "株洲市": "zhuzhou"]
        return "\(slugs[city] ?? "plan")-\(year)"
    }

    /// Every county-level district, plus districts the notice addresses by name (长沙高新区, 株洲经开区).
    static func districts(registry: UnitRegistry, addressees: [Located<String>]) -> [Located<String>] {
        var names: [String] = []
        for a in addressees {
            guard let unit = registry.resolve(a.value) else { continue }
            if unit.kind == .district { names.append(unit.name) }
            if unit.kind == .collective {
                names += registry.concreteUnits(for: unit).filter { $0.kind == .district }.map(\.name)
            }
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }.map { Located($0) }
    }

    /// Deadline-looking phrases the parser cannot date (上半年, 三季度末…).
    static func unplacedDeadlinePhrases(_ text: String, year: Int) -> [String] {
        ["上半年", "下半年", "季度末", "季度前", "月中旬前", "月上旬前", "月下旬前"].filter { text.contains($0) }
    }
}
