import Foundation
import Testing

/// duban installed setuid to a service account, as scripts/setup-shared-server.sh does (issue 12, items 1 and 2):
/// the database is the service account's alone, clerks reach it only through duban, and neither their environment
/// nor their options can move the database, the plans or the access file.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ServiceAccount {
    static let service = "dubantest-svc"
    static let configPath = "/etc/duban/server.yaml"

    /// Real accounts, and no real server configuration on this machine to disturb.
    static let ready: Bool = {
        guard SharedServer.accountsReady, !FileManager.default.fileExists(atPath: configPath) else { return false }
        if getpwnam(service) == nil {
            SharedServer.shell("/usr/sbin/useradd", ["--system", "-M", "-N", "-g", "nogroup", "-s", "/usr/sbin/nologin", service])
        }
        return getpwnam(service) != nil
    }()

    /// The installed layout in a scratch directory, with /etc/duban/server.yaml pointing at it (removed afterwards).
    final class Installation {
        let root = "/var/tmp/duban-svc-" + UUID().uuidString.prefix(8)
        var binary: String { root + "/bin/duban" }
        /// Root's own command: a root-owned copy, never the setuid one the service account owns.
        var adminBinary: String { root + "/sbin/duban" }
        var data: String { root + "/data" }
        var db: String { data + "/duban.sqlite" }
        var access: String { root + "/access.yaml" }
        var createdEtc = false
        var setup = DubanBinary.Result(status: -1, stdout: "", stderr: "")

        /// Installs with the real setup script, into scratch locations.
        init() throws {
            let fm = FileManager.default
            try fm.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
            chmod(root, 0o755)
            chmod(root + "/bin", 0o755)
            try fm.copyItem(atPath: DubanBinary.path, toPath: binary)
            try """
                accounts:
                  \(SharedServer.staff): { role: staff, units: [芙蓉区] }
                  \(SharedServer.leader): { role: leader }
                """.write(toFile: access, atomically: true, encoding: .utf8)
            createdEtc = !fm.fileExists(atPath: "/etc/duban")
            let script = DubanBinary.repositoryRoot.appendingPathComponent("scripts/setup-shared-server.sh").path
            setup = try DubanBinary.capture("/bin/sh", [script, SharedServer.leader], environment: [
                "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "DUBAN_BIN": binary, "DUBAN_ADMIN_BIN": adminBinary, "DUBAN_ADMIN_LIB": root + "/lib", "DUBAN_DATA": data,
                "DUBAN_PLANS_SOURCE": DubanBinary.bundledPlans, "DUBAN_SERVICE": ServiceAccount.service,
                "DUBAN_LOG_DIR": root + "/log", "DUBAN_CRON": root + "/cron", "DUBAN_ACCESS_FILE": access,
            ])
        }

        deinit {
            try? FileManager.default.removeItem(atPath: ServiceAccount.configPath)
            if createdEtc { try? FileManager.default.removeItem(atPath: "/etc/duban") }
            try? FileManager.default.removeItem(atPath: root)
        }

        /// As an account, with whatever environment it likes: a hostile clerk sets DUBAN_* to its own files.
        func run(as account: String, _ arguments: [String], environment: [String] = []) throws -> DubanBinary.Result {
            try DubanBinary.capture("/usr/sbin/runuser", ["-u", account, "--", "/usr/bin/env", "-i", "LANG=C.UTF-8", "HOME=/tmp"]
                                    + environment + [account == "root" ? adminBinary : binary] + arguments, environment: [:])
        }

        func shell(as account: String, _ tool: String, _ arguments: [String]) throws -> DubanBinary.Result {
            try DubanBinary.capture("/usr/sbin/runuser", ["-u", account, "--", tool] + arguments, environment: [:])
        }
    }

    static let update = ["update", "changsha-2021", "1.2", "--unit", "芙蓉区", "--status", "推进中", "--percent", "40", "--note", "已开设专栏"]

    @Test(.enabled(if: ready)) func clerksReachTheDatabaseOnlyThroughDuban() throws {
        let install = try Installation()
        // The script bound the database, wrote the first audit head, and ends with root shown as the administrator.
        #expect(install.setup.status == 0 && install.setup.stdout.contains("角色：管理员"), "\(install.setup.stdout)\(install.setup.stderr)")
        var info = stat()
        #expect(stat(install.db, &info) == 0 && info.st_uid == getpwnam(Self.service)!.pointee.pw_uid && info.st_mode & 0o077 == 0)
        #expect(stat(install.binary, &info) == 0 && info.st_mode & 0o4000 != 0)
        #expect(stat(install.root + "/log/audit-heads", &info) == 0 && info.st_uid == 0)
        // What root runs (the cron job, sudo duban) is root's own copy: neither it nor its wrapper is the service account's.
        for path in [install.adminBinary, install.root + "/lib/duban"] {
            #expect(stat(path, &info) == 0 && info.st_uid == 0 && info.st_mode & 0o6022 == 0, "\(path)")
        }
        let cron = try String(contentsOfFile: install.root + "/cron", encoding: .utf8)
        #expect(cron.contains(install.adminBinary + " audit verify") && !cron.contains(install.binary + " "), "\(cron)")
        let config = try String(contentsOfFile: Self.configPath, encoding: .utf8)
        #expect(config.contains("database: \(install.db)"))

        // The liaison's own access file and database in the environment change nothing.
        let mine = "/tmp/duban-mine-\(UUID().uuidString.prefix(6)).yaml"
        try "accounts:\n  \(SharedServer.staff): { role: admin }\n".write(toFile: mine, atomically: true, encoding: .utf8)
        chown(mine, getpwnam(SharedServer.staff)!.pointee.pw_uid, 0)
        defer { try? FileManager.default.removeItem(atPath: mine) }
        let hostile = ["DUBAN_DB=/tmp/duban-elsewhere.sqlite", "DUBAN_ACCESS=\(mine)", "DUBAN_PLANS=/tmp", "TZ=Pacific/Kiritimati"]
        let saved = try install.run(as: SharedServer.staff, Self.update, environment: hostile)
        #expect(saved.status == 0, "\(saved.stderr)")
        let show = try install.run(as: SharedServer.staff, ["access", "show"], environment: hostile)
        #expect(show.stdout.contains("填报员") && !show.stdout.contains("管理员"), "\(show.stdout)\(show.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/duban-elsewhere.sqlite"))
        let moved = try install.run(as: SharedServer.staff, ["progress", "changsha-2021", "--db", "/tmp/duban-elsewhere.sqlite"])
        #expect(moved.status != 0 && moved.stderr.contains("server.yaml"), "\(moved.stderr)")
        let grant = try install.run(as: SharedServer.staff, ["access", "grant", SharedServer.stranger, "--role", "admin"], environment: hostile)
        #expect(grant.status == 4, "\(grant.stderr)")
        // A path that only looks like the fixed one (`..`, a symbolic link) is refused too, not followed somewhere else.
        for (option, path) in [("--db", install.data + "/../data/duban.sqlite"), ("--plans", "/tmp/../" + DubanBinary.bundledPlans)] {
            let sidestep = try install.run(as: SharedServer.staff, ["progress", "changsha-2021", option, path])
            #expect(sidestep.status != 0 && sidestep.stderr.contains("server.yaml"), "\(option) \(path): \(sidestep.stderr)")
        }

        // A batch file is the clerk's own (read with its rights); the lines are then written with the service account's,
        // and a line for a district the clerk does not hold is refused and recorded.
        let batch = "/tmp/duban-batch-\(UUID().uuidString.prefix(6)).jsonl"
        try """
            {"node":"1.2","unit":"芙蓉区","status":"推进中","percent":45}
            {"node":"1.2","unit":"天心区","status":"推进中","percent":45}
            """.write(toFile: batch, atomically: true, encoding: .utf8)
        chown(batch, getpwnam(SharedServer.staff)!.pointee.pw_uid, 0)
        chmod(batch, 0o600)
        defer { try? FileManager.default.removeItem(atPath: batch) }
        let batched = try install.run(as: SharedServer.staff, ["update", "changsha-2021", "--batch", batch])
        // Line 1 saved (the service rights came back after the file was read), line 2 refused and recorded.
        #expect(batched.status == 4 && batched.stdout.hasPrefix("#") && batched.stderr.contains(":2: 未获允许")
                && batched.stderr.contains("已记录"), "\(batched.stdout)\(batched.stderr)")
        let refusals = try install.run(as: "root", ["audit", "log"])
        #expect(refusals.stdout.contains("tianxin") && refusals.stdout.contains(SharedServer.staff), "\(refusals.stdout)\(refusals.stderr)")

        // Neither sqlite3 nor a plain read or write reaches the file.
        for sql in ["INSERT INTO setting VALUES ('x', 'y')", "SELECT count(*) FROM event"] {
            let direct = try install.shell(as: SharedServer.staff, "/usr/bin/sqlite3", [install.db, sql])
            #expect(direct.status != 0, "sqlite3 as a clerk: \(direct.stdout)")
        }
        #expect(try install.shell(as: SharedServer.staff, "/bin/cat", [install.db]).status != 0)
        // An export aimed at the database is written with the clerk's own rights: refused, the database intact.
        let overwrite = try install.run(as: SharedServer.staff, ["export", "ledger", "changsha-2021", "-o", install.db, "--force"])
        #expect(overwrite.status != 0, "\(overwrite.stderr)")
        let exported = "/tmp/duban-export-\(UUID().uuidString.prefix(6)).csv"
        defer { try? FileManager.default.removeItem(atPath: exported) }
        let ok = try install.run(as: SharedServer.staff, ["export", "ledger", "changsha-2021", "--format", "csv", "-o", exported])
        #expect(ok.status == 0 && stat(exported, &info) == 0 && info.st_uid == getpwnam(SharedServer.staff)!.pointee.pw_uid, "\(ok.stderr)")

        // The update is there, signed by the liaison; a leader reads but cannot write.
        let log = try install.run(as: SharedServer.leader, ["log", "changsha-2021", "1.2", "--json"])
        #expect(log.status == 0 && log.stdout.contains("\"author\" : \"\(SharedServer.staff)\""), "\(log.stdout)\(log.stderr)")
        #expect(try install.run(as: SharedServer.leader, Self.update).status == 4)

        // Root's admin tasks: a grant into the root-owned access file, and the audit cron job's head log.
        let rootGrant = try install.run(as: "root", ["access", "grant", SharedServer.stranger, "--role", "staff", "--unit", "天心区"])
        #expect(rootGrant.status == 0, "\(rootGrant.stderr)")
        let other = try install.run(as: SharedServer.stranger, ["update", "changsha-2021", "1.2", "--unit", "天心区", "--status", "推进中", "--percent", "10"])
        #expect(other.status == 0, "\(other.stderr)")
        let heads = install.root + "/log/audit-heads"
        let verify = try install.run(as: "root", ["audit", "verify", "--head-log", heads])
        #expect(verify.status == 0 && stat(heads, &info) == 0 && info.st_uid == 0 && info.st_mode & 0o022 == 0, "\(verify.stdout)\(verify.stderr)")
        // A clerk cannot point the head log anywhere useful either: the file is read and written with its own rights.
        let clerkVerify = try install.run(as: SharedServer.staff, ["audit", "verify", "--head-log", heads])
        #expect(clerkVerify.status != 0)
    }

    /// Without the service account (the older group-writable layout), $DUBAN_ACCESS still only counts for the
    /// caller's own database: a liaison cannot bind a database root created to a file of its own (issue 12, item 1).
    @Test(.enabled(if: SharedServer.accountsReady)) func aClerksAccessFileDoesNotBindSomeoneElsesDatabase() throws {
        let server = try SharedServer.Server()
        // Root creates the database without binding it (what the broken setup script left behind).
        let created = try DubanBinary.capture("/usr/bin/env", ["-i", "LANG=C.UTF-8", "HOME=/tmp", "DUBAN_DB=\(server.db)",
                                              "DUBAN_PLANS=\(DubanBinary.bundledPlans)", DubanBinary.path, "progress", "changsha-2021"], environment: [:])
        #expect(created.status == 0, "\(created.stderr)")
        chmod(server.db, 0o660)
        SharedServer.shell("/bin/chgrp", [SharedServer.group, server.db])
        let mine = server.root + "/mine.yaml"
        try "accounts:\n  \(SharedServer.staff): { role: admin }\n".write(toFile: mine, atomically: true, encoding: .utf8)
        chown(mine, getpwnam(SharedServer.staff)!.pointee.pw_uid, 0)
        let attempt = try server.run(as: SharedServer.staff, ["access", "show"], accessFile: mine)
        #expect(attempt.status == 4 && attempt.stderr.contains("sudo duban access bind"), "\(attempt.stdout)\(attempt.stderr)")
        // Root binds it; then the liaison is what the administrator's file says.
        let bind = try server.run(as: "root", ["access", "bind", server.access])
        #expect(bind.status == 0, "\(bind.stderr)")
        let show = try server.run(as: SharedServer.staff, ["access", "show"], accessFile: mine)
        #expect(show.status == 0 && show.stdout.contains("填报员"), "\(show.stdout)\(show.stderr)")
        // Only root rebinds.
        let rebind = try server.run(as: SharedServer.staff, ["access", "bind", mine], accessFile: mine)
        #expect(rebind.status == 4)
        // Root grants; an administrator who is not root is told to use sudo for the root-owned file, which is unchanged.
        #expect(try server.run(as: "root", ["access", "grant", SharedServer.stranger, "--role", "admin"]).status == 0)
        let before = try String(contentsOfFile: server.access, encoding: .utf8)
        let grant = try server.run(as: SharedServer.stranger, ["access", "grant", SharedServer.leader, "--role", "admin"])
        #expect(grant.status != 0 && grant.stderr.contains("sudo"), "\(grant.stderr)")
        #expect(try String(contentsOfFile: server.access, encoding: .utf8) == before)
    }
}
