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

    /// The access file that governs a database: the one it was first used with, else $DUBAN_ACCESS, else
    /// /etc/duban/access.yaml. `bound` says the database already names it.
    static func file(database: String) -> (path: String, bound: Bool) {
        if let governing = SQLiteProgressStore.governingAccessFile(path: database) { return (governing, true) }
        let env = ProcessInfo.processInfo.environment["DUBAN_ACCESS"].flatMap { $0.isEmpty ? nil : $0 }
        return (env ?? defaultFile, false)
    }

    /// The principal for a database, and the access file it came from (nil: single-user mode). A database that
    /// has been used with an access file keeps using that file: neither $DUBAN_ACCESS nor a missing file turns a
    /// shared database back into a single-user one.
    static func principal(database: String, registries: () -> [String: UnitRegistry])
        throws -> (Principal, file: (path: String, bound: Bool)?) {
        let identity = Identity.current
        let ssh = sshClient()
        let file = file(database: database)
        guard FileManager.default.fileExists(atPath: file.path) else {
            if file.bound {
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

    /// Reads the access file, refusing one that others could have rewritten: it must belong to root or to
    /// this account, and not be writable by group or others.
    static func load(_ file: String) throws -> AccessFile {
        var info = stat()
        guard stat(file, &info) == 0 else { throw CLIError("无法读取访问控制文件“\(file)”") }
        if info.st_uid != 0 && info.st_uid != getuid() {
            throw CLIError("访问控制文件“\(file)”的属主不是 root：为防止被他人改写，已拒绝使用；请由管理员执行 chown root \(file)")
        }
        if info.st_mode & 0o022 != 0 {
            throw CLIError("访问控制文件“\(file)”可被组或其他账号改写：为安全起见已拒绝使用；请执行 chmod 644 \(file)")
        }
        if Int(info.st_size) > AccessFile.maximumFileSize {
            throw CLIError("访问控制文件“\(file)”过大（上限 1 MB）")
        }
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw CLIError("无法读取访问控制文件“\(file)”（需为 UTF-8 文本）")
        }
        let (parsed, diagnostics) = AccessFile.parse(text, file: file)
        guard let parsed else {
            throw CLIError(diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
        }
        return parsed
    }

    /// The SSH client address ($SSH_CONNECTION's first field), when the session came over SSH.
    static func sshClient() -> String? {
        let env = ProcessInfo.processInfo.environment
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
