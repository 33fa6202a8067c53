import DubanCore
import Foundation
import GRDB

/// What the seal chain covers besides the events: each refused attempt, each setting the access decision reads,
/// and each replacement of the demo events (their count and a digest of their hashes). A seal is appended in the
/// same transaction as what it seals; `audit verify` checks the tables against their seals, and the published head
/// covers both chains, so nothing the figures or the access decision depend on can change unnoticed.
enum SealKind: String {
    case refusal, setting, demo

    /// A record's fields as one unambiguous text (a JSON array of strings).
    static func body(_ fields: [String]) -> String {
        String(decoding: try! JSONEncoder().encode(fields), as: UTF8.self)
    }
}

extension SQLiteProgressStore {
    static let sealGenesis = "duban-seal-v1"

    static let sealTableSQL = """
        CREATE TABLE seal (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )
        """

    /// Adds the seal chain and seals what is already there (all of it was written by duban).
    static func migrateToSeals(_ db: Database) throws {
        try db.execute(sql: sealTableSQL)
        for refusal in try Row.fetchAll(db, sql: "SELECT \(refusalColumns) FROM refusal ORDER BY id").map(refusal(from:)) {
            try appendSeal(.refusal, body: body(of: refusal), in: db)
        }
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting ORDER BY key") {
            try appendSeal(.setting, body: SealKind.body([row[0], row[1]]), in: db)
        }
        if try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE demo = 1")! > 0 {
            try appendSeal(.demo, body: try demoDigest(db), in: db)
        }
        for trigger in AuditSchema.triggers where trigger.since == 3 {
            try db.execute(sql: trigger.sql)
        }
    }

    /// Appends a seal: its id, kind, body and the previous seal's hash, hashed. The write lock is held.
    static func appendSeal(_ kind: SealKind, body: String, in db: Database) throws {
        let id = (try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'seal'") ?? 0) + 1
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM seal ORDER BY id DESC LIMIT 1") ?? sealGenesis
        let hash = AuditHash.of([String(id), kind.rawValue, body, previous])
        try db.execute(sql: "INSERT INTO seal (id, kind, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
                       arguments: [id, kind.rawValue, body, previous, hash])
    }

    static func sealHead(_ db: Database) throws -> (id: Int64, hash: String) {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, hash FROM seal ORDER BY id DESC LIMIT 1") else { return (0, sealGenesis) }
        return (row[0], row[1])
    }

    // MARK: - refusals

    static let refusalColumns = "id, at, account, uid, ssh_client, action, reason"

    static func refusal(from row: Row) -> Refusal {
        Refusal(id: row[0], at: row[1], account: row[2], uid: row[3], sshClient: row[4], action: row[5], reason: row[6])
    }

    static func body(of refusal: Refusal) -> String {
        SealKind.body([String(refusal.id), refusal.at, refusal.account, String(refusal.uid), refusal.sshClient ?? "\u{0}",
                       refusal.action, refusal.reason])
    }

    /// Records a refusal and its seal.
    static func insert(_ refusal: Refusal, in db: Database) throws {
        try db.execute(sql: "INSERT INTO refusal (at, account, uid, ssh_client, action, reason) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [refusal.at, refusal.account, refusal.uid, refusal.sshClient, refusal.action, refusal.reason])
        // A trigger added by hand may have swallowed the row (RAISE(IGNORE)): then it is not recorded, and must not be sealed.
        guard db.changesCount == 1 else { throw StoreError.other("refusal was not stored") }
        let stored = Refusal(id: db.lastInsertedRowID, at: refusal.at, account: refusal.account, uid: refusal.uid,
                             sshClient: refusal.sshClient, action: refusal.action, reason: refusal.reason)
        if try db.tableExists("seal") { try appendSeal(.refusal, body: body(of: stored), in: db) }
    }

    // MARK: - demo events

    /// The demo events as a whole: how many, and a digest of their hashes in order.
    static func demoDigest(_ db: Database) throws -> String {
        let hashes = try String.fetchAll(db, sql: "SELECT ifnull(hash, '') FROM event WHERE demo = 1 ORDER BY id")
        return SealKind.body([String(hashes.count), AuditHash.of(hashes)])
    }
}

/// The triggers that keep the log append-only, with the migration that made each: `audit verify` checks that each
/// is still there exactly as written (a dropped or weakened trigger lets later edits through).
enum AuditSchema {
    struct Trigger {
        let name: String
        let sql: String
        let since: Int
    }

    /// The event kinds that are a unit's own report (EventKind.isUnitReport when migration v7 was written; a test holds
    /// them equal): what report_day counts, in its migration, its triggers and `audit verify`.
    static let unitReportKinds = "'update', 'extension_request'"

    static let triggers: [Trigger] = [
        Trigger(name: "only_demo_events_may_go", sql: """
            CREATE TRIGGER only_demo_events_may_go BEFORE DELETE ON event WHEN OLD.demo = 0
            BEGIN SELECT RAISE(ABORT, 'recorded events are never deleted'); END
            """, since: 1),
        Trigger(name: "event_is_append_only", sql: """
            CREATE TRIGGER event_is_append_only BEFORE UPDATE ON event
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END
            """, since: 2),
        Trigger(name: "refusals_are_kept", sql: """
            CREATE TRIGGER refusals_are_kept BEFORE DELETE ON refusal
            BEGIN SELECT RAISE(ABORT, 'refusals are kept'); END
            """, since: 2),
        Trigger(name: "refusals_are_append_only", sql: """
            CREATE TRIGGER refusals_are_append_only BEFORE UPDATE ON refusal
            BEGIN SELECT RAISE(ABORT, 'refusals are append-only'); END
            """, since: 3),
        Trigger(name: "seals_are_append_only", sql: """
            CREATE TRIGGER seals_are_append_only BEFORE UPDATE ON seal
            BEGIN SELECT RAISE(ABORT, 'seals are append-only'); END
            """, since: 3),
        Trigger(name: "seals_are_kept", sql: """
            CREATE TRIGGER seals_are_kept BEFORE DELETE ON seal
            BEGIN SELECT RAISE(ABORT, 'seals are kept'); END
            """, since: 3),
        Trigger(name: "assignments_are_kept", sql: """
            CREATE TRIGGER assignments_are_kept BEFORE UPDATE ON assignment
            BEGIN SELECT RAISE(ABORT, 'assignments are append-only'); END
            """, since: 3),
        // Who reported on which day (report_day), kept by the database as events are written and demo events deleted.
        Trigger(name: "report_day_counts_insert", sql: """
            CREATE TRIGGER report_day_counts_insert AFTER INSERT ON event WHEN NEW.kind IN (\(unitReportKinds))
            BEGIN
                INSERT INTO report_day (plan_id, unit_id, day, events)
                    SELECT plan_id, unit_id, NEW.day, 1 FROM assignment WHERE id = NEW.assignment_id
                    ON CONFLICT (plan_id, unit_id, day) DO UPDATE SET events = events + 1;
            END
            """, since: 7),
        Trigger(name: "report_day_counts_delete", sql: """
            CREATE TRIGGER report_day_counts_delete AFTER DELETE ON event WHEN OLD.kind IN (\(unitReportKinds))
            BEGIN
                UPDATE report_day SET events = events - 1
                    WHERE plan_id = (SELECT plan_id FROM assignment WHERE id = OLD.assignment_id)
                    AND unit_id = (SELECT unit_id FROM assignment WHERE id = OLD.assignment_id) AND day = OLD.day;
                DELETE FROM report_day
                    WHERE plan_id = (SELECT plan_id FROM assignment WHERE id = OLD.assignment_id)
                    AND unit_id = (SELECT unit_id FROM assignment WHERE id = OLD.assignment_id) AND day = OLD.day AND events <= 0;
            END
            """, since: 7),
        // Each current state names its assignment's plan, node and unit (read by plan through current_state_by_plan).
        Trigger(name: "current_state_names_its_assignment", sql: """
            CREATE TRIGGER current_state_names_its_assignment AFTER INSERT ON current_state WHEN NEW.plan_id IS NULL
            BEGIN
                UPDATE current_state SET (plan_id, node_id, unit_id) =
                    (SELECT plan_id, node_id, unit_id FROM assignment WHERE id = NEW.assignment_id)
                    WHERE assignment_id = NEW.assignment_id;
            END
            """, since: 8),
    ]

    /// SQL compared without regard to spacing and line breaks.
    static func normalised(_ sql: String) -> String {
        sql.split(whereSeparator: \.isWhitespace).joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ";"))
    }
}
