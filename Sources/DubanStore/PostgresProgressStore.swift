import DubanCore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The shared store for a province: one PostgreSQL database, where the server decides who may write. The client
/// connects over the Unix socket as its OS account (peer authentication: no passwords); every write is a call to a
/// SECURITY DEFINER function (`duban.record`, see PostgresSchema) that checks the account's rights, carries the state,
/// extends the hash chain and records refusals — a client can neither forge an author nor skip the chain. Reads are
/// plain SELECTs under the same row-level security.
///
/// `ProgressStore` is synchronous (commands and the dashboard are); each call here waits for its query.
public final class PostgresProgressStore: ProgressStore, @unchecked Sendable {
    public let location: PostgresLocation
    public let principal: Principal
    let connection: PostgresConnection
    let logger = Logger(label: "duban.postgres")
    /// Live refresh: the server's change token when the listener started, and the notifications heard since.
    private let heard = Mutex<(base: Int64, count: Int64, listening: Bool)>((0, 0, false))

    /// Connects as the OS account (`account`, normally the caller's) and learns its role and units from the server.
    public init(location: PostgresLocation, account: String, uid: Int, sshClient: String? = nil) throws {
        self.location = location
        connection = try Self.connect(location, account: account)
        let connection = self.connection
        func rows<T: Sendable>(_ query: PostgresQuery, _ decode: @escaping @Sendable (PostgresRow) throws -> T) throws -> [T] {
            try Self.rows(connection, location, query, decode)
        }
        do {
            // The role as the server sees it: membership of the duban group roles, and the units granted.
            guard try !rows("""
                SELECT 1 FROM pg_namespace n JOIN pg_proc p ON p.pronamespace = n.oid WHERE n.nspname = 'duban' AND p.proname = 'record'
                """, { _ in () }).isEmpty else {
                throw StoreError.other("数据库 \(location) 还没有 duban 的表和函数：请管理员先执行 duban server init --db …")
            }
            // Only members of the duban roles may call role_of (the server checks that before any CASE would skip it).
            let member = try rows("SELECT has_function_privilege('duban.role_of(name)', 'EXECUTE')") { try $0.decode(Bool.self) }.first == true
            // The schema this duban reads: an older one is brought up to date by the admin (`server init` applies only
            // what is missing); a newer one this duban would half-understand, so it is left alone, as in SQLite.
            if member, let version = try rows("SELECT max(version) FROM duban.schema_version", { try $0.decode(Int?.self) }).first ?? nil {
                let known = PostgresSchema.migrations.map(\.version).max() ?? 0
                if version < known {
                    throw StoreError.other("数据库 \(location) 的结构是第 \(version) 版，本版 duban 需要第 \(known) 版：请管理员执行 duban server init --db … 升级（只补上缺少的部分，记录不变）")
                }
                if version > known {
                    throw StoreError.other("数据库 \(location) 由更新版本的 duban 升级过（结构第 \(version) 版），本版本不认识其中的变更；为免出错，不读也不写。请升级 duban")
                }
            }
            let role = member ? try rows("SELECT duban.role_of(session_user)") { try $0.decode(String?.self) }.first ?? nil : nil
            let units = role == nil ? [] : try rows("SELECT unit_id FROM duban.unit_grant WHERE role_name = session_user ORDER BY unit_id") {
                try $0.decode(String.self)
            }
            principal = Principal(account: account, uid: uid, role: role.flatMap(Role.init(rawValue:)), unitIDs: Set(units),
                                  sshClient: sshClient, shared: true)
        } catch {
            // Not yet a whole object: deinit will not run, so the connection is closed here.
            try? connection.close().wait()
            throw error
        }
        try authorize(.read)
    }

    deinit { try? connection.close().wait() }

    // MARK: - access

    /// Asked before actions that have no server function of their own (import, access edits, reading): the same rule the
    /// server applies; a refusal is recorded there (`duban.authorize`).
    public func authorize(_ action: AccessAction) throws {
        guard case let .refused(reason) = AccessPolicy.decide(principal, action) else { return }
        let (verb, plan, node, unit) = Self.serverAction(action)
        let ssh = principal.sshClient
        let recorded = (try? execute("SELECT duban.authorize(\(verb)::text, \(plan)::text, \(node)::text, \(unit)::text, \(ssh)::text)")) != nil
        throw StoreError.refused(reason, recorded: recorded)
    }

