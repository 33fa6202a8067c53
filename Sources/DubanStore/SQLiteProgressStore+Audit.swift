import Crypto
import DubanCore
import Foundation
import GRDB

/// SHA-256 over fields, each length-prefixed so no two different records serialise alike; lowercase hex.
enum AuditHash {
    static func of(_ fields: [String]) -> String {
        var data = Data()
        for field in fields {
            let bytes = Data(field.utf8)
            data.append(contentsOf: withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init))
            data.append(bytes)
        }
        return Hex.lowercase(SHA256.hash(data: data))
    }
}

/// One event as the audit chain sees it: every field that says what was recorded, by whom and where from.
struct AuditLink {
    let id: Int64
    let planID, nodeID, unitID: String
    let status: String
    let percent: Int
    let note: String
    let evidence: String?
    let author: String
    let uid: Int
    let day: Int
    let doneSince: Int?
    let recordedAt: String
    let sshClient: String?
    let demo: Bool
    let corrects: Int64?
    /// What migration v5 added: the event's kind and the state it carries (see CarriedState).
    let kind: String
    let extendTo, review, closedOn, extendedTo, requestedTo: String?
    let requestID, claimID: Int64?
    let percentBeforeClaim: Int?
    let reportID: Int64?

    /// The start of the chain, and what demo events hang from (they may be replaced, so they are not chained).
    static let genesis = "duban-audit-v1"
    static let demoAnchor = "duban-demo"

    /// The fields and the previous hash, hashed (see AuditHash).
    func hash(previous: String) -> String {
        AuditHash.of([
            String(id), planID, nodeID, unitID, status, String(percent), note, evidence ?? "\u{0}", author, String(uid),
            String(day), doneSince.map(String.init) ?? "\u{0}", recordedAt, sshClient ?? "\u{0}", demo ? "1" : "0", previous,
        ] + (corrects.map { ["corrects", String($0)] } ?? []) + reviewFields)  // appended only when set: earlier events hash as before
    }

    private var reviewFields: [String] {
        guard carriesReview else { return [] }
        let none = "\u{0}"
        let texts: [String?] = [extendTo, review, closedOn, extendedTo, requestedTo, requestID.map(String.init), claimID.map(String.init),
                                percentBeforeClaim.map(String.init), reportID.map(String.init)]
        return ["v5", kind] + texts.map { $0 ?? none }
    }

    /// Whether any of the v5 fields says something: an event without them hashes as it did before v5.
    var carriesReview: Bool {
        kind != EventKind.update.rawValue || extendTo != nil || review != nil || closedOn != nil || extendedTo != nil
            || requestedTo != nil || requestID != nil || claimID != nil || percentBeforeClaim != nil || reportID != nil
    }

    static let columns = """
        e.id, a.plan_id, a.node_id, a.unit_id, e.status, e.percent, e.note, e.evidence, e.author, e.uid, e.day, e.done_since,
        e.recorded_at, e.ssh_client, e.demo, e.prev_hash, e.hash, e.corrects, e.kind, e.extend_to, e.review, e.closed_on,
        e.extended_to, e.requested_to, e.request_id, e.claim_id, e.percent_before_claim, e.report_id
        """
    /// The same before migration v4 added `corrects` (the v2 migration hashes the events of that time).
    static let columnsBeforeCorrections = """
        e.id, a.plan_id, a.node_id, a.unit_id, e.status, e.percent, e.note, e.evidence, e.author, e.uid, e.day, e.done_since,
        e.recorded_at, e.ssh_client, e.demo, e.prev_hash, e.hash
        """

