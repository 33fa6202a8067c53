import DubanCore
import Foundation
import GRDB
import GRDBSQLite

/// The embedded store: one SQLite file in WAL mode, shared safely by many processes.
///
/// Events are appended and never changed (triggers refuse UPDATE, and DELETE of anything but demo
/// events). `current_state` points at each assignment's latest event and is maintained in the same
/// transaction; it names the plan, and an index keeps a plan's states together, so "now" is one range of
/// that index. "As of a day" reads the same range and, for the states written after that day only, seeks
/// `event(assignment_id, day, id)`. Either way the cost follows the plan's size, not the database's.
public final class SQLiteProgressStore: ProgressStore, @unchecked Sendable {
    public let path: String
    /// One connection: a command reads and writes from one thread, and each further connection would read the schema
    /// again. Other processes read beside it, never waiting for its writes (WAL).
    let database: DatabaseQueue
    /// Who is acting: every write is checked against the access policy here, whichever front end asks.
    public let principal: Principal

    /// Opens (creating if needed) the database at `path`. The directory must exist. A writer waits up to
    /// `lockTimeout` seconds for another process's transaction before giving up with `.busy`.
    /// An account the access file does not list is refused (and the refusal recorded) before anything is read.
    public convenience init(path: String, readOnly: Bool = false, lockTimeout: Double = 15,
                            principal: Principal = .singleUser(account: "local", uid: Int(getuid()))) throws {
        try self.init(path: path, readOnly: readOnly, lockTimeout: lockTimeout, principalFor: { _ in principal })
    }