    /// AccessAction as the server's `duban.authorize` names it.
    static func serverAction(_ action: AccessAction) -> (String, String?, String?, String?) {
        switch action {
        case .read: ("read", nil, nil, nil)
        case let .update(p, n, u): ("update", p, n, u)
        case let .requestExtension(p, n, u): ("extension_request", p, n, u)
        case let .decide(kind, p, n, u): (kind.rawValue, p, n, u)
        case let .reopen(p, n, u): ("reopen", p, n, u)
        case .demo: ("demo", nil, nil, nil)
        case .importPlan: ("import", nil, nil, nil)
        case .editAccess: ("access", nil, nil, nil)
        case .auditLog: ("audit_log", nil, nil, nil)
        case .auditVerify: ("audit_verify", nil, nil, nil)
        }
    }

    // MARK: - writing

    public func record(_ update: NewUpdate, expecting: Int64?) throws -> ProgressEvent {
        let u = update
        let day = u.date.dayNumber, extendTo = u.extendTo?.dayNumber, ssh = principal.sshClient
        let (outcome, eventID, message) = try rows("""
            SELECT outcome, event_id, message FROM duban.record(\(u.planID)::text, \(u.nodeID)::text, \(u.unitID)::text,
                \(u.kind.rawValue)::text, \(u.status.rawValue)::text, \(u.percent)::integer, \(u.note)::text, \(u.evidence)::text,
                \(day)::integer, \(extendTo)::integer, \(u.corrects)::bigint, \(expecting)::bigint, \(ssh)::text, \(u.reopens)::boolean)
            """) { try $0.decode((String, Int64?, String?).self) }.first ?? ("invalid", Int64?.none, String?("服务器没有返回结果"))
        switch outcome {
        case "ok":
            guard let eventID, let event = try events(ids: [eventID])[eventID] else { throw StoreError.other("记录已保存，但读不回来") }
            return event
        case "refused":
            throw StoreError.refused(message ?? "", recorded: true)
        case "conflict":
            let current = try eventID.flatMap { try events(ids: [$0])[$0] }
            let expected = u.corrects.flatMap { $0 != eventID ? $0 : nil } ?? expecting ?? 0
            throw StoreError.conflict(expected: expected, current: current)
        case "dated_before_latest":
            guard let eventID, let latest = try events(ids: [eventID])[eventID] else { throw StoreError.other(message ?? outcome) }
            throw StoreError.datedBeforeLatest(latest: latest)
        case "rejected":
            throw StoreError.rejected(message ?? "")
        default:
            throw StoreError.other(message ?? outcome)
        }
    }