    init(row: Row) {
        id = row[0]; planID = row[1]; nodeID = row[2]; unitID = row[3]; status = row[4]; percent = row[5]; note = row[6]
        evidence = row[7]; author = row[8]; uid = row[9]; day = row[10]; doneSince = row[11]; recordedAt = row[12]
        sshClient = row[13]; demo = (row[14] as Int) != 0; corrects = row.count > 17 ? row[17] : nil
        let v5 = row.count > 18
        kind = v5 ? row[18] : EventKind.update.rawValue
        func dayText(_ i: Int) -> String? { v5 ? (row[i] as Int?).map(String.init) : nil }
        extendTo = dayText(19); review = v5 ? row[20] : nil; closedOn = dayText(21); extendedTo = dayText(22); requestedTo = dayText(23)
        requestID = v5 ? row[24] : nil; claimID = v5 ? row[25] : nil; percentBeforeClaim = v5 ? row[26] : nil; reportID = v5 ? row[27] : nil
    }

    /// The link for an event about to be written: the update, and what the store adds to it.
    init(id: Int64, update: NewUpdate, carried: CarriedState, day: Int, recordedAt: String, sshClient: String?, demo: Bool) {
        self.id = id; planID = update.planID; nodeID = update.nodeID; unitID = update.unitID; status = carried.status.rawValue
        percent = carried.percent; note = update.note; evidence = update.evidence; author = update.author; uid = update.uid
        self.day = day; doneSince = carried.doneSince?.dayNumber; self.recordedAt = recordedAt; self.sshClient = sshClient
        self.demo = demo; corrects = update.corrects
        kind = update.kind.rawValue
        func text(_ d: CivilDate?) -> String? { d.map { String($0.dayNumber) } }
        extendTo = text(update.extendTo); review = carried.review?.rawValue; closedOn = text(carried.closedOn)
        extendedTo = text(carried.extendedTo); requestedTo = text(carried.requestedTo); requestID = carried.requestID
        claimID = carried.claimID; percentBeforeClaim = carried.percentBeforeClaim; reportID = carried.reportID
    }
}

/// A refused attempt: who, when, from where, and what they tried.
public struct Refusal: Sendable, Equatable {
    public let id: Int64
    public let at: String
    public let account: String
    public let uid: Int
    public let sshClient: String?
    public let action: String
    public let reason: String
}

