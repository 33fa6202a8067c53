import ArgumentParser
import DubanCore
import DubanPlans
import Foundation

struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "单位名册：为一个城市生成名册。",
        subcommands: [Init.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "为任一地级市（州）或县（市、区）生成单位名册：区县（市）取自行政区划代码表，另加常见统称和文件中出现的单位，供核对。",
            discussion: """
            例：duban registry init 湘潭市 --from 湘潭市2023年政务公开工作要点.docx
            名册写到计划目录的 units/ 下（如 Plans/units/xiangtan.yaml）。
            名册已存在时，--from 把文件中名册没有的单位追加到末尾。
            """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("城市：湘潭市、湘潭或湘西土家族苗族自治州。", valueName: "city")) var city: String
        @Option(help: ArgumentHelp("从这份工作要点（.txt 或 .docx）中取出所有单位名称，一并写入名册。", valueName: "document")) var from: String?
        @Option(help: "文本编码：utf-8、gb18030 或 big5（默认自动识别）。") var encoding: String?
        @Flag(help: "只输出到标准输出，不写文件。") var dryRun = false
        @Flag(help: "以 JSON 输出结果。") var json = false

        struct Output: Encodable {
            let city: String
            let file: String?
            let districts: [String]
            let added: [String]
            let created: Bool
        }

        mutating func run() throws {
            try reporting {
                _ = try global.authorize(.importPlan)
                guard let division = DivisionTable.division(named: city) else {
                    let near = TextMatching.closest(to: city, among: DivisionTable.cities.map(\.name), limit: 3)
                    throw CLIError.input("行政区划代码表中没有地级市（州）或县（市、区）“\(shown(city))”" + (near.isEmpty ? "" : "；相近的有：\(near.joined(separator: "、"))"))
                }
                let directory = try global.resolvedPlansDirectory()
                let library = try global.loadLibrary(quiet: true, only: [])
                var names: [String] = []
                var title: String?
                if let from {
                    let text = try ImportCommand.readDocument(from, encoding: encoding)
                    (names, title) = try Self.unitNames(in: text, file: from, city: division.name, registries: library.registries)
                }
                // 福州 and 抚州 are both fuzhou: a name another city's registry holds gets the province's slug too.
                var path = (directory as NSString).appendingPathComponent("units/\(division.slug).yaml")
                if library.registries[division.name] == nil, FileManager.default.fileExists(atPath: path),
                   let province = division.province {
                    path = (directory as NSString).appendingPathComponent("units/\(division.slug)-\(province.slug).yaml")
                }
                let counties = DivisionTable.counties(of: division).map(\.name)
                if let existing = library.registries[division.name] {
                    let (text, added) = StarterRegistry.additions(names, to: existing, document: title)
                    guard from != nil else {
                        throw CLIError("\(division.name)已有单位名册\(Self.registryFile(directory, city: division.name) ?? "")；要把某份文件中的单位加入名册，请加 --from 文件")
                    }
                    let file = Self.registryFile(directory, city: division.name) ?? path
                    if dryRun {
                        print(text, terminator: "")
                    } else if !added.isEmpty {
                        try Self.append(text, to: file)
                    }
                    if json {
                        try printJSON(Output(city: division.name, file: dryRun ? nil : file, districts: counties, added: added, created: false))
                    } else {
                        printError(added.isEmpty ? "\(file) 已包含文件中的全部单位" : "已在 \(file) 末尾加入 \(added.count) 个单位：\(added.joined(separator: "、"))；请核对名称和类型")
                    }
                    return
                }
                let yaml = StarterRegistry.yaml(for: division, documentUnits: names, document: title)
                if dryRun {
                    print(yaml, terminator: "")
                } else {
                    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try SafeFile.write(Data(yaml.utf8), to: path, overwrite: false)
                }
                let added = StarterRegistry.registry(yaml, city: division.name).map { r in names.filter { n in
                    r.units.contains { $0.name == n } && !counties.contains(n) } } ?? []
                if json {
                    try printJSON(Output(city: division.name, file: dryRun ? nil : path, districts: counties, added: added, created: true))
                } else if !dryRun {
                    printError("已生成 \(path)：\(counties.count) 个区县（市）\(added.isEmpty ? "" : "，文件中的 \(added.count) 个单位")；请核对后运行 duban check")
                }
            }
        }

        /// Every unit name the document uses (addressees, leads, responsible units), as the importer reads them.
        static func unitNames(in text: String, file: String, city: String, registries: [String: UnitRegistry]) throws -> ([String], String) {
            func run(year: Int?) throws -> PlanImporter.Result {
                var importer = PlanImporter(registries: registries, options: .init(city: city, year: year))
                return try importer.run(text: text, file: file)
            }
            let result: PlanImporter.Result
            do { result = try run(year: nil) } catch ImportError.noYear { result = try run(year: 2000) }   // the year does not change names
            catch let error as ImportError { throw CLIError("\(shown(file))：\(error.description)") }
            let names = (result.draft.addressees + result.draft.sections.flatMap(\.namedUnits)).map(\.value)
            var seen = Set<String>()
            return (names.filter { seen.insert($0).inserted }, result.draft.title)
        }

        static func registryFile(_ directory: String, city: String) -> String? {
            let folder = (directory as NSString).appendingPathComponent("units")
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            return files.map { (folder as NSString).appendingPathComponent($0) }.first { path in
                (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { RegistryFile.parse($0, file: path)?.city } == city
            }
        }

        /// Appends entries to a registry whose units list ends the file (as every registry here does).
        static func append(_ text: String, to path: String) throws {
            guard let existing = FileManager.default.contents(atPath: path) else { throw CLIError("无法读取 \(path)") }
            var data = existing
            if data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
            data.append(Data(text.utf8))
            try SafeFile.write(data, to: path, overwrite: true)
        }
    }
}
