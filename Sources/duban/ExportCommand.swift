import ArgumentParser
import DubanCore
import DubanPlans
import DubanReports
import DubanStore
import Foundation

/// Builds the documents for one plan on one day; shared by `duban export` and the dashboard's `x` key.
struct Exporter {
    enum Kind: String, CaseIterable, ExpressibleByArgument {
        case bulletin, ledger, reminders, templates

        var formats: [String] {
            switch self {
            case .bulletin: return ["txt", "md", "docx"]
            case .ledger: return ["csv", "xlsx"]
            case .reminders: return ["txt", "docx"]
            case .templates: return []
            }
        }

        var label: String {
            switch self {
            case .bulletin: return "通报"
            case .ledger: return "督办台账"
            case .reminders: return "催办单"
            case .templates: return "模板"
            }
        }
    }

    let library: PlanLibrary
    let plan: Plan
    let store: any ProgressStore
    let asOf: CivilDate?
    /// 成文日期; nil: the day the documents speak of (`day`), so a finished year's bulletin is not signed today.
    let date: CivilDate?
    let templates: TemplateSet
    /// For a bulletin: report what changed since this day (the last bulletin's, with `--since last`).
    var since: CivilDate?
    /// The day the documents speak of: the one asked for, else the plan's natural day (a finished year's last record,
    /// not today: a bulletin of 2021 made now would read years overdue; see Plan.naturalAsOf). Settled once: the file
    /// name, the --since check and the bulletin log each asked again, reading the plan's states each time.
    let day: CivilDate
    /// The states read to find a finished plan's last record: they are the documents' states too.
    private let current: PlanStates?

    init(library: PlanLibrary, plan: Plan, store: any ProgressStore, asOf: CivilDate?, date: CivilDate?, templates: TemplateSet) throws {
        (self.library, self.plan, self.store, self.asOf, self.date, self.templates) = (library, plan, store, asOf, date, templates)
        var current: PlanStates?
        day = try asOf ?? plan.naturalAsOf(today: today(), lastRecorded: try {
            current = try store.states(of: plan, asOf: nil)
            return current?.latestDate
        }())
        self.current = current
    }

    func snapshot() throws -> PlanSnapshot {
        library.snapshot(of: plan, asOf: day, states: try current ?? store.states(of: plan, asOf: asOf))
    }

    func render(_ kind: Kind, format: String, unitID: String? = nil, replyWithin: Int = 5) throws -> Data {
        guard kind.formats.contains(format) else {
            throw CLIError.input(ReportError.unknownFormat(format, allowed: kind.formats).description)
        }
        let snapshot = try snapshot()
        let issued = date ?? snapshot.asOf
        let letterhead = Letterhead.of(plan, date: issued)
        let demo = try store.demoEventCount(planID: plan.id, asOf: snapshot.asOf)
        let cycle = library.reportCycle(for: plan)
        let reports = try PlanActivity.reports(snapshot, library: library, store: store)
        switch kind {
        case .bulletin:
            var changes: Bulletin.Since?
            if let since {
                changes = Bulletin.Since(day: since, changes: try PlanActivity.changes(since: since, to: snapshot, reports: reports,
                                                                                       library: library, store: store))
            }
            let document = try Bulletin.document(snapshot, letterhead: letterhead, templates: templates, replyWithin: replyWithin,
                                                 reports: reports, cycle: cycle, since: changes)
            return try output(document.markingDemo(demo), format: format, title: "关于\(plan.title)落实情况的通报", date: issued)
        case .ledger:
            let ids = snapshot.standings.compactMap(\.lastReportID)
            let ledger = Ledger(snapshot, events: try store.events(ids: ids), reports: reports)
            return format == "csv" ? ledger.csv() : try ledger.xlsx()
        case .reminders:
            guard let document = try Reminders.document(snapshot, letterhead: letterhead, templates: templates, calendar: library.calendar,
                                                        options: .init(unitID: unitID, replyWithin: replyWithin, reports: reports, cycle: cycle)) else {
                throw CLIError("截至 \(snapshot.asOf) 没有逾期或滞后的任务，也没有未报的单位，无需催办", exitCode: 0)
            }
            return try output(document.markingDemo(demo), format: format, title: "催办单", date: issued)
        case .templates:
            throw CLIError.input("模板请用 duban export templates -o 目录 导出")
        }
    }

    func output(_ document: Document, format: String, title: String, date issued: CivilDate) throws -> Data {
        switch format {
        case "txt": return Data(TextRenderer.plain(document).utf8)
        case "md": return Data(TextRenderer.markdown(document).utf8)
        default: return try DocxWriter.data(document, title: title, date: issued)
        }
    }

