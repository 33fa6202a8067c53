import Foundation
import Testing

/// One database shared by several real OS accounts, as on the office server: the access file decides who
/// may do what, and every refusal is in `duban audit log`.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SharedServer {
    static let group = "dubantest"
    static let staff = "dubantest-staff"     // the 芙蓉区 liaison
    static let leader = "dubantest-leader"
    static let stranger = "dubantest-other"  // in the group, not in the access file

    /// Needs root, useradd and runuser: creates the accounts once (they are left for the next run).
    static let accountsReady: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd"),
              FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else { return false }
        _ = shell("/usr/sbin/groupadd", ["-f", group])
        for account: String in [staff, leader, stranger] where getpwnam(account) == nil {
            _ = shell("/usr/sbin/useradd", ["-M", "-N", "-g", group, "-s", "/bin/sh", account])
        }
        return ([staff, leader, stranger] as [String]).allSatisfy { getpwnam($0) != nil }
    }()

    @discardableResult
    static func shell(_ tool: String, _ arguments: [String]) -> Int32 {
        (try? DubanBinary.capture(tool, arguments, environment: ProcessInfo.processInfo.environment))?.status ?? -1
    }

    /// A server layout: /tmp/…/access.yaml (root, 0644) and a setgid database directory the group can write.
    final class Server {
        let root = "/tmp/duban-shared-" + UUID().uuidString.prefix(8)
        var access: String { root + "/access.yaml" }
        var db: String { root + "/db/duban.sqlite" }

        init() throws {
            try FileManager.default.createDirectory(atPath: root + "/db", withIntermediateDirectories: true)
            chmod(root, 0o755)
            SharedServer.shell("/bin/chgrp", [SharedServer.group, root + "/db"])
            chmod(root + "/db", 0o2770)
            try """
                accounts:
                  root: { role: admin }
                  \(SharedServer.staff): { role: staff, units: [芙蓉区] }
                  \(SharedServer.leader): { role: leader }
                """.write(toFile: access, atomically: true, encoding: .utf8)
            chmod(access, 0o644)
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        /// Runs duban as an account; the environment carries only what a login would.
        func run(as account: String, _ arguments: [String], accessFile: String? = nil) throws -> DubanBinary.Result {
            try DubanBinary.capture("/usr/sbin/runuser", ["-u", account, "--", "/usr/bin/env", "-i", "LANG=C.UTF-8", "HOME=/tmp",
                                    "DUBAN_DB=\(db)", "DUBAN_PLANS=\(DubanBinary.bundledPlans)", "DUBAN_ACCESS=\(accessFile ?? access)",
                                    "SSH_CONNECTION=10.0.0.7 50022 10.0.0.1 22", DubanBinary.path] + arguments, environment: [:])
        }
    }

    static let update = ["update", "changsha-2021", "1.2", "--status", "推进中", "--percent", "40", "--note", "已开设专栏"]

    @Test(.enabled(if: accountsReady)) func aLiaisonUpdatesItsDistrictOnlyAndALeaderNothing() throws {
        let server = try Server()
        // The administrator starts the database: it is created for the group (0660).
        #expect(try server.run(as: "root", Self.update + ["--unit", "天心区"]).status == 0)
        var info = stat()
        stat(server.db, &info)
        #expect(info.st_mode & 0o777 == 0o660)

        let own = try server.run(as: Self.staff, Self.update + ["--unit", "芙蓉区"])
        #expect(own.status == 0, "\(own.stderr)")
        let other = try server.run(as: Self.staff, Self.update + ["--unit", "天心区"])
        #expect(other.status == 4 && other.stderr.contains("只能登记本单位"), "\(other.stderr)")
        // Pointing the tool at another access file (or none) changes nothing: the database keeps its own.
        let dodge = try server.run(as: Self.staff, Self.update + ["--unit", "天心区"], accessFile: "/nonexistent")
        #expect(dodge.status == 4, "\(dodge.stderr)")

        for attempt in [Self.update + ["--unit", "芙蓉区"], ["demo"], ["access", "grant", Self.leader, "--role", "admin"],
                        ["import", DubanBinary.repositoryRoot.path + "/Tests/Seeds/000_cceafcc75b2966bb.txt", "-o", "/tmp/x.yaml"]] {
            let result = try server.run(as: Self.leader, attempt)
            #expect(result.status == 4 && result.stderr.contains("领导账号只能查看"), "\(attempt): \(result.stderr)")
        }
        let look = try server.run(as: Self.leader, ["progress", "changsha-2021"])
        #expect(look.status == 0, "leaders read: \(look.stderr)")
        let stranger = try server.run(as: Self.stranger, ["progress", "changsha-2021"])
        #expect(stranger.status == 4 && stranger.stderr.contains("不在访问控制名单"), "\(stranger.stderr)")

        // The log names who did what; the refusals name account, address and attempt.
        let log = try server.run(as: "root", ["log", "changsha-2021"])
        #expect(log.stdout.contains(Self.staff))
        let refusals = try server.run(as: "root", ["audit", "log"])
        #expect(refusals.status == 0)
        for expected in ["\(Self.staff)", "登记进展 changsha-2021 1.2 tianxin", "\(Self.leader)", "生成演示数据", "修改访问控制", "导入计划",
                         Self.stranger, "来自 10.0.0.7"] {
            #expect(refusals.stdout.contains(expected), "audit log lacks \(expected):\n\(refusals.stdout)")
        }
        // Nobody but the admin reads the refusals.
        #expect(try server.run(as: Self.staff, ["audit", "log"]).status == 4)
        #expect(try server.run(as: "root", ["audit", "verify"]).status == 0)
    }

    @Test(.enabled(if: accountsReady)) func anAccessFileOthersCouldRewriteIsRefused() throws {
        let server = try Server()
        chmod(server.access, 0o666)
        let result = try server.run(as: Self.staff, ["progress", "changsha-2021"])
        #expect(result.status != 0 && result.stderr.contains("chmod 644"), "\(result.stderr)")
    }

    @Test(.enabled(if: accountsReady && DashboardInTmux.tmuxAvailable)) func aLeaderCannotReachAnEditFromTheDashboard() throws {
        let server = try Server()
        #expect(try server.run(as: "root", Self.update + ["--unit", "芙蓉区"]).status == 0)
        let session = try DashboardInTmux.Session(width: 80, height: 24, command: ["--plan", "changsha-2021"],
                                                  environment: ["DUBAN_DB": server.db, "DUBAN_ACCESS": server.access, "HOME": "/tmp"],
                                                  account: Self.leader)
        try session.wait(for: "只读")
        // To the unit screen, then every key that edits elsewhere.
        try session.keys("4")
        try session.wait(for: "芙蓉区")
        try session.keys("e")
        let screen = try session.wait(for: "只读")
        #expect(!screen.contains("登记进展："), "no form opens:\n\(screen)")
        try session.keys("D")
        try session.keys("q")
        usleep(300_000)
        let events = try server.run(as: "root", ["log", "changsha-2021", "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(events.stdout.utf8)) as? [Any]
        #expect(list?.count == 1, "the leader wrote nothing: \(events.stdout)")
    }

    /// A -shm left 0444 by another account is named as that, not as the database being read-only; a planted
    /// -wal symlink is refused (issue 12, item 8).
    @Test(.enabled(if: accountsReady)) func companionFilesAreNamedForWhatTheyAre() throws {
        let server = try Server()
        #expect(try server.run(as: "root", Self.update + ["--unit", "天心区"]).status == 0)
        #expect(FileManager.default.createFile(atPath: server.db + "-shm", contents: Data(count: 32768)))
        chmod(server.db + "-shm", 0o444)
        let stale = try server.run(as: Self.staff, Self.update + ["--unit", "芙蓉区"])
        #expect(stale.status != 0 && stale.stderr.contains("-shm 对当前账号不可写"), "\(stale.stderr)")
        try FileManager.default.removeItem(atPath: server.db + "-shm")
        try? FileManager.default.removeItem(atPath: server.db + "-wal")
        symlink("/tmp/duban-planted-wal", server.db + "-wal")
        let planted = try server.run(as: Self.staff, Self.update + ["--unit", "芙蓉区"])
        #expect(planted.status != 0 && planted.stderr.contains("-wal 是符号链接"), "\(planted.stderr)")
    }

    /// A leader given a read-only copy of the year's database (0444, in a directory they cannot write, as an archive
    /// or a read-only share hands it over) reads the same figures as the original; a copy whose -wal still holds
    /// records is refused, naming why, rather than read without them.
    @Test(.enabled(if: accountsReady)) func aReadOnlyCopyInAReadOnlyDirectoryIsRead() throws {
        let server = try Server()
        #expect(try server.run(as: "root", Self.update + ["--unit", "天心区"]).status == 0)
        let archive = server.root + "/archive"
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: false)
        let copy = archive + "/2021 年（归档）.sqlite"
        try FileManager.default.copyItem(atPath: server.db, toPath: copy)
        chmod(copy, 0o444)
        chmod(archive, 0o555)
        func read(_ arguments: [String]) throws -> DubanBinary.Result {
            try DubanBinary.capture("/usr/sbin/runuser", ["-u", Self.leader, "--", "/usr/bin/env", "-i", "LANG=C.UTF-8", "HOME=/tmp",
                                    "DUBAN_DB=\(copy)", "DUBAN_PLANS=\(DubanBinary.bundledPlans)", "DUBAN_ACCESS=\(server.access)",
                                    DubanBinary.path] + arguments, environment: [:])
        }
        let original = try server.run(as: Self.leader, ["progress", "changsha-2021", "--json"])
        let fromCopy = try read(["progress", "changsha-2021", "--json"])
        #expect(original.status == 0 && fromCopy.status == 0, "\(fromCopy.stderr)")
        #expect(fromCopy.stdout == original.stdout)
        #expect(try read(["log", "changsha-2021", "1.2"]).stdout.contains("已开设专栏"))
        #expect(!FileManager.default.fileExists(atPath: copy + "-shm"))
        // Records still in the copy's log: refused, with the way out.
        chmod(archive, 0o755)
        #expect(FileManager.default.createFile(atPath: copy + "-wal", contents: Data(count: 4096)))
        chmod(archive, 0o555)
        let pending = try read(["progress", "changsha-2021"])
        #expect(pending.status != 0 && pending.stderr.contains("没并入的记录"), "\(pending.stderr)")
        chmod(archive, 0o755)
    }
}
