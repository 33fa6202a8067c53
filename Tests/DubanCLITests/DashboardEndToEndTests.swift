import DubanTestSupport
import Foundation
import Testing

/// The dashboard driven the way a clerk uses it: in a real terminal (tmux), by keys, read off the screen.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DashboardInTmux {
    static var tmuxAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    final class Session {
        let name = "duban-\(UUID().uuidString.prefix(8))"
        /// A private tmux server per session: the clerk's own tmux (if any) is left alone.
        static let socket = NSTemporaryDirectory() + "duban-tmux-\(getpid())"

        /// `account`: run the dashboard as that OS account (runuser), as a user logging in over SSH would.
        init(width: Int, height: Int, command: [String], environment: [String: String], account: String? = nil) throws {
            var env = ["LANG": "C.UTF-8", "TERM": "xterm-256color", "DUBAN_PLANS": DubanBinary.bundledPlans]
            env.merge(environment) { $1 }
            let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let switchUser = account.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []
            let shell = (switchUser + ["env"] + assignments + [DubanBinary.path] + command).map { "'\($0)'" }.joined(separator: " ")
            try Self.tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", shell + "; sleep 5"], output: false)
        }

        deinit { _ = try? Session.tmux(["kill-session", "-t", name], output: false) }

        func keys(_ keys: String...) throws {
            try Self.tmux(["send-keys", "-t", name] + keys, output: false)
            usleep(150_000)
        }

        /// Literal text, as an IME would deliver it.
        func type(_ text: String) throws {
            try Self.tmux(["send-keys", "-t", name, "-l", text], output: false)
            usleep(150_000)
        }

        func screen() throws -> String { try Self.tmux(["capture-pane", "-p", "-t", name]) }

        /// Waits (up to `seconds`) until the screen contains `text`; returns the screen.
        @discardableResult
        func wait(for text: String, seconds: Double = 8) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if last.contains(text) { return last }
                usleep(100_000)
            }
            Issue.record("screen never showed “\(text)”:\n\(last)")
            return last
        }

        func resize(width: Int, height: Int) throws {
            try Self.tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"], output: false)
            usleep(300_000)
        }

        /// Runs a tmux command. Only commands that print (capture-pane) get a pipe: a command that starts
        /// the tmux server would hand the pipe to the server, which never closes it.
        @discardableResult
        static func tmux(_ arguments: [String], output: Bool = true) throws -> String {
            try ChildProcess.run("/usr/bin/tmux", ["-S", socket] + arguments, output: output ? .captured : .discarded).stdout
        }
    }

    @Test(.enabled(if: tmuxAvailable)) func aClerkRecordsAnUpdateThroughTheForm() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        #expect(try DubanBinary.run(["demo"], environment: ["DUBAN_DB": db]).status == 0)
        let session = try Session(width: 80, height: 24, command: ["--plan", "changsha-2021"], environment: ["DUBAN_DB": db])
        try session.wait(for: "1 总览")
        try session.keys("Down", "Down", "Enter")
        let unitScreen = try session.wait(for: "u 选单位")
        let district = try #require(unitScreen.split(separator: "\n").dropFirst(2).first?.split(separator: "（").first.map(String.init))
        // Resize while the session is running: the screen is redrawn for the new size.
        try session.resize(width: 100, height: 30)
        let wide = try session.wait(for: "u 选单位")
        // The demo year is over: the plan opens at its last recorded day, and says so.
        #expect(wide.split(separator: "\n").first.map { $0.contains("年度已结束") } == true, "\(wide)")
        try session.resize(width: 80, height: 24)
        try session.keys("e")
        try session.wait(for: "登记进展")
        try session.keys("Left", "Tab", "BSpace", "BSpace", "BSpace")
        try session.type("60")
        try session.keys("Tab", "Tab")                      // 登记日期 stays today
        // The note and evidence start from the last record's: cleared with Ctrl-U, as a clerk replacing them would.
        try session.keys("C-u")
        try session.type("已建立工作台账，正在逐项核对")
        try session.keys("BSpace")
        try session.keys("Tab", "C-u")
        try session.type("https://www.changsha.gov.cn/zfxxgk/t1.html")
        try session.keys("Enter")
        try session.wait(for: "已保存")
        try session.keys("q")
        usleep(300_000)
        let log = try DubanBinary.run(["log", "changsha-2021", "--unit", district, "--json"], environment: ["DUBAN_DB": db])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        let saved = try #require(rows.last)
        #expect(saved["note"] as? String == "已建立工作台账，正在逐项核")  // the last character was backspaced
        #expect(saved["percent"] as? Int == 60)
        #expect(saved["evidence"] as? String == "https://www.changsha.gov.cn/zfxxgk/t1.html")
    }

    @Test(.enabled(if: tmuxAvailable)) func theLeaderSummaryEditsNothingAndRefreshesItself() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        #expect(try DubanBinary.run(["demo"], environment: ["DUBAN_DB": db]).status == 0)
        let before = try eventIDs(db: db, plan: "changsha-2021")
        let session = try Session(width: 80, height: 24, command: ["summary", "changsha-2021"], environment: ["DUBAN_DB": db])
        let first = try session.wait(for: "各区县（市）按得分排名")
        #expect(first.contains("只读"))
        // Every key a clerk would use to edit: nothing opens, nothing is written.
        for key in ["e", "D", "4", "Down", "e", "Enter", "e", "5", "e"] { try session.keys(key) }
        let after = try session.screen()
        #expect(!after.contains("登记进展："))
        #expect(try eventIDs(db: db, plan: "changsha-2021") == before)
        // Another account writes: the leader's screen follows within two seconds, without a key press.
        try session.keys("6")
        let done = try #require(first.split(separator: "\n").first { $0.contains("完成率（") })
        // Suspending an assignment takes it out of the count: the completion line must change (a new 已完成 would not
        // move it, the plan being under review until the office signs it off).
        #expect(try DubanBinary.run(["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "暂缓", "--note", "经领导小组同意暂缓"],
                                    environment: ["DUBAN_DB": db]).status == 0)
        usleep(2_200_000)
        let refreshed = try session.screen()
        #expect(!refreshed.contains(String(done)), "the figures changed on screen")
        try session.keys("q")
    }

    @Test(.enabled(if: tmuxAvailable), arguments: ["xterm-256color", "xterm", "screen", "tmux-256color", "linux", "vt100"])
    func terminalTypes(term: String) throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        #expect(try DubanBinary.run(["demo"], environment: ["DUBAN_DB": db]).status == 0)
        let session = try Session(width: 80, height: 24, command: ["--plan", "zhuzhou-2020"], environment: ["DUBAN_DB": db, "TERM": term])
        let screen = try session.wait(for: "株洲市2020年政务公开工作要点")
        #expect(screen.contains("荷塘区") || screen.contains("醴陵市"))
        try session.keys("2")
        try session.wait(for: "任务树")
        try session.keys("q")
    }

    /// An SSH connection that drops (the terminal hangs up) ends the dashboard, and so does SIGTERM:
    /// no dashboard runs on with nobody to read it.
    /// The new-city path ends on the clerk's screen: a 湘潭 document, imported into a fresh Plans/, opens on the
    /// dashboard with 湘潭's districts ranked, names that fit an 80-column row.
    @Test(.enabled(if: tmuxAvailable)) func anImportedXiangtanPlanShowsItsDistricts() throws {
        let scratch = try ScratchDirectory()
        let plans = scratch.path + "/Plans"
        try FileManager.default.createDirectory(atPath: plans, withIntermediateDirectories: true)
        for sub in ["units", "calendar"] {
            try FileManager.default.copyItem(atPath: DubanBinary.bundledPlans + "/" + sub, toPath: plans + "/" + sub)
        }
        let document = DubanBinary.repositoryRoot.appendingPathComponent("Tests/DubanPlansTests/Fixtures/corpus/hn-01-xiangtan-2022.txt").path
        let imported = try DubanBinary.run(["import", document, "-o", plans + "/xiangtan-2022.yaml", "--plans", plans])
        #expect(imported.status == 3, "\(imported.stderr)")
        let session = try Session(width: 80, height: 24, command: ["--plan", "xiangtan-2022"],
                                  environment: ["DUBAN_DB": scratch.path + "/d.sqlite", "DUBAN_PLANS": plans])
        let screen = try session.wait(for: "湘潭市2022年政务公开工作要点")
        for district in ["雨湖区", "岳塘区", "湘潭县", "湘乡市", "韶山市", "湘潭高新区"] { #expect(screen.contains(district), "\(district)\n\(screen)") }
        try session.keys("q")
    }

    @Test(.enabled(if: tmuxAvailable)) func aHangUpOrSIGTERMEndsTheDashboard() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/hangup-\(UUID().uuidString.prefix(6)).sqlite"
        func running() -> Bool {
            (try? ChildProcess.run("/usr/bin/pgrep", ["-f", "duban --db " + db]))?.status == 0
        }
        var session: Session? = try Session(width: 80, height: 24, command: ["--db", db, "--plan", "zhuzhou-2020"], environment: [:])
        try session!.wait(for: "株洲市2020年政务公开工作要点")
        #expect(running())
        session = nil   // kill-session: the pane's terminal hangs up
        usleep(1_500_000)
        #expect(!running(), "the dashboard outlived its terminal")

        let second = try Session(width: 80, height: 24, command: ["--db", db, "--plan", "zhuzhou-2020"], environment: [:])
        try second.wait(for: "株洲市2020年政务公开工作要点")
        try ChildProcess.run("/usr/bin/pkill", ["-TERM", "-f", "duban --db \(db)"])
        usleep(1_500_000)
        let listing = try ChildProcess.run("/usr/bin/pgrep", ["-af", db]).stdout
        #expect(!running(), "SIGTERM did not end the dashboard: \(listing)")
    }

    @Test func withoutATerminalTheDashboardSaysWhatToUse() throws {
        let scratch = try ScratchDirectory()
        let result = try DubanBinary.run(["summary"], environment: ["DUBAN_DB": scratch.path + "/d.sqlite"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--once"))
        let once = try DubanBinary.run(["summary", "changsha-2021", "--once"], environment: ["DUBAN_DB": scratch.path + "/d.sqlite"])
        #expect(once.status == 0)
        #expect(once.stdout.contains("各区县（市）按得分排名"))
        #expect(!once.stdout.contains("\u{1B}"))
        // Printed, not a screen: no key names (tabs, "t 返回", the footer), even for a day that is not today.
        let earlier = try DubanBinary.run(["summary", "changsha-2021", "--once", "--as-of", "2021-09-30"], environment: ["DUBAN_DB": scratch.path + "/d.sqlite"])
        for hint in ["1 总览", "t 返回", "t 今天", "q 退出", "换月"] {
            #expect(!once.stdout.contains(hint) && !earlier.stdout.contains(hint), "\(hint):\n\(earlier.stdout)")
        }
        #expect(earlier.stdout.contains("截至 2021-09-30，非今天"), "\(earlier.stdout)")
        let colored = try DubanBinary.run(["summary", "changsha-2021", "--once", "--color"], environment: ["DUBAN_DB": scratch.path + "/d.sqlite"])
        #expect(colored.stdout.contains("\u{1B}["))
    }
}
