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

        let city = city(for: head, text: text)
        let registry = registries[city] ?? UnitRegistry(city: city, units: [])
        if registries[city] == nil && city != "未知" {
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
            draft.districts = Self.districts(registry: registry, addressees: sections.flatMap(\.namedUnits))
            if !draft.districts.isEmpty {
                warn(head.titleLine, "districts", "主送单位没有点到区县（市）：参与排名的区县（市）按各事项的责任单位定为 \(draft.districts.map(\.value).joined(separator: "、"))，请核对")
            }
        }
        // New plans are supervised the way offices work: a unit's 已完成 awaits the office's sign-off (审核销号).
        draft.review = true
        let yaml = PlanYAML.emit(draft)
        return Result(yaml: yaml, planID: id, warnings: warnings.sorted { $0.line < $1.line }, draft: draft)
    }

    /// City: as given (湘潭 is 湘潭市), else the registry or division the title, issuer or 文号 begins with, else the
    /// city the text names most; 未知 with a warning when nothing says.
    mutating func city(for head: DocumentHeader, text: String) -> String {
        let named = DivisionTable.place(named: [head.title, head.issuer, head.documentNumber ?? ""])
        let given = options.city.map { name in registries[name] != nil ? name : (DivisionTable.division(named: name)?.name ?? name) }
        var city = given ?? registries.keys.sorted().first { head.title.hasPrefix($0) || head.issuer.hasPrefix($0) }
            ?? named?.name ?? Self.inferredCity(head.title + head.issuer) ?? ""
        if city.isEmpty, let mentioned = Self.mostMentionedCity(text) {
            city = mentioned
            warn(head.titleLine, "city-from-text", "标题和发文机关没有写城市，按正文中提到的“\(mentioned)”导入；不对时请用 --city 指定")
        }
        if let given, let named, named.name != given, !Self.place(named, isIn: given) {
            warn(head.titleLine, "city-mismatch", "文件的标题或发文机关是“\(named.name)”，而 --city 是“\(given)”：单位会按\(given)的名册读，请确认")
        }
        if city.isEmpty {
            city = "未知"
            warn(head.titleLine, "no-city", "标题、发文机关、文号和正文都没有写是哪个城市：请用 --city 指定（如 --city 怀化市），单位才能按该市的名册读")
        }
        return city
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

    /// Clauses naming units for everything after them (“……均为责任单位，以下不再列出”).
    mutating func standingUnits(_ paragraphs: [Paragraph], registry: UnitRegistry) -> [(line: Int, names: [String])] {
        paragraphs.compactMap { p in
            guard let names = Self.standingResponsibility(in: p.text) else { return nil }
            warn(p.line, "standing-units", "“\(names.joined(separator: "、"))均为责任单位”：已列入此后每一项事项的责任单位，请核对")
            return (p.line, names)
        }
    }

    /// The prefecture-level city the text names most often by its full name (怀化市), for a web copy that lost its
    /// header: a notice names its own city more than any other.
    static func mostMentionedCity(_ text: String) -> String? {
        let counts = DivisionTable.cities.map { city in (city.name, text.components(separatedBy: city.name).count - 1) }
        guard let best = counts.max(by: { $0.1 < $1.1 }), best.1 > 0 else { return nil }
        return counts.filter { $0.1 == best.1 }.count == 1 ? best.0 : nil
    }

    /// Whether a division is, or lies within, the named city (石城县 lies within 赣州市).
    static func place(_ division: Division, isIn city: String) -> Bool {
        DivisionTable.division(named: city)?.contains(division) ?? false
    }

    static func inferredCity(_ text: String) -> String? {
        text.range(of: #"^[\p{Han}]{2,6}?(市|省|州|盟|地区|县)"#, options: .regularExpression).map { String(text[$0]) }
    }

    /// city-year: the division table's slug for the city (xiangtan-2023), else its pinyin.
    static func planID(city: String, year: Int) -> String {
        "\(DivisionTable.place(named: [city])?.slug ?? Slug.make(city, dropping: ["市", "县", "区", "州", "省"]))-\(year)"
    }
}
