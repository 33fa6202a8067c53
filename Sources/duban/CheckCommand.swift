import ArgumentParser
import DubanCore
import DubanPlans

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "校验计划文件、单位名册和工作日历：未知单位（附相近名称）、重复编号、错误日期。",
        discussion: "有错误时逐行输出“文件:行号: 错误: 说明”，退出码 1；只有警告时退出码 0。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("要校验的计划目录（默认同 --plans）。", valueName: "dir"))
    var directory: String?
    @Flag(help: "以 JSON 输出。") var json = false

    struct Problem: Encodable {
        let severity: String
        @Null var file: String?
        @Null var line: Int?
        let message: String
    }

    struct Output: Encodable {
        let ok: Bool
        let directory: String
        let plans: [String]
        let registries: [String]
        let calendar_years: [Int]
        let problems: [Problem]
    }

    mutating func run() throws {
        try reporting {
            let path = try directory ?? global.resolvedPlansDirectory()
            let library: PlanLibrary
            do {
                // A directory the caller names is read with the caller's own rights (see Privilege).
                library = try directory == nil ? PlanLibrary.load(directory: path)
                    : Privilege.asCaller { try PlanLibrary.load(directory: path) }
            } catch let error as PlanLibraryError {
                throw CLIError(error.description)
            }
            let errors = library.diagnostics.filter { $0.severity == .error }
            if json {
                try printJSON(Output(
                    ok: errors.isEmpty, directory: path, plans: library.plans.map(\.id),
                    registries: library.registries.keys.sorted(), calendar_years: library.calendar.years.keys.sorted(),
                    problems: library.diagnostics.map {
                        Problem(severity: $0.severity.rawValue, file: $0.location?.file, line: $0.location?.line, message: $0.message)
                    }))
            } else {
                for diagnostic in library.diagnostics { print(shown(diagnostic.description)) }
                let warnings = library.diagnostics.count - errors.count
                let years = library.calendar.coveredYears.map { "工作日历 \($0.lowerBound)–\($0.upperBound) 年" } ?? "未收录工作日历"
                let summary = "\(library.plans.count) 个计划，\(library.registries.count) 个单位名册，\(years)"
                if errors.isEmpty {
                    print("检查通过：\(summary)" + (warnings > 0 ? "；\(warnings) 条警告" : ""))
                } else {
                    printError("发现 \(errors.count) 处错误\(warnings > 0 ? "、\(warnings) 条警告" : "")（\(summary)）")
                }
            }
            if !errors.isEmpty { throw ExitCode(1) }
        }
    }
}
