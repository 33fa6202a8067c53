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
