import ArgumentParser
import DubanCore
import DubanPlans
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "把官方的工作要点文件（.txt 或 .docx）转换为计划文件，并逐行说明哪里需要核对。",
        discussion: """
        例：duban import 长沙市2021年政务公开工作要点.txt -o Plans/changsha-2021.yaml
        文本文件可为 UTF-8、GB18030/GBK 或 Big5 编码（自动识别，--encoding 可指定）；繁体字自动转为简体。
        文件没有写年份时用 --year；一个通知印发两个计划时用 --part 选择。--review 左右对照显示导入结果和原文。
        城市没有单位名册时，先运行 duban registry init 城市 --from 文件。
        退出码：0 无警告；3 有警告或计划文件不能通过 check（已生成，请按提示核对）；1 失败（不生成文件）。
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("工作要点文件（.txt 或 .docx）。", valueName: "file")) var file: String
    @Option(help: ArgumentHelp("计划编号（默认按城市和年度生成，如 changsha-2021）。", valueName: "id")) var id: String?
    @Option(help: ArgumentHelp("城市（默认从标题推断），用于查找单位名册。", valueName: "city")) var city: String?
    @Option(help: ArgumentHelp("计划年度，文件的标题、文号和日期都没有写年份时使用。", valueName: "year")) var year: Int?
    @Option(help: ArgumentHelp("一个通知印发两个计划时，导入标题含此词的那个（默认政务公开）。", valueName: "word")) var part: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("输出的计划文件（默认输出到标准输出；- 亦为标准输出）。", valueName: "file")) var output: String?
    @Option(help: "文本编码：utf-8、gb18030 或 big5（默认自动识别）。") var encoding: String?
    @Flag(help: "覆盖已存在的输出文件。") var force = false
    @Flag(help: "以 JSON 输出警告（导入失败时也输出）。") var json = false
    @Flag(help: "左右对照显示导入的任务树和原文各行，供核对；不输出计划文件（除非用 -o）。") var review = false

    static let maximumInput = 16 * 1024 * 1024

    struct Warning: Encodable {
        let file: String
        let line: Int
        let kind: String
        let message: String
    }

    struct Output: Encodable {
        let plan: String?
        let output: String?
        let warnings: [Warning]
        /// What stops `duban check` from accepting the plan file as written.
        let errors: [Warning]
        let error: String?
    }

    mutating func run() throws {
        try reporting {
            _ = try global.authorize(.importPlan)
            let text = try Self.readDocument(file, encoding: encoding)
            let library = try global.loadLibrary(quiet: true, only: [])
            // The plan's id is its file's name (check insists): -o Plans/shicheng-2024.yaml names the plan shicheng-2024.
            var planID = id
            if planID == nil, let output, output.hasSuffix(".yaml") {
                let stem = ((output as NSString).lastPathComponent as NSString).deletingPathExtension
                if !stem.isEmpty, stem.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) { planID = stem }
            }
            var importer = PlanImporter(registries: library.registries, options: .init(planID: planID, city: city, year: year, part: part))
            let result: PlanImporter.Result
            do {
                result = try importer.run(text: text, file: file)
            } catch let error as ImportError {
                if json {
                    try printJSON(Output(plan: nil, output: nil, warnings: warnings(importer.warnings), errors: [], error: error.description))
                    throw ExitCode(1)
                }
                for w in importer.warnings { printError("\(shown(file)):\(w.line): 警告: \(shown(w.message))") }
                throw CLIError("\(shown(file))：\(error.description)")
            }
            // The plan must pass `duban check` as written: assemble it against its city's registry, as check will.
            let registry = library.registries[result.draft.city.value] ?? UnitRegistry(city: result.draft.city.value, units: [])
            let errors = PlanAssembler.assemble(result.draft, registry: registry).1.filter { $0.severity == .error }
                .map { Warning(file: $0.location?.file ?? file, line: $0.location?.line ?? 0, kind: "check", message: $0.message) }
            if let output, output != "-" {
                try SafeFile.write(Data(result.yaml.utf8), to: output, overwrite: force)
            } else if !json && !review {
                print(result.yaml, terminator: "")
            }
            let warnings = warnings(result.warnings)
            if review {
                let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: .newlines)
                print(ImportReview.render(result.draft, source: lines, warnings: result.warnings, width: Self.terminalWidth()), terminator: "")
            }
            if json {
                try printJSON(Output(plan: result.planID, output: output, warnings: warnings, errors: errors, error: nil))
            } else {
                // A unit the registry lacks is said once: as check's error where check refuses the plan for it, not also
                // as the import's warning on the same line.
                let errorLines = Set(errors.map(\.line))
                let shownWarnings = warnings.filter { !($0.kind == "unknown-unit" && errorLines.contains($0.line)) }
                for w in shownWarnings where !review { printError("\(shown(file)):\(w.line): 警告: \(shown(w.message))") }
                // One line per problem: a unit the registry lacks is the same error on every line that names it.
                var lines: [String: [Int]] = [:]
                for e in errors { lines[e.message, default: []].append(e.line) }
                var printed = Set<String>()
                for e in errors where printed.insert(e.message).inserted {
                    let others = lines[e.message]!.filter { $0 != e.line }
                    let also = others.isEmpty ? "" : "（另见第 \(others.map(String.init).joined(separator: "、")) 行）"
                    printError("\(shown(e.file)):\(e.line): 错误: \(shown(e.message))\(also)")
                }
                if !errors.isEmpty && result.draft.city.value == "未知" {
                    printError("以上 \(lines.count) 个问题会使 duban check 不通过：先用 --city 指定城市再导入")
                } else if !errors.isEmpty {
                    let hint = library.registries[result.draft.city.value] == nil
                        ? "duban registry init \(result.draft.city.value) --from \(PlanImporter.shellWord(file))"
                        : "duban registry init \(result.draft.city.value) --from \(PlanImporter.shellWord(file))（把文件中名册没有的单位加入名册）"
                    printError("以上 \(lines.count) 个问题会使 duban check 不通过；多为单位名册中没有的单位：运行 \(hint)，核对名册后再导入")
                }
                if let output, output != "-" {
                    let told = [shownWarnings.isEmpty ? nil : "\(shownWarnings.count) 条警告", errors.isEmpty ? nil : "\(lines.count) 个错误"].compactMap { $0 }
                    printError("已生成 \(output)（计划 \(result.planID)）\(told.isEmpty ? "" : "，\(told.joined(separator: "、"))，请核对后运行 duban check")")
                }
            }
            if !warnings.isEmpty || !errors.isEmpty { throw ExitCode(3) }
        }
    }

    func warnings(_ list: [ImportWarning]) -> [Warning] {
        list.map { Warning(file: file, line: $0.line, kind: $0.kind, message: $0.message) }
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40 { return Int(size.ws_col) }
        return Int(Environment()["COLUMNS"] ?? "") ?? 100
    }

    /// The document's text, checked: a regular file, not too large, decodable.
    static func readDocument(_ file: String, encoding: String?) throws -> String {
        let forced: TextDecoding.Encoding?
        if let encoding {
            guard let e = TextDecoding.Encoding(rawValue: encoding.lowercased()) else {
                throw CLIError.input("不支持的编码“\(shown(encoding))”：可用 utf-8、gb18030、big5")
            }
            forced = e
        } else {
            forced = nil
        }
        // The caller's document, read with the caller's rights (see Privilege).
        let data = try Privilege.asCaller { try readBytes(file) }
        return try Self.text(of: data, file: file, encoding: forced)
    }

    private static func readBytes(_ file: String) throws -> Data {
        var info = stat()
        guard stat(file, &info) == 0 else { throw CLIError("找不到文件“\(shown(file))”") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw CLIError("“\(shown(file))”不是普通文件") }
        guard Int(info.st_size) <= Self.maximumInput else {
            throw CLIError("“\(shown(file))”过大（\(Int(info.st_size) / 1024 / 1024) MB）：工作要点一般不超过 1 MB，上限 16 MB")
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("无法读取“\(shown(file))”") }
        return data
    }

    /// The document's text: .docx paragraphs, or a text file in UTF-8 or GB18030. Anything else is refused.
    static func text(of data: Data, file: String, encoding: TextDecoding.Encoding?) throws -> String {
        // A file named .docx that is no zip is a broken or renamed document, not a text without numbering.
        if file.lowercased().hasSuffix(".docx"), !data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw CLIError("\(shown(file))：不是有效的 Word 文档（.docx）：文件内容不是 Word 的格式，可能已损坏或只是改了扩展名；请用 Word/WPS 另存为 .docx，或另存为文本")
        }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            do { return try DocxText.paragraphs(data) } catch let error as ImportError {
                throw CLIError("\(shown(file))：\(error.description)")
            } catch {
                throw CLIError("\(shown(file))：不是有效的 Word 文档（.docx）")
            }
        }
        if data.isEmpty { throw CLIError("\(shown(file))：\(ImportError.empty.description)") }
        // Notepad's “Unicode” is UTF-16 with a byte-order mark.
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]), let text = String(data: data, encoding: .utf16) { return text }
        let sample = data.prefix(4096)
        let zeros = sample.filter { $0 == 0 }.count
        if zeros > 0 || data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) || data.starts(with: Array("%PDF".utf8)) {
            throw CLIError("\(shown(file))：\(ImportError.unsupported(data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) ? "这是旧版 Word（.doc）文件，请另存为 .docx" : data.starts(with: Array("%PDF".utf8)) ? "这是 PDF 文件，请先转为文字或 .docx" : "这是二进制文件").description)")
        }
        switch TextDecoding.decodeOrExplain(data, forcing: encoding) {
        case let .success((text, _)): return text
        case let .failure(failure): throw CLIError("\(shown(file))：\(failure.description)")
        }
    }
}
