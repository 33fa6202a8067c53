import ArgumentParser
import DubanCore
import DubanPlans
import DubanStore
import Foundation

struct UpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "登记一个单位在一项任务上的进展（追加一条记录，不覆盖历史）。",
        discussion: """
        例：duban update changsha-2021 1.2 --unit 芙蓉区 --status 推进中 \\
              --percent 60 --note "已开设专栏"
        状态：未启动、推进中、已完成、暂缓（或 todo、doing、done、suspended）。
        --expect 事件编号：仅当该任务的最新记录仍是这一条时才保存（无记录时写 0），否则报告是谁在何时改过。
        --corrects 事件编号：本条是对该记录的更正（须为该任务的最新记录）；两条都保留，log 中标为“更正 #编号”。
        --batch 文件：每行一个 JSON 对象，逐行保存并在标准输出回报“#事件编号”；“-”表示标准输入。如：
        {"node":"1.2","unit":"芙蓉区","status":"推进中","percent":60,"at":"YYYY-MM-DD"}
        （另可有 "note":"…"、"evidence":"https://…"、"expect":123、"corrects":123）
        退出码：0 成功；2 内容有误（未保存）；3 与他人的更新冲突（未保存）；1 其他错误。
        批量时逐行保存，一行被拒绝不影响其他行：已保存的行在标准输出回报，被拒绝的行在标准错误给出行号，
        退出码取被拒绝各行中最严重的一个（0 表示全部保存）。数据库本身出错（退出码 1）时停止，之后的行未处理。
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("计划编号。", valueName: "plan")) var planID: String
    @Argument(help: ArgumentHelp("事项或子任务编号，如 2.7、1.2.3。", valueName: "node")) var nodeID: String?
    @Option(help: ArgumentHelp("责任单位：名称、简称或编号。", valueName: "unit")) var unit: String?
    @Option(help: ArgumentHelp("状态：未启动/推进中/已完成/暂缓。", valueName: "status")) var status: String?
    // .unconditional: “--percent -1” is a wrong percent to refuse by name, not a missing value.
    @Option(parsing: .unconditional, help: ArgumentHelp("完成进度 0–100（已完成默认 100）。", valueName: "N")) var percent: Int?
    @Option(help: ArgumentHelp("进展说明。", valueName: "text")) var note: String = ""
    @Option(help: ArgumentHelp("佐证材料链接（http/https）。", valueName: "url")) var evidence: String?
    @Option(help: ArgumentHelp("进展发生的日期（默认今天）。", valueName: "YYYY-MM-DD")) var at: DateArgument?
    @Option(parsing: .unconditional, help: ArgumentHelp("期望的最新事件编号（0 表示尚无记录）；不符则拒绝。", valueName: "event")) var expect: Int64?
    @Option(parsing: .unconditional, help: ArgumentHelp("更正该条记录（须为该任务的最新记录）。", valueName: "event")) var corrects: Int64?
    @Option(help: ArgumentHelp("从文件逐行读取多条更新（JSON Lines；- 为标准输入）。", valueName: "file")) var batch: String?
    @Flag(help: "重新打开已办结销号的任务并登记（督办室管理员）：已销号的任务不再接受登记，除非明确重新打开。") var reopen = false
    @Flag(help: "以 JSON 输出。") var json = false

    struct Output: Encodable {
        let id: Int64
        let plan: String
        let node: String
        let unit: String
        let unit_id: String
        let status: String
        let percent: Int
        let note: String
        @Null var evidence: String?
        let date: String
        let author: String
        let recorded_at: String
    }

    mutating func validate() throws {
        if batch == nil && (nodeID == nil || unit == nil || status == nil) {
            throw ValidationError("请给出事项编号、--unit 和 --status（或用 --batch 从文件读取）")
        }
        if batch != nil && (nodeID != nil || unit != nil || status != nil) {
            throw ValidationError("--batch 不能与事项编号、--unit、--status 同时使用")
        }
    }

    mutating func run() throws {
        try reporting {
            if let expect, expect < 0 { throw CLIError.input("--expect 应为事件编号（0 表示尚无记录），而不是 \(expect)") }
            if let corrects, corrects <= 0 { throw CLIError.input("--corrects 应为要更正的记录编号，而不是 \(corrects)") }
            let (_, plan) = try global.loadPlan(planID)
            let store = try global.openStore()
            if let batch { return try runBatch(batch, plan: plan, store: store) }
            var request = UpdateRequest(nodeID: nodeID!, unit: unit!, status: status!, percent: percent, note: note,
                                        evidence: evidence, date: RecordingDay().of(at?.date, plan: plan))
            request.corrects = corrects
            let event = try Self.submit(request, expecting: expect, plan: plan, store: store, reopens: reopen)
            let unitName = plan.registry.unit(id: event.unitID)?.name ?? event.unitID
            if json {
                return try printJSON(Output(id: event.id, plan: plan.id, node: event.nodeID, unit: unitName, unit_id: event.unitID,
                                            status: event.status.rawValue, percent: event.percent, note: event.note,
                                            evidence: event.evidence, date: event.date.description, author: event.author,
                                            recorded_at: event.recordedAt))
            }
            print("已记录 #\(event.id)：\(plan.id) \(event.nodeID) \(unitName) \(event.status.rawValue) \(event.percent)%（\(event.date)，\(shown(event.author))）")
        }
    }

    /// Validates and records one update; the CLIError's exit code says why it was refused.
    static func submit(_ request: UpdateRequest, expecting: Int64?, plan: Plan, store: any ProgressStore,
                       reopens: Bool = false) throws -> ProgressEvent {
        // The previous percent carries forward when none is given; read it before validating.
        let previous = plan.registry.resolve(request.unit).flatMap {
            try? store.latest(planID: plan.id, nodeID: request.nodeID, unitID: $0.id)
        }
        let resolved: UpdateRequest.Resolved
        switch request.resolve(in: plan, today: today(), previousPercent: previous?.percent) {
        case let .success(value): resolved = value
        case let .failure(rejection): throw CLIError.input(rejection.message)
        }
        let me = Identity.current
        var update = NewUpdate(planID: plan.id, nodeID: resolved.node, unitID: resolved.unitID, status: resolved.status,
                               percent: resolved.percent, note: resolved.note, evidence: resolved.evidence,
                               date: resolved.date, author: me.name, uid: me.uid, corrects: request.corrects)
        update.reopens = reopens
        do {
            return try store.record(update, expecting: expecting)
        } catch let error as StoreError {
            throw CLIError(error.description, exitCode: error.exitCode)
        }
    }

    /// One transaction per line; each saved line is acknowledged on stdout as soon as it is durable,
    /// each refused one is reported on stderr with its line number. Exit code: the worst refusal.
    private func runBatch(_ path: String, plan: Plan, store: any ProgressStore) throws {
        let lines = try BatchInput.lines(path)
        let dating = RecordingDay()
        var worst: Int32 = 0
        for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let label = "\(path == "-" ? "标准输入" : path):\(number + 1)"
            do {
                let (request, expecting) = try BatchInput.request(from: line, label: label, plan: plan, dating: dating)
                let event = try Self.submit(request, expecting: expecting, plan: plan, store: store)
                do {
                    try writeLine("#\(event.id)")
                } catch let error as CLIError {
                    // Saved, but unheard: say how far the batch got, and stop.
                    printError("\(label): 已保存为 #\(event.id)，但\(error.message)；此行及之前各行均已保存，之后的行未处理")
                    throw ExitCode(1)
                }
            } catch let error as CLIError {
                printError("\(label): \(error.message)")
                worst = max(worst, error.exitCode == 1 ? 1 : error.exitCode)
                if error.exitCode == 1 { break }  // the database itself failed: stop, do not guess
            }
        }
        if worst != 0 { throw ExitCode(worst) }
    }
}

/// Reading `--batch` input: JSON Lines, one update per line.
enum BatchInput {
    static let maximumSize = 64 * 1024 * 1024

    static func lines(_ path: String) throws -> [String] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = try Privilege.asCaller({ FileManager.default.contents(atPath: path) }) else {
                throw CLIError("无法读取批量文件“\(shown(path))”")
            }
            data = contents
        }
        guard data.count <= maximumSize else { throw CLIError("批量文件过大（上限 64 MB）") }
        let label = path == "-" ? "标准输入" : path
        guard let text = String(data: data, encoding: .utf8) else {
            let line = data.split(separator: 0x0A, omittingEmptySubsequences: false).firstIndex { String(data: Data($0), encoding: .utf8) == nil }
            throw CLIError.input("\(shown(label)):\((line ?? 0) + 1): 不是有效的 UTF-8 文本（请以 UTF-8 保存）；整个文件未处理")
        }
        // Lines end in LF, CRLF (a file saved by Notepad) or CR; a CRLF is one Character in Swift.
        return text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.map(String.init)
    }

    /// One line, read strictly: a field of the wrong type (`"expect":"999"`, `"percent":50.9`, `true`, an array), a number
    /// out of range, an unknown or repeated field is refused with its name — never guessed, since a guess would save
    /// something the clerk did not mean.
    struct Line: Decodable {
        let node: String
        let unit: String
        let status: String
        // Numbers are read as numbers and then checked whole: the decoder would call 50.9 "not JSON".
        let percent: Double?
        let note: String?
        let evidence: String?
        let at: String?
        let expect: Double?
        let corrects: Double?
    }

    /// A whole number within `range`, or nil (50.9, 1e30, -1 are not event numbers or percents).
    static func whole(_ value: Double, in range: ClosedRange<Int64>) -> Int64? {
        guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else { return nil }
        return Int64(value)
    }

    static let fields = ["node", "unit", "status", "percent", "note", "evidence", "at", "expect", "corrects"]

    static func request(from line: String, label: String, plan: Plan, dating: RecordingDay) throws -> (UpdateRequest, Int64?) {
        guard let keys = JSONObjectKeys.topLevel(line) else { throw CLIError.input("不是一个 JSON 对象") }
        var seen = Set<String>()
        for key in keys {
            guard fields.contains(key) else {
                throw CLIError.input("不认识的字段“\(key)”；可用的字段：\(fields.joined(separator: "、"))")
            }
            guard seen.insert(key).inserted else { throw CLIError.input("字段“\(key)”出现了两次") }
        }
        let parsed: Line
        do {
            parsed = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
        } catch let DecodingError.keyNotFound(key, _) {
            throw CLIError.input("缺少字段“\(key.stringValue)”（node、unit、status 必填）")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            throw CLIError.input(mismatch(context.codingPath.first?.stringValue))
        } catch let DecodingError.valueNotFound(_, context) {
            throw CLIError.input(mismatch(context.codingPath.first?.stringValue))
        } catch {
            throw CLIError.input("不是一个 JSON 对象")
        }
        var day: CivilDate?
        if let at = parsed.at {
            guard let given = CivilDate(iso: at) else { throw CLIError.input("at 应为 YYYY-MM-DD，而不是“\(shown(at))”") }
            day = given
        }
        let date = dating.of(day, plan: plan, option: "“at”字段")
        var percent: Int?
        if let value = parsed.percent {
            guard let whole = whole(value, in: 0...100) else { throw CLIError.input(mismatch("percent")) }
            percent = Int(whole)
        }
        var expect: Int64?
        if let value = parsed.expect {
            guard let whole = whole(value, in: 0...Int64(1) << 52) else { throw CLIError.input(mismatch("expect")) }
            expect = whole
        }
        var request = UpdateRequest(nodeID: parsed.node, unit: parsed.unit, status: parsed.status, percent: percent,
                                    note: parsed.note ?? "", evidence: parsed.evidence, date: date)
        if let value = parsed.corrects {
            guard let whole = whole(value, in: 1...Int64(1) << 52) else { throw CLIError.input(mismatch("corrects")) }
            request.corrects = whole
        }
        return (request, expect)
    }

    static func mismatch(_ field: String?) -> String {
        switch field {
        case "percent": return "percent 应为 0–100 的整数（不带引号、不带小数）"
        case "expect": return "expect 应为事件编号，一个不带引号的整数（0 表示尚无记录）"
        case "corrects": return "corrects 应为要更正的记录编号，一个不带引号的正整数"
        case let field?: return "\(field) 应为文字（带引号的字符串）"
        default: return "不是一个 JSON 对象"
        }
    }
}

/// The keys of a JSON object's top level, in order, duplicates kept (JSONSerialization and JSONDecoder both let the
/// last of two equal keys win silently); nil when the text is not one object.
enum JSONObjectKeys {
    static func topLevel(_ text: String) -> [String]? {
        let bytes = Array(text.utf8)
        var i = 0
        func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
        var keys: [String] = []
        var depth = 0
        var expectingKey = true
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let start = i + 1
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
                guard i < bytes.count else { return nil }
                if depth == 1 && expectingKey {
                    let raw = String(decoding: bytes[start..<i], as: UTF8.self)
                    // Decode escapes the way JSON does, so "no\u0064e" is the key node.
                    let key = (try? JSONDecoder().decode(String.self, from: Data("\"\(raw)\"".utf8))) ?? raw
                    keys.append(key)
                    expectingKey = false
                }
            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
                if depth == 1 { expectingKey = true }
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                depth -= 1
            } else if b == UInt8(ascii: ",") && depth == 1 {
                expectingKey = true
            }
            i += 1
        }
        return depth == 0 ? keys : nil
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "用模拟的一年进展填充数据库（每个内置计划；可重复运行，结果相同；不影响真实记录）；--remove 删除演示数据。",
        discussion: """
        演示记录在 duban log、历史页中标为（演示），界面标题栏显示“含演示数据”，导出的通报、催办单和台账也会注明。
        在终端中运行时先询问确认；脚本中使用或加 --yes 时不询问。
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "随机种子：相同种子得到相同的模拟数据。") var seed: UInt64 = 2024
    @Flag(help: "以 JSON 输出。") var json = false
    @Flag(help: "删除全部演示数据（真实记录不受影响）。") var remove = false
    @Flag(help: "不询问，直接执行。") var yes = false

    struct Output: Encodable {
        let plans: [String: Int]
        let events: Int
        let seed: UInt64
    }

    mutating func run() throws {
        try reporting {
            let question = remove ? "将删除全部演示数据（真实记录不受影响）。确定吗？[y/N] "
                : "将为每个内置计划写入一年的演示数据（标为“演示”，可用 duban demo --remove 删除）。确定吗？[y/N] "
            guard yes || !Self.askingIsPossible || Self.confirm(question) else {
                print("未执行。")
                return
            }
            if remove {
                let store = try global.openStore()
                let before = try store.eventCount()
                try store.replaceDemoEvents([])
                let removed = before - (try store.eventCount())
                if json { return try printJSON(Output(plans: [:], events: -removed, seed: seed)) }
                print("已删除演示数据：\(removed) 条。")
                return
            }
            let counts = try Self.fill(global: global, seed: seed)
            if json { return try printJSON(Output(plans: counts, events: counts.values.reduce(0, +), seed: seed)) }
            for (plan, count) in counts.sorted(by: { $0.key < $1.key }) { print("\(plan)：\(count) 条模拟进展") }
            print("已写入演示数据（种子 \(seed)）。试试：duban progress changsha-2021")
        }
    }

    /// A person at a terminal can be asked; a script (stdin or stdout not a terminal) is not.
    static var askingIsPossible: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    static func confirm(_ question: String) -> Bool {
        print(question, terminator: "")
        _ = StandardOutput.finish()
        guard let answer = readLine() else { return false }
        return ["y", "yes", "是", "确定"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    static func fill(global: GlobalOptions, seed: UInt64) throws -> [String: Int] {
        let library = try global.loadLibrary()
        let store = try global.openStore()
        let demo = DemoYear(seed: seed)
        var all: [NewUpdate] = []
        var counts: [String: Int] = [:]
        for plan in library.plans {
            let updates = demo.updates(for: plan, today: today())
            counts[plan.id] = updates.count
            all += updates
        }
        try store.replaceDemoEvents(all)
        return counts
    }
}
