import Crypto
import DubanCore
import Foundation

/// Compiled plans, registries and calendars, so a command does not parse YAML on every start. An entry is found by a
/// hash of everything it was made from — each source file's identity (path, device, inode, size, and modification and
/// change times to the nanosecond: any write changes them, so a hit needs no reading of the source) and the running
/// duban binary — so a changed file (or a new duban) is never answered from the cache: it misses, and the full loader
/// runs and refills it.
/// Entries are written to a temporary file and renamed into place (two processes filling it at once both succeed); one
/// that cannot be read or decoded is ignored and rebuilt. Only sources without errors are cached: `duban check`, and
/// any file with a problem, always go through the full loader with its `file:line` messages.
public struct PlanCache: Sendable {
    public let directory: String

    /// Creates the directory (0700) if needed; nil when it cannot be used (then nothing is cached). A directory someone
    /// else owns, or that others may write, is not used: another account could plant compiled plans in it.
    public init?(directory: String) {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o700])) != nil else { return nil }
        } else if !isDirectory.boolValue {
            return nil
        }
        var info = stat()
        guard stat(directory, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o022 == 0,
              access(directory, W_OK | X_OK) == 0 else { return nil }
        self.directory = directory
    }

    /// The running binary, by size and modification time: a rebuilt duban does not read a cache an older one wrote.
    static let buildStamp: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "unknown" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec)-\(info.st_mtim.tv_nsec)"
    }()

    /// The cache format; bump when what is stored changes shape or meaning.
    static let format = "duban-plan-cache-2"

    /// What identifies a file's current contents without reading them. A file that cannot be examined gets a key that
    /// never matches.
    public static func fingerprint(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "missing:\(path):\(UUID().uuidString)" }
        return "\(path)|\(info.st_dev)|\(info.st_ino)|\(info.st_size)|\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)|\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
    }

    /// The key for something made from these inputs (file fingerprints, other keys).
    public static func key(_ kind: String, _ inputs: [String]) -> String {
        var hasher = SHA256()
        for part in [format, buildStamp, kind] + inputs {
            hasher.update(data: Data(part.utf8))
            hasher.update(data: Data([0]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public func value<T: Decodable>(_ type: T.Type, key: String) -> T? {
        guard let data = FileManager.default.contents(atPath: path(key)) else { return nil }
        return try? JSONDecoder().decode(T.self, from: data)
    }

    public func store<T: Encodable>(_ value: T, key: String) {
        guard let data = try? JSONEncoder().encode(value) else { return }
        let temporary = path(key) + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, path(key)) != 0 { unlink(temporary) }
        prune()
    }

    /// Entries left by edited files are never asked for again: past `limit` entries, the oldest written go (a miss,
    /// and so a write, is rare; reading the directory then costs nothing that matters).
    static let limit = 400

    func prune() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory), names.count > Self.limit else { return }
        let dated = names.compactMap { name -> (String, Int, Int)? in
            var info = stat()
            let full = (directory as NSString).appendingPathComponent(name)
            return stat(full, &info) == 0 ? (full, info.st_mtim.tv_sec, info.st_mtim.tv_nsec) : nil
        }.sorted { ($0.1, $0.2) < ($1.1, $1.2) }
        for (path, _, _) in dated.prefix(names.count - Self.limit * 3 / 4) { unlink(path) }
    }

    func path(_ key: String) -> String { (directory as NSString).appendingPathComponent(key + ".json") }
}