    /// Named for the day the document speaks of, as its text is.
    func defaultFileName(_ kind: Kind, format: String) -> String {
        "\(plan.id)-\(kind.label)-\(day.description).\(format)"
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出通报（bulletin）、督办台账（ledger）、催办单（reminders），或导出可编辑的模板（templates）。",
        discussion: """
        例：duban export bulletin changsha-2021 --format docx -o 通报.docx
            duban export ledger changsha-2021 --format xlsx -o 台账.xlsx
            duban export reminders changsha-2021 --unit 芙蓉区 --format txt -o -
            duban export templates -o ~/.config/duban/templates
        通报和催办单的措辞来自 Mustache 模板 bulletin.mustache、reminder.mustache，
        依次在 --templates 目录、环境变量 DUBAN_TEMPLATES、~/.config/duban/templates、
        /etc/duban/templates 中查找，没有时用内置模板。
        文件先写入临时文件再改名，已存在的文件需加 --force 才会覆盖；-o - 输出到标准输出。
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "要导出的内容：bulletin、ledger、reminders、templates。") var kind: Exporter.Kind
    @Argument(help: ArgumentHelp("计划编号（templates 不需要）。", valueName: "plan")) var planID: String?
    @Option(help: "格式：通报 txt|md|docx；台账 csv|xlsx；催办单 txt|docx。") var format: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("输出文件（- 为标准输出；默认按计划和日期命名，写在当前目录）。", valueName: "file")) var output: String?
    @Flag(help: "覆盖已存在的文件。") var force = false
    @OptionGroup var asOf: AsOfOption
    @Option(help: ArgumentHelp("成文日期（默认与截至日期相同）。", valueName: "YYYY-MM-DD")) var date: DateArgument?
    @Option(help: ArgumentHelp("模板目录。", valueName: "dir")) var templates: String?
    @Option(help: ArgumentHelp("催办单：只催办这个单位。", valueName: "unit")) var unit: String?
    @Option(name: .customLong("reply-within"), help: "催办单、通报：要求在几个工作日内回复（默认 5）。") var replyWithin: Int = 5
    @Option(help: ArgumentHelp("通报：写明自该日（YYYY-MM-DD，或 last：上次导出通报的截至日期）以来的变化。", valueName: "date")) var since: String?

    mutating func run() throws {
        try reporting {
            if kind == .templates { return try writeTemplates() }
            guard let planID else { throw CLIError.input("请给出计划编号，如 duban export \(kind.rawValue) changsha-2021") }
            guard (1...60).contains(replyWithin) else { throw CLIError.input("--reply-within 应在 1 到 60 个工作日之间") }
            let (library, plan) = try global.loadPlan(planID)
            let store = try global.openStore(readOnly: true)
            var exporter = try Exporter(library: library, plan: plan, store: store, asOf: asOf.storeDay,
                                    date: date?.date, templates: try Self.templateSet(templates))
            if let since {
                guard kind == .bulletin else { throw CLIError.input("--since 只用于通报（bulletin）") }
                let day = try ChangesCommand.sinceDay(since, store: store, planID: plan.id)
                let until = exporter.day
                guard day < until else { throw CLIError.input("--since \(day) 应早于截至日期 \(until)") }
                exporter.since = day
            }
            let format = self.format ?? kind.formats.last!
            let unitID = try unit.map { reference -> String in
                guard let unit = plan.registry.resolve(reference) else {
                    throw CLIError(UnitRegistry.unknownUnitMessage(shown(reference), registry: plan.registry))
                }
                return unit.id
            }
            let data: Data
            do {
                data = try exporter.render(kind, format: format, unitID: unitID, replyWithin: replyWithin)
            } catch let error as ReportError {
                throw CLIError(error.description)
            } catch let error as WorkdayCalendarError {
                throw CLIError(error.description)
            }
            let path = output ?? exporter.defaultFileName(kind, format: format)
            if path == "-" {
                try StandardOutput.write(data)
            } else {
                try SafeFile.write(data, to: path, overwrite: force)
                printError("已写入 \(path)（\(kind.label)，\(format)，\(data.count) 字节）")
            }
            if kind == .bulletin { Self.noteBulletin(global: global, planID: plan.id, asOf: exporter.day) }
        }
    }

    /// Notes the bulletin in the database, for the next one's `--since last`. An account that may not write (a leader)
    /// makes the document all the same, and is told it was not noted.
    static func noteBulletin(global: GlobalOptions, planID: String, asOf: CivilDate) {
        do {
            try global.openStore().recordBulletin(planID: planID, asOf: asOf)
        } catch {
            printError("（本次通报未记入数据库，下次 --since last 仍从上一次记录的通报算起：\(error)）")
        }
    }

    /// The templates in force: --templates, $DUBAN_TEMPLATES, the user's config directory, /etc/duban.
    static func templateSet(_ option: String?) throws -> TemplateSet {
        let env = Environment()
        var directory = option ?? env["DUBAN_TEMPLATES"]
        if directory == nil {
            let config = env["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? (Identity.current.home + "/.config")
            directory = try Privilege.asCaller { [config + "/duban/templates", "/etc/duban/templates"].first { FileManager.default.fileExists(atPath: $0) } }
        }
        if let option, !(try Privilege.asCaller { FileManager.default.fileExists(atPath: option) }) {
            throw CLIError("模板目录“\(shown(option))”不存在")
        }
        do {
            return try Privilege.asCaller { try TemplateSet(directory: directory) }
        } catch let error as ReportError {
            throw CLIError(error.description)
        }
    }

    private func writeTemplates() throws {
        guard let directory = output, directory != "-" else {
            throw CLIError.input("请用 -o 指定存放模板的目录，如 duban export templates -o ~/.config/duban/templates")
        }
        do {
            try Privilege.asCaller { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        } catch {
            // Foundation's own message (NSCocoaErrorDomain …) says nothing a clerk can act on.
            throw CLIError("无法创建目录“\(shown(directory))”：没有写入权限，或路径中有同名文件；请换一个目录（如 ~/.config/duban/templates）")
        }
        try SafeFile.write(Data(DefaultTemplates.bulletin.utf8), to: directory + "/bulletin.mustache", overwrite: force)
        try SafeFile.write(Data(DefaultTemplates.reminder.utf8), to: directory + "/reminder.mustache", overwrite: force)
        printError("已写入 \(directory)/bulletin.mustache 和 reminder.mustache；修改后用 --templates \(directory) 或放在 ~/.config/duban/templates 生效")
    }
}

/// Writing output files so that nothing half-written is ever left behind: a temporary file in the same
/// directory, flushed to disk, then renamed into place. Existing files need `overwrite`; a symbolic link
/// is never followed (it could point into another account's files).
enum SafeFile {
    static let maximumSize = 512 * 1024 * 1024

    /// With the caller's own rights, whatever rights duban runs with (see `Privilege`).
    static func write(_ data: Data, to path: String, overwrite: Bool) throws {
        try Privilege.asCaller { try writeAsCaller(data, to: path, overwrite: overwrite) }
    }

    private static func writeAsCaller(_ data: Data, to path: String, overwrite: Bool) throws {
        guard data.count <= maximumSize else { throw CLIError("输出过大（\(data.count / 1024 / 1024) MB）") }
        var info = stat()
        if lstat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFLNK { throw CLIError("“\(shown(path))”是符号链接，为安全起见不写入；请换一个文件名") }
            if (info.st_mode & S_IFMT) == S_IFDIR { throw CLIError("“\(shown(path))”是目录，请给出文件名") }
            // A device or pipe (-o /dev/null) would be replaced by the rename below: never touch one.
            if (info.st_mode & S_IFMT) != S_IFREG {
                throw CLIError("“\(shown(path))”不是普通文件（设备或管道），不写入；要输出到屏幕或管道请用 -o -")
            }
            if !overwrite { throw CLIError("文件“\(shown(path))”已存在；加 --force 覆盖，或换一个文件名") }
        }
        let directory = (path as NSString).deletingLastPathComponent
        let dir = directory.isEmpty ? "." : directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("目录“\(shown(dir))”不存在")
        }
        var template = Array((dir + "/.duban-export-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw CLIError("无法在“\(shown(dir))”中创建文件：\(String(cString: strerror(errno)))") }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer { if !ok { unlink(temporary) } }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        fchmod(fd, 0o644 & ~currentUmask())
        let synced = written && fsync(fd) == 0
        guard close(fd) == 0, synced else {
            throw CLIError("写入“\(shown(path))”失败：\(String(cString: strerror(errno)))")
        }
        if overwrite {
            guard rename(temporary, path) == 0 else {
                throw CLIError("无法写入“\(shown(path))”：\(String(cString: strerror(errno)))")
            }
        } else {
            // link() fails if the name exists, so a file that appeared meanwhile is never replaced.
            guard link(temporary, path) == 0 else {
                if errno == EEXIST { throw CLIError("文件“\(shown(path))”已存在；加 --force 覆盖，或换一个文件名") }
                throw CLIError("无法写入“\(shown(path))”：\(String(cString: strerror(errno)))")
            }
            unlink(temporary)
        }
        ok = true
    }

    static func currentUmask() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return mask
    }
}
