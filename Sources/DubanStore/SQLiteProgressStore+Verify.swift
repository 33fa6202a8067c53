import DubanCore
import Foundation
import GRDB

/// What `duban audit verify` found.
public struct AuditReport: Sendable {
    public enum Finding: Sendable, Equatable, CustomStringConvertible {
        case altered(Int64)
        case deleted(before: Int64, missing: [Int64])
        case inserted(Int64)
        case tailDeleted(Int64)
        /// A demo event `duban demo` did not write (demo events are sealed as a set).
        case forgedDemo(count: Int)
        /// The current-state table disagrees with the events (every figure reads it).
        case derivedAltered(planID: String, nodeID: String, unitID: String)
        /// The report-day table disagrees with the events (who reported when, in the summary and the bulletin).
        case reportDaysAltered(planID: String, unitID: String)
        /// PostgreSQL only: the state span of this event (what "as of a day" reads) disagrees with the events.
        case spanAltered(Int64)
        case triggerMissing(String)
        /// A trigger or view duban did not create: it could silently change or hide what is written or read.
        case unexpectedSchema(String)
        case sealBroken(Int64)
        case refusalDeleted(Int64)
        case refusalForged(Int64)
        case settingAltered(String)
        /// An event after the last written-down head, dated before it was written down.
        case appendedBackdated(Int64, headAt: String)
        case headMissing(String)

        /// The event a finding is about, if it is about one.
        public var eventID: Int64? {
            switch self {
            case let .altered(id), let .inserted(id), let .tailDeleted(id), let .appendedBackdated(id, _), let .spanAltered(id): id
            case let .deleted(before, _): before
            default: nil
            }
        }

        public var kind: String {
            switch self {
            case .altered: "altered"
            case .deleted: "deleted"
            case .inserted: "inserted"
            case .tailDeleted: "tail_deleted"
            case .forgedDemo: "forged_demo"
            case .derivedAltered: "derived_altered"
            case .reportDaysAltered: "report_days_altered"
            case .spanAltered: "span_altered"
            case .triggerMissing: "trigger_missing"
            case .unexpectedSchema: "unexpected_schema"
            case .sealBroken: "seal_broken"
            case .refusalDeleted: "refusal_deleted"
            case .refusalForged: "refusal_forged"
            case .settingAltered: "setting_altered"
            case .appendedBackdated: "appended_backdated"
            case .headMissing: "head_mismatch"
            }
        }

        public var description: String {
            switch self {
            case let .altered(id): "记录 #\(id) 的内容在 duban 之外被改动（哈希不符）"
            case let .inserted(id): "记录 #\(id) 不是由 duban 写入的（没有或伪造了链接），疑为绕过系统插入"
            case let .deleted(before, missing):
                missing.isEmpty ? "记录 #\(before) 之前有记录被删除（链接断开）"
                    : "记录 \(missing.map { "#\($0)" }.joined(separator: "、")) 被删除（记录 #\(before) 的链接断开）"
            case let .tailDeleted(id): "最后一条记录 #\(id) 被删除"
            case let .forgedDemo(count): "演示记录与 duban demo 写入时不符（现有 \(count) 条）：有演示记录在 duban 之外被加入、改动或删除"
            case let .derivedAltered(plan, node, unit):
                "当前状态表中 \(plan) \(node)（\(unit)）与进展记录不符：统计数字被绕过系统改动"
            case let .reportDaysAltered(plan, unit): "报送日表中 \(plan)（\(unit)）与进展记录不符：报送情况被绕过系统改动"
            case let .spanAltered(id):
                "记录 #\(id) 的状态区间（按日查看所用）与进展记录不符：被绕过系统改动；数据库管理员可执行 SELECT duban.rebuild_state_spans() 重建"
            case let .triggerMissing(name): "保护记录的触发器 \(name) 被删除或改动"
            case let .unexpectedSchema(name): "数据库中有 duban 未创建的触发器或视图 \(name)：可能篡改或拦截写入，请管理员检查"
            case let .sealBroken(id): "封存链在第 \(id) 项处断开：被拒绝操作、设置或演示记录的封存被改动或删除"
            case let .refusalDeleted(id): "被拒绝操作 #\(id) 的记录被删除"
            case let .refusalForged(id): "被拒绝操作 #\(id) 的记录被改动或不是由 duban 写入的"
            case let .settingAltered(key): "设置 \(key) 在 duban 之外被改动（与封存记录不符）"
            case let .appendedBackdated(id, at): "记录 #\(id) 排在记下的链头之后，登记时间却早于链头那条记录（\(at)）：疑为事后插入"
            case let .headMissing(head): "记下的链头 \(head) 已不在链中：整条链可能被重算改写"
            }
        }
    }

