import Foundation
import Testing

/// Demo data is never taken for real records: documents say so, it can be removed, and removing it leaves every
/// real record and an intact audit (issue 13, item 7).
@Suite struct DemoData {
    @Test func documentsSayTheyCountDemoDataAndItCanBeRemoved() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        let real = try DubanBinary.run(["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "推进中", "--percent", "30",
                                        "--note", "真实记录"], environment: env)
        #expect(real.status == 0, "\(real.stderr)")
        let plain = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--format", "txt", "-o", "-"], environment: env)
        #expect(plain.status == 0 && !plain.stdout.contains("演示数据"))

        #expect(try DubanBinary.run(["demo"], environment: env).status == 0)
        let bulletin = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--format", "txt", "-o", "-", "--as-of", "2021-12-31"],
                                           environment: env)
        #expect(bulletin.stdout.hasPrefix("【演示数据】"), "\(bulletin.stdout.prefix(200))")
        let ledger = try DubanBinary.run(["export", "ledger", "changsha-2021", "--format", "csv", "-o", "-", "--as-of", "2021-12-31"],
                                         environment: env)
        #expect(ledger.stdout.contains("（演示）"), "\(ledger.stdout.prefix(300))")

        let removed = try DubanBinary.run(["demo", "--remove"], environment: env)
        #expect(removed.status == 0 && removed.stdout.contains("已删除演示数据"), "\(removed.stdout)\(removed.stderr)")
        let log = try DubanBinary.run(["log", "changsha-2021", "--json"], environment: env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows.first?["note"] as? String == "真实记录", "\(log.stdout)")
        let after = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--format", "txt", "-o", "-"], environment: env)
        #expect(!after.stdout.contains("演示数据"))
        #expect(try DubanBinary.run(["audit", "verify"], environment: env).status == 0)
    }
}

/// The bulletin's headline (issue 14, item 1): 平均进度 against 时间进度, recomputed here from `progress --json` for each
/// bundled plan at three dates and found in the text; the completion rate is stated by its own name.
@Suite struct BulletinHeadline {
    @Test(arguments: ["changsha-2018", "zhuzhou-2020", "changsha-2021", "changsha-2022"])
    func theGapIsAverageProgressAgainstTime(plan: String) throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        #expect(try DubanBinary.run(["demo"], environment: env).status == 0)
        let year = Int(plan.suffix(4))!
        for asOf in ["\(year)-06-30", "\(year)-09-30", "\(year + 1)-01-31"] {
            let progress = try DubanBinary.run(["progress", plan, "--as-of", asOf, "--json"], environment: env)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(progress.stdout.utf8)) as? [String: Any])
            let totals = try #require(object["totals"] as? [String: Int])
            let inScope = Double(totals["assignments"]! - totals["suspended"]!)
            let mean = Double(totals["percent_sum"]!) / inScope
            let elapsed = (object["time_elapsed"] as! Double) * 100
            let bulletin = try DubanBinary.run(["export", "bulletin", plan, "--as-of", asOf, "--format", "txt", "-o", "-"], environment: env)
            let text = bulletin.stdout
            #expect(text.contains("平均进度\(String(format: "%.1f", mean))%"), "\(plan) \(asOf)")
            if elapsed - mean >= 0.05 {
                #expect(text.contains("平均进度落后于时间进度\(String(format: "%.1f", elapsed - mean))个百分点"), "\(plan) \(asOf):\n\(text.prefix(600))")
            } else {
                #expect(text.contains("平均进度不落后于时间进度"), "\(plan) \(asOf)")
            }
            #expect(text.contains("进度滞后\(totals["lagging"]!)项"), "\(plan) \(asOf)")
        }
    }
}

/// Words that know the city and the date (issue 14, item 3): each city's own name for its districts, the period, and
/// no "时间过半" once the year is over.
@Suite struct BulletinWording {
    @Test func theCityAndTheDateChooseTheWords() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        #expect(try DubanBinary.run(["demo"], environment: env).status == 0)
        func bulletin(_ plan: String, _ asOf: String) throws -> String {
            try DubanBinary.run(["export", "bulletin", plan, "--as-of", asOf, "--format", "txt", "-o", "-"], environment: env).stdout
        }
        let zhuzhou = try bulletin("zhuzhou-2020", "2021-01-31")
        #expect(zhuzhou.contains("各县市区排名如下") && !zhuzhou.contains("区县（市）"), "\(zhuzhou.prefix(800))")
        #expect(zhuzhou.contains("对全年（截至2021年1月31日）") && !zhuzhou.contains("时间过半"))
        let changsha = try bulletin("changsha-2021", "2021-09-30")
        #expect(changsha.contains("各区县（市）排名如下") && changsha.contains("对前三季度（截至2021年9月30日）"))
        #expect(changsha.contains("确保“时间过半、任务过半”"))
        let spring = try bulletin("changsha-2021", "2021-03-31")
        #expect(spring.contains("对一季度") && !spring.contains("时间过半"))
    }
}