    public func replaceDemoEvents(_ updates: [NewUpdate]) throws {
        // In date order, and in the given order within a day, as the SQLite store appends them.
        let ordered = updates.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        let events = ordered.map { u -> [String: Any] in
            var e: [String: Any] = ["plan_id": u.planID, "node_id": u.nodeID, "unit_id": u.unitID, "kind": u.kind.rawValue,
                                    "status": u.status.rawValue, "percent": u.percent, "note": u.note, "day": u.date.dayNumber,
                                    "author": u.author]
            e["evidence"] = u.evidence ?? NSNull()
            e["extend_to"] = u.extendTo.map { $0.dayNumber as Any } ?? NSNull()
            e["corrects"] = u.corrects.map { $0 as Any } ?? NSNull()
            return e
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: events), as: UTF8.self)
        let ssh = principal.sshClient
        if try value("SELECT duban.replace_demo(\(json)::jsonb, \(ssh)::text)", as: Int.self) == nil {
            if case let .refused(reason) = AccessPolicy.decide(principal, .demo) { throw StoreError.refused(reason, recorded: true) }
            throw StoreError.refused("服务器拒绝生成演示数据", recorded: true)
        }
    }

    public func recordBulletin(planID: String, asOf: CivilDate) throws {
        let day = asOf.dayNumber
        try execute("SELECT duban.record_bulletin(\(planID)::text, \(day)::integer)")
    }

    // MARK: - reading

    public func visitStates(planID: String, asOf: CivilDate?,
                            _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, AssignmentState) throws -> Void) throws {
        let query: PostgresQuery
        if let asOf {
            let day = asOf.dayNumber
            // A state whose latest event is on or before the day held then too (as in SQLite; one range of
            // current_state_by_plan_day, migration 10); of the others, the state held on the day is the span (migration 9)
            // that began on or before it and ended after it. A span of class k
            // (2^k to 2^(k+1) - 1 days long) holding the day began in the 2^(k+1) days up to it: one short index range per
            // class, so the read passes over about as many spans as it returns. Classes 0–21 cover any two days of years
            // 1–9999. OFFSET 0 keeps each class its own index scan (joined, the planner hashed every span of the plan).
            query = """
                SELECT \(unescaped: Self.stateLines) FROM (
                    SELECT \(unescaped: Self.currentColumns)
                    FROM duban.current_state c WHERE c.plan_id = \(planID) AND c.day <= \(day)
                    UNION ALL
                    SELECT s.* FROM generate_series(0, 21) k, LATERAL (
                        SELECT s.node_id, s.unit_id, s.event_id, s.status, s.percent, s.from_day, s.done_since,
                               s.review, s.closed_on, s.extended_to, s.requested_to, s.report_id
                        FROM duban.state_span s
                        WHERE s.plan_id = \(planID) AND s.span_class = k::smallint AND s.from_day > \(day) - (2 << k)
                          AND s.from_day <= \(day) AND s.to_day > \(day)
                        OFFSET 0) s) s
                """
        } else {
            query = """
                SELECT \(unescaped: Self.stateLines) FROM (
                    SELECT \(unescaped: Self.currentColumns)
                    -- One range of current_state_by_plan (migration 8): a plan's states lie together there, while its
                    -- assignment ids are scattered among every other plan's (registered at their first report). In its
                    -- order, by node and unit, as PlanStates matches rows fastest (by_plan_day, smaller, is in no such order).
                    FROM duban.current_state c WHERE c.plan_id = \(planID) ORDER BY c.node_id, c.unit_id) s
                """
        }
        guard let text = try value(query, as: String.self) else { return }
        try readRecords(text, what: "进展状态") { line in
            guard line.count == 12, let id = line.int(2), let percent = line.int(4), let day = line.int(5) else {
                throw StoreError.other("PostgreSQL（\(location)）：无法读取进展状态“\((0..<line.count).map(line.text).joined(separator: " "))”")
            }
            func date(_ i: Int) -> CivilDate? { line.int(i).map(CivilDate.init(dayNumber:)) }
            let state = AssignmentState(
                eventID: Int64(id), status: line.value(3, among: StateSpellings.status) ?? .notStarted, percent: percent,
                date: CivilDate(dayNumber: day), doneOn: date(6), review: line.value(7, among: StateSpellings.review), closedOn: date(8),
                extendedTo: date(9), requestedTo: date(10), reportEventID: line.int(11).map(Int64.init))
            var (node, unit) = (line.text(0), line.text(1))
            try node.withUTF8 { node in try unit.withUTF8 { try body(node, $0, state) } }
        }
    }


    /// What a plan's figures read of a current state (all in current_state_by_plan, so the read is index-only).
    static let currentColumns = """
        c.node_id, c.unit_id, c.event_id AS id, c.status, c.percent, c.day, c.done_since,
        c.review, c.closed_on, c.extended_to, c.requested_to, c.report_id
        """

    /// A plan's states as one text, a record per line (see RecordText): postgres-nio decodes each column of each row
    /// generically (about 1,400 instructions a column), which for 14,280 rows × 12 columns cost more than the query itself.
    static let stateLines = """
        coalesce(string_agg(row(s.node_id, s.unit_id, s.id, s.status, s.percent, s.day, s.done_since, s.review,
            s.closed_on, s.extended_to, s.requested_to, s.report_id)::text, E'\\n'), '')
        """

    /// Calls `body` with each record of a text the server wrote (see RecordText); a malformed one is the server's error.
    private func readRecords(_ text: String, what: String, _ body: (RecordText.Record) throws -> Void) throws {
        do {
            try RecordText.forEachRecord(text, body)
        } catch let error as RecordText.Malformed {
            throw StoreError.other("PostgreSQL（\(location)）：无法读取\(what)（第 \(error.offset) 字节）")
        }
    }

    static let eventColumns = """
        e.id, a.plan_id, a.node_id, a.unit_id, e.status, e.percent, e.note, e.evidence, e.author, e.day, e.recorded_at, e.demo,
        e.corrects, e.kind, e.extend_to, e.review
        """

    func fetchEvents(_ query: PostgresQuery) throws -> [ProgressEvent] {
        try rows(query) { row in
            let (id, plan, node, unit, status, percent, note, evidence, author, day, recordedAt, demo, corrects, kind, extendTo, review)
                = try row.decode((Int64, String, String, String, String, Int, String, String?, String, Int, String, Bool, Int64?, String,
                                  Int?, String?).self)
            return ProgressEvent(
                id: id, planID: plan, nodeID: node, unitID: unit, status: Status(rawValue: status) ?? .notStarted, percent: percent,
                note: note, evidence: evidence, author: author, date: CivilDate(dayNumber: day), recordedAt: recordedAt, demo: demo,
                corrects: corrects, kind: EventKind(rawValue: kind) ?? .update, extendTo: extendTo.map(CivilDate.init(dayNumber:)),
                review: review.flatMap(ReviewState.init(rawValue:)))
        }
    }

    public func events(ids: [Int64]) throws -> [Int64: ProgressEvent] {
        guard !ids.isEmpty else { return [:] }
        let found = try fetchEvents("""
            SELECT \(unescaped: Self.eventColumns) FROM duban.event e JOIN duban.assignment a ON a.id = e.assignment_id
            WHERE e.id = ANY(\(ids))
            """)
        return Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func notes(ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        // As one text, like the states: an overdue list asks for thousands, and rows cost their generic decode each.
        guard let text = try value("""
            SELECT coalesce(string_agg(row(e.id, e.note)::text, E'\\n'), '')
            FROM duban.event e WHERE e.id = ANY(\(ids))
            """, as: String.self) else { return [:] }
        var result: [Int64: String] = [:]
        try readRecords(text, what: "进展说明") { line in
            guard line.count == 2, let id = line.int(0) else { throw StoreError.other("PostgreSQL（\(location)）：无法读取进展说明") }
            result[Int64(id)] = line.text(1)
        }
        return result
    }

    public func history(planID: String, nodeID: String?, unitID: String?, asOf: CivilDate?) throws -> [ProgressEvent] {
        let pattern = nodeID.map { Self.likeEscaped($0) + ".%" }
        let day = (asOf ?? CivilDate.endOfYear(9999)).dayNumber
        return try fetchEvents("""
            SELECT \(unescaped: Self.eventColumns) FROM duban.event e JOIN duban.assignment a ON a.id = e.assignment_id
            WHERE a.plan_id = \(planID) AND (\(nodeID)::text IS NULL OR a.node_id = \(nodeID) OR a.node_id LIKE \(pattern))
              AND (\(unitID)::text IS NULL OR a.unit_id = \(unitID)) AND e.day <= \(day)
            ORDER BY e.day, e.id
            """)
    }

    public func latest(planID: String, nodeID: String, unitID: String) throws -> ProgressEvent? {
        try fetchEvents("""
            SELECT \(unescaped: Self.eventColumns) FROM duban.current_state c JOIN duban.assignment a ON a.id = c.assignment_id
            JOIN duban.event e ON e.id = c.event_id
            WHERE a.plan_id = \(planID) AND a.node_id = \(nodeID) AND a.unit_id = \(unitID)
            """).first
    }

    /// The first call reads the server's token and starts listening on `duban_events`; later calls only count the
    /// notifications heard (every write notifies at commit), so a dashboard refreshes without querying every second.
    public func changeToken() throws -> Int64 {
        let (base, count, listening) = heard.withLock { $0 }
        if listening { return base + count }
        let token: Int64 = try scalar("SELECT duban.change_token()")
        heard.withLock { $0 = (token, 0, true) }
        // Until the connection closes; if it fails, the token stops moving and the next refresh is by hand. The handler
        // runs on the connection's event loop (postgres-nio sends LISTEN itself).
        connection.addListener(channel: PostgresSchema.listenChannel) { [weak self] _, _ in self?.heard.withLock { $0.count += 1 } }
        return token
    }

    public func eventCount() throws -> Int { Int(try scalar("SELECT count(*) FROM duban.event") as Int64) }

    public func hasEvents() throws -> Bool { try scalar("SELECT EXISTS (SELECT 1 FROM duban.event)") as Bool }

    public func demoEventCount(planID: String, asOf: CivilDate?) throws -> Int {
        let day = (asOf ?? CivilDate.endOfYear(9999)).dayNumber
        return Int(try scalar("""
            SELECT count(*) FROM duban.event e JOIN duban.assignment a ON a.id = e.assignment_id
            WHERE a.plan_id = \(planID) AND e.demo AND e.day <= \(day)
            """) as Int64)
    }

    public func reportDays(planID: String, asOf: CivilDate?) throws -> [String: [CivilDate]] {
        let day = (asOf ?? CivilDate.endOfYear(9999)).dayNumber
        // A row per unit, its days as one array: a province plan has thousands of report days, and each row costs its
        // generic decode.
        var result: [String: [CivilDate]] = [:]
        for (unit, days) in try rows("""
            SELECT unit_id, array_agg(day ORDER BY day) FROM duban.report_day WHERE plan_id = \(planID) AND day <= \(day)
            GROUP BY unit_id
            """, { try $0.decode((String, [Int]).self) }) {
            result[unit] = days.map(CivilDate.init(dayNumber:))
        }
        return result
    }

    public func lastBulletin(planID: String) throws -> BulletinRecord? {
        try rows("""
            SELECT plan_id, as_of, made_at, account FROM duban.bulletin_log WHERE plan_id = \(planID) ORDER BY id DESC LIMIT 1
            """) { row in
            let (plan, asOf, madeAt, account) = try row.decode((String, Int, String, String).self)
            return BulletinRecord(planID: plan, asOf: CivilDate(dayNumber: asOf), madeAt: madeAt, account: account)
        }.first
    }

    // MARK: - plumbing

    /// Connects as `account` (peer authentication over a socket: the server checks that it is who this process runs as).
    static func connect(_ location: PostgresLocation, account: String) throws -> PostgresConnection {
        let configuration = location.configuration(username: account)
        do {
            return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1,
                                                  logger: Logger(label: "duban.postgres")).wait()
        } catch {
            throw StoreError.other("无法连接 PostgreSQL 数据库 \(location)：\(describe(error))"
                + "（请确认服务器已启动、本账号“\(account)”在数据库中有同名角色，并已由管理员执行 duban server init）")
        }
    }

    /// Every row of a query, each decoded (failures as StoreErrors).
    static func rows<T: Sendable>(_ connection: PostgresConnection, _ location: PostgresLocation, _ query: PostgresQuery,
                                  _ decode: @escaping @Sendable (PostgresRow) throws -> T) throws -> [T] {
        try run(connection, location) {
            try connection.query(query, logger: Logger(label: "duban.postgres")).wait().rows.map(decode)
        }
    }

    func rows<T: Sendable>(_ query: PostgresQuery, _ decode: @escaping @Sendable (PostgresRow) throws -> T) throws -> [T] {
        try Self.rows(connection, location, query, decode)
    }

    /// The first row's one value; nil when there is no row or it is NULL.
    func value<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type) throws -> T? where T._DecodableType == T {
        try rows(query) { try $0.decode(T?.self) }.first ?? nil
    }

    func execute(_ query: PostgresQuery) throws { _ = try rows(query) { _ in () } }

    private func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery) throws -> T where T._DecodableType == T {
        guard let value = try value(query, as: T.self) else { throw StoreError.other("查询没有结果") }
        return value
    }

    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// Runs queries (each waited for with `wait()`: the work happens on NIO's event loop threads, never on Swift's
    /// cooperative pool, so a caller that is itself on that pool — a test — cannot starve it) and names failures.
    static func run<T>(_ connection: PostgresConnection, _ location: PostgresLocation, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as PSQLError where error.serverInfo?[.hint] == "rejected" {
            // A step the one transition rule refuses, raised inside a server function (a demo replacement).
            throw StoreError.rejected(error.serverInfo?[.message] ?? "")
        } catch {
            throw StoreError.other("PostgreSQL（\(location)）：\(describe(error))")
        }
    }

    /// The server's own message when there is one (PSQLError's description hides it in release builds).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if error.code == .connectionError || error.code == .serverClosedConnection || error.code == .uncleanShutdown {
                return "连不上服务器（套接字不存在、服务器未启动或连接被关闭）" + (error.underlying.map { "：\($0)" } ?? "")
            }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

