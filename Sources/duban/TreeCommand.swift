import ArgumentParser
import DubanCore
import DubanPlans

struct TreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "显示一个计划的任务树：章节、事项、子任务，牵头与责任单位，完成时限。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号，如 changsha-2021（duban plans 可列出）。", valueName: "plan"))
    var planID: String
    @Flag(help: "以 JSON 输出：{plan, nodes}。") var json = false
    @Flag(name: .customLong("full"), help: "同时显示每个节点的全文。") var fullText = false

    struct PlanInfo: Encodable {
        let id: String
        let city: String
        let year: Int
        let title: String
        let issuer: String
        @Null var document_number: String?
        @Null var issued: String?
        @Null var source: String?
        let districts: [String]
    }

    struct NodeInfo: Encodable {
        let id: String
        @Null var parent: String?
        let kind: String
        let number: String
        let title: String
        let text: String
        let lead: [String]
        let responsible: [String]
        let assignees: [String]
        let assignee_ids: [String]
        let deadline: String
        @Null var deadline_source: String?
        let deadline_origin: String
        let standing_rules: [String]
        @Null var units_from: String?
        let numbered: Bool
    }

    struct Output: Encodable {
        let plan: PlanInfo
        let nodes: [NodeInfo]
    }

    mutating func run() throws {
        try reporting {
            let (_, plan) = try global.loadPlan(planID)
            if json { return try printJSON(Self.output(plan)) }
            print(render(plan))
        }
    }

    static func output(_ plan: Plan) -> Output {
        let info = PlanInfo(id: plan.id, city: plan.city, year: plan.year, title: plan.title, issuer: plan.issuer,
                            document_number: plan.documentNumber, issued: plan.issued?.description, source: plan.source,
                            districts: plan.districts.map(\.name))
        let nodes = plan.nodes.map { node -> NodeInfo in
            let assignees = plan.assignees(of: node)
            return NodeInfo(
                id: node.id, parent: node.parentID, kind: node.kind.rawValue, number: node.number, title: node.title,
                text: node.text, lead: node.lead.map(\.name), responsible: node.responsible.map(\.name),
                assignees: assignees.map(\.name), assignee_ids: assignees.map(\.id),
                deadline: node.deadline.date.description, deadline_source: node.deadline.phrase,
                deadline_origin: originLabel(node.deadline.origin), standing_rules: node.standingRules.map(\.phrase),
                units_from: node.unitsSource?.rawValue, numbered: node.numbered)
        }
        return Output(plan: info, nodes: nodes)
    }

    static func originLabel(_ origin: Deadline.Origin) -> String {
        switch origin {
        case .text: return "text"
        case .explicit: return "explicit"
        case .inherited: return "inherited"
        case .planYearEnd: return "plan_year_end"
        }
    }

    func render(_ plan: Plan) -> String {
        var out: [String] = []
        var heading = shown(plan.title)
        if let number = plan.documentNumber { heading += "（\(shown(number))）" }
        out.append(heading)
        out.append("\(shown(plan.issuer))  \(plan.issued?.chinese ?? "")  \(plan.city)  \(plan.districts.count) 个区县（市）  \(plan.assignments.count) 项责任分工")
        for node in plan.nodes {
            let indent = String(repeating: "  ", count: node.kind == .section ? 0 : node.kind == .item ? 1 : 2)
            let pad = indent + "    "
            if node.kind == .section {
                out.append("")
                out.append("\(node.id)  \(shown(node.number))\(shown(node.title))")
                if fullText && !node.text.isEmpty { out.append(pad + shown(node.text)) }
                continue
            }
            out.append("\(indent)\(node.id)  \(shown(node.number))\(shown(node.title))")
            if !node.lead.isEmpty { out.append(pad + "牵头：" + node.lead.map(\.name).joined(separator: "、")) }
            if !node.responsible.isEmpty {
                let label = node.unitsSource == .inherited ? "责任（同上级）：" : "责任："
                out.append(pad + label + node.responsible.map(\.name).joined(separator: "、"))
            }
            out.append(pad + "时限：" + deadlineText(node.deadline))
            if !node.standingRules.isEmpty {
                out.append(pad + "时效要求：" + node.standingRules.map(\.phrase).joined(separator: "、"))
            }
            if fullText { out.append(pad + shown(node.text)) }
        }
        return out.joined(separator: "\n")
    }

    func deadlineText(_ deadline: Deadline) -> String {
        let date = deadline.date.description
        switch deadline.origin {
        case .text: return "\(date)（“\(shown(deadline.phrase ?? ""))”）"
        case let .explicit(note): return "\(date)（“\(shown(deadline.phrase ?? ""))”\(note.map { "，" + shown($0) } ?? "")）"
        case let .inherited(from): return "\(date)（同 \(from)\(deadline.phrase.map { "“" + shown($0) + "”" } ?? "")）"
        case .planYearEnd: return "\(date)（未写明，按年底）"
        }
    }
}
