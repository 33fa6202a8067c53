import DubanCore
import Yams

/// Writes a plan draft in the plan file format (docs/plan-format.md), keys in the documented order.
public enum PlanYAML {
    public static func emit(_ draft: PlanDraft) -> String {
        var pairs: [(String, Node)] = [
            ("id", scalar(draft.id.value)), ("city", scalar(draft.city.value)), ("year", scalar(String(draft.year.value), plain: true)),
            ("title", scalar(draft.title)), ("issuer", scalar(draft.issuer)),
        ]
        if let number = draft.documentNumber { pairs.append(("document_number", scalar(number))) }
        if let issued = draft.issued { pairs.append(("issued", scalar(issued.value, plain: true))) }
        if let source = draft.source { pairs.append(("source", scalar(source))) }
        if let noticeTitle = draft.noticeTitle { pairs.append(("notice_title", scalar(noticeTitle))) }
        if let notice = draft.notice, !notice.isEmpty { pairs.append(("notice", text(notice))) }
        pairs.append(("addressees", flow(draft.addressees.map(\.value))))
        pairs.append(("districts", flow(draft.districts.map(\.value))))
        if draft.review { pairs.append(("review", scalar("true", plain: true))) }
        if let cycle = draft.reportCycle { pairs.append(("report_cycle", scalar(cycle.description, plain: true))) }
        if let preamble = draft.preamble, !preamble.isEmpty { pairs.append(("preamble", text(preamble))) }
        pairs.append(("sections", .sequence(.init(draft.sections.map(node)))))
        if let closing = draft.closing { pairs.append(("closing", text(closing))) }
        let root = Node.mapping(.init(pairs.map { (scalar($0.0, plain: true), $0.1) }))
        let body = (try? Yams.serialize(node: root, width: -1, allowUnicode: true)) ?? ""
        return "# \(draft.title)\n# 由 duban import 从 \(draft.source ?? "原文") 生成；请核对后使用\n" + body
    }

    static func node(_ n: NodeDraft) -> Node {
        var pairs: [(String, Node)] = [("id", scalar(n.id.value, quoted: true))]
        if !n.number.isEmpty { pairs.append(("number", scalar(n.number))) }
        pairs.append(("title", scalar(n.title.value)))
        if !n.text.isEmpty { pairs.append(("text", text(n.text))) }
        if let clause = n.unitsClause { pairs.append(("units_clause", scalar(clause))) }
        if let source = n.unitsSource, source != .inherited { pairs.append(("units_from", scalar(source.rawValue, plain: true))) }
        if let lead = n.lead { pairs.append(("lead", flow(lead.map(\.value)))) }
        if let responsible = n.responsible { pairs.append(("responsible", flow(responsible.map(\.value)))) }
        if let deadline = n.deadline { pairs.append(("deadline", scalar(deadline.value))) }
        if !n.numbered { pairs.append(("numbered", scalar("false", plain: true))) }
        if let from = n.carriedFrom { pairs.append(("carried_from", scalar(from.value))) }
        if !n.children.isEmpty {
            pairs.append((n.kind == .section ? "items" : "subtasks", .sequence(.init(n.children.map(node)))))
        } else if n.kind == .section {
            pairs.append(("items", flow([])))
        }
        return .mapping(.init(pairs.map { (scalar($0.0, plain: true), $0.1) }))
    }

    static func scalar(_ value: String, plain: Bool = false, quoted: Bool = false) -> Node {
        .scalar(.init(value, .implicit, quoted ? .doubleQuoted : plain ? .plain : .any))
    }

    static func text(_ value: String) -> Node { .scalar(.init(value, .implicit, .literal)) }

    static func flow(_ values: [String]) -> Node {
        .sequence(.init(values.map { scalar($0) }, .implicit, .flow))
    }
}