/// Where a PostgreSQL store is: `postgresql:///DB?host=/run/postgresql` (a Unix socket directory, as libpq writes it),
/// `postgresql://%2Frun%2Fpostgresql/DB`, or `postgresql://HOST:PORT/DB`.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public let socketPath: String?
    public let host: String?
    public let port: Int
    public let database: String

    public static func isPostgresURL(_ text: String) -> Bool { text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") }

    public init(url text: String) throws {
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw StoreError.other("“\(text)”不是 PostgreSQL 地址：应写作 postgresql:///库名?host=/run/postgresql")
        }
        port = components.port ?? 5432
        let db = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = db.isEmpty ? "duban" : db
        let queryHost = components.queryItems?.first(where: { $0.name == "host" })?.value
        let host = queryHost ?? components.percentEncodedHost.flatMap { $0.removingPercentEncoding }
        if let host, host.hasPrefix("/") {
            socketPath = host + "/.s.PGSQL.\(port)"
            self.host = nil
        } else if let host, !host.isEmpty {
            socketPath = nil
            self.host = host
        } else {
            socketPath = "/var/run/postgresql/.s.PGSQL.\(port)"
            self.host = nil
        }
    }

    func configuration(username: String) -> PostgresConnection.Configuration {
        var configuration = socketPath.map {
            PostgresConnection.Configuration(unixSocketPath: $0, username: username, password: nil, database: database)
        } ?? PostgresConnection.Configuration(host: host ?? "localhost", port: port, username: username, password: nil,
                                              database: database, tls: .disable)
        // A plan's states are a few thousand index probes: the planner's cost estimate crosses jit_above_cost, and
        // compiling the query then took longer (~15 ms) than running it. No duban query is big enough to gain from JIT.
        configuration.options.additionalStartupParameters = [("jit", "off")]
        return configuration
    }

    public var description: String { socketPath.map { "\($0)，库 \(database)" } ?? "\(host ?? ""):\(port)，库 \(database)" }
}

