import ArgumentParser
import CNcurses
import DubanCore
import DubanPlans

@main
struct Duban: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duban",
        abstract: "督办：政务公开工作要点任务督办台（终端界面与脚本命令）。",
        discussion: """
        计划文件目录按以下顺序查找：--plans、环境变量 DUBAN_PLANS、当前目录下的 Plans/、程序所在位置附近的 Plans/。
        每个输出数据的命令都支持 --json；出错时信息写到标准错误，退出码非零。
        """,
        version: "0.1.0",
        subcommands: [PlansCommand.self, TreeCommand.self, CheckCommand.self, WorkdaysCommand.self]
    )

    @OptionGroup var global: GlobalOptions

    mutating func run() throws {
        // The dashboard arrives with the TUI issue; until then, the bare command lists the plans.
        var list = PlansCommand()
        list.global = global
        try list.run()
        print("\n提示：duban tree <计划编号> 查看任务树；duban --help 查看全部命令。")
    }
}
