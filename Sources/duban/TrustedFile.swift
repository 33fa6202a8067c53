import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Configuration that decides who may do what (the access file, the server settings, the audit head log) is read
/// only when nobody else could have rewritten it: owned by root (or, where allowed, by this account) and not
/// writable by group or others.
enum TrustedFile {
    static let maximumSize = 1024 * 1024

    /// The file's text. `what` names the file in messages ("访问控制文件").
    static func read(_ path: String, what: String, callerMayOwn: Bool = true) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CLIError("无法读取\(what)“\(path)”") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw CLIError("\(what)“\(path)”不是普通文件") }
        if info.st_uid != 0 && !(callerMayOwn && info.st_uid == getuid()) {
            throw CLIError("\(what)“\(path)”的属主不是 root：为防止被他人改写，已拒绝使用；请由管理员执行 chown root \(path)")
        }
        if info.st_mode & 0o022 != 0 {
            throw CLIError("\(what)“\(path)”可被组或其他账号改写：为安全起见已拒绝使用；请执行 chmod 644 \(path)")
        }
        if Int(info.st_size) > maximumSize { throw CLIError("\(what)“\(path)”过大（上限 1 MB）") }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CLIError("无法读取\(what)“\(path)”（需为 UTF-8 文本）")
        }
        return text
    }
}