extension SQLiteProgressStore {
    /// Adds the audit columns and tables, and chains the events already there (they were all written by duban).
    static func migrateToAudit(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE event ADD COLUMN ssh_client TEXT;
            ALTER TABLE event ADD COLUMN prev_hash TEXT;
            ALTER TABLE event ADD COLUMN hash TEXT;
            CREATE TABLE audit_head (event_id INTEGER NOT NULL, hash TEXT NOT NULL);
            CREATE TABLE refusal (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                account TEXT NOT NULL,
                uid INTEGER NOT NULL,
                ssh_client TEXT,
                action TEXT NOT NULL,
                reason TEXT NOT NULL
            );
            CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            DROP TRIGGER event_is_append_only;
            """)
        var head = AuditLink.genesis
        var headID: Int64 = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT \(AuditLink.columnsBeforeCorrections) FROM event e JOIN assignment a ON a.id = e.assignment_id ORDER BY e.id")
        var updates: [(Int64, String, String)] = []
        while let row = try rows.next() {
            let link = AuditLink(row: row)
            let previous = link.demo ? AuditLink.demoAnchor : head
            let hash = link.hash(previous: previous)
            updates.append((link.id, previous, hash))
            if !link.demo { head = hash; headID = link.id }
        }
        for (id, previous, hash) in updates {
            try db.execute(sql: "UPDATE event SET prev_hash = ?, hash = ? WHERE id = ?", arguments: [previous, hash, id])
        }
        try db.execute(sql: "INSERT INTO audit_head (event_id, hash) VALUES (?, ?)", arguments: [headID, head])
        try db.execute(sql: """
            CREATE TRIGGER event_is_append_only BEFORE UPDATE ON event
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
            CREATE TRIGGER refusals_are_kept BEFORE DELETE ON refusal
            BEGIN SELECT RAISE(ABORT, 'refusals are kept'); END;
            """)
    }

    static func chainHead(_ db: Database) throws -> (id: Int64, hash: String) {
        guard let row = try Row.fetchOne(db, sql: "SELECT event_id, hash FROM audit_head") else { return (0, AuditLink.genesis) }
        return (row[0], row[1])
    }

    // MARK: - access

    /// Checks an action against the access policy; a refusal is recorded (when the database can be written) and thrown.
    public func authorize(_ action: AccessAction) throws {
        guard case let .refused(reason) = AccessPolicy.decide(principal, action) else { return }
        // Through a connection of its own: the store may have been opened read-only (a leader's summary).
        var config = Configuration()
        config.busyMode = .timeout(5)
        let recorded = (try? DatabaseQueue(path: path, configuration: config).write { db in
            guard try db.tableExists("refusal") else { return false }
            let refusal = Refusal(id: 0, at: Self.timestamp(), account: principal.account, uid: principal.uid,
                                  sshClient: principal.sshClient, action: action.description, reason: reason)
            try Self.insert(refusal, in: db)
            return true
        }) ?? false
        throw StoreError.refused(reason, recorded: recorded)
    }

    /// Refused attempts, newest last.
    public func refusals(limit: Int = 1000) throws -> [Refusal] {
        try authorize(.auditLog)
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM (SELECT id, at, account, uid, ssh_client, action, reason FROM refusal ORDER BY id DESC LIMIT ?) ORDER BY id
                """, arguments: [limit]).map {
                Refusal(id: $0[0], at: $0[1], account: $0[2], uid: $0[3], sshClient: $0[4], action: $0[5], reason: $0[6])
            }
        }
    }

    /// The access file that governs this database, once one has been used with it. Recorded so that pointing
    /// the tool at another file, or at none, cannot turn a shared database back into a single-user one.
    public static func governingAccessFile(path: String) throws -> String? {
        // Unreadable is not unbound: a database that cannot be read (a planted -wal link, a damaged file) must not
        // fall back to an access file of the caller's choosing.
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        try checkCompanions(of: path, readOnly: true)
        do {
            // Another process may be creating the database this moment: wait for it as a writer would.
            let queue = try DatabaseQueue(path: path, configuration: {
                var c = Configuration()
                c.readonly = true
                c.busyMode = .timeout(15)
                return c
            }())
            return try queue.read(governingAccessFile)
        } catch {
            throw translate(error, path: path)
        }
    }

    /// The binding, read through an open connection.
    static func governingAccessFile(_ db: Database) throws -> String? {
        // sqlite_master asked directly: GRDB's tableExists reads the schema of every attached database first.
        let hasSettings = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'setting')")
        guard hasSettings == true else { return nil }
        return try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = '\(accessFileSetting)'")
    }

    /// The binding of this store's database, as it is now.
    public func governingAccessFile() throws -> String? { try read(Self.governingAccessFile) }

    /// Records the governing access file the first time a shared database is used; an existing binding stays.
    public func recordGoverningAccessFile(_ file: String) throws {
        try writeSetting(Self.accessFileSetting, file, replacing: false)
    }

    /// Binds the database to an access file, replacing an earlier binding (`duban access bind`, root only).
    public func bindAccessFile(_ file: String) throws {
        try authorize(.editAccess)
        try writeSetting(Self.accessFileSetting, file, replacing: true)
    }

    static let accessFileSetting = "access_file"

    /// Every setting the access decision depends on is sealed when it is written (see seals).
    private func writeSetting(_ key: String, _ value: String, replacing: Bool) throws {
        do {
            try database.write { db in
                let current = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
                if current == value || (current != nil && !replacing) { return }
                try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", arguments: [key, value])
                try Self.appendSeal(.setting, body: SealKind.body([key, value]), in: db)
            }
        } catch {
            throw Self.translate(error, path: path)
        }
    }
}
