import DubanCore
import DubanPlans
import DubanStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who this process is allowed to be: the access file's grant for the uid's account and groups, or, with no
/// access file, the single user who owns their own database.
enum AccessContext {
    static let defaultFile = "/etc/duban/access.yaml"

    /// The access file that governs a database, and whether the database already names it. The administrator
    /// decides the binding: the service account's server.yaml, else the file recorded in the database (by
    /// `duban access bind`, or the first use), else /etc/duban/access.yaml. $DUBAN_ACCESS counts only for a
    /// database the caller creates or owns: pointing someone else's database at one's own file grants nothing.
    /// `recorded` is the binding the database holds (read by the store that opened it; nil: none yet).
    static func file(database: String, recorded: String?) throws -> (path: String, bound: Bool) {
        if let server = Privilege.server {
            if let recorded, recorded != server.access {
                throw CLIError("数据库记录的访问控制文件是“\(recorded)”，与 \(Privilege.serverConfigPath) 指定的“\(server.access)”不一致："
                    + "请管理员核实后执行 sudo duban access bind")
            }
            return (server.access, recorded != nil)
        }
        if let recorded { return (recorded, true) }
        let env = Environment()["DUBAN_ACCESS"].flatMap { $0.isEmpty ? nil : $0 }
        let own = callerOwnsOrCreates(database)
        if let env, own { return (env, false) }
        // Someone else's database that no administrator has bound: neither single-user mode (it is not this account's)
        // nor a file of this account's choosing may decide. Root binds it.
        if !own && getuid() != 0 && !FileManager.default.fileExists(atPath: defaultFile) {
            throw CLIError("数据库“\(database)”属于另一个账号，且尚未绑定访问控制文件：请管理员执行 sudo duban access bind", exitCode: 4)
        }
        return (defaultFile, false)
    }

    /// The database does not exist yet (this process creates it) or belongs to this account.
    static func callerOwnsOrCreates(_ database: String) -> Bool {
        var info = stat()
        if stat(database, &info) != 0 { return errno == ENOENT }
        return info.st_uid == getuid()
    }

    /// The principal for a database, and the access file it came from (nil: single-user mode). A database that
    /// has been used with an access file keeps using that file: neither $DUBAN_ACCESS nor a missing file turns a
    /// shared database back into a single-user one. Root is the administrator: it can change any file on the
    /// machine anyway, and the README's admin tasks (access grant, the audit cron job) are run as root.
    static func principal(database: String, recorded: String?, registries: () -> [String: UnitRegistry])
        throws -> (Principal, file: (path: String, bound: Bool)?) {
        let identity = Identity.current
        let ssh = sshClient()
        let file = try file(database: database, recorded: recorded)
        let exists = FileManager.default.fileExists(atPath: file.path)
        if identity.uid == 0 {
            return (Principal(account: identity.name, uid: 0, role: .admin, unitIDs: [], sshClient: ssh, shared: exists), exists ? file : nil)
        }
        guard exists else {
            if file.bound || Privilege.server != nil {
                throw CLIError("此数据库由访问控制文件“\(file.path)”管理，但该文件不存在：请联系管理员恢复该文件")
            }
            return (.singleUser(account: identity.name, uid: identity.uid, sshClient: ssh), nil)
        }
        let grant = try load(file.path).grant(account: identity.name, groups: groupNames())
        var unitIDs = Set<String>()
        if let grant, grant.role == .staff {
            // A name or an id, in any city's registry (a liaison's district is named the same in every plan).
            let known = registries().values
            for written in grant.units { unitIDs.formUnion(known.compactMap { $0.resolve(written)?.id }) }
        }
        return (Principal(account: identity.name, uid: identity.uid, role: grant?.role, unitIDs: unitIDs, sshClient: ssh, shared: true), file)
    }

    /// Reads the access file, refusing one that others could have rewritten (see TrustedFile).
    static func load(_ file: String) throws -> AccessFile {
        // On a service-account install the file is the administrator's: a clerk's own copy is never trusted.
        let text = try TrustedFile.read(file, what: "访问控制文件", callerMayOwn: !Privilege.isService)
        let (parsed, diagnostics) = AccessFile.parse(text, file: file)
        guard let parsed else {
            throw CLIError(diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
        }
        return parsed
    }

    /// The SSH client address ($SSH_CONNECTION's first field), when the session came over SSH.
    static func sshClient() -> String? {
        let env = Environment()
        guard let value = env["SSH_CONNECTION"] ?? env["SSH_CLIENT"],
              let first = value.split(separator: " ").first, first.count <= 64 else { return nil }
        return String(first)
    }

    /// The account's groups, from the group database.
    static func groupNames() -> [String] {
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        guard let entry = getpwuid(getuid()) else { return [] }
        if getgrouplist(entry.pointee.pw_name, entry.pointee.pw_gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(entry.pointee.pw_name, entry.pointee.pw_gid, &groups, &count)
        }
        return groups.prefix(Int(count)).compactMap { gid in getgrgid(gid).map { String(cString: $0.pointee.gr_name) } }
    }
}
