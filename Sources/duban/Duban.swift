import ArgumentParser
import CNcurses
import DubanCore
import DubanPlans
import Foundation

@main
struct Duban: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duban",
        abstract: "督办：政务公开工作要点任务督办台（终端界面与脚本命令）。",
        discussion: """
        计划文件目录按以下顺序查找：--plans、环境变量 DUBAN_PLANS、当前目录下的 Plans/、程序所在位置附近的 Plans/。
        每个输出数据的命令都支持 --json；出错时信息写到标准错误。
        退出码：0 成功；1 其他错误（数据库、文件、磁盘）；2 参数或内容有误（未执行）；3 与他人的更新冲突（update）或导入有警告（import）；
        4 未获允许；5 审计发现记录被改动（audit verify）。
        """,
        version: "0.1.0",
        subcommands: [SummaryCommand.self, PlansCommand.self, RegistryCommand.self, TreeCommand.self, ProgressCommand.self, OverdueCommand.self,
                      UpdateCommand.self, ReviewCommand.self, ExtendCommand.self, LightsCommand.self, ReportsCommand.self, ChangesCommand.self, CarryoverCommand.self, LogCommand.self, ExportCommand.self, ImportCommand.self, DemoCommand.self, AuditCommand.self, AccessCommand.self, ServerCommand.self, CheckCommand.self, WorkdaysCommand.self]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var display: DisplayOptions
    @Flag(name: .customLong("demo"), help: "先用模拟的一年进展填充数据库（同 duban demo）。") var demo = false
    @Option(help: ArgumentHelp("打开的计划（默认最新一个）。", valueName: "plan")) var plan: String?
    @OptionGroup var asOf: AsOfOption

    /// ArgumentParser's entry, with one check after every command: all it printed reached stdout.
    static func main() {
        do {
            try Privilege.prepare()
            try checkArgumentsAreUTF8()
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            // Before any command runs (the service account's settings, the arguments' encoding).
            printError("duban: \(error.message)")
            Foundation.exit(error.exitCode)
        } catch {
            _ = StandardOutput.finish()
            // The parser's own words in Chinese (see ParserChinese). Help and the version go to stdout, checked.
            let code = exitCode(for: error)
            let message = ParserChinese.translated(fullMessage(for: error))
            if code == .success {
                print(message)
                if !StandardOutput.finish() {
                    printError("duban: \(StandardOutput.failure(errno).message)")
                    Foundation.exit(1)
                }
                Foundation.exit(0)
            }
            if !message.isEmpty { printError(message) }
            // A wrong argument is input refused, exit 2 as the commands document, not the parser's 64.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
        if !StandardOutput.finish() {
            printError("duban: \(StandardOutput.failure(errno).message)")
            Foundation.exit(1)
        }
    }

    /// Swift repairs invalid UTF-8 in arguments with U+FFFD, so a note typed in a GBK terminal would be saved
    /// garbled without a word. Refuse it instead, naming the argument.
    static func checkArgumentsAreUTF8() throws {
        for index in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
            if String(validating: bytes, as: UTF8.self) == nil {
                throw CLIError.input("第 \(index) 个参数不是有效的 UTF-8 文本（终端编码可能是 GBK）：未执行。请把终端设为 UTF-8 后重试")
            }
        }
    }

    mutating func run() throws {
        try reporting {
            if demo {
                let counts = try DemoCommand.fill(global: global, seed: 2024)
                if isatty(STDOUT_FILENO) != 1 { print("已写入演示数据：\(counts.values.reduce(0, +)) 条模拟进展。\n") }
            }
            // In a terminal: the dashboard. From a script or a pipe: the list of plans.
            if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
                return try runDashboard(global: global, display: display, planID: plan, asOf: asOf.storeDay, readOnly: false)
            }
            var list = try PlansCommand.parse([])
            list.global = global
            try list.run()
            let store = try global.openStore(readOnly: true)
            if (try? store.hasEvents()) == false {
                print("\n数据库中还没有进展记录。运行 duban --demo 可填入一年的演示数据。")
            }
            print("\n提示：duban progress <计划编号> 查看各区县进展；duban --help 查看全部命令。")
        }
    }
}
