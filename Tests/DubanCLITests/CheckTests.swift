import Foundation
import Testing

@Suite struct Check {
    @Test func bundledPlansPass() throws {
        let result = try DubanBinary.run(["check"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("检查通过"))
    }

    static let registry = """
    city: 长沙市
    units:
      - {id: furong, name: 芙蓉区, kind: district}
      - {id: tianxin, name: 天心区, kind: district}
      - {id: fgw, name: 市发展改革委, kind: department, aliases: [市发改委]}
      - id: all-districts
        name: 各区县（市）人民政府
        kind: collective
        expands_to: [芙蓉区, 天心区]
    """

    static let plan = """
    id: broken-2021
    city: 长沙市
    year: 2021
    title: 测试计划
    issuer: 测试办
    sections:
      - id: "1"
        number: 一、
        title: 第一部分
        items:
          - id: "1.1"
            title: 甲
            text: 甲。
            lead: [市发改局]
            responsible: [各区县（市）人民政府]
          - id: "1.1"
            title: 乙
            text: 乙。
            responsible: [芙蓉区]
          - id: "1.3"
            title: 丙
            text: 丙。
            responsible: [芙蓉区]
            deadline: 尽快
    """

    @Test func brokenPlanReportsFileLineAndFails() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("units/changsha.yaml", Self.registry)
        try scratch.write("broken-2021.yaml", Self.plan)
        try scratch.write("badyaml-2021.yaml", "id: badyaml-2021\ncity: 长沙市\nsections: [\n  - id: \"1\"\n")
        let result = try DubanBinary.run(["check", scratch.path])
        #expect(result.status == 1)
        let out = result.stdout
        #expect(out.contains("broken-2021.yaml:14: 错误:"))   // 市发改局: unknown, with the closest name
        #expect(out.contains("市发改委"))
        #expect(out.contains("broken-2021.yaml:16: 错误:") || out.contains("broken-2021.yaml:17: 错误:"))  // duplicate 1.1
        #expect(out.contains("重复"))
        #expect(out.contains("尽快"))
        #expect(out.contains("badyaml-2021.yaml:"))
        #expect(out.contains("YAML"))
        #expect(result.stderr.contains("处错误"))
    }

    @Test func brokenPlanAsJSON() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("units/changsha.yaml", Self.registry)
        try scratch.write("broken-2021.yaml", Self.plan)
        let result = try DubanBinary.run(["check", scratch.path, "--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == false)
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.contains { ($0["line"] as? Int) == 14 && ($0["file"] as? String)?.hasSuffix("broken-2021.yaml") == true })
    }

    @Test func otherCommandsSkipABrokenPlanAndSaySo() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("units/changsha.yaml", Self.registry)
        try scratch.write("broken-2021.yaml", Self.plan)
        let result = try DubanBinary.run(["plans", "--plans", scratch.path])
        #expect(result.status == 0)
        #expect(result.stderr.contains("broken-2021.yaml"))
        #expect(result.stderr.contains("duban check"))
    }

    @Test func misspeltKeyIsAnError() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("units/changsha.yaml", Self.registry)
        try scratch.write("typo-2021.yaml", Self.plan.replacingOccurrences(of: "deadline: 尽快", with: "deadlin: 2021年底前"))
        let result = try DubanBinary.run(["check", scratch.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("deadlin"))
    }
}
