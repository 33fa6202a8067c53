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
