import Foundation
import Testing

@Suite struct ImportCommand {
    static var seeds: String { DubanBinary.repositoryRoot.appendingPathComponent("Tests/Seeds").path }

    @Test func importsAPlanFileThatCheckAccepts() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path + "/Plans", withIntermediateDirectories: true)
        for sub in ["units", "calendar"] {
            try FileManager.default.copyItem(atPath: DubanBinary.bundledPlans + "/" + sub, toPath: scratch.path + "/Plans/" + sub)
        }
        let out = scratch.path + "/Plans/changsha-2021.yaml"
        let result = try DubanBinary.run(["import", Self.seeds + "/000_cceafcc75b2966bb.txt", "-o", out])
        #expect(result.status == 0, "\(result.stderr)")
        let check = try DubanBinary.run(["check", scratch.path + "/Plans"])
        #expect(check.status == 0, "\(check.stdout)")
        let again = try DubanBinary.run(["import", Self.seeds + "/000_cceafcc75b2966bb.txt", "-o", out])
        #expect(again.status == 1)
        #expect(again.stderr.contains("--force"))
    }

    @Test func warningsAsDataWithExitCodeThree() throws {
        let result = try DubanBinary.run(["import", Self.seeds + "/003_083bca08c54f1534.txt", "--json"])
        #expect(result.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["plan"] as? String == "zhuzhou-2020")
        let warnings = try #require(object["warnings"] as? [[String: Any]])
        #expect(warnings.contains { ($0["line"] as? Int) == 76 })
    }

    @Test func hostileInputsEndWithAClearMessageAndNoFile() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("empty.txt", "")
        try Data([0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x13]).write(to: URL(fileURLWithPath: scratch.path + "/binary.bin"))
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).write(to: URL(fileURLWithPath: scratch.path + "/old.doc"))
        try Data("%PDF-1.4\n".utf8).write(to: URL(fileURLWithPath: scratch.path + "/scan.pdf"))
        try scratch.write("plain.txt", "这是一段没有任何编号的文字。\n第二段。")
        try scratch.write("broken.docx", "PK\u{3}\u{4}not really a zip")
        let big = FileManager.default.createFile(atPath: scratch.path + "/big.txt", contents: nil)
        #expect(big)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + "/big.txt"))
        let chunk = Data(String(repeating: "（一）大文件。", count: 100_000).utf8)
        for _ in 0..<((50 * 1024 * 1024) / chunk.count + 1) { handle.write(chunk) }
        try handle.close()
        let cases: [(String, String)] = [("empty.txt", "空"), ("binary.bin", "二进制"), ("old.doc", ".docx"), ("scan.pdf", "PDF"),
                                         ("plain.txt", "编号"), ("broken.docx", "Word"), ("big.txt", "过大"), ("missing.txt", "找不到")]
        for (file, hint) in cases {
            let out = scratch.path + "/out-\(file).yaml"
            let result = try DubanBinary.run(["import", scratch.path + "/" + file, "-o", out])
            #expect(result.status == 1, "\(file): \(result.status)")
            #expect(result.stderr.contains(hint), "\(file): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
            #expect(!FileManager.default.fileExists(atPath: out), "\(file) left an output file")
        }
    }

    static var corpus: String { DubanBinary.repositoryRoot.appendingPathComponent("Tests/DubanPlansTests/Fixtures/corpus").path }

    /// A scratch Plans/ with the bundled registries and calendars but no plans.
    static func emptyPlans() throws -> ScratchDirectory {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path + "/Plans", withIntermediateDirectories: true)
        for sub in ["units", "calendar"] {
            try FileManager.default.copyItem(atPath: DubanBinary.bundledPlans + "/" + sub, toPath: scratch.path + "/Plans/" + sub)
        }
        return scratch
    }

    /// The new-city path, as a clerk in 湘潭 would take it: import the city's document, check, see its districts.
    @Test func aXiangtanDocumentImportsPassesCheckAndShowsItsDistricts() throws {
        let scratch = try Self.emptyPlans()
        let plans = scratch.path + "/Plans"
        let out = plans + "/xiangtan-2022.yaml"
        let result = try DubanBinary.run(["import", Self.corpus + "/hn-01-xiangtan-2022.txt", "-o", out, "--plans", plans])
        #expect(result.status == 3, "\(result.stderr)")   // warnings to check, no errors
        #expect(!result.stderr.contains("错误"), "\(result.stderr)")
        let check = try DubanBinary.run(["check", plans])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let progress = try DubanBinary.run(["progress", "xiangtan-2022", "--plans", plans, "--db", scratch.path + "/d.sqlite", "--json"])
        #expect(progress.status == 0, "\(progress.stderr)")
        for district in ["雨湖区", "岳塘区", "湘潭县", "湘乡市", "韶山市"] { #expect(progress.stdout.contains(district), "\(district)") }
        let review = try DubanBinary.run(["import", Self.corpus + "/hn-01-xiangtan-2022.txt", "--review", "--plans", plans],
                                         environment: ["COLUMNS": "100"])
        #expect(review.stdout.contains("│ 29：(一)加强"), "\(review.stdout)")
        #expect(review.stdout.contains("责任：各县市区人民政府"))
    }

    /// Items without a unit clause fall back to the notice's addressees; with no registry for the city, each unknown
    /// addressee is one error at the line it is written on (it was repeated per item, at line 0). The opening of
    /// 《2023年新余市政务公开工作要点》(新余市人民政府办公室, 2023-08-07), as published at http://echinagov.com/policy/346701.htm.
    /// A unit the city's registry lacks, named on several lines, is one error (with its other lines), not one a line; and
    /// with no registry for the city, not also a warning per unit. A real document: 《黄冈市2020年政务公开工作要点》 (the
    /// corpus excerpt, in Traditional script).
    @Test func eachMissingUnitIsOneProblem() throws {
        let scratch = try Self.emptyPlans()
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DubanPlansTests/Fixtures/corpus/xx-04-huanggang-2020-hant.txt").path
        let result = try DubanBinary.run(["import", corpus, "-o", scratch.path + "/Plans/hg.yaml", "--plans", scratch.path + "/Plans"])
        #expect(result.status == 3, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.filter { $0.contains("没有“市政务服务和大数据管理局”") }.count == 1, "\(result.stderr)")
        #expect(lines.contains { $0.contains("没有“市政务服务和大数据管理局”（另见第 14 行）") }, "\(result.stderr)")
        #expect(!lines.contains { $0.contains(": 警告: 单位名册中没有") }, "\(result.stderr)")
    }

    /// Where the city has a registry and check refuses the plan for a unit it lacks, the unit is named once, as the
    /// error, not also as the import's warning on the same line; the signature at the end is the issuer.
    @Test func aUnitTheRegistryLacksIsOneErrorNotAlsoAWarning() throws {
        let scratch = try Self.emptyPlans()
        let document = scratch.path + "/xiangtan.txt"
        try """
            湘潭市2024年政务公开工作要点
            一、深化重点领域信息公开
            （一）加强财政信息公开。全面公开财政预决算信息，6月底前完成。（牵头单位：市财政局；责任单位：各县市区人民政府）
            （二）做好政策解读。重要政策文件与解读材料同步发布。（牵头单位：市财政局）
            湘潭市人民政府办公室
            2024年3月15日
            """.write(toFile: document, atomically: true, encoding: .utf8)
        let result = try DubanBinary.run(["import", document, "-o", scratch.path + "/Plans/xt.yaml", "--plans", DubanBinary.bundledPlans])
        #expect(result.status == 3, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.filter { $0.contains("没有“市财政局”") }.count == 1 && lines.contains { $0.contains(": 错误: ") && $0.contains("没有“市财政局”（另见第 4 行）") },
                "\(result.stderr)")
        #expect(lines.contains { $0.contains("1 个错误") }, "\(result.stderr)")
        let yaml = try String(contentsOfFile: scratch.path + "/Plans/xt.yaml", encoding: .utf8)
        #expect(yaml.contains("issuer: 湘潭市人民政府办公室") && yaml.contains("issued: 2024-03-15"), "\(yaml.prefix(400))")
    }

    @Test func unknownAddresseesAreNamedOnceAtTheirLine() throws {
        let scratch = try Self.emptyPlans()
        let document = scratch.path + "/xinyu-2023.txt"
        try """
            各县(区)人民政府、管委会,市政府各部门、市直相关单位:
              《2023年新余市政务公开工作要点》已经市政府同意,现印发给你们,请结合实际认真贯彻落实。
              新余市人民政府办公室
              2023年8月7日
              2023年新余市政务公开工作要点
              为进一步深化新余市政务公开工作,提高行政透明度和政府公信力,助力法治政府、服务型政府建设,制定本要点。
              一、紧扣经济发展大局深化公开
              (一)加强重大战略实施信息公开
              1.聚焦落实战略部署加强公开。紧紧围绕建设新宜吉合作主阵地、大南昌都市圈产业协作,做好相关信息公开。
              (二)加强助企纾困信息公开
              2.及时发布惠企政策,持续做好政策解读。
            """.write(toFile: document, atomically: true, encoding: .utf8)
        let result = try DubanBinary.run(["import", document, "-o", scratch.path + "/Plans/xinyu-2023.yaml", "--plans", scratch.path + "/Plans"])
        #expect(result.status == 3, "\(result.stderr)")
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": 错误: ") }
        #expect(errors.count == 4 && Set(errors).count == errors.count, "\(result.stderr)")
        #expect(errors.allSatisfy { $0.contains("xinyu-2023.txt:1: 错误: 新余市单位名册中没有") }, "\(result.stderr)")
    }

    /// A real 实施方案 that assigns only departments (潍坊市 2017, a Word table): the leader's summary ranks its responsible
    /// units instead of showing a district heading over nothing, and a long name is cut with "…", not clean.
    @Test func aDepartmentsOnlyPlanRanksItsUnitsOnTheLeaderScreen() throws {
        let scratch = try Self.emptyPlans()
        let plans = scratch.path + "/Plans", document = Self.corpus + "/xx-09-weifang-2017-table.docx"
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        #expect(try DubanBinary.run(["registry", "init", "潍坊市", "--from", document, "--plans", plans]).status == 0)
        #expect(try DubanBinary.run(["import", document, "-o", plans + "/weifang-2017.yaml", "--plans", plans]).status == 3)  // written, warnings to read
        #expect(try DubanBinary.run(["check", "--plans", plans]).status == 0)
        #expect(try DubanBinary.run(["update", "weifang-2017", "1.1", "--unit", "市发改委", "--status", "推进中", "--percent", "40",
                                     "--note", "已召开新闻发布会", "--at", "2017-06-30", "--plans", plans], environment: env).status == 0)
        let once = try DubanBinary.run(["summary", "weifang-2017", "--once", "--as-of", "2017-07-31", "--plans", plans], environment: env)
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout.contains("各责任单位按得分排名"), "\(once.stdout)")
        let rows = once.stdout.split(separator: "\n").filter { $0.range(of: #"\d\.\d%\s+\d+\.\d分"#, options: .regularExpression) != nil }
        #expect(rows.count == 6 && rows.first?.contains("市发改委") == true, "\(once.stdout)")
        #expect(rows.contains { $0.contains("人民银行潍坊市…") }, "\(once.stdout)")
    }

    /// A city with no registry: import says the exact command; the command writes one; the import then passes check.
    @Test func aCityWithoutARegistryIsOneCommandAway() throws {
        let scratch = try Self.emptyPlans()
        let plans = scratch.path + "/Plans"
        let document = Self.corpus + "/xx-12-xinjian-2024.txt"   // 南昌市新建区: no registry is shipped for 南昌
        let first = try DubanBinary.run(["import", document, "--city", "南昌市", "-o", plans + "/nanchang-2024.yaml", "--plans", plans])
        #expect(first.status == 3)
        #expect(first.stderr.contains("duban registry init 南昌市 --from"), "\(first.stderr)")
        let check = try DubanBinary.run(["check", plans])
        #expect(check.status != 0)
        try FileManager.default.removeItem(atPath: plans + "/nanchang-2024.yaml")
        let initialise = try DubanBinary.run(["registry", "init", "南昌市", "--from", document, "--plans", plans, "--json"])
        #expect(initialise.status == 0, "\(initialise.stderr)")
        let registry = try String(contentsOfFile: plans + "/units/nanchang.yaml", encoding: .utf8)
        for district in ["东湖区", "西湖区", "新建区", "南昌县", "进贤县"] { #expect(registry.contains("name: \(district)"), "\(district)") }
        let again = try DubanBinary.run(["import", document, "--city", "南昌市", "-o", plans + "/nanchang-2024.yaml", "--plans", plans])
        #expect(!again.stderr.contains("错误"), "\(again.stderr)")
        let recheck = try DubanBinary.run(["check", plans])
        #expect(recheck.status == 0, "\(recheck.stdout)\(recheck.stderr)")
        let refused = try DubanBinary.run(["registry", "init", "南昌市", "--plans", plans])
        #expect(refused.status == 1 && refused.stderr.contains("--from"))
    }

    /// `-o /dev/null --force` once replaced the device with a file (the write is a rename): devices are refused.
    @Test func aDeviceIsNeverReplaced() throws {
        let result = try DubanBinary.run(["import", Self.seeds + "/000_cceafcc75b2966bb.txt", "-o", "/dev/null", "--force"])
        #expect(result.status == 1 && result.stderr.contains("不是普通文件"), "\(result.stderr)")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    /// A Big5 copy imports (converted to Simplified); bytes in no Chinese encoding are named as an encoding problem.
    @Test func encodingsAreReadOrNamed() throws {
        let scratch = try ScratchDirectory()
        let text = "湘潭市2023年政務公開工作要點\n一、深化政務公開\n（一）加強政策解讀。（市政府辦公室牽頭，各縣市區人民政府負責）\n（二）做好依申請公開。\n"
        try scratch.write("utf8.txt", text)
        let iconv = try DubanBinary.capture("/usr/bin/iconv", ["-f", "UTF-8", "-t", "BIG5", "-o", scratch.path + "/big5.txt", scratch.path + "/utf8.txt"],
                                            environment: [:])
        #expect(iconv.status == 0, "\(iconv.stderr)")
        let big5 = try DubanBinary.run(["import", scratch.path + "/big5.txt"])
        #expect(big5.stdout.contains("title: 湘潭市2023年政务公开工作要点"), "\(big5.stdout)\(big5.stderr)")
        #expect(big5.stderr.contains("繁体"))
        var garbage = Data()
        var seed: UInt32 = 11
        for _ in 0..<2000 { seed = seed &* 1_103_515_245 &+ 12345; garbage.append(UInt8(0x81 + (seed >> 16) % 0x7E)) }
        try garbage.write(to: URL(fileURLWithPath: scratch.path + "/garbled.txt"))
        let garbled = try DubanBinary.run(["import", scratch.path + "/garbled.txt"])
        #expect(garbled.status == 1 && garbled.stderr.contains("编码") && !garbled.stderr.contains("没有找到编号"), "\(garbled.stderr)")
    }

    @Test func warningsComeAsDataEvenWhenImportFails() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("noyear.txt", "某市政务公开工作要点\n1.甲。\n2.乙。")
        let result = try DubanBinary.run(["import", scratch.path + "/noyear.txt", "--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["error"] as? String)?.contains("--year") == true)
        #expect(object["warnings"] is [Any])
        let given = try DubanBinary.run(["import", scratch.path + "/noyear.txt", "--year", "2024", "--city", "长沙市"])
        #expect(given.stdout.contains("year: 2024"))
    }
}