    public let checked: Int
    public let findings: [Finding]
    /// The head of both chains now: write it down where the database's writers cannot, and compare later.
    public let head: AuditHead
    /// When the head event was recorded (written under the write lock, so every later event is recorded after it).
    public let headRecordedAt: String?
}

/// Where the audit chains stood at one moment: the last chained event, the last seal, and one hash over both.
/// Written as `事件号.封存号:哈希` (an older `事件号:哈希` covers the events alone).
public struct AuditHead: Sendable, Equatable, CustomStringConvertible {
    public let eventID: Int64
    public let sealID: Int64?
    public let hash: String

    public init(eventID: Int64, sealID: Int64?, hash: String) {
        self.eventID = eventID
        self.sealID = sealID
        self.hash = hash
    }

    /// Exactly `id.id:hash` or `id:hash` with a full 64-digit hash; anything else is nil.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 64, parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        let ids = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(ids.count), ids.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              let event = Int64(ids[0]), event >= 0 else { return nil }
        var seal: Int64?
        if ids.count == 2 {
            guard let parsed = Int64(ids[1]), parsed >= 0 else { return nil }
            seal = parsed
        }
        self.init(eventID: event, sealID: seal, hash: String(parts[1]))
    }

    public var description: String { "\(eventID)\(sealID.map { ".\($0)" } ?? ""):\(hash)" }

    static func combined(eventHash: String, sealHash: String) -> String { AuditHash.of([eventHash, sealHash]) }
}

extension SQLiteProgressStore {
    /// Recomputes both chains and checks everything the figures and the access decision read against them:
    /// events, the current-state table, refusals, settings, demo events and the protecting triggers.
    public func verifyAudit() throws -> AuditReport {
        try authorize(.auditVerify)
        return try read { db in
            var (findings, checked, head, headRecordedAt) = try Self.verifyEvents(db)
            let sealHead = try Self.verifySeals(db, into: &findings)
            findings += try Self.verifyDerived(db)
            findings += try Self.verifyTriggers(db)
            head = AuditHead(eventID: head.eventID, sealID: sealHead.id,
                             hash: AuditHead.combined(eventHash: head.hash, sealHash: sealHead.hash))
            return AuditReport(checked: checked, findings: findings, head: head, headRecordedAt: headRecordedAt)
        }
    }

    /// Whether a head written down earlier still describes the chains: the event and the seal it names still
    /// carry the hashes they had, so nothing before them was rewritten. Compared exactly.
    public func contains(_ head: AuditHead) throws -> Bool {
        try read { db in
            let eventHash = head.eventID == 0 ? AuditLink.genesis
                : try String.fetchOne(db, sql: "SELECT hash FROM event WHERE id = ? AND demo = 0", arguments: [head.eventID])
            guard let eventHash else { return false }
            guard let sealID = head.sealID else { return eventHash == head.hash }
            let sealHash = sealID == 0 ? Self.sealGenesis
                : try String.fetchOne(db, sql: "SELECT hash FROM seal WHERE id = ?", arguments: [sealID])
            guard let sealHash else { return false }
            return AuditHead.combined(eventHash: eventHash, sealHash: sealHash) == head.hash
        }
    }

