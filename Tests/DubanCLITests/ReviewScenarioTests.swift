import Foundation
import Testing

/// The 督办 cycle with real accounts on a shared database (issue 15): the 芙蓉区 liaison claims done with evidence, the
/// leader sees it 待审核 and cannot approve, the office returns it with a reason, the liaison resubmits, the office
/// approves; then an extension asked and granted. The figures are read back from `progress --json` as of each day.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ReviewScenario {
    typealias Server = SharedServer.Server

    static func row(_ server: Server, asOf: String) throws -> [String: Any] {
        let result = try server.run(as: "root", ["progress", "changsha-2021", "--as-of", asOf, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(output["rows"] as? [[String: Any]])
        return try #require(rows.first { $0["unit"] as? String == "芙蓉区" })
    }

    static func counts(_ row: [String: Any]) -> [String: Int] {
        ["done": row["done"] as! Int, "pending": row["pending_review"] as! Int, "returned": row["returned"] as! Int]
    }

    @Test(.enabled(if: SharedServer.accountsReady)) func claimReturnResubmitApprove() throws {
        let server = try Server()
        let node = ["changsha-2021", "1.2", "--unit", "芙蓉区"]
        #expect(try server.run(as: "root", ["access", "show"]).status == 0)
        let claim = try server.run(as: SharedServer.staff, ["update"] + node + ["--status", "已完成", "--at", "2021-11-10",
                                   "--note", "已开设专栏", "--evidence", "https://www.furong.gov.cn/zwgk/1.html"])
        #expect(claim.status == 0, "\(claim.stderr)")

        // The leader sees the claim waiting, and cannot decide it.
        let queue = try server.run(as: SharedServer.leader, ["review", "changsha-2021", "--json"])
        #expect(queue.status == 0, "\(queue.stderr)")
        let waiting = try #require(try JSONSerialization.jsonObject(with: Data(queue.stdout.utf8)) as? [[String: Any]])
        #expect(waiting.count == 1 && waiting[0]["unit"] as? String == "芙蓉区" && waiting[0]["evidence"] as? String == "https://www.furong.gov.cn/zwgk/1.html")
        let leaderApproves = try server.run(as: SharedServer.leader, ["review"] + node + ["--approve"])
        #expect(leaderApproves.status == 4, "\(leaderApproves.stderr)")
        // Nor can the liaison sign off their own work.
        let staffApproves = try server.run(as: SharedServer.staff, ["review"] + node + ["--approve"])
        #expect(staffApproves.status == 4 && staffApproves.stderr.contains("管理员"), "\(staffApproves.stderr)")

        // A return needs a reason.
        #expect(try server.run(as: "root", ["review"] + node + ["--return", "--at", "2021-11-12"]).status == 2)
        let returned = try server.run(as: "root", ["review"] + node + ["--return", "--at", "2021-11-12", "--note", "佐证未体现公开内容"])
        #expect(returned.status == 0, "\(returned.stderr)")
        let again = try server.run(as: SharedServer.staff, ["update"] + node + ["--status", "已完成", "--at", "2021-11-15",
                                   "--note", "已补充截图", "--evidence", "https://www.furong.gov.cn/zwgk/2.html"])
        #expect(again.status == 0, "\(again.stderr)")
        let approved = try server.run(as: "root", ["review"] + node + ["--approve", "--at", "2021-11-16", "--json"])
        #expect(approved.status == 0, "\(approved.stderr)")

        // The figures as of each day.
        #expect(Self.counts(try Self.row(server, asOf: "2021-11-09")) == ["done": 0, "pending": 0, "returned": 0])
        #expect(Self.counts(try Self.row(server, asOf: "2021-11-11")) == ["done": 0, "pending": 1, "returned": 0])
        #expect(Self.counts(try Self.row(server, asOf: "2021-11-13")) == ["done": 0, "pending": 0, "returned": 1])
        #expect(Self.counts(try Self.row(server, asOf: "2021-11-15")) == ["done": 0, "pending": 1, "returned": 0])
        let after = try Self.row(server, asOf: "2021-11-17")
        #expect(Self.counts(after) == ["done": 1, "pending": 0, "returned": 0])
        #expect(after["done_on_time"] as? Int == 1)

        // Every step is in the log with its author; the refusals are in the audit log; the chain verifies.
        let log = try server.run(as: "root", ["log", "changsha-2021", "1.2", "--unit", "芙蓉区", "--json"])
        let steps = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        #expect(steps.map { $0["kind"] as? String } == ["update", "return", "update", "approve"])
        #expect(steps.map { $0["author"] as? String } == [SharedServer.staff, "root", SharedServer.staff, "root"])
        #expect(steps.allSatisfy { $0["reopened"] as? Bool == false })
        let refusals = try server.run(as: "root", ["audit", "log"])
        #expect(refusals.stdout.contains(SharedServer.leader) && refusals.stdout.contains(SharedServer.staff), "\(refusals.stdout)")
        #expect(try server.run(as: "root", ["audit", "verify"]).status == 0)

        // The office reopens the signed-off work: the log says which record reopened it, and only that one.
        let reopen = try server.run(as: "root", ["update"] + node + ["--status", "推进中", "--percent", "80", "--at", "2021-11-20",
                                    "--note", "复查发现专栏已撤下", "--reopen"])
        #expect(reopen.status == 0, "\(reopen.stderr)")
        #expect(try server.run(as: SharedServer.staff, ["update"] + node + ["--status", "推进中", "--percent", "90", "--at", "2021-11-22"]).status == 0)
        let reopened = try server.run(as: "root", ["log", "changsha-2021", "1.2", "--unit", "芙蓉区", "--json"])
        let marks = try #require(try JSONSerialization.jsonObject(with: Data(reopened.stdout.utf8)) as? [[String: Any]]).map { $0["reopened"] as? Bool }
        #expect(marks == [false, false, false, false, true, false])
        let text = try server.run(as: "root", ["log", "changsha-2021", "1.2", "--unit", "芙蓉区"]).stdout
        #expect(text.components(separatedBy: "重新打开已办结的任务").count == 2 && text.contains("［重新打开已办结的任务］复查发现专栏已撤下"), "\(text)")
    }

    @Test(.enabled(if: SharedServer.accountsReady)) func anExtensionIsAskedByTheUnitAndDecidedByTheOffice() throws {
        let server = try Server()
        let node = ["changsha-2021", "1.2", "--unit", "芙蓉区"]
        #expect(try server.run(as: "root", ["access", "show"]).status == 0)
        #expect(try server.run(as: SharedServer.staff, ["update"] + node + ["--status", "推进中", "--percent", "60", "--at", "2021-12-01"]).status == 0)
        let ask = try server.run(as: SharedServer.staff, ["extend"] + node + ["--to", "2022-02-28", "--reason", "等待省平台改版", "--at", "2021-12-10"])
        #expect(ask.status == 0, "\(ask.stderr)")
        let asked = try server.run(as: "root", ["extend", "changsha-2021"]).stdout
        #expect(asked.contains("待审批：申请延至 2022-02-28"), "\(asked)")
        // Another unit's work, and the decision itself, are not the liaison's.
        #expect(try server.run(as: SharedServer.staff, ["extend", "changsha-2021", "1.2", "--unit", "天心区", "--to", "2022-02-28",
                                                          "--reason", "x", "--at", "2021-12-10"]).status == 4)
        #expect(try server.run(as: SharedServer.staff, ["extend"] + node + ["--approve"]).status == 4)
        let grant = try server.run(as: "root", ["extend"] + node + ["--approve", "--to", "2022-01-31", "--at", "2021-12-12"])
        #expect(grant.status == 0, "\(grant.stderr)")
        // Overdue on 2022-01-05 by the plan's deadline; not by the granted one, which the listing shows beside the original.
        let january = try Self.row(server, asOf: "2022-01-05")
        #expect(january["overdue"] as? Int == 17 && january["extended"] as? Int == 1, "\(january)")
        #expect(try server.run(as: "root", ["extend", "changsha-2021"]).stdout.contains("已批准延期"))
        let list = try server.run(as: "root", ["extend", "changsha-2021", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["original_deadline"] as? String == "2021-12-31" && rows[0]["deadline"] as? String == "2022-01-31")
    }
}