extension PostgresProgressStore {
    /// `duban server init`: the schema, roles and functions (PostgresSchema), each migration once, in its own transaction
    /// under the migration lock — so running it again, or twice at once, is harmless. Needs a superuser (it creates
    /// roles). Returns the versions applied now.
    public static func initialize(_ location: PostgresLocation, account: String) throws -> [PostgresSchema.Migration] {
        let logger = Logger(label: "duban.postgres")
        let connection = try connect(location, account: account)
        defer { try? connection.close().wait() }
        // Roles are created and ownership set: only a superuser can; say so before anything half-happens.
        guard try rows(connection, location, "SELECT rolsuper FROM pg_roles WHERE rolname = session_user", { try $0.decode(Bool.self) })
            .first == true else {
            throw StoreError.other("duban server init 需以数据库超级用户执行（如 sudo -u postgres duban server init --db …）："
                + "账号“\(account)”不是超级用户，未作任何改动")
        }
        // postgres-nio speaks only the extended protocol (one statement per query): a script of many statements is run by
        // the server itself, as one EXECUTE inside a DO block.
        @Sendable func script(_ sql: String) -> PostgresQuery {
            precondition(!sql.contains("$duban_script$"))
            return PostgresQuery(unsafeSQL: "DO $duban_run$ BEGIN EXECUTE $duban_script$" + sql + "$duban_script$; END $duban_run$")
        }
        return try run(connection, location) {
            func execute(_ query: PostgresQuery) throws -> [PostgresRow] { try connection.query(query, logger: logger).wait().rows }
            _ = try execute(script(PostgresSchema.bootstrap))
            var applied: [PostgresSchema.Migration] = []
            for migration in PostgresSchema.migrations {
                _ = try execute("BEGIN")
                do {
                    _ = try execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))")
                    if try execute("SELECT 1 FROM duban.schema_version WHERE version = \(migration.version)").isEmpty {
                        _ = try execute(script(migration.sql + "\n" + PostgresSchema.versionRow(migration)))
                        applied.append(migration)
                    }
                    _ = try execute("COMMIT")
                } catch {
                    _ = try? execute("ROLLBACK")
                    throw error
                }
            }
            return applied
        }
    }
}

