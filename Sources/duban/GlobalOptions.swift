import ArgumentParser
import DubanCore
import DubanPlans
import Foundation

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("plans"), help: ArgumentHelp("计划文件目录（默认：$DUBAN_PLANS，或 ./Plans）。", valueName: "dir"))
    var plansDirectory: String?

    /// Where the plans live: the option, the environment, ./Plans, or a Plans/ beside the executable's
    /// checkout (so `swift run duban` works from any directory of the repository).
    func resolvedPlansDirectory() throws -> String {
        if let plansDirectory { return plansDirectory }
        let env = ProcessInfo.processInfo.environment
        if let fromEnv = env["DUBAN_PLANS"], !fromEnv.isEmpty { return fromEnv }
        let fm = FileManager.default
        if fm.fileExists(atPath: "Plans/units") { return "Plans" }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("Plans")
            if fm.fileExists(atPath: candidate.appendingPathComponent("units").path) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        for shared in ["/usr/local/share/duban/Plans", "/usr/share/duban/Plans"] where fm.fileExists(atPath: shared) {
            return shared
        }
        throw CLIError("找不到计划目录：请在仓库根目录运行，或用 --plans 目录 / 环境变量 DUBAN_PLANS 指定")
    }

    /// The plans directory, loaded. Files with errors are left out and named on stderr, so a typo in one
    /// plan does not stop work on the others.
    func loadLibrary(quiet: Bool = false) throws -> PlanLibrary {
        let library: PlanLibrary
        do {
            library = try PlanLibrary.load(directory: try resolvedPlansDirectory())
        } catch let error as PlanLibraryError {
            throw CLIError(error.description)
        }
        if !quiet {
            for (file, errors) in library.rejectedFiles.sorted(by: { $0.key < $1.key }) {
                printError("注意：\(file) 有 \(errors) 处错误，已跳过；运行 duban check 查看详情")
            }
        }
        return library
    }

    func plan(_ id: String, in library: PlanLibrary) throws -> Plan {
        if let plan = library.plan(id) { return plan }
        let ids = library.plans.map(\.id)
        let near = TextMatching.closest(to: id, among: ids)
        var message = "没有编号为“\(SafeText.escaped(id))”的计划"
        if !near.isEmpty { message += "；您是否要找：\(near.joined(separator: "、"))" }
        message += "。现有计划：\(ids.isEmpty ? "无" : ids.joined(separator: "、"))"
        throw CLIError(message)
    }
}
