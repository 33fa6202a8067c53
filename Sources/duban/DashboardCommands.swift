import ArgumentParser
import DubanCore
import DubanPlans
import DubanStore
import DubanTUI
import Foundation

/// How the terminal draws: ambiguous-width characters and colour.
struct DisplayOptions: ParsableArguments {
    @Option(name: .customLong("ambiwidth"), help: ArgumentHelp(
        "东亚“模糊宽度”字符（─│①■“”）占几列：1 或 2。中文环境的终端（PuTTY/Xshell 设为 GBK 兼容宽度时）多为 2，此时边框改用 ASCII。也可设环境变量 DUBAN_AMBIWIDTH。",
        valueName: "1|2"))
    var ambiguousWidth: Int?

    @Flag(name: .customLong("no-color"), help: "不用颜色（也可设环境变量 NO_COLOR）。")
    var noColor = false

    mutating func validate() throws {
        if let ambiguousWidth, ambiguousWidth != 1 && ambiguousWidth != 2 {
            throw ValidationError("--ambiwidth 只能是 1 或 2")
        }
    }

    var settings: DisplaySettings {
        let env = Environment()
        let width = ambiguousWidth ?? env["DUBAN_AMBIWIDTH"].flatMap(Int.init) ?? 1
        let color = !noColor && (env["NO_COLOR"] ?? "").isEmpty && env["TERM"] != "dumb"
        return DisplaySettings(ambiguousWidth: width, color: color)
    }
}

/// Starts the full-screen dashboard, or explains why it cannot.
func runDashboard(global: GlobalOptions, display: DisplayOptions, planID: String?, asOf: CivilDate?, readOnly: Bool) throws {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
        throw CLIError("督办界面需要在终端中运行；脚本请使用 duban summary --once、duban progress 等命令")
    }
    if let message = CursesTerminal.prepareLocale() { throw CLIError(message) }
    if Environment()["TERM"].map({ $0.isEmpty || $0 == "dumb" }) ?? true {
        throw CLIError("终端类型 TERM 未设置或不支持全屏界面：请设置 TERM=xterm-256color 后重试")
    }
    let store = try global.openStore(readOnly: readOnly)
    let loader = try DashboardLoader(global: global, store: store)
    if let planID { try global.requirePlan(planID, among: loader.headers.map(\.id)) }
    // The first plan is loaded before the screen is taken, so what the loader has to say (a broken settings file) is read.
    if let first = planID ?? loader.headers.last?.id { _ = try loader.open(first) }
    loader.quiet = true
    // Leaders only look: the dashboard opens on the summary without its edit keys (the store would refuse anyway).
    let principal = store.principal
    let session = DashboardSession(loader: loader, settings: display.settings,
                                   readOnly: readOnly || principal.role == .leader,
                                   editableUnits: principal.role == .staff ? principal.unitIDs : nil,
                                   canDecide: AccessPolicy.decide(principal, .decide(.approve, planID: "", nodeID: "", unitID: "")) == .allowed)
    try session.run(planID: planID, asOf: asOf, global: global)
}

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "领导汇总屏（只读，自动刷新）；--once 输出为纯文本，供脚本或管道使用。",
        discussion: "领导账号可在 sshd_config 中设置 ForceCommand duban summary，登录即进入此屏，任何按键都不会修改数据。")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var display: DisplayOptions
    @Argument(help: ArgumentHelp("计划编号（默认最新一个）。", valueName: "plan")) var planID: String?
    @OptionGroup var asOf: AsOfOption
    @Flag(help: "输出一次纯文本后退出（不需要终端）。") var once = false
    @Flag(help: "与 --once 一起使用：带 ANSI 颜色。") var color = false
    @Option(help: ArgumentHelp("与 --once 一起使用：宽度（列）。", valueName: "N")) var width: Int = 80

    mutating func run() throws {
        try reporting {
            if !once {
                return try runDashboard(global: global, display: display, planID: planID, asOf: asOf.storeDay, readOnly: true)
            }
            guard (40...300).contains(width) else { throw CLIError.input("--width 应在 40 到 300 之间") }
            let store = try global.openStore(readOnly: true)
            let loader = try DashboardLoader(global: global, store: store)
            if let planID { try global.requirePlan(planID, among: loader.headers.map(\.id)) }
            guard let id = planID ?? loader.headers.last?.id else { throw CLIError("没有可用的计划") }
            let data = try loader.data(planID: id, asOf: asOf.storeDay)
            print(Self.text(data: data, width: width, settings: display.settings, color: color), terminator: "")
        }
    }

    /// The leader screen drawn once, tall enough for everything, without the key-hint line.
    static func text(data: DashboardData, width: Int, settings: DisplaySettings, color: Bool) -> String {
        let height = 16 + data.leaderRanking.rows.count + 8
        var state = AppState(width: width, height: height, settings: DisplaySettings(ambiguousWidth: settings.ambiguousWidth, color: color),
                             readOnly: true)
        state.showsKeyHints = false
        _ = Dashboard.update(&state, .snapshotLoaded(data))
        var grid = Dashboard.render(state).grid
        grid.fill(x: 0, y: grid.height - 1, width: grid.width)
        return color ? grid.ansiText : grid.plainText
    }
}
