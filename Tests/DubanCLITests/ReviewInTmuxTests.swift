import Foundation
import Testing

/// The office signs off and returns claims from the dashboard's 审核 screen, in a real terminal.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ReviewInTmux {
    typealias Session = DashboardInTmux.Session

    @Test(.enabled(if: DashboardInTmux.tmuxAvailable)) func theOfficeApprovesAndReturnsFromTheQueue() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let env = ["DUBAN_DB": db]
        for unit in ["芙蓉区", "天心区"] {
            let claim = try DubanBinary.run(["update", "changsha-2021", "1.2", "--unit", unit, "--status", "已完成", "--at", "2021-11-10",
                                             "--note", "\(unit)已开设专栏", "--evidence", "https://example.gov.cn/\(unit)"], environment: env)
            #expect(claim.status == 0, "\(claim.stderr)")
        }
        let session = try Session(width: 80, height: 24, command: ["--plan", "changsha-2021"], environment: env)
        try session.wait(for: "总览")
        try session.keys("7")
        let queue = try session.wait(for: "待审核 2 项")
        #expect(queue.contains("芙蓉区") && queue.contains("申报说明："), "\(queue)")
        try session.keys("a")
        try session.wait(for: "办结销号？")
        try session.keys("y")
        try session.wait(for: "待审核 1 项")
        try session.keys("r")
        try session.wait(for: "退回理由")
        try session.type("佐证链接打不开")
        try session.keys("Enter")
        try session.wait(for: "没有待审核的申报")
        try session.keys("q")
        usleep(300_000)
        let log = try DubanBinary.run(["log", "changsha-2021", "1.2", "--json"], environment: env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        let steps = rows.filter { $0["kind"] as? String != "update" }
        #expect(steps.count == 2, "\(rows)")
        #expect(steps.contains { $0["kind"] as? String == "approve" })
        #expect(steps.contains { $0["kind"] as? String == "return" && $0["note"] as? String == "佐证链接打不开" })
    }
}
