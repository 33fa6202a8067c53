import DubanCore
import DubanStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The audit heads written down over time, one `链头记录的登记时间 链头` per line, in a file only its owner (root, from cron)
/// can write. Whoever can rewrite the database can recompute its chains, but not this file: every head in it must
/// still be in the chains, and nothing after the last one may be dated before it was written down.
struct HeadLog {
    struct Entry {
        let at: String
        let head: AuditHead
    }

    let path: String
    let entries: [Entry]

    init(path: String) throws {
        self.path = path
        var info = stat()
        // Even whether the file exists is looked up with the caller's rights.
        guard try Privilege.asCaller({ lstat(path, &info) }) == 0 else {
            guard errno == ENOENT else { throw CLIError("无法读取链头记录“\(shown(path))”：\(String(cString: strerror(errno)))") }
            entries = []
            return
        }
        let text = try Privilege.asCaller { try TrustedFile.read(path, what: "链头记录") }
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let head = AuditHead(parsing: String(fields[1])) else {
                throw CLIError("\(path):\(index + 1): 应为“时间 链头”，而不是“\(SafeText.escaped(String(line.prefix(120))))”")
            }
            entries.append(Entry(at: String(fields[0]), head: head))
        }
        self.entries = entries
    }

    /// Every head written down must still be in the chains; events after the last one must be dated after it.
    func check(_ store: SQLiteProgressStore) throws -> [AuditReport.Finding] {
        var findings: [AuditReport.Finding] = []
        for entry in entries where try !store.contains(entry.head) {
            findings.append(.headMissing("\(entry.head)（\(entry.at) 记下）"))
        }
        if let last = entries.last {
            findings += try store.eventsBackdated(after: last.head, before: last.at).map { .appendedBackdated($0, headAt: last.at) }
        }
        return findings
    }

    /// Appends the current head with its event's recorded time (not the clock now: events committed while verify ran
    /// are after the head yet recorded before now), unless it is the last one already; created 0644 with the caller's rights.
    func append(_ head: AuditHead, recordedAt: String?) throws {
        if entries.last?.head == head { return }
        let line = "\(recordedAt ?? "-") \(head)\n"
        try Privilege.asCaller {
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o644)
            guard fd >= 0 else { throw CLIError("无法写入链头记录“\(shown(path))”：\(String(cString: strerror(errno)))") }
            defer { close(fd) }
            let bytes = Array(line.utf8)
            guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
                throw CLIError("写入链头记录“\(shown(path))”失败：\(String(cString: strerror(errno)))")
            }
        }
    }
}
