import ArgumentParser
import DubanCore
import DubanPlans

struct PlansCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans",
        abstract: "列出全部计划：编号、城市、年度、标题、文号和任务数。")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "以 JSON 输出。") var json = false

    struct Row: Encodable {
        let id: String
        let city: String
        let year: Int
        let title: String
        let issuer: String
        @Null var document_number: String?
        @Null var issued: String?
        let sections: Int
        let items: Int
        let subtasks: Int
        let assignments: Int
        let districts: [String]
    }

    mutating func run() throws {
        try reporting {
            // Headers only: a list of seventy plans need not load seventy plans.
            let (directory, headers) = try global.planHeaders()
            let rows = headers.map { plan in
                Row(id: plan.id, city: plan.city, year: plan.year, title: plan.title, issuer: plan.issuer,
                    document_number: plan.documentNumber, issued: plan.issued?.description,
                    sections: plan.sections, items: plan.items, subtasks: plan.subtasks,
                    assignments: plan.assignments, districts: plan.districts)
            }
            if json { return try printJSON(rows) }
            if rows.isEmpty {
                print("计划目录 \(directory) 中没有可用的计划。")
                return
            }
            // Fits an 80-column terminal: long titles are cut (the full title is in --json and `duban tree`).
            let width = DisplayWidth()
            var lines = [["编号", "年度", "事项", "子任务", "分工", "标题"]]
            for r in rows {
                lines.append([r.id, String(r.year), String(r.items), String(r.subtasks), String(r.assignments),
                              width.truncated(shown(r.title), to: 40)])
            }
            print(table(lines))
        }
    }
}