    /// As above, with the principal decided once the file is open, from the access file the database names (nil: none
    /// yet): who may act depends on that binding, and reading it through this connection spares every command a
    /// second open of the file (its schema read and its -wal and -shm made and removed twice).
    public init(path: String, readOnly: Bool = false, lockTimeout: Double = 15,
                principalFor decide: (_ governingAccessFile: String?) throws -> Principal) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw StoreError.missingDirectory(path: directory)
        }
        // SQLite's own word for a directory is "disk I/O error", which sends a clerk to look at the disk.
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG { throw StoreError.notAFile(path: path) }
        try Self.checkCompanions(of: path, readOnly: readOnly)
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(lockTimeout)
        config.label = "duban"
        config.prepareDatabase { db in
            // Durable commits: in WAL mode, FULL syncs the log on every commit.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Pages are copied through read(2), not mapped: a command reads a few hundred pages of a plan's states,
            // and mapping them cost more than copying (the kernel maps sixteen pages around each one touched and
            // unmaps them all at exit): at 10M events `progress` took 36 → 35 ms of CPU and 56 → 36 MB, `summary` 46 → 43
            // ms and 60 → 38 MB. Only reads that look back through thousands of events map it (`mappedLookbacks`).
            try db.execute(sql: "PRAGMA mmap_size = 0")
            // SQLite's own 2 MB of page cache: a command reads each page about once, and a larger cache only grew the
            // heap (an overdue list's 8,000 notes: 62 → 44 MB, and 83 → 69 ms without the page faults).
            try db.execute(sql: "PRAGMA cache_size = -2000")
        }
        func failed(_ error: Error) -> Error {
            if error is StoreError { return error }
            // Opening on a full disk fails wherever SQLite first needs room (the shared memory beside a new file, say),
            // and what it then reports ("no such table") is a symptom: the cause is named instead.
            if Self.diskIsFull(near: path) { return StoreError.diskFull(path: path) }
            return Self.translate(error, path: path)
        }
        do {
            database = try DatabaseQueue(path: readOnly ? try Self.readablePath(path) : path, configuration: config)
        } catch {
            throw failed(error)
        }
        // The schema as it should be: one look at the migrations applied (a complete database needs nothing more; the
        // migrator's own check waits on the writer's barrier, on every command). A reader that starts while the first
        // writer makes the file waits for its schema; a writer that cannot look takes its turn at the set-up.
        let database = database
        func completeSchema() throws {
            do {
                // Only "written by a newer duban" stops a reader here; a look that fails (the schema half made, "no such
                // table") is waited out like a missing one.
                let applied: Set<String>?
                do {
                    applied = try Self.appliedMigrations(database, path: path)
                } catch let error as StoreError where readOnly {
                    throw error
                } catch {
                    applied = nil
                }
                if applied != Set(Self.migrator.migrations) {
                    if readOnly { try Self.awaitSchema(database, path: path) } else { try Self.setUp(database, path: path) }
                }
            } catch {
                throw failed(error)
            }
        }
        // Who is acting follows from the access file the database names. A writer reads it before anything is written
        // (a schema upgrade included), so an account the binding refuses changes nothing; a reader, which writes nothing,
        // once the schema is whole (read sooner, while the first writer made the file, it left the reader's connection
        // looking at a schema half made: "no such table").
        func binding() throws -> String? {
            do { return try database.read(Self.governingAccessFile) } catch { throw failed(error) }
        }
        if readOnly { try completeSchema() }
        principal = try decide(try binding())
        try authorize(.read)
        if !readOnly { try completeSchema() }
    }

    /// A new database (or one an older duban made) is given WAL mode and its tables by one process at a time: several
    /// creating it at the same moment otherwise raced through SQLite's change of journal mode (one told "busy", another
    /// "no such table"). The lock is a flock on the directory, not the file: closing any descriptor of the database
    /// would drop SQLite's own locks on it. Without the lock (a directory this account cannot read) the retries in
    /// `migrate` remain.
    private static func setUp(_ database: DatabaseQueue, path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let lock = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if lock >= 0 { close(lock) } }   // which releases the flock
        if lock >= 0 { while flock(lock, LOCK_EX) != 0 && errno == EINTR {} }
        if try appliedMigrations(database, path: path) == Set(migrator.migrations) { return }
        try useWAL(database, path: path)
        try migrate(database)
    }

    /// The migrations applied. A database a newer duban has changed is neither written (its schema would be
    /// half-understood) nor read.
    private static func appliedMigrations(_ database: DatabaseQueue, path: String) throws -> Set<String> {
        let applied = try database.read { try migrator.appliedIdentifiers($0) }
        if !applied.isSubset(of: Set(migrator.migrations)) {
            throw StoreError.other("数据库 \(path) 由更新版本的 duban 写过，本版本不认识其中的结构变更；为免损坏，不读也不写。请升级 duban")
        }
        return applied
    }

    /// WAL mode, kept in the file, so readers in other processes never wait for a writer: set once, when the file is
    /// new. (GRDB's DatabasePool sets it up on every open by creating and dropping a table whenever the -wal file is
    /// absent, as it is after every command: a schema change on each `update` that every other connection then read
    /// again; and its set-up left the writer at synchronous = NORMAL, where an acknowledged commit waited for the next
    /// checkpoint to reach the disk.)
    private static func useWAL(_ database: DatabaseQueue, path: String) throws {
        try database.writeWithoutTransaction { db in
            guard try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" else { return }
            guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                throw StoreError.other("数据库 \(path) 无法切换到 WAL 日志模式（所在文件系统可能不支持共享内存）")
            }
        }
    }

    /// Several processes may open a new database at the same moment. GRDB checks which migrations are
    /// applied before taking the write lock, so the loser of the race either waits on the lock and then
    /// fails to create tables that now exist, or sees SQLITE_BUSY. Either way: look again, and if the
    /// schema is complete, carry on. Anything else (a full disk, an I/O error) is no race: it is reported at once.
    private static func migrate(_ database: DatabaseQueue) throws {
        var attempt = 0
        while true {
            do {
                try migrator.migrate(database)
                return
            } catch let error as DatabaseError {
                switch error.resultCode {
                case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_ERROR: break
                default: throw error
                }
                attempt += 1
                if (try? database.read({ try migrator.hasCompletedMigrations($0) })) == true { return }
                if attempt >= 100 { throw error }
                usleep(50_000)
            }
        }
    }

    /// What SQLite is to open for reading `path`. A WAL database is read through its shared-memory file (-shm), which a
    /// read-only copy in a directory this account cannot write (an archived year, a file handed over on a read-only
    /// share) has nowhere to keep: such a copy, with no write bit for anyone, cannot change (root aside), so it is read
    /// as immutable, without locks or shared memory. One whose -wal still holds records is refused: immutable reading
    /// would not see them. Anything else opens as it is, and SQLite names what is wrong.
    static func readablePath(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o222 == 0 else { return path }
        let directory = (path as NSString).deletingLastPathComponent
        guard faccessat(AT_FDCWD, directory.isEmpty ? "." : directory, W_OK, AT_EACCESS) != 0,
              access(path + "-shm", F_OK) != 0 else { return path }
        var log = stat()
        if stat(path + "-wal", &log) == 0, log.st_size > 0 {
            throw StoreError.other("数据库“\(path)”是只读副本，但它的日志文件（-wal）里还有没并入的记录，只读打开会看不到它们："
                + "请在原处用 duban 打开一次（记录即并入主文件）后再复制，或把日志文件一起放到可写的目录里")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute) + "?immutable=1"
    }

    /// SQLite's -wal and -shm files beside the database: a symbolic link there would send the journal into
    /// someone else's file, and one left unwritable by another account (0444) makes SQLite report the database
    /// itself as read-only. Both are named for what they are.
    static func checkCompanions(of path: String, readOnly: Bool) throws {
        for suffix in ["-wal", "-shm"] {
            let companion = path + suffix
            var info = stat()
            guard lstat(companion, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                throw StoreError.other("\(companion) 是符号链接：为安全起见不打开数据库；请管理员删除这个链接（SQLite 会自动重建该文件）")
            }
            // Effective rights: installed setuid, duban writes as the service account, not as the caller.
            if !readOnly, faccessat(AT_FDCWD, companion, W_OK, AT_EACCESS) != 0 {
                throw StoreError.other("\(companion) 对当前账号不可写（权限 \(String(info.st_mode & 0o777, radix: 8))，属主 uid \(info.st_uid)）："
                    + "多半是别的账号留下的旧文件；请管理员改为组可写（chmod 660）或在无人使用时删除")
            }
        }
    }

    /// A reader that opens a database the first writer is still creating waits for its schema (a few seconds at
    /// most) instead of failing with "no such table".
    private static func awaitSchema(_ database: DatabaseQueue, path: String) throws {
        // An empty file is a database whose creation failed (a full disk): nothing to wait for, and nothing lost.
        var info = stat()
        if stat(path, &info) == 0, info.st_size == 0 {
            throw StoreError.other("数据库文件“\(path)”是空的（上次创建时可能磁盘已满），里面没有记录；有写权限的账号再运行一次 duban 即会重建")
        }
        // A database an older duban wrote (some migrations, not all): a reader that may write brings it up to date,
        // so a leader's summary works right after an upgrade.
        let applied = (try? database.read { try migrator.appliedIdentifiers($0) }) ?? []
        if !applied.isEmpty, (try? database.read({ try migrator.hasCompletedMigrations($0) })) == false,
           faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0 {
            var config = Configuration()
            config.busyMode = .timeout(15)
            if let writer = try? DatabaseQueue(path: path, configuration: config) { try? setUp(writer, path: path) }
        }
        for _ in 0..<100 {
            if (try? database.read({ try migrator.hasCompletedMigrations($0) })) == true { return }
            usleep(50_000)
        }
        throw StoreError.other("数据库 \(path) 还没有建好（表结构不完整）：请稍后再试，或用有写权限的账号运行一次 duban")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 events") { db in
            try db.execute(sql: """
                CREATE TABLE assignment (
                    id INTEGER PRIMARY KEY,
                    plan_id TEXT NOT NULL,
                    node_id TEXT NOT NULL,
                    unit_id TEXT NOT NULL,
                    UNIQUE (plan_id, node_id, unit_id)
                );
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    assignment_id INTEGER NOT NULL REFERENCES assignment(id),
                    status TEXT NOT NULL CHECK (status IN ('未启动', '推进中', '已完成', '暂缓')),
                    percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
                    note TEXT NOT NULL DEFAULT '',
                    evidence TEXT,
                    author TEXT NOT NULL,
                    uid INTEGER NOT NULL,
                    day INTEGER NOT NULL,          -- CivilDate.dayNumber of the progress
                    done_since INTEGER,            -- for 已完成: the day the final stretch of 已完成 began
                    recorded_at TEXT NOT NULL,     -- ISO 8601 UTC
                    demo INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX event_by_assignment_day ON event (assignment_id, day, id);
                -- Each assignment's latest event, copied: "now" reads this narrow table, clustered by
                -- assignment, instead of seeking one event per assignment across the whole log.
                CREATE TABLE current_state (
                    assignment_id INTEGER PRIMARY KEY REFERENCES assignment(id),
                    event_id INTEGER NOT NULL REFERENCES event(id),
                    status TEXT NOT NULL,
                    percent INTEGER NOT NULL,
                    note TEXT NOT NULL,
                    evidence TEXT,
                    author TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    done_since INTEGER,
                    recorded_at TEXT NOT NULL
                );
                CREATE TRIGGER event_is_append_only BEFORE UPDATE ON event
                BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TRIGGER only_demo_events_may_go BEFORE DELETE ON event WHEN OLD.demo = 0
                BEGIN SELECT RAISE(ABORT, 'recorded events are never deleted'); END;
                """)
        }
        migrator.registerMigration("v2 audit") { db in try Self.migrateToAudit(db) }
        migrator.registerMigration("v3 seals") { db in try Self.migrateToSeals(db) }
        // A record may be marked as the correction (更正) of the assignment's previous one; covered by its hash.
        migrator.registerMigration("v4 corrections") { db in
            try db.execute(sql: "ALTER TABLE event ADD COLUMN corrects INTEGER")
        }
        // The office's steps (审核销号, 延期) are events too; every event carries the assignment's whole state after it
        // (CarriedState), so "as of a day" stays one lookup of that day's latest event.
        migrator.registerMigration("v5 review") { db in
            try db.execute(sql: """
                ALTER TABLE event ADD COLUMN kind TEXT NOT NULL DEFAULT 'update';
                ALTER TABLE event ADD COLUMN extend_to INTEGER;
                ALTER TABLE event ADD COLUMN review TEXT;
                ALTER TABLE event ADD COLUMN closed_on INTEGER;
                ALTER TABLE event ADD COLUMN extended_to INTEGER;
                ALTER TABLE event ADD COLUMN requested_to INTEGER;
                ALTER TABLE event ADD COLUMN request_id INTEGER;
                ALTER TABLE event ADD COLUMN claim_id INTEGER;
                ALTER TABLE event ADD COLUMN percent_before_claim INTEGER;
                ALTER TABLE event ADD COLUMN report_id INTEGER;
                ALTER TABLE current_state ADD COLUMN review TEXT;
                ALTER TABLE current_state ADD COLUMN closed_on INTEGER;
                ALTER TABLE current_state ADD COLUMN extended_to INTEGER;
                ALTER TABLE current_state ADD COLUMN requested_to INTEGER;
                ALTER TABLE current_state ADD COLUMN report_id INTEGER;
                """)
        }
        // Each bulletin made, so the next can say what changed since (`export bulletin --since last`).
        migrator.registerMigration("v6 bulletins") { db in
            try db.execute(sql: """
                CREATE TABLE bulletin_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    plan_id TEXT NOT NULL,
                    as_of INTEGER NOT NULL,
                    made_at TEXT NOT NULL,
                    account TEXT NOT NULL
                );
                """)
        }
        // Who reported on which day, kept as events are written (a trigger, so no writer can forget it): the leader's
        // summary and the bulletin read a few hundred rows here instead of a DISTINCT over a plan's whole event log.
        migrator.registerMigration("v7 report days") { db in
            try db.execute(sql: """
                CREATE TABLE report_day (
                    plan_id TEXT NOT NULL,
                    unit_id TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    events INTEGER NOT NULL,
                    PRIMARY KEY (plan_id, unit_id, day)
                ) WITHOUT ROWID;
                INSERT INTO report_day (plan_id, unit_id, day, events)
                    SELECT a.plan_id, a.unit_id, e.day, count(*) FROM event e JOIN assignment a ON a.id = e.assignment_id
                    WHERE e.kind IN (\(AuditSchema.unitReportKinds)) GROUP BY a.plan_id, a.unit_id, e.day;
                -- Whether a plan shows demo figures is asked on every screen: look among the demo events only.
                CREATE INDEX event_demo ON event (assignment_id, day) WHERE demo = 1;
                """)
            for trigger in AuditSchema.triggers where trigger.since == 7 { try db.execute(sql: trigger.sql) }
        }
        // A plan's "now" read every command makes: assignments are registered at their first report, so a plan's rows
        // lay scattered over the whole of current_state (one progress read ~56 MB of pages for 1 MB of rows at 10M
        // events). Each state names its plan, node and unit (a trigger copies them, so no writer can forget) and an
        // index holding every column that read needs keeps a plan's states together.
        migrator.registerMigration("v8 states by plan") { db in
            try db.execute(sql: """
                ALTER TABLE current_state ADD COLUMN plan_id TEXT;
                ALTER TABLE current_state ADD COLUMN node_id TEXT;
                ALTER TABLE current_state ADD COLUMN unit_id TEXT;
                UPDATE current_state SET (plan_id, node_id, unit_id) =
                    (SELECT plan_id, node_id, unit_id FROM assignment WHERE id = current_state.assignment_id);
                CREATE INDEX current_state_by_plan ON current_state
                    (plan_id, node_id, unit_id, event_id, status, percent, day, done_since, review, closed_on, extended_to,
                     requested_to, report_id);
                """)
            for trigger in AuditSchema.triggers where trigger.since == 8 { try db.execute(sql: trigger.sql) }
        }
        return migrator
    }


    // MARK: - writing

    public func record(_ update: NewUpdate, expecting: Int64?) throws -> ProgressEvent {
        try authorize(update.accessAction)
        do {
            return try database.writeWithoutTransaction { db in
                var event: ProgressEvent!
                try db.inTransaction(.immediate) {
                    event = try Self.append(update, expecting: expecting, demo: false, in: db, by: principal)
                    return .commit
                }
                return event
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    public func replaceDemoEvents(_ updates: [NewUpdate]) throws {
        try authorize(.demo)
        do {
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "DELETE FROM current_state WHERE event_id IN (SELECT id FROM event WHERE demo = 1)")
                    try db.execute(sql: "DELETE FROM event WHERE demo = 1")
                    // Assignments whose latest event was a demo one fall back to their latest real event.
                    try db.execute(sql: """
                        INSERT INTO current_state (assignment_id, event_id, status, percent, note, evidence, author, day, done_since,
                                                   recorded_at, review, closed_on, extended_to, requested_to, report_id)
                        SELECT e.assignment_id, e.id, e.status, e.percent, e.note, e.evidence, e.author, e.day, e.done_since, e.recorded_at,
                               e.review, e.closed_on, e.extended_to, e.requested_to, e.report_id
                        FROM assignment a JOIN event e
                          ON e.id = (SELECT id FROM event WHERE assignment_id = a.id ORDER BY day DESC, id DESC LIMIT 1)
                        WHERE a.id NOT IN (SELECT assignment_id FROM current_state)
                        """)
                    // In date order, and in the given order within a day: a claim comes before its approval.
                    for update in updates.enumerated().sorted(by: { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }).map(\.element) {
                        _ = try Self.append(update, expecting: nil, demo: true, in: db, by: principal, allowBackdating: true)
                    }
                    try Self.appendSeal(.demo, body: try Self.demoDigest(db), in: db)
                    return .commit
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    private static func append(_ update: NewUpdate, expecting: Int64?, demo: Bool, in db: Database, by principal: Principal,
                               allowBackdating: Bool = false) throws -> ProgressEvent {
        // The last door for every front end: text that cannot be stored (and hashed) exactly as given is refused.
        if let (field, scalar) = update.forbiddenCharacter {
            throw StoreError.other("\(field)中含有控制字符或方向控制字符 \(SafeText.codePoint(scalar))，未保存；请删去后重新登记")
        }
        // On a shared server the event is signed by the process's account, whatever the caller says.
        var update = update
        if principal.shared {
            update.author = principal.account
            update.uid = principal.uid
        }
        try db.execute(sql: "INSERT OR IGNORE INTO assignment (plan_id, node_id, unit_id) VALUES (?, ?, ?)",
                       arguments: [update.planID, update.nodeID, update.unitID])
        let assignmentID = try Int64.fetchOne(
            db, sql: "SELECT id FROM assignment WHERE plan_id = ? AND node_id = ? AND unit_id = ?",
            arguments: [update.planID, update.nodeID, update.unitID])!
        let current = try Row.fetchOne(db, sql: "SELECT event_id AS id, day FROM current_state WHERE assignment_id = ?",
                                       arguments: [assignmentID])
        let currentID: Int64? = current?["id"]
        // A correction is of the latest record, as the clerk saw it: otherwise someone has written since.
        if let corrects = update.corrects, corrects != currentID {
            let latest = try currentID.flatMap { try fetchEvent(id: $0, in: db) }
            throw StoreError.conflict(expected: corrects, current: latest)
        }
        if let expecting, expecting != (currentID ?? 0) {
            let latest = try currentID.flatMap { try fetchEvent(id: $0, in: db) }
            throw StoreError.conflict(expected: expecting, current: latest)
        }
        let day = update.date.dayNumber
        if let current, let currentDay: Int = current["day"], day < currentDay {
            if !allowBackdating, let latest = try fetchEvent(id: currentID!, in: db) {
                throw StoreError.datedBeforeLatest(latest: latest)
            }
        }
        // The id is taken before the insert so the hash can cover it; the write lock is held (BEGIN IMMEDIATE).
        let id = (try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'event'") ?? 0) + 1
        // The state the event follows: the latest on or before its day — the current one, except for a back-dated
        // demo event, which follows its own day's history.
        let base = try Row.fetchOne(db, sql: """
            SELECT e.id, e.status, e.percent, e.day, e.done_since, e.review, e.closed_on, e.extended_to, e.requested_to,
                   e.request_id, e.claim_id, e.percent_before_claim, e.report_id
            FROM event e WHERE e.assignment_id = ? AND e.day <= ? ORDER BY e.day DESC, e.id DESC LIMIT 1
            """, arguments: [assignmentID, day])
        let before = base.map(carriedState(from:))
        if !demo, let closed = before?.closedReason(for: update) { throw StoreError.rejected(closed) }
        let carried: CarriedState
        do {
            carried = try CarriedState.next(after: before, applying: update, eventID: id)
        } catch let error as CarriedState.TransitionError {
            throw StoreError.rejected(error.description)
        }
        let recordedAt = Self.timestamp()
        let link = AuditLink(id: id, update: update, carried: carried, day: day, recordedAt: recordedAt,
                             sshClient: principal.sshClient, demo: demo)
        let previous = demo ? AuditLink.demoAnchor : try chainHead(db).hash
        let hash = link.hash(previous: previous)
        try db.execute(sql: """
            INSERT INTO event (id, assignment_id, status, percent, note, evidence, author, uid, day, done_since, recorded_at, demo,
                               ssh_client, prev_hash, hash, corrects, kind, extend_to, review, closed_on, extended_to, requested_to,
                               request_id, claim_id, percent_before_claim, report_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, assignmentID, link.status, link.percent, update.note, update.evidence,
                             update.author, update.uid, day, link.doneSince, recordedAt, demo ? 1 : 0,
                             principal.sshClient, previous, hash, update.corrects, update.kind.rawValue, link.extendTo,
                             link.review, link.closedOn, link.extendedTo, link.requestedTo, link.requestID, link.claimID,
                             link.percentBeforeClaim, link.reportID])
        if !demo { try db.execute(sql: "UPDATE audit_head SET event_id = ?, hash = ?", arguments: [id, hash]) }
        let event = ProgressEvent(id: id, planID: update.planID, nodeID: update.nodeID, unitID: update.unitID, status: carried.status,
                                  percent: carried.percent, note: update.note, evidence: update.evidence, author: update.author,
                                  date: update.date, recordedAt: recordedAt, corrects: update.corrects, kind: update.kind,
                                  extendTo: update.extendTo, review: carried.review)
        // A back-dated (demo) event earlier than the current latest is history, not the current state.
        if let currentDay: Int = current?["day"], day < currentDay { return event }
        try db.execute(sql: """
            INSERT OR REPLACE INTO current_state
                (assignment_id, event_id, status, percent, note, evidence, author, day, done_since, recorded_at,
                 review, closed_on, extended_to, requested_to, report_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [assignmentID, id, link.status, link.percent, update.note, update.evidence,
                             update.author, day, link.doneSince, recordedAt, link.review, link.closedOn, link.extendedTo, link.requestedTo,
                             link.reportID])
        return event
    }

    /// The state the assignment's latest event left (the columns of `append`'s query, by position).
    private static func carriedState(from row: Row) -> CarriedState {
        func day(_ i: Int) -> CivilDate? { (row[i] as Int?).map(CivilDate.init(dayNumber:)) }
        return CarriedState(status: Status(rawValue: row[1]) ?? .notStarted, percent: row[2], doneSince: day(4),
                            review: (row[5] as String?).flatMap(ReviewState.init(rawValue:)), closedOn: day(6), extendedTo: day(7),
                            requestedTo: day(8), requestID: row[9], claimID: row[10], percentBeforeClaim: row[11], reportID: row[12])
    }

    // MARK: - reading

    /// The columns `event(from:)` reads, by position (name lookups cost more than the query at scale).
    private static let eventColumns = """
        e.id, a.plan_id, a.node_id, a.unit_id, e.status, e.percent, e.note, e.evidence, e.author, e.day, e.done_since, e.recorded_at, e.demo,
        e.corrects, e.kind, e.extend_to, e.review
        """
    private static let currentColumns = """
        e.event_id, a.plan_id, a.node_id, a.unit_id, e.status, e.percent, e.note, e.evidence, e.author, e.day, e.done_since, e.recorded_at,
        (SELECT demo FROM event WHERE id = e.event_id), (SELECT corrects FROM event WHERE id = e.event_id),
        (SELECT kind FROM event WHERE id = e.event_id), (SELECT extend_to FROM event WHERE id = e.event_id), e.review
        """

    /// An "as of" read in which thousands of assignments look back through their events (each a walk down the event
    /// index to a page anywhere in the file) maps the file, and the connection keeps the mapping: a dashboard stepping
    /// back month by month would otherwise map and unmap 1.4 GB on every step. Every other read copies the pages it
    /// needs. At 10M events mapping saved 5 ms with 7,777 look-backs and 17 ms with 14,258 (the worst case), nothing
    /// with 251, and raised peak RSS by 80–90 MB of mapped pages. The whole file, up to SQLite's ceiling (2 GB): a
    /// province's 10M events make 1.4 GB.
    static let mappedLookbacks = (from: 1_000, bytes: 2_147_418_112)

    public func visitStates(planID: String, asOf: CivilDate?,
                            _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, AssignmentState) throws -> Void) throws {
        // The plan's current states: one range of current_state_by_plan.
        let current = """
            SELECT node_id, unit_id, event_id, status, percent, day, done_since,
                   review, closed_on, extended_to, requested_to, report_id
            FROM current_state INDEXED BY current_state_by_plan WHERE plan_id = ?1
            """
        let sql: String
        let arguments: StatementArguments
        if let asOf {
            // An assignment whose latest event is on or before the day was in that state then too: only the ones
            // written to since look back through their events (a bulletin as of last month's end finds most unchanged).
            sql = current + """
                 AND day <= ?2
                UNION ALL
                SELECT c.node_id, c.unit_id, e.id, e.status, e.percent, e.day, e.done_since,
                       e.review, e.closed_on, e.extended_to, e.requested_to, e.report_id
                FROM current_state c INDEXED BY current_state_by_plan
                JOIN event e ON e.id = (SELECT id FROM event WHERE assignment_id = c.assignment_id AND day <= ?2
                                        ORDER BY day DESC, id DESC LIMIT 1)
                WHERE c.plan_id = ?1 AND c.day > ?2
                """
            arguments = [planID, asOf.dayNumber]
        } else {
            sql = current
            arguments = [planID]
        }
        try read { db in
            // As of a day: how many states were written after it, each of which looks back through its events (one pass
            // over the plan's range of current_state_by_plan).
            if let asOf, try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM current_state INDEXED BY current_state_by_plan WHERE plan_id = ? AND day > ?
                """, arguments: [planID, asOf.dayNumber]) ?? 0 >= Self.mappedLookbacks.from {
                try db.execute(sql: "PRAGMA mmap_size = \(Self.mappedLookbacks.bytes)")
            }
            try Self.forEachRow(db, sql: sql, arguments: arguments) { handle in
                func day(_ i: Int32) -> CivilDate? {
                    sqlite3_column_type(handle, i) == SQLITE_NULL ? nil : CivilDate(dayNumber: Int(sqlite3_column_int64(handle, i)))
                }
                func bytes(_ i: Int32) -> UnsafeBufferPointer<UInt8> { Self.text(handle, i) }
                let state = AssignmentState(
                    eventID: sqlite3_column_int64(handle, 2), status: StateSpellings.status.value(bytes(3)) ?? .notStarted,
                    percent: Int(sqlite3_column_int64(handle, 4)), date: CivilDate(dayNumber: Int(sqlite3_column_int64(handle, 5))),
                    doneOn: day(6), review: StateSpellings.review.value(bytes(7)), closedOn: day(8), extendedTo: day(9), requestedTo: day(10),
                    reportEventID: sqlite3_column_type(handle, 11) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 11))
                try body(bytes(0), bytes(1), state)
            }
        }
    }

    /// A text column of the current row as UTF-8, valid until the statement steps on.
    static func text(_ row: OpaquePointer, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: sqlite3_column_text(row, column), count: Int(sqlite3_column_bytes(row, column)))
    }

    /// Steps through a query's rows, calling `body` with the statement at each: thousands of rows per plan are read
    /// column by column straight from SQLite, as GRDB's Row converts every column of every row at a cost above the
    /// query's own.
    static func forEachRow(_ db: Database, sql: String, arguments: StatementArguments,
                           _ body: (_ row: OpaquePointer) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            try body(handle)
        }
    }

    public func events(ids: [Int64]) throws -> [Int64: ProgressEvent] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var result: [Int64: ProgressEvent] = [:]
            // In chunks: SQLite limits the number of bound parameters.
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(Self.eventColumns) FROM event e JOIN assignment a ON a.id = e.assignment_id WHERE e.id IN (\(marks))
                    """, arguments: StatementArguments(chunk))
                for row in rows {
                    let event = Self.event(from: row)
                    result[event.id] = event
                }
            }
            return result
        }
    }

    public func notes(ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var result: [Int64: String] = [:]
            result.reserveCapacity(ids.count)
            // One primary-key lookup per id, stepped directly (GRDB's per-fetch set-up cost more than the lookup), in
            // ascending order: each descent then finds the interior pages of the one before still in the page cache,
            // where in list order every lookup read its path afresh from the file.
            let handle = try db.cachedStatement(sql: "SELECT note FROM event WHERE id = ?").sqliteStatement
            defer { sqlite3_reset(handle) }
            for id in Set(ids).sorted() {
                sqlite3_reset(handle)
                sqlite3_bind_int64(handle, 1, id)
                let code = sqlite3_step(handle)
                if code == SQLITE_ROW {
                    result[id] = sqlite3_column_text(handle, 0).map { String(cString: $0) } ?? ""
                } else if code != SQLITE_DONE {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }
            return result
        }
    }

    public func history(planID: String, nodeID: String?, unitID: String?, asOf: CivilDate?) throws -> [ProgressEvent] {
        var conditions = ["a.plan_id = ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [planID]
        if let nodeID {
            conditions.append("(a.node_id = ? OR a.node_id LIKE ?)")
            arguments += [nodeID, nodeID + ".%"]
        }
        if let unitID {
            conditions.append("a.unit_id = ?")
            arguments.append(unitID)
        }
        if let asOf {
            conditions.append("e.day <= ?")
            arguments.append(asOf.dayNumber)
        }
        let sql = """
            SELECT \(Self.eventColumns) FROM event e JOIN assignment a ON a.id = e.assignment_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY e.day, e.id
            """
        return try read { db in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.event(from:)) }
    }

    public func latest(planID: String, nodeID: String, unitID: String) throws -> ProgressEvent? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT \(Self.currentColumns) FROM assignment a JOIN current_state e ON e.assignment_id = a.id
                WHERE a.plan_id = ? AND a.node_id = ? AND a.unit_id = ?
                """, arguments: [planID, nodeID, unitID]).map(Self.event(from:))
        }
    }

    public func changeToken() throws -> Int64 {
        // AUTOINCREMENT's counter only grows, and every write (demo replacement included) inserts.
        try read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'event'") ?? 0 }
    }

    public func demoEventCount(planID: String, asOf: CivilDate?) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM event e INDEXED BY event_demo JOIN assignment a ON a.id = e.assignment_id
                WHERE a.plan_id = ? AND e.demo = 1 AND e.day <= ?
                """, arguments: [planID, (asOf ?? CivilDate.endOfYear(9999)).dayNumber]) ?? 0
        }
    }

    public func reportDays(planID: String, asOf: CivilDate?) throws -> [String: [CivilDate]] {
        try read { db in
            // A province plan has thousands (a unit's every report day): a unit's id is made once, when its rows begin.
            var result: [String: [CivilDate]] = [:]
            var unit: (id: [UInt8], days: [CivilDate]) = ([], [])
            func finishUnit() { if !unit.days.isEmpty { result[String(decoding: unit.id, as: UTF8.self)] = unit.days } }
            try Self.forEachRow(db, sql: """
                SELECT unit_id, day FROM report_day WHERE plan_id = ? AND day <= ? ORDER BY unit_id, day
                """, arguments: [planID, (asOf ?? CivilDate.endOfYear(9999)).dayNumber]) { row in
                let id = Self.text(row, 0)
                if !unit.id.elementsEqual(id) {
                    finishUnit()
                    unit = (Array(id), [])
                }
                unit.days.append(CivilDate(dayNumber: Int(sqlite3_column_int64(row, 1))))
            }
            finishUnit()
            return result
        }
    }

    public func recordBulletin(planID: String, asOf: CivilDate) throws {
        do {
            try database.write { db in
                try db.execute(sql: "INSERT INTO bulletin_log (plan_id, as_of, made_at, account) VALUES (?, ?, ?, ?)",
                               arguments: [planID, asOf.dayNumber, Self.timestamp(), principal.account])
            }
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    public func lastBulletin(planID: String) throws -> BulletinRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT plan_id, as_of, made_at, account FROM bulletin_log WHERE plan_id = ? ORDER BY id DESC LIMIT 1",
                             arguments: [planID]).map {
                BulletinRecord(planID: $0[0], asOf: CivilDate(dayNumber: $0[1]), madeAt: $0[2], account: $0[3])
            }
        }
    }

    public func eventCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? 0 }
    }

    public func hasEvents() throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM event)") ?? false }
    }

    /// `PRAGMA integrity_check`: "ok" when the file is whole.
    public func integrityCheck() throws -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n") }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    private static func fetchEvent(id: Int64, in db: Database) throws -> ProgressEvent? {
        try Row.fetchOne(db, sql: """
            SELECT \(eventColumns) FROM event e JOIN assignment a ON a.id = e.assignment_id WHERE e.id = ?
            """, arguments: [id]).map(event(from:))
    }

    private static func event(from row: Row) -> ProgressEvent {
        ProgressEvent(
            id: row[0], planID: row[1], nodeID: row[2], unitID: row[3],
            status: Status(rawValue: row[4]) ?? .notStarted, percent: row[5], note: row[6],
            evidence: row[7], author: row[8], date: CivilDate(dayNumber: row[9]), recordedAt: row[11], demo: (row[12] as Int) != 0,
            corrects: row[13], kind: EventKind(rawValue: row[14]) ?? .update, extendTo: (row[15] as Int?).map(CivilDate.init(dayNumber:)),
            review: (row[16] as String?).flatMap(ReviewState.init(rawValue:)))
    }

    /// ISO 8601 in the server's local time with its offset (2026-11-21T09:30:00.000+08:00): what a clerk
    /// reads as “when” is the office's clock, and the instant is still exact.
    public static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var local = tm()
        localtime_r(&seconds, &local)
        return Timestamp.iso8601(secondsSinceEpoch: Int(now.tv_sec), milliseconds: Int(now.tv_nsec / 1_000_000),
                                 utcOffsetSeconds: Int(local.tm_gmtoff))
    }

    /// Under 4 MB free where the database lives: too little for SQLite's journal and shared memory to grow.
    static func diskIsFull(near path: String) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        var fs = statvfs()
        return statvfs(directory.isEmpty ? "." : directory, &fs) == 0 && UInt64(fs.f_bavail) * UInt64(fs.f_frsize) < 4 * 1024 * 1024
    }

    static func translate(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_READONLY: return .readOnly(path: path)
            case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(path: path)
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .notADatabase(path: path)
            case .SQLITE_FULL, .SQLITE_IOERR:
                // SQLite often says only "disk I/O error" when the journal or shared memory cannot grow: look.
                if diskIsFull(near: path) { return .diskFull(path: path) }
                return .other("读写“\(path)”时磁盘出错（\(error.message ?? "I/O error")）；请检查磁盘后重试")
            case .SQLITE_CANTOPEN:
                let directory = (path as NSString).deletingLastPathComponent
                if !FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory) { return .readOnly(path: path) }
                return .other("无法打开“\(path)”：\(error.message ?? "")")
            default: return .other(error.message ?? "\(error)")
            }
        }
        return .other("\(error)")
    }
}