extension PostgresProgressStore {
    /// `duban access grant/revoke` on the server: the account's group role and the units it answers for, through the
    /// admin-only functions (`assign_role`, `set_unit_grant`), which record a refusal and seal each change.
    /// `role` nil revokes the role and every unit.
    public func setAccess(account: String, role: Role?, uid: Int?, unitIDs: [String]) throws {
        let uidValue = uid
        let roleText = role?.rawValue
        func refusal(_ reason: String?) throws {
            if let reason { throw StoreError.refused(reason, recorded: true) }
        }
        try refusal(try value("SELECT duban.assign_role(\(account)::name, \(roleText)::text, \(uidValue)::integer)", as: String.self))
        let current = try rows("SELECT unit_id FROM duban.unit_grant WHERE role_name = \(account)") { try $0.decode(String.self) }
        let wanted = role == .staff ? Set(unitIDs) : []
        let changes = Set(current).subtracting(wanted).sorted().map { ($0, false) } + wanted.subtracting(current).sorted().map { ($0, true) }
        for (unit, granted) in changes {
            try refusal(try value("SELECT duban.set_unit_grant(\(account)::name, \(unit)::text, \(granted)::boolean)", as: String.self))
        }
    }
}

extension PostgresProgressStore {
    /// `duban server migrate-from`: copies an SQLite store's events (ids, authors, times, state and hashes as recorded)
    /// into this empty database in one transaction, then has the server recompute the whole chain with its own rule.
    /// Returns how many events were copied and the chain head, which equals the SQLite one. A copy that does not verify
    /// is rolled back: nothing stays.
    public func importHistory(from source: SQLiteProgressStore, batch: Int = 2000) throws -> (count: Int, head: String) {
        try authorize(.importPlan)
        let encoder = JSONEncoder()
        try execute("BEGIN")
        do {
            var last: Int64 = 0
            var count = 0
            while true {
                let events = try source.storedEvents(after: last, limit: batch)
                guard let final = events.last else { break }
                let json = String(decoding: try encoder.encode(events), as: UTF8.self)
                if let refusal = try value("SELECT duban.import_events(\(json)::jsonb)", as: String.self) { throw StoreError.rejected(refusal) }
                last = final.id
                count += events.count
            }
            if let broken = try value("SELECT duban.finish_import()", as: Int64.self) {
                throw StoreError.rejected("迁入的记录 #\(broken) 在 PostgreSQL 上校验不通过（审计链不完整），已全部撤销")
            }
            let head: String = try scalar("SELECT hash FROM duban.audit_head")
            try execute("COMMIT")
            return (count, head)
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

extension PostgresProgressStore {
    /// `duban audit verify` on the server: the chain recomputed by `duban.verify_chain()` (nil: whole, else the first
    /// event that does not verify), how many events it covered, and its head.
    public func verifyChain() throws -> (checked: Int, broken: Int64?, headID: Int64, head: String) {
        try authorize(.auditVerify)
        let broken = try value("SELECT duban.verify_chain()", as: Int64.self)
        let (headID, head) = try rows("SELECT event_id, hash FROM duban.audit_head") { try $0.decode((Int64, String).self) }.first ?? (Int64(0), "")
        return (try eventCount(), broken, headID, head)
    }

    /// The tables the server derives from the events, checked against them (`duban.verify_derived()`): as SQLite's
    /// `audit verify`, current states that are not their assignment's latest event and report days that are not the
    /// events' own; and the state spans "as of a day" reads (migration 9).
    public func verifyDerived() throws -> [AuditReport.Finding] {
        try authorize(.auditVerify)
        return try rows("SELECT kind, plan_id, node_id, unit_id, event_id FROM duban.verify_derived()") { row in
            let (kind, plan, node, unit, event) = try row.decode((String, String, String?, String, Int64?).self)
            switch (kind, event) {
            case ("span", let event?): return .spanAltered(event)
            case ("report_days", _): return .reportDaysAltered(planID: plan, unitID: unit)
            default: return .derivedAltered(planID: plan, nodeID: node ?? "", unitID: unit)
            }
        }
    }

    /// The hash recorded for an event (to check that a head written down earlier is still in the chain).
    public func eventHash(id: Int64) throws -> String? {
        try value("SELECT hash FROM duban.event WHERE id = \(id)", as: String.self)
    }

    /// `duban audit log`: refused attempts, newest last (admins only, as the server grants).
    public func refusals(limit: Int) throws -> [Refusal] {
        try authorize(.auditLog)
        return try rows("""
            SELECT * FROM (SELECT id, at, account, uid, ssh_client, action, reason FROM duban.refusal ORDER BY id DESC LIMIT \(limit)) r
            ORDER BY id
            """) { row in
            let (id, at, account, uid, ssh, action, reason) = try row.decode((Int64, String, String, Int, String?, String, String).self)
            return Refusal(id: id, at: at, account: account, uid: uid, sshClient: ssh, action: action, reason: reason)
        }
    }
}
