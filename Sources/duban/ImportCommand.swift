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
        文本文件可为 UTF-8 或 GB18030/GBK 编码（自动识别，--encoding 可指定）。
        退出码：0 无警告；3 有警告（计划文件已生成，请按提示核对）；1 失败（不生成文件）。
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("工作要点文件（.txt 或 .docx）。", valueName: "file")) var file: String
    @Option(help: ArgumentHelp("计划编号（默认按城市和年度生成，如 changsha-2021）。", valueName: "id")) var id: String?
    @Option(help: ArgumentHelp("城市（默认从标题推断），用于查找单位名册。", valueName: "city")) var city: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("输出的计划文件（默认输出到标准输出；- 亦为标准输出）。", valueName: "file")) var output: String?
    @Option(help: "文本编码：utf-8 或 gb18030（默认自动识别）。") var encoding: String?
    @Flag(help: "覆盖已存在的输出文件。") var force = false
    @Flag(help: "以 JSON 输出警告。") var json = false

    static let maximumInput = 16 * 1024 * 1024

    struct Warning: Encodable {
        let file: String
        let line: Int
        let kind: String
        let message: String
    }

    struct Output: Encodable {
        let plan: String
        let output: String?
        let warnings: [Warning]
    }

    mutating func run() throws {
        try reporting {
            _ = try global.authorize(.importPlan)
            let forced: TextDecoding.Encoding?
            if let encoding {
                guard let e = TextDecoding.Encoding(rawValue: encoding.lowercased()) else {
                    throw CLIError("不支持的编码“\(shown(encoding))”：可用 utf-8、gb18030")
                }
                forced = e
            } else {
                forced = nil
            }
            var info = stat()
            guard stat(file, &info) == 0 else { throw CLIError("找不到文件“\(shown(file))”") }
            guard (info.st_mode & S_IFMT) == S_IFREG else { throw CLIError("“\(shown(file))”不是普通文件") }
            guard Int(info.st_size) <= Self.maximumInput else {
                throw CLIError("“\(shown(file))”过大（\(Int(info.st_size) / 1024 / 1024) MB）：工作要点一般不超过 1 MB，上限 16 MB")
            }
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("无法读取“\(shown(file))”") }
            let text = try Self.text(of: data, file: file, encoding: forced)
            let library = try global.loadLibrary(quiet: true, only: [])
            var importer = PlanImporter(registries: library.registries, options: .init(planID: id, city: city))
            let result: PlanImporter.Result
            do {
                result = try importer.run(text: text, file: file)
            } catch let error as ImportError {
                throw CLIError("\(shown(file))：\(error.description)")
            }
            if let output, output != "-" {
                try SafeFile.write(Data(result.yaml.utf8), to: output, overwrite: force)
            } else if !json {
                print(result.yaml, terminator: "")
            }
            let warnings = result.warnings.map { Warning(file: file, line: $0.line, kind: $0.kind, message: $0.message) }
            if json {
                try printJSON(Output(plan: result.planID, output: output, warnings: warnings))
            } else {
                for w in warnings { printError("\(shown(file)):\(w.line): 警告: \(shown(w.message))") }
                if let output, output != "-" {
                    printError("已生成 \(output)（计划 \(result.planID)）\(warnings.isEmpty ? "" : "，\(warnings.count) 条警告，请核对后运行 duban check")")
                }
            }
            if !warnings.isEmpty { throw ExitCode(3) }
        }
    }

    /// The document's text: .docx paragraphs, or a text file in UTF-8 or GB18030. Anything else is refused.
    static func text(of data: Data, file: String, encoding: TextDecoding.Encoding?) throws -> String {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            do { return try DocxText.paragraphs(data) } catch let error as ImportError {
                throw CLIError("\(shown(file))：\(error.description)")
            } catch {
                throw CLIError("\(shown(file))：不是有效的 Word 文档（.docx）")
            }
        }
        if data.isEmpty { throw CLIError("\(shown(file))：\(ImportError.empty.description)") }
        let sample = data.prefix(4096)
        let zeros = sample.filter { $0 == 0 }.count
        if zeros > 0 || data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) || data.starts(with: Array("%PDF".utf8)) {
            throw CLIError("\(shown(file))：\(ImportError.unsupported(data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) ? "这是旧版 Word（.doc）文件，请另存为 .docx" : data.starts(with: Array("%PDF".utf8)) ? "这是 PDF 文件，请先转为文字或 .docx" : "这是二进制文件").description)")
        }
        guard let (text, _) = TextDecoding.decode(data, forcing: encoding) else {
            throw CLIError("\(shown(file))：无法按 \(encoding?.rawValue ?? "UTF-8 或 GB18030") 解码；请用 --encoding 指定，或另存为 UTF-8")
        }
        return text
    }
}
