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
    static let format = "duban-plan-cache-4"

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
        return Hex.lowercase(hasher.finalize())
    }

    /// The entry, if there is one and it is whole: its SHA-256 must match and it must decode to the last byte. Anything
    /// else (truncated, damaged, written by another format) is a miss.
    public func value<T: CompactCodable>(_ type: T.Type, key: String) -> T? {
        guard let bytes = Self.readWhole(path(key)), bytes.count >= Self.magic.count + 32,
              bytes.starts(with: Self.magic) else { return nil }
        let body = bytes[(Self.magic.count + 32)...]
        guard Array(SHA256.hash(data: body)) == Array(bytes[Self.magic.count..<Self.magic.count + 32]) else { return nil }
        var reader = ByteReader(bytes, from: Self.magic.count + 32)
        guard let value = try? T(from: &reader), reader.isAtEnd else { return nil }
        return value
    }

    public func store<T: CompactCodable>(_ value: T, key: String) {
        var writer = ByteWriter()
        value.write(to: &writer)
        let data = Data(Self.magic + Array(SHA256.hash(data: writer.bytes)) + writer.bytes)
        let temporary = path(key) + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, path(key)) != 0 { unlink(temporary) }
        prune()
    }

    static let magic = Array("duban-cache\n".utf8)

    /// One open, one fstat, one read (or as many as the kernel needs).
    static func readWhole(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size < 64 << 20 else { return nil }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var got = 0
        // read(2) may return less than asked (a signal, a network file system): go on until all of it, or the end.
        while got < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, size - got) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            got += n
        }
        return bytes
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

    func path(_ key: String) -> String { (directory as NSString).appendingPathComponent(key + ".bin") }
}
