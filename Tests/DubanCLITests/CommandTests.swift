import Foundation
import Testing

@Suite struct ReadCommands {
    @Test func plansListsTheFourBundledPlans() throws {
        let rows = try #require(try DubanBinary.json(["plans"]) as? [[String: Any]])
        let ids = rows.compactMap { $0["id"] as? String }
        #expect(ids == ["changsha-2018", "zhuzhou-2020", "changsha-2021", "changsha-2022"])
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as! String, $0) })
        #expect(byID["changsha-2021"]?["document_number"] as? String == "长政务公开办发〔2021〕4号")
        #expect(byID["changsha-2021"]?["items"] as? Int == 19)
        #expect(byID["zhuzhou-2020"]?["items"] as? Int == 19)
        #expect(byID["changsha-2018"]?["items"] as? Int == 16)
        #expect(byID["changsha-2018"]?["sections"] as? Int == 4)
    }

    @Test func plainPlansOutputIsATable() throws {
        let result = try DubanBinary.run(["plans"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("changsha-2021"))
        #expect(result.stdout.contains("株洲市2020年政务公开工作要点"))
        // Readable in an 80-column PuTTY window: Chinese characters take two columns.
        for line in result.stdout.split(separator: "\n") {
            let columns = line.unicodeScalars.reduce(0) { $0 + ((0x2E80...0xFFEF).contains($1.value) ? 2 : 1) }
            #expect(columns <= 80, "\(line)")
        }
    }

    @Test func treeJSONHasTheDocumentedShape() throws {
        let object = try #require(try DubanBinary.json(["tree", "changsha-2021"]) as? [String: Any])
        let plan = try #require(object["plan"] as? [String: Any])
        #expect(plan["id"] as? String == "changsha-2021")
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: nodes.map { ($0["id"] as! String, $0) })
        let item = try #require(byID["1.2"])
        #expect(item["parent"] as? String == "1")
        #expect(item["kind"] as? String == "item")
        #expect(item["title"] as? String == "做好各类规划主动公开")
        #expect(item["lead"] as? [String] == ["市发展改革委"])
        #expect(item["responsible"] as? [String] == ["市数据资源管理局", "市直相关单位", "各区县（市）人民政府"])
        let assignees = try #require(item["assignees"] as? [String])
        #expect(assignees.count == 11)  // the lead, 市数据资源管理局 and nine districts
        #expect(assignees.contains("芙蓉区") && assignees.contains("市数据资源管理局") && assignees.contains("市发展改革委"))
        #expect(!assignees.contains("长沙高新区") && !assignees.contains("市直相关单位"))
        #expect(item["deadline"] as? String == "2021-12-31")
        #expect(item["deadline_source"] is NSNull)
        let websites = try #require(byID["3.12"])
        #expect(websites["deadline_source"] as? String == "2021年底前")
        #expect(byID["1"]?["kind"] as? String == "section")
        #expect(byID["1"]?["parent"] is NSNull)
    }

    @Test func treeTextShowsUnitsAndDeadlines() throws {
        let result = try DubanBinary.run(["tree", "changsha-2022"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("2022-07-31"))
        #expect(result.stdout.contains("宁乡市"))
    }

    @Test func unknownPlanSuggestsTheClosest() throws {
        let result = try DubanBinary.run(["tree", "changsha-2012"])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("changsha-2021") || result.stderr.contains("changsha-2018"))
    }

    @Test func plansDirectoryFromEnvironmentAndOption() throws {
        let scratch = try ScratchDirectory()
        let viaEnv = try DubanBinary.run(["plans", "--json"], environment: ["DUBAN_PLANS": DubanBinary.bundledPlans], directory: scratch.path)
        #expect(viaEnv.status == 0 && viaEnv.stdout.contains("changsha-2021"))
        let missing = try DubanBinary.run(["plans", "--plans", scratch.path + "/nowhere"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nowhere"))
    }
}

@Suite struct Workdays {
    @Test func addAcrossNationalDay() throws {
        let result = try DubanBinary.run(["workdays", "add", "2021-09-30", "1"])
        #expect(result.status == 0)
        #expect(result.stdout == "2021-10-08\n")
    }

    @Test func betweenAsJSON() throws {
        let object = try #require(try DubanBinary.json(["workdays", "between", "2021-09-17", "2021-09-26"]) as? [String: Any])
        // 9/18 (Sat, 调休), 9/22, 9/23, 9/24, 9/26 (Sun, 调休)
        #expect(object["working_days"] as? Int == 5)
        #expect(object["calendar_days"] as? Int == 9)
    }

    @Test func badDateAndUncoveredYearAreClearErrors() throws {
        let bad = try DubanBinary.run(["workdays", "add", "2021-13-01", "1"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("2021-13-01"))
        let future = try DubanBinary.run(["workdays", "add", "2031-03-02", "3"])
        #expect(future.status == 1)
        #expect(future.stderr.contains("2031"))
    }
}
