import DubanCore
import Foundation
import GRDB

/// One event exactly as the SQLite store holds it — every field its hash covers, and the hashes — for moving an
/// office's history into the PostgreSQL store (`duban server migrate-from`).
public struct StoredEvent: Encodable, Sendable {
    let id: Int64
    let plan_id, node_id, unit_id, status: String
    let percent: Int
    let note: String
    let evidence: String?
    let author: String
    let uid, day: Int
    let done_since: Int?
    let recorded_at: String
    let demo: Bool
    let ssh_client: String?
    let prev_hash, hash: String
    let corrects: Int64?
    let kind: String
    let extend_to: Int?
    let review: String?
    let closed_on, extended_to, requested_to: Int?
    let request_id, claim_id: Int64?
    let percent_before_claim: Int?
    let report_id: Int64?
}

extension SQLiteProgressStore {
    /// Events after `id` in id order, at most `limit`.
    public func storedEvents(after id: Int64, limit: Int) throws -> [StoredEvent] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.id, a.plan_id, a.node_id, a.unit_id, e.status, e.percent, e.note, e.evidence, e.author, e.uid, e.day,
                       e.done_since, e.recorded_at, e.demo, e.ssh_client, e.prev_hash, e.hash, e.corrects, e.kind, e.extend_to,
                       e.review, e.closed_on, e.extended_to, e.requested_to, e.request_id, e.claim_id, e.percent_before_claim, e.report_id
                FROM event e JOIN assignment a ON a.id = e.assignment_id WHERE e.id > ? ORDER BY e.id LIMIT ?
                """, arguments: [id, limit]).map { r in
                StoredEvent(id: r[0], plan_id: r[1], node_id: r[2], unit_id: r[3], status: r[4], percent: r[5], note: r[6], evidence: r[7],
                            author: r[8], uid: r[9], day: r[10], done_since: r[11], recorded_at: r[12], demo: (r[13] as Int) != 0,
                            ssh_client: r[14], prev_hash: r[15], hash: r[16], corrects: r[17], kind: r[18], extend_to: r[19],
                            review: r[20], closed_on: r[21], extended_to: r[22], requested_to: r[23], request_id: r[24], claim_id: r[25],
                            percent_before_claim: r[26], report_id: r[27])
            }
        }
    }

    /// The last chained event and its hash (what `audit_head` says).
    public func chainHead() throws -> (eventID: Int64, hash: String) {
        try read { db in
            let head = try Self.chainHead(db)
            return (head.id, head.hash)
        }
    }
}
