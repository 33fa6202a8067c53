import DubanCore
import DubanPlans
import Testing

@Suite struct PlanFileParsing {
    @Test func badYAMLNamesTheLine() {
        let (draft, problems) = PlanFile.parse("id: x-2021\ncity: 长沙市\nsections:\n  - id: \"1\"\n   title: [\n", file: "x-2021.yaml")
        #expect(draft == nil)
        #expect(problems.first?.location?.file == "x-2021.yaml")
        #expect((problems.first?.location?.line ?? 0) >= 4)
        #expect(problems.first?.message.contains("YAML") == true)
    }

    /// A control or bidi character in a plan file would reach terminals and documents: an error, named and placed.
    @Test func controlCharactersInAPlanFileAreErrors() {
        let text = "id: x-2021\ncity: 长沙市\nyear: 2021\ntitle: \"要点\\u202E甲\"\nissuer: 办公室\nsections:\n  - id: \"1\"\n    title: \"章\\u0007节\"\n    items: []\n"
        let (_, problems) = PlanFile.parse(text, file: "x-2021.yaml")
        let errors = problems.filter { $0.severity == .error }
        #expect(errors.contains { $0.message.contains("U+202E") && $0.location?.line == 4 }, "\(problems)")
        #expect(errors.contains { $0.message.contains("U+0007") && $0.location?.line == 8 }, "\(problems)")
    }

    @Test func missingFieldsAreListedTogether() {
        let (_, problems) = PlanFile.parse("id: x-2021\nsections: []\n", file: "x.yaml")
        let messages = problems.map(\.message).joined(separator: "\n")
        #expect(messages.contains("city"))
        #expect(messages.contains("year"))
        #expect(messages.contains("title"))
    }

    @Test func wrongTypesAreExplained() {
        let (_, problems) = PlanFile.parse("id: x\ncity: 长沙市\nyear: 二〇二一\ntitle: t\nissuer: i\nsections: {}\n", file: "x.yaml")
        #expect(problems.contains { $0.location?.line == 3 && $0.message.contains("整数") })
        #expect(problems.contains { $0.location?.line == 6 && $0.message.contains("列表") })
    }

    @Test func calendarFileChecksDates() {
        let (year, problems) = CalendarFile.parse("year: 2021\nholidays:\n  - {name: 国庆节, from: 2021-10-07, to: 2021-10-01}\nworkdays: [2021-09-31]\n", file: "2021.yaml")
        #expect(year == nil)
        #expect(problems.contains { $0.location?.line == 3 })
        #expect(problems.contains { $0.location?.line == 4 && $0.message.contains("2021-09-31") })
    }
}

@Suite struct AccessFiles {
    @Test func grantsByAccountThenByGroups() throws {
        let (file, problems) = AccessFile.parse("""
            accounts:
              liyun: { role: staff, units: [芙蓉区] }
            groups:
              leaders: { role: leader }
              office: { role: admin }
            """, file: "access.yaml")
        let access = try #require(file, "\(problems)")
        #expect(access.grant(account: "liyun", groups: ["office"])?.role == .staff)
        #expect(access.grant(account: "wang", groups: ["leaders", "office"])?.role == .admin)
        #expect(access.grant(account: "zhao", groups: []) == nil)
        #expect(AccessFile.parse(access.yaml(), file: "again.yaml").0 == access)
    }

    @Test func mistakesNameTheLine() {
        let (file, problems) = AccessFile.parse("""
            accounts:
              liyun: { role: staf, units: [芙蓉区] }
              wang: { role: staff }
              zhao: { role: leader, unit: [x] }
            """, file: "access.yaml")
        #expect(file == nil)
        let lines = problems.map { $0.description }
        #expect(lines.contains { $0.contains("access.yaml:2") && $0.contains("staf") })
        #expect(lines.contains { $0.contains("access.yaml:3") && $0.contains("units") })
        #expect(lines.contains { $0.contains("access.yaml:4") && $0.contains("unit") })
    }
}
