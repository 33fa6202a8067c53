/// A plan as read from a file: names not yet resolved, deadlines not yet computed.
public struct PlanDraft: Sendable {
    public var id: Located<String>
    public var city: Located<String>
    public var year: Located<Int>
    public var title: String
    public var issuer: String
    public var documentNumber: String?
    public var issued: Located<String>?
    public var source: String?
    public var noticeTitle: String?
    public var notice: String?
    public var preamble: String?
    public var closing: String?
    public var addressees: [Located<String>]
    public var districts: [Located<String>]
    public var sections: [NodeDraft]
    /// The file it came from, for messages about the plan as a whole.
    public var location: SourceLocation?
    /// 审核销号 switched on (see Plan.review).
    public var review = false
    public var reportCycle: ReportingCycle?

    public init(id: Located<String>, city: Located<String>, year: Located<Int>, title: String, issuer: String,
                documentNumber: String? = nil, issued: Located<String>? = nil, source: String? = nil,
                noticeTitle: String? = nil, notice: String? = nil, preamble: String? = nil, closing: String? = nil,
                addressees: [Located<String>] = [], districts: [Located<String>] = [], sections: [NodeDraft] = [],
                location: SourceLocation? = nil) {
        self.id = id
        self.city = city
        self.year = year
        self.title = title
        self.issuer = issuer
        self.documentNumber = documentNumber
        self.issued = issued
        self.source = source
        self.noticeTitle = noticeTitle
        self.notice = notice
        self.preamble = preamble
        self.closing = closing
        self.addressees = addressees
        self.districts = districts
        self.sections = sections
        self.location = location
    }
}

public struct NodeDraft: Sendable {
    public var id: Located<String>
    public var kind: NodeKind
    public var number: String
    public var title: Located<String>
    public var text: String
    public var unitsClause: String?
    public var unitsSource: UnitsSource?
    /// nil when the file does not say (a sub-task then inherits its item's units).
    public var lead: [Located<String>]?
    public var responsible: [Located<String>]?
    public var deadline: Located<String>?
    public var deadlineNote: String?
    public var numbered: Bool
    /// `plan/node` of the item a 回头看 item continues.
    public var carriedFrom: Located<String>?
    public var children: [NodeDraft]
    public var location: SourceLocation?

    public init(id: Located<String>, kind: NodeKind, number: String = "", title: Located<String>, text: String = "",
                unitsClause: String? = nil, unitsSource: UnitsSource? = nil, lead: [Located<String>]? = nil,
                responsible: [Located<String>]? = nil, deadline: Located<String>? = nil, deadlineNote: String? = nil,
                numbered: Bool = true, children: [NodeDraft] = [], location: SourceLocation? = nil) {
        self.id = id
        self.kind = kind
        self.number = number
        self.title = title
        self.text = text
        self.unitsClause = unitsClause
        self.unitsSource = unitsSource
        self.lead = lead
        self.responsible = responsible
        self.deadline = deadline
        self.deadlineNote = deadlineNote
        self.numbered = numbered
        self.children = children
        self.location = location
    }
}

extension NodeDraft {
    /// Every lead and responsible unit named here and below, in order.
    public var namedUnits: [Located<String>] { (lead ?? []) + (responsible ?? []) + children.flatMap(\.namedUnits) }
}

