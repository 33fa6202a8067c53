import DubanCore
import Yams

/// Reads one plan file (see docs/plan-format.md) into a draft; names are resolved later against the registry.
public enum PlanFile {
    public static func parse(_ text: String, file: String) -> (PlanDraft?, [Diagnostic]) {
        let reader = YAMLReading(file: file)
        guard let root = reader.root(of: text), let f = reader.fields(root, what: "计划文件") else {
            return (nil, reader.diagnostics)
        }
        let id = f.string("id", required: true)
        let city = f.string("city", required: true)
        let year = f.int("year", required: true)
        let title = f.string("title", required: true)
        let issuer = f.string("issuer", required: true)
        var draft: PlanDraft?
        if let id, let city, let year, let title, let issuer {
            draft = PlanDraft(id: id, city: city, year: year, title: title.value, issuer: issuer.value, location: f.location)
        }
        // Every key is read, even when a required one is missing, so each problem is reported once.
        let documentNumber = f.string("document_number")?.value
        let issued = f.string("issued")
        let source = f.string("source")?.value
        let noticeTitle = f.string("notice_title")?.value
        let notice = f.string("notice")?.value
        let preamble = f.string("preamble")?.value
        let closing = f.string("closing")?.value
        let review = f.bool("review")
        let cycle = f.string("report_cycle")
        var reportCycle: ReportingCycle?
        if let cycle {
            reportCycle = ReportingCycle(text: cycle.value)
            if reportCycle == nil {
                reader.diagnostics.append(.error("“report_cycle”应为 monthly 日、quarterly 日 或 none（日为 1 到 28），而不是“\(cycle.value)”",
                                                 at: cycle.location))
            }
        }
        let addressees = f.strings("addressees") ?? []
        let districts = f.strings("districts") ?? []
        draft?.documentNumber = documentNumber
        draft?.issued = issued
        draft?.source = source
        draft?.noticeTitle = noticeTitle
        draft?.notice = notice
        draft?.preamble = preamble
        draft?.closing = closing
        draft?.review = review ?? false
        draft?.reportCycle = reportCycle
        draft?.addressees = addressees
        draft?.districts = districts
        let sections = f.sequence("sections")
        if sections == nil { reader.error("计划文件缺少“sections”（章节列表）", at: root) }
        let nodes = (sections ?? []).compactMap { node(from: $0, kind: .section, reader: reader) }
        draft?.sections = nodes
        f.finish()
        return (reader.diagnostics.contains { $0.severity == .error } ? nil : draft, reader.diagnostics)
    }

    private static func node(from yaml: Node, kind: NodeKind, reader: YAMLReading) -> NodeDraft? {
        let what: String = switch kind {
        case .section: "章节"
        case .item: "事项"
        case .subtask: "子任务"
        }
        guard let f = reader.fields(yaml, what: what) else { return nil }
        let id = f.string("id", required: true)
        let label = id.map { "\(what) \($0.value) " } ?? what
        let number = f.string("number")?.value ?? ""
        let title = f.string("title", required: true)
        let text = f.string("text", required: kind != .section)?.value ?? ""
        var unitsSource: UnitsSource?
        if let source = f.string("units_from") {
            unitsSource = UnitsSource(rawValue: source.value)
            if unitsSource == nil || unitsSource == .inherited {
                reader.diagnostics.append(.error("\(label)的“units_from”应为 clause、text 或 addressees", at: source.location))
            }
        }
        let childKey = kind == .section ? "items" : "subtasks"
        var children: [NodeDraft] = []
        if kind != .subtask, let list = f.sequence(childKey) {
            children = list.compactMap { node(from: $0, kind: kind == .section ? .item : .subtask, reader: reader) }
        }
        var draft = NodeDraft(
            id: id ?? Located("?", at: f.location), kind: kind, number: number,
            title: title ?? Located("", at: f.location), text: text,
            unitsClause: f.string("units_clause")?.value, unitsSource: unitsSource,
            lead: f.strings("lead"), responsible: f.strings("responsible"),
            deadline: f.string("deadline"), deadlineNote: f.string("deadline_note")?.value,
            numbered: f.bool("numbered") ?? true, children: children, location: f.location)
        draft.carriedFrom = f.string("carried_from")
        f.finish()
        return id == nil || title == nil ? nil : draft
    }
}