    /// Events after `head` whose recorded time is before `at` (the head event's own): duban records under the write
    /// lock, so it never writes a later event with an earlier time. Times are compared as instants (offsets may differ).
    public func eventsBackdated(after head: AuditHead, before at: String) throws -> [Int64] {
        guard let limit = Self.instant(at) else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT id, recorded_at FROM event WHERE id > ? AND demo = 0 ORDER BY id", arguments: [head.eventID])
                .filter { row in Self.instant(row[1]).map { $0 < limit } ?? true }
                .map { $0[0] }
        }
    }

    static func instant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// The event chain: every event altered, inserted behind the tool's back, or missing.
    private static func verifyEvents(_ db: Database) throws -> ([AuditReport.Finding], Int, AuditHead, String?) {
        var findings: [AuditReport.Finding] = []
        var previousHash = AuditLink.genesis
        var previousID: Int64 = 0
        var previousRecordedAt: String?
        var checked = 0
        let demoIDs = Set(try Int64.fetchAll(db, sql: "SELECT id FROM event WHERE demo = 1"))
        let rows = try Row.fetchCursor(db, sql: "SELECT \(AuditLink.columns) FROM event e LEFT JOIN assignment a ON a.id = e.assignment_id ORDER BY e.id")
        while let row = try rows.next() {
            checked += 1
            let storedPrevious: String? = row[15]
            let storedHash: String? = row[16]
            guard let planID: String = row[1], !planID.isEmpty else {
                findings.append(.altered(row[0]))
                continue
            }
            let link = AuditLink(row: row)
            guard let storedHash, let storedPrevious else {
                findings.append(.inserted(link.id))
                continue
            }
            if link.demo {
                // Demo events hang from their own anchor; the set is checked against its seal.
                if storedPrevious != AuditLink.demoAnchor || link.hash(previous: storedPrevious) != storedHash { findings.append(.altered(link.id)) }
                continue
            }
            if link.hash(previous: storedPrevious) != storedHash {
                // A row whose link does not fit where it sits and whose id was never issued in order was put there.
                findings.append(storedPrevious == previousHash ? .altered(link.id) : .inserted(link.id))
                if storedPrevious != previousHash { continue }
            } else if storedPrevious != previousHash {
                let missing = link.id > previousID + 1
                    ? Array((previousID + 1)..<link.id).filter { !demoIDs.contains($0) } : []
                findings.append(.deleted(before: link.id, missing: missing))
            }
            previousHash = storedHash
            previousID = link.id
            previousRecordedAt = link.recordedAt
        }
        let head = try chainHead(db)
        if head.id > previousID || (head.id == previousID && head.hash != previousHash && previousID > 0) {
            findings.append(.tailDeleted(head.id))
        }
        return (findings, checked, AuditHead(eventID: previousID, sealID: nil, hash: previousHash), previousRecordedAt)
    }

    /// The seal chain, and the refusals, settings and demo events against their seals.
    private static func verifySeals(_ db: Database, into findings: inout [AuditReport.Finding]) throws -> (id: Int64, hash: String) {
        guard try db.tableExists("seal") else {
            findings.append(.triggerMissing("seal"))
            return (0, sealGenesis)
        }
        var previous = sealGenesis
        var previousID: Int64 = 0
        var sealedRefusals: [Int64: String] = [:]
        var settings: [String: String] = [:]
        var demo: String?
        var broken = false
        for row in try Row.fetchAll(db, sql: "SELECT id, kind, body, prev_hash, hash FROM seal ORDER BY id") {
            let id: Int64 = row[0], kind: String = row[1], body: String = row[2], prev: String = row[3], hash: String = row[4]
            if !broken, id != previousID + 1 || prev != previous || AuditHash.of([String(id), kind, body, prev]) != hash {
                findings.append(.sealBroken(id))
                broken = true
            }
            previous = hash
            previousID = id
            let fields = (try? JSONDecoder().decode([String].self, from: Data(body.utf8))) ?? []
            switch SealKind(rawValue: kind) {
            case .refusal: if let first = fields.first, let refusalID = Int64(first) { sealedRefusals[refusalID] = body }
            case .setting: if fields.count == 2 { settings[fields[0]] = fields[1] }
            case .demo: demo = body
            case nil: if !broken { findings.append(.sealBroken(id)); broken = true }
            }
        }
        for refusal in try Row.fetchAll(db, sql: "SELECT \(refusalColumns) FROM refusal ORDER BY id").map(refusal(from:)) {
            if sealedRefusals.removeValue(forKey: refusal.id) != body(of: refusal) { findings.append(.refusalForged(refusal.id)) }
        }
        findings += sealedRefusals.keys.sorted().map { .refusalDeleted($0) }
        let stored = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM setting").map { ($0[0] as String, $0[1] as String) })
        for key in Set(stored.keys).union(settings.keys).sorted() where stored[key] != settings[key] {
            findings.append(.settingAltered(key))
        }
        let demoNow = try demoDigest(db)
        let demoCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE demo = 1")!
        if demoNow != (demo ?? SealKind.body(["0", AuditHash.of([])])) { findings.append(.forgedDemo(count: demoCount)) }
        return (previousID, previous)
    }

    /// Each assignment's current state must be its latest event (by day, then id), field for field; the report days
    /// must be the events' own.
    private static func verifyDerived(_ db: Database) throws -> [AuditReport.Finding] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.plan_id, a.node_id, a.unit_id FROM assignment a
            LEFT JOIN current_state c ON c.assignment_id = a.id
            LEFT JOIN event e ON e.id = (SELECT id FROM event WHERE assignment_id = a.id ORDER BY day DESC, id DESC LIMIT 1)
            -- (An assignment whose only events were demo ones has neither events nor a state, and that is consistent.)
            WHERE NOT (coalesce(c.plan_id = a.plan_id AND c.node_id = a.node_id AND c.unit_id = a.unit_id, c.assignment_id IS NULL)
                       AND c.event_id IS e.id AND c.status IS e.status AND c.percent IS e.percent AND c.note IS e.note
                       AND c.evidence IS e.evidence AND c.author IS e.author AND c.day IS e.day
                       AND c.done_since IS e.done_since AND c.recorded_at IS e.recorded_at AND c.review IS e.review
                       AND c.closed_on IS e.closed_on AND c.extended_to IS e.extended_to AND c.requested_to IS e.requested_to
                       AND c.report_id IS e.report_id)
            UNION ALL
            SELECT '?', '?', CAST(c.assignment_id AS TEXT) FROM current_state c
            WHERE c.assignment_id NOT IN (SELECT id FROM assignment)
            """)
        let derived = rows.map { AuditReport.Finding.derivedAltered(planID: $0[0], nodeID: $0[1], unitID: $0[2]) }
        // Report days: the days the events say, with their counts, and nothing else.
        let reportDays = try Row.fetchAll(db, sql: """
            WITH counted AS (
                SELECT a.plan_id, a.unit_id, e.day, count(*) AS events FROM event e JOIN assignment a ON a.id = e.assignment_id
                WHERE e.kind IN (\(AuditSchema.unitReportKinds)) GROUP BY a.plan_id, a.unit_id, e.day),
            differing AS (
                SELECT * FROM (SELECT * FROM counted EXCEPT SELECT * FROM report_day)
                UNION SELECT * FROM (SELECT * FROM report_day EXCEPT SELECT * FROM counted))
            SELECT DISTINCT plan_id, unit_id FROM differing ORDER BY plan_id, unit_id
            """)
        return derived + reportDays.map { .reportDaysAltered(planID: $0[0], unitID: $0[1]) }
    }

    /// Every protecting trigger present, exactly as duban created it, and no trigger or view besides (one added
    /// by hand could raise on every refusal, rewrite a row as it is written, or show readers something else).
    private static func verifyTriggers(_ db: Database) throws -> [AuditReport.Finding] {
        let present = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            .map { ($0[0] as String, AuditSchema.normalised($0[1] as String? ?? "")) })
        let missing = AuditSchema.triggers.filter { present[$0.name] != AuditSchema.normalised($0.sql) }.map { AuditReport.Finding.triggerMissing($0.name) }
        let known = Set(AuditSchema.triggers.map(\.name))
        let extra = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name")
            .filter { !known.contains($0) }.map { AuditReport.Finding.unexpectedSchema($0) }
        return missing + extra
    }
}