/// Turns a draft into a plan against its city's registry: resolves unit names, computes deadlines
/// (own text → explicit → parent → year end), checks ids. Every problem is reported with its location;
/// a plan with errors is still returned as far as it could be built, so `check` can list them all.
public enum PlanAssembler {
    public static func assemble(_ draft: PlanDraft, registry: UnitRegistry) -> (Plan, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let year = draft.year.value
        if !(1949...2100).contains(year) {
            diagnostics.append(.error("年份 \(year) 不合理", at: draft.year.location))
        }
        if !UnitRegistry.isSlug(draft.id.value) {
            diagnostics.append(.error("计划编号“\(draft.id.value)”应为小写英文字母、数字和连字符，如 changsha-2021", at: draft.id.location))
        }
        if draft.city.value != registry.city {
            diagnostics.append(.error("城市“\(draft.city.value)”与单位名册“\(registry.city)”不符", at: draft.city.location))
        }
        var issued: CivilDate?
        if let text = draft.issued {
            issued = CivilDate(iso: text.value)
            if issued == nil { diagnostics.append(.error("成文日期“\(text.value)”不是有效日期，应为 YYYY-MM-DD", at: text.location)) }
        }

        func resolve(_ names: [Located<String>]) -> [Unit] {
            names.compactMap { name in
                if let unit = registry.resolve(name.value) { return unit }
                diagnostics.append(.error(UnitRegistry.unknownUnitMessage(name.value, registry: registry), at: name.location))
                return nil
            }
        }
        let addressees = resolve(draft.addressees)
        let districts = resolve(draft.districts)
        for (unit, name) in zip(districts, draft.districts) where unit.kind != .district {
            diagnostics.append(.error("“\(name.value)”不是区县（市），不能列入 districts", at: name.location))
        }

        var nodes: [PlanNode] = []
        var positions: [String: Int] = [:]
        var firstSeen: [String: SourceLocation?] = [:]

        func add(_ draft: NodeDraft, parent: PlanNode?, expectedDepth: Int) {
            let id = draft.id.value
            if let first = firstSeen[id] {
                diagnostics.append(.error("节点编号“\(id)”重复（首次出现在 \(first.map(\.description) ?? "前文")）", at: draft.id.location))
            } else {
                firstSeen[id] = draft.id.location
            }
            let parts = id.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count != expectedDepth || !parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigitChar) }) {
                diagnostics.append(.error("节点编号“\(id)”应为 \(["1", "1.2", "1.2.3"][min(expectedDepth, 3) - 1]) 这样的 \(expectedDepth) 段数字", at: draft.id.location))
            } else if let parent, !id.hasPrefix(parent.id + ".") {
                diagnostics.append(.error("节点编号“\(id)”应以上级编号“\(parent.id).”开头", at: draft.id.location))
            }
            if draft.title.value.trimmingSpaces.isEmpty {
                diagnostics.append(.error("节点 \(id) 缺少标题（title）", at: draft.title.location ?? draft.location))
            }

            let lead = draft.lead.map(resolve)
            let responsible = draft.responsible.map(resolve)
            let inheritsUnits = lead == nil && responsible == nil && draft.kind == .subtask
            let unitsSource: UnitsSource? = inheritsUnits ? .inherited : draft.unitsSource

            let deadline: Deadline
            if let explicit = draft.deadline {
                if let mention = DeadlineParser.parse(explicit.value, planYear: year) {
                    deadline = Deadline(date: mention.date, phrase: mention.phrase, origin: .explicit(note: draft.deadlineNote))
                } else {
                    diagnostics.append(.error("无法识别完成时限“\(explicit.value)”：应为“2021年底前”“7月底前”“年内”或 YYYY-MM-DD", at: explicit.location))
                    deadline = inherited(from: parent, year: year)
                }
            } else if let mention = DeadlineParser.latest(in: draft.text, planYear: year) {
                deadline = Deadline(date: mention.date, phrase: mention.phrase, origin: .text)
            } else {
                deadline = inherited(from: parent, year: year)
            }
            if deadline.date.year != year && deadline.date.year != year + 1 {
                diagnostics.append(.warning("节点 \(id) 的完成时限 \(deadline.date) 不在计划年度 \(year) 内", at: draft.deadline?.location ?? draft.location))
            }

            let node = PlanNode(
                id: id, parentID: parent?.id, kind: draft.kind, number: draft.number, title: draft.title.value,
                text: draft.text, unitsClause: draft.unitsClause, unitsSource: unitsSource,
                lead: lead ?? (inheritsUnits ? parent?.lead ?? [] : []),
                responsible: responsible ?? (inheritsUnits ? parent?.responsible ?? [] : []),
                deadline: deadline, standingRules: DeadlineParser.standingRules(in: draft.text),
                childIDs: [], numbered: draft.numbered, location: draft.location,
                carriedFrom: draft.carriedFrom.flatMap { CarriedFrom(text: $0.value) })
            if let carried = draft.carriedFrom, CarriedFrom(text: carried.value) == nil {
                diagnostics.append(.error("节点 \(id) 的“carried_from”应写作 计划编号/事项编号（如 changsha-2021/1.2），而不是“\(carried.value)”",
                                          at: carried.location))
            }
            let position = nodes.count
            nodes.append(node)
            positions[id] = positions[id] ?? position
            if let parent, let parentIndex = positions[parent.id] {
                nodes[parentIndex].childIDs.append(id)
            }
            if draft.kind == .item && draft.children.isEmpty && node.lead.isEmpty && node.responsible.isEmpty {
                diagnostics.append(.warning("事项 \(id) 没有牵头或责任单位", at: draft.location))
            }
            let childKind: NodeKind = draft.kind == .section ? .item : .subtask
            for child in draft.children {
                if child.kind != childKind {
                    diagnostics.append(.error("节点 \(child.id.value) 的层级不对：\(draft.kind.rawValue) 之下应为 \(childKind.rawValue)", at: child.location))
                }
                add(child, parent: nodes[position], expectedDepth: expectedDepth + 1)
            }
        }
        for section in draft.sections { add(section, parent: nil, expectedDepth: 1) }

        let plan = Plan(
            id: draft.id.value, city: draft.city.value, year: year, title: draft.title, issuer: draft.issuer,
            documentNumber: draft.documentNumber, issued: issued, source: draft.source, noticeTitle: draft.noticeTitle,
            notice: draft.notice, preamble: draft.preamble, closing: draft.closing, addressees: addressees,
            districts: districts, nodes: nodes, registry: registry, location: draft.location, review: draft.review,
            reportCycle: draft.reportCycle)
        // One problem at one place is said once: an imported notice's items may all take their units from one
        // addressee line, and an unknown addressee is one mistake, not one per item.
        var seen = Set<Diagnostic>()
        return (plan, diagnostics.filter { seen.insert($0).inserted })
    }

    private static func inherited(from parent: PlanNode?, year: Int) -> Deadline {
        if let parent, parent.deadline.origin != .planYearEnd {
            return Deadline(date: parent.deadline.date, phrase: parent.deadline.phrase, origin: .inherited(from: parent.id))
        }
        return Deadline(date: .endOfYear(year), phrase: nil, origin: .planYearEnd)
    }
}
