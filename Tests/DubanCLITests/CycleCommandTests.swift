import Foundation
import Testing

/// Reporting cycles, changes since a day and the bulletin since the last one, through the binary (issue 16).
@Suite struct CycleCommands {
    static func json(_ result: DubanBinary.Result) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], "\(result.stderr)")
    }

    @Test func reportsChangesAndTheBulletinSinceTheLastOne() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        func update(_ unit: String, _ status: String, _ percent: String, at: String) throws {
            let r = try DubanBinary.run(["update", "changsha-2021", "1.2", "--unit", unit, "--status", status, "--percent", percent, "--at", at],
                                        environment: env)
            #expect(r.status == 0, "\(r.stderr)")
        }
        try update("芙蓉区", "推进中", "30", at: "2021-08-03")
        try update("天心区", "推进中", "20", at: "2021-08-20")   // July's report, late
        // As of 2021-09-10: 芙蓉区 reported July on time and August not at all (due 09-06); 天心区 July late, August on time.
        let reports = try Self.json(try DubanBinary.run(["reports", "changsha-2021", "--as-of", "2021-09-10", "--json"], environment: env))
        func state(_ unit: String, _ period: String) -> String? {
            reports.first { $0["unit"] as? String == unit && $0["period"] as? String == period }?["state"] as? String
        }
        #expect(state("芙蓉区", "2021年7月") == "received")
        #expect(state("芙蓉区", "2021年8月") == "missing")
        #expect(state("天心区", "2021年7月") == "late")
        #expect(state("天心区", "2021年8月") == "received")
        #expect(state("岳麓区", "2021年7月") == "missing")

        // The first bulletin has nothing to compare with; the second, made with --since last, reports the month between.
        let first = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--as-of", "2021-09-10", "--format", "txt", "-o", "-"],
                                        environment: env)
        #expect(first.status == 0 && !first.stdout.contains("以来，新完成"), "\(first.stderr)")
        #expect(first.stdout.contains("未按时报送进展"))
        try update("芙蓉区", "已完成", "100", at: "2021-09-20")
        let review = try DubanBinary.run(["review", "changsha-2021", "1.2", "--unit", "芙蓉区", "--approve", "--at", "2021-09-22"], environment: env)
        #expect(review.status == 0, "\(review.stderr)")
        let changes = try Self.json(try DubanBinary.run(["changes", "changsha-2021", "--since", "last", "--as-of", "2021-09-30", "--json"],
                                                        environment: env))
        #expect(changes.contains { $0["kind"] as? String == "done" && $0["unit"] as? String == "芙蓉区" && $0["node"] as? String == "1.2" })
        let second = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--as-of", "2021-09-30", "--since", "last", "--format", "txt", "-o", "-"],
                                         environment: env)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("自2021年9月10日以来，新完成1项"), "\(second.stdout.prefix(900))")
        // And a third --since last starts from the second.
        let third = try DubanBinary.run(["changes", "changsha-2021", "--since", "last", "--as-of", "2021-10-31"], environment: env)
        #expect(third.stdout.contains("2021年9月30日至2021年10月31日"), "\(third.stdout.prefix(300))")
    }

    @Test func sinceLastWithoutABulletinSaysWhatToDo() throws {
        let scratch = try ScratchDirectory()
        let r = try DubanBinary.run(["changes", "changsha-2021", "--since", "last"], environment: ["DUBAN_DB": scratch.path + "/duban.sqlite"])
        #expect(r.status == 2 && r.stderr.contains("还没有导出过通报"), "\(r.stderr)")
    }
}

/// 回头看 from changsha-2021 into changsha-2022, in a copy of the bundled plans.
@Suite struct CarryoverCommand {
    @Test func lastYearsUnfinishedWorkJoinsTheNewPlan() throws {
        let scratch = try ScratchDirectory()
        let plans = scratch.path + "/Plans"
        try FileManager.default.copyItem(atPath: DubanBinary.bundledPlans, toPath: plans)
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite", "DUBAN_PLANS": plans]
        // 芙蓉区 finished 1.2 and the office signed it off; everyone else's work is unfinished.
        #expect(try DubanBinary.run(["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "已完成", "--at", "2021-11-01"], environment: env).status == 0)
        #expect(try DubanBinary.run(["review", "changsha-2021", "1.2", "--unit", "芙蓉区", "--approve", "--at", "2021-11-02"], environment: env).status == 0)
        #expect(try DubanBinary.run(["update", "changsha-2021", "1.3", "--unit", "芙蓉区", "--status", "推进中", "--percent", "70", "--at", "2021-11-01"], environment: env).status == 0)
        let before = try CycleCommands.json(try DubanBinary.run(["carryover", "changsha-2021", "--into", "changsha-2022", "--dry-run", "--json"], environment: env))
        let item12 = try #require(before.first { $0["from_node"] as? String == "1.2" })
        #expect(!(item12["units"] as! [String]).contains("芙蓉区"))
        let assignments = before.map { ($0["units"] as! [String]).count }.reduce(0, +)
        #expect(assignments == 184 - 1)

        let progress = { () throws -> Int in
            let r = try DubanBinary.run(["progress", "changsha-2022", "--json", "--as-of", "2022-03-31"], environment: env)
            let totals = try #require((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["totals"] as? [String: Any])
            return totals["assignments"] as! Int
        }
        let was = try progress()
        let carried = try DubanBinary.run(["carryover", "changsha-2021", "--into", "changsha-2022"], environment: env)
        #expect(carried.status == 0, "\(carried.stderr)")
        #expect(try DubanBinary.run(["check"], environment: env).status == 0)
        #expect(try progress() == was + assignments)
        // The carried item continues its old history, and takes new records in the new plan.
        let file = try String(contentsOfFile: plans + "/changsha-2022.yaml", encoding: .utf8)
        #expect(file.contains("回头看：2021年未完成任务") && file.contains("carried_from: changsha-2021/1.3"))
        let tree = try DubanBinary.run(["tree", "changsha-2022", "--json"], environment: env)
        #expect(tree.stdout.contains("做好高标准市场规则标准和监管"))
        let node = try #require(before.first { $0["from_node"] as? String == "1.3" }?["node"] as? String)
        #expect(try DubanBinary.run(["update", "changsha-2022", node, "--unit", "芙蓉区", "--status", "推进中", "--percent", "90", "--at", "2022-03-01"],
                                    environment: env).status == 0)
        let log = try CycleCommands.json(try DubanBinary.run(["log", "changsha-2022", node, "--unit", "芙蓉区", "--json"], environment: env))
        #expect(log.map { $0["plan"] as? String } == ["changsha-2021", "changsha-2022"])
        // Only once.
        let again = try DubanBinary.run(["carryover", "changsha-2021", "--into", "changsha-2022"], environment: env)
        #expect(again.status == 2 && again.stderr.contains("已有从 changsha-2021 转入"), "\(again.stderr)")
    }
}
