/// The PostgreSQL store's server side: schema, roles, row-level security and the functions through which every write
/// goes. The database enforces who may write, not the client: peer authentication over the Unix socket makes the OS
/// account the role, and an event's author is `session_user`, never a value the client sends.
///
/// Shape (all in schema `duban`, owned by the NOLOGIN role `duban_owner`):
/// - group roles `duban_admin`, `duban_staff`, `duban_leader`: an account's role is its membership (admin > staff > leader);
///   `duban.unit_grant(role_name, unit_id)` says which units a staff account answers for; `duban.account` its OS uid.
/// - clients hold SELECT only (refusals, seals and uids: admins only); no client role has INSERT, UPDATE or DELETE on any
///   table. `event` has row-level security, forced, whose INSERT check is the access predicate `duban.may_act` applied to
///   `session_user`, so even the functions' own inserts obey it.
/// - writes go through SECURITY DEFINER functions (`record`, `replace_demo`, `record_bulletin`,
///   `set_unit_grant`, `assign_role`, `authorize`) that decide with `duban.refusal_reason` (the port of AccessPolicy.decide),
///   record refusals (and return them instead of raising, so the refusal row commits), serialise writers with one
///   advisory lock, carry the state by `duban.next_state` (the port of CarriedState.next), hash by `duban.audit_hash`
///   (the port of AuditHash.of / AuditLink.hash), maintain `current_state` and notify `duban_events`.
///
/// `duban server init` runs `bootstrap`, then each migration not yet in `duban.schema_version`, each in its own
/// transaction holding `migrationLock` (see `psqlScript`). It must run as a superuser (it creates roles and sets ownership).
public enum PostgresSchema {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let sql: String
    }

    /// Every write notifies this channel with the plan id as payload (delivered at commit): `LISTEN duban_events`.
    public static let listenChannel = "duban_events"

    /// Taken (pg_advisory_xact_lock) by every migration transaction, so two `server init` at once apply each version once.
    public static let migrationLock: Int64 = 0x6475_6261_6E_01

    /// Run before the migrations, outside them: the schema and the version table the runner reads. Harmless to repeat.
    public static let bootstrap = #"""
        CREATE SCHEMA IF NOT EXISTS duban;
        CREATE TABLE IF NOT EXISTS duban.schema_version (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            applied_by name NOT NULL DEFAULT session_user
        );
        """#

    /// The row the runner adds to `duban.schema_version`, in the migration's transaction, after its SQL.
    public static func versionRow(_ migration: Migration) -> String {
        let name = migration.name.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''")
        return "INSERT INTO duban.schema_version (version, name) VALUES (\(migration.version), '\(name)');"
    }

    /// What `duban server init` does, as one psql script (`psql -v ON_ERROR_STOP=1 -f -`): the bootstrap, then per
    /// migration a transaction that takes the migration lock, skips a version already recorded, runs the SQL and
    /// records the version. A client without psql does the same: BEGIN; lock; `SELECT 1 FROM duban.schema_version WHERE
    /// version = $1`; if absent, the SQL (simple-query protocol: several statements) and `versionRow`; COMMIT.
    public static var psqlScript: String {
        var script = "\\set ON_ERROR_STOP 1\n" + bootstrap + "\n"
        for migration in migrations {
            script += "BEGIN;\nSELECT pg_advisory_xact_lock(\(migrationLock)) AS duban_locked \\gset\n"
                + "SELECT NOT EXISTS (SELECT FROM duban.schema_version WHERE version = \(migration.version)) AS duban_needed \\gset\n"
                + "\\if :duban_needed\n" + migration.sql + "\n" + versionRow(migration) + "\n\\endif\nCOMMIT;\n"
        }
        return script
    }

    public static let migrations: [Migration] = [
        // Why: the database decides who may write, so the three roles of the access policy must be database roles, and
        // every object must belong to a role no one logs in as (functions run as it, with no more rights than it has).
        // Cluster-wide roles are created only if missing, so a second database, or a second init, is harmless.
        Migration(version: 1, name: "roles", sql: #"""
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'duban_owner') THEN
                    CREATE ROLE duban_owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
                END IF;
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'duban_admin') THEN
                    CREATE ROLE duban_admin NOLOGIN NOINHERIT;
                END IF;
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'duban_staff') THEN
                    CREATE ROLE duban_staff NOLOGIN NOINHERIT;
                END IF;
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'duban_leader') THEN
                    CREATE ROLE duban_leader NOLOGIN NOINHERIT;
                END IF;
            END
            $$;
            -- The owner hands out the three memberships (duban.assign_role, admins only) and nothing else.
            GRANT duban_admin, duban_staff, duban_leader TO duban_owner WITH ADMIN OPTION;
            ALTER SCHEMA duban OWNER TO duban_owner;
            ALTER TABLE duban.schema_version OWNER TO duban_owner;
            REVOKE ALL ON SCHEMA duban FROM PUBLIC;
            -- Functions are created executable by PUBLIC unless told otherwise: duban's are granted one by one.
            ALTER DEFAULT PRIVILEGES FOR ROLE duban_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
            """#),

        // Why: the same records as the SQLite store (migrations v1–v6 there), so one conformance suite runs on both:
        // days are CivilDate.dayNumber integers, recorded_at the same ISO 8601 text, every audit column hashed alike.
        // `demo` is a boolean here. Append-only triggers stay as a second lock behind the privileges.
        Migration(version: 2, name: "tables", sql: #"""
            SET LOCAL ROLE duban_owner;
            CREATE TABLE duban.assignment (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                plan_id text NOT NULL,
                node_id text NOT NULL,
                unit_id text NOT NULL,
                UNIQUE (plan_id, node_id, unit_id)
            );
            CREATE TABLE duban.event (
                id bigint PRIMARY KEY,
                assignment_id bigint NOT NULL REFERENCES duban.assignment (id),
                status text NOT NULL CHECK (status IN ('未启动', '推进中', '已完成', '暂缓')),
                percent integer NOT NULL CHECK (percent BETWEEN 0 AND 100),
                note text NOT NULL DEFAULT '',
                evidence text,
                author text NOT NULL,
                uid integer NOT NULL,
                day integer NOT NULL,              -- CivilDate.dayNumber (days since 1970-01-01)
                done_since integer,
                recorded_at text NOT NULL,         -- ISO 8601 with milliseconds and offset, as SQLiteProgressStore.timestamp()
                demo boolean NOT NULL DEFAULT false,
                ssh_client text,
                prev_hash text NOT NULL,
                hash text NOT NULL,
                corrects bigint,
                kind text NOT NULL DEFAULT 'update'
                    CHECK (kind IN ('update', 'approve', 'return', 'extension_request', 'extension_approve', 'extension_refuse')),
                extend_to integer,
                review text CHECK (review IN ('待审核', '已办结', '退回')),
                closed_on integer,
                extended_to integer,
                requested_to integer,
                request_id bigint,
                claim_id bigint,
                percent_before_claim integer,
                report_id bigint
            );
            -- Ids are drawn under the write lock before the insert, so the hash covers them and they follow the chain.
            CREATE SEQUENCE duban.event_id_seq OWNED BY duban.event.id;
            CREATE INDEX event_by_assignment_day ON duban.event (assignment_id, day, id);
            CREATE INDEX event_demo ON duban.event (id) WHERE demo;
            -- A second guard against a fork: no two real events hang from the same link.
            CREATE UNIQUE INDEX event_chain_link ON duban.event (prev_hash) WHERE NOT demo;
            CREATE TABLE duban.current_state (
                assignment_id bigint PRIMARY KEY REFERENCES duban.assignment (id),
                event_id bigint NOT NULL REFERENCES duban.event (id),
                status text NOT NULL,
                percent integer NOT NULL,
                note text NOT NULL,
                evidence text,
                author text NOT NULL,
                day integer NOT NULL,
                done_since integer,
                recorded_at text NOT NULL,
                review text,
                closed_on integer,
                extended_to integer,
                requested_to integer,
                report_id bigint
            );
            CREATE TABLE duban.audit_head (
                only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                event_id bigint NOT NULL,
                hash text NOT NULL
            );
            INSERT INTO duban.audit_head (event_id, hash) VALUES (0, 'duban-audit-v1');
            CREATE TABLE duban.refusal (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at text NOT NULL,
                account text NOT NULL,
                uid integer NOT NULL,
                ssh_client text,
                action text NOT NULL,
                reason text NOT NULL
            );
            CREATE TABLE duban.setting (key text PRIMARY KEY, value text NOT NULL);
            -- The office's clock for recorded_at (SQLite writes the server's local time with its offset).
            INSERT INTO duban.setting (key, value) VALUES ('time_zone', current_setting('TimeZone'));
            CREATE TABLE duban.seal (
                id bigint PRIMARY KEY,
                kind text NOT NULL,
                body text NOT NULL,
                prev_hash text NOT NULL,
                hash text NOT NULL
            );
            CREATE SEQUENCE duban.seal_id_seq OWNED BY duban.seal.id;
            CREATE TABLE duban.bulletin_log (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                plan_id text NOT NULL,
                as_of integer NOT NULL,
                made_at text NOT NULL,
                account text NOT NULL
            );
            -- Which units a staff account answers for (`duban access grant/revoke`).
            CREATE TABLE duban.unit_grant (
                role_name text NOT NULL,
                unit_id text NOT NULL,
                PRIMARY KEY (role_name, unit_id)
            );
            -- The OS uid of each account (recorded with its events, as SQLite does): the server cannot see a peer's uid.
            CREATE TABLE duban.account (
                role_name text PRIMARY KEY,
                uid integer NOT NULL
            );

            CREATE FUNCTION duban.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'insufficient_privilege';
            END
            $fn$;
            CREATE TRIGGER event_is_append_only BEFORE UPDATE ON duban.event
                FOR EACH ROW EXECUTE FUNCTION duban.refuse_change('events are append-only');
            CREATE TRIGGER only_demo_events_may_go BEFORE DELETE ON duban.event
                FOR EACH ROW WHEN (NOT OLD.demo) EXECUTE FUNCTION duban.refuse_change('recorded events are never deleted');
            CREATE TRIGGER refusals_are_kept BEFORE UPDATE OR DELETE ON duban.refusal
                FOR EACH ROW EXECUTE FUNCTION duban.refuse_change('refusals are kept');
            CREATE TRIGGER seals_are_kept BEFORE UPDATE OR DELETE ON duban.seal
                FOR EACH ROW EXECUTE FUNCTION duban.refuse_change('seals are kept');
            CREATE TRIGGER assignments_are_kept BEFORE UPDATE ON duban.assignment
                FOR EACH ROW EXECUTE FUNCTION duban.refuse_change('assignments are append-only');
            CREATE TRIGGER no_truncate BEFORE TRUNCATE ON duban.event
                FOR EACH STATEMENT EXECUTE FUNCTION duban.refuse_change('events are never truncated');
            """#),

        // Why: one rule for access (AccessPolicy.decide), one for state (CarriedState.next), one for hashes (AuditHash.of),
        // each ported once and used by every write and by the row-level security policies, so they cannot disagree.
        Migration(version: 3, name: "rules", sql: #"""
            SET LOCAL ROLE duban_owner;

            -- The account's role: its membership in the group roles, the highest winning (a superuser counts as admin).
            CREATE FUNCTION duban.role_of(p_account name) RETURNS text
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
                SELECT CASE
                    WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname = p_account) THEN NULL
                    WHEN pg_has_role(p_account, 'duban_admin', 'MEMBER') THEN 'admin'
                    WHEN pg_has_role(p_account, 'duban_staff', 'MEMBER') THEN 'staff'
                    WHEN pg_has_role(p_account, 'duban_leader', 'MEMBER') THEN 'leader'
                END
            $fn$;

            -- AccessAction.verb.
            CREATE FUNCTION duban.action_verb(p_action text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
                SELECT CASE p_action
                    WHEN 'read' THEN '查看进展'
                    WHEN 'update' THEN '登记进展'
                    WHEN 'extension_request' THEN '申请延期'
                    WHEN 'approve' THEN '审核通过（销号）'
                    WHEN 'return' THEN '退回'
                    WHEN 'extension_approve' THEN '同意延期'
                    WHEN 'extension_refuse' THEN '不同意延期'
                    WHEN 'demo' THEN '生成演示数据'
                    WHEN 'import' THEN '导入计划'
                    WHEN 'access' THEN '修改访问控制'
                    WHEN 'audit_log' THEN '查看拒绝记录'
                    WHEN 'audit_verify' THEN '校验审计链'
                    ELSE p_action
                END
            $fn$;

            -- AccessAction.description: the verb, and for a step on an assignment which one.
            CREATE FUNCTION duban.action_description(p_action text, p_plan_id text, p_node_id text, p_unit_id text) RETURNS text
            LANGUAGE sql IMMUTABLE AS $fn$
                SELECT CASE WHEN p_action IN ('update', 'extension_request', 'approve', 'return', 'extension_approve', 'extension_refuse')
                    THEN duban.action_verb(p_action) || ' ' || coalesce(p_plan_id, '') || ' ' || coalesce(p_node_id, '') || ' ' || coalesce(p_unit_id, '')
                    ELSE duban.action_verb(p_action) END
            $fn$;

            -- AccessPolicy.decide: NULL when allowed, else the reason. THE access rule: record() and the policies use it.
            -- Actions: an event kind, or read, demo, import, access, audit_log, audit_verify.
            CREATE FUNCTION duban.refusal_reason(p_account name, p_action text, p_unit_id text) RETURNS text
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_role text := duban.role_of(p_account);
            BEGIN
                IF v_role IS NULL THEN
                    RETURN '账号“' || p_account || '”不在访问控制名单中，不能使用督办系统；请联系政务公开办管理员开通';
                ELSIF v_role = 'admin' OR p_action = 'read' THEN
                    RETURN NULL;
                ELSIF v_role = 'leader' AND p_action = 'audit_verify' THEN
                    RETURN NULL;
                ELSIF v_role = 'leader' THEN
                    RETURN '领导账号只能查看，不能' || duban.action_verb(p_action);
                ELSIF p_action IN ('update', 'extension_request') THEN
                    IF EXISTS (SELECT FROM duban.unit_grant g WHERE g.role_name = p_account AND g.unit_id = p_unit_id) THEN
                        RETURN NULL;
                    END IF;
                    RETURN '账号“' || p_account || '”只能登记本单位的进展、为本单位申请延期，不能为“' || coalesce(p_unit_id, '')
                        || '”' || duban.action_verb(p_action);
                ELSIF p_action IN ('approve', 'return', 'extension_approve', 'extension_refuse') THEN
                    RETURN '审核销号和延期审批由政务公开办管理员办理，填报员不能' || duban.action_verb(p_action);
                ELSE
                    RETURN '只有管理员可以' || duban.action_verb(p_action);
                END IF;
            END
            $fn$;

            CREATE FUNCTION duban.may_act(p_account name, p_unit_id text, p_action text) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
                SELECT duban.refusal_reason(p_account, p_action, p_unit_id) IS NULL
            $fn$;

            -- AuditHash.of: SHA-256 over the fields, each preceded by its UTF-8 length as 4 bytes big-endian; lowercase hex.
            -- A NULL field stands for Swift's "\u{0}" (one NUL byte), which a PostgreSQL text cannot hold.
            CREATE FUNCTION duban.audit_hash(p_fields text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
            DECLARE
                v_bytes bytea := ''::bytea;
                v_field bytea;
                i integer;
            BEGIN
                FOR i IN 1 .. coalesce(array_length(p_fields, 1), 0) LOOP
                    v_field := CASE WHEN p_fields[i] IS NULL THEN '\x00'::bytea ELSE convert_to(p_fields[i], 'UTF8') END;
                    v_bytes := v_bytes || int4send(octet_length(v_field)) || v_field;
                END LOOP;
                RETURN encode(sha256(v_bytes), 'hex');
            END
            $fn$;

            -- AuditLink.hash over an event row (its assignment's ids given), with the previous hash.
            CREATE FUNCTION duban.event_hash(e duban.event, p_plan_id text, p_node_id text, p_unit_id text, p_previous text)
            RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
            DECLARE
                v_fields text[];
            BEGIN
                v_fields := ARRAY[e.id::text, p_plan_id, p_node_id, p_unit_id, e.status, e.percent::text, e.note, e.evidence,
                                  e.author, e.uid::text, e.day::text, e.done_since::text, e.recorded_at, e.ssh_client,
                                  CASE WHEN e.demo THEN '1' ELSE '0' END, p_previous];
                IF e.corrects IS NOT NULL THEN
                    v_fields := v_fields || ARRAY['corrects', e.corrects::text];
                END IF;
                -- Appended only when set, so events without them hash as they did before v5.
                IF e.kind <> 'update' OR e.extend_to IS NOT NULL OR e.review IS NOT NULL OR e.closed_on IS NOT NULL
                   OR e.extended_to IS NOT NULL OR e.requested_to IS NOT NULL OR e.request_id IS NOT NULL OR e.claim_id IS NOT NULL
                   OR e.percent_before_claim IS NOT NULL OR e.report_id IS NOT NULL THEN
                    v_fields := v_fields || ARRAY['v5', e.kind, e.extend_to::text, e.review, e.closed_on::text, e.extended_to::text,
                                                  e.requested_to::text, e.request_id::text, e.claim_id::text,
                                                  e.percent_before_claim::text, e.report_id::text];
                END IF;
                RETURN duban.audit_hash(v_fields);
            END
            $fn$;

            -- The state an event carries (CarriedState).
            CREATE TYPE duban.carried_state AS (
                status text, percent integer, done_since integer, review text, closed_on integer, extended_to integer,
                requested_to integer, request_id bigint, claim_id bigint, percent_before_claim integer, report_id bigint
            );

            -- CarriedState.next, faithfully: the state after an event of kind p_kind (id p_event_id, day p_day), given the
            -- state before it (p_previous NULL: no event yet). Raises SQLSTATE DB001 with TransitionError's words when the
            -- step makes no sense now. The deadline check of extension requests is not made here, as the stores do not
            -- pass a deadline to CarriedState.next either.
            CREATE FUNCTION duban.next_state(p_previous duban.carried_state, p_kind text, p_status text, p_percent integer,
                                             p_day integer, p_extend_to integer, p_event_id bigint)
            RETURNS duban.carried_state LANGUAGE plpgsql IMMUTABLE AS $fn$
            DECLARE
                s duban.carried_state;
                v_was_done boolean;
                v_previous_percent integer;
            BEGIN
                IF p_previous.status IS NULL THEN
                    s := ROW('未启动', 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::duban.carried_state;
                ELSE
                    s := p_previous;
                END IF;
                IF p_kind = 'update' THEN
                    s.report_id := p_event_id;
                    v_was_done := s.status = '已完成';
                    v_previous_percent := s.percent;   -- previous?.percent ?? 0: the default state's percent is 0
                    s.status := p_status;
                    s.percent := p_percent;
                    IF p_status = '已完成' THEN
                        IF NOT v_was_done OR s.done_since IS NULL THEN s.done_since := p_day; END IF;
                        IF s.review IS DISTINCT FROM '待审核' THEN
                            s.percent_before_claim := CASE WHEN v_was_done THEN s.percent_before_claim ELSE v_previous_percent END;
                        END IF;
                        s.review := '待审核';
                        s.claim_id := p_event_id;
                        s.closed_on := NULL;
                    ELSE
                        s.done_since := NULL;
                        s.review := NULL;
                        s.claim_id := NULL;
                        s.closed_on := NULL;
                        s.percent_before_claim := NULL;
                    END IF;
                ELSIF p_kind = 'approve' THEN
                    IF NOT (s.status = '已完成' AND s.review IS DISTINCT FROM '已办结') THEN
                        RAISE EXCEPTION '该任务没有待审核的“已完成”申报，无需审核' USING ERRCODE = 'DB001';
                    END IF;
                    s.review := '已办结';
                    s.closed_on := p_day;
                ELSIF p_kind = 'return' THEN
                    IF NOT (s.status = '已完成' AND s.review IS DISTINCT FROM '已办结') THEN
                        RAISE EXCEPTION '该任务没有待审核的“已完成”申报，无需审核' USING ERRCODE = 'DB001';
                    END IF;
                    s.review := '退回';
                    s.status := '推进中';
                    s.percent := least(coalesce(s.percent_before_claim, 0), 99);
                    s.done_since := NULL;
                    s.claim_id := NULL;
                    s.percent_before_claim := NULL;
                ELSIF p_kind = 'extension_request' THEN
                    IF p_extend_to IS NULL THEN
                        RAISE EXCEPTION '该任务没有待审批的延期申请' USING ERRCODE = 'DB001';
                    END IF;
                    IF s.review = '已办结' THEN
                        RAISE EXCEPTION '该任务已办结销号，不能再申请延期' USING ERRCODE = 'DB001';
                    END IF;
                    s.requested_to := p_extend_to;
                    s.request_id := p_event_id;
                ELSIF p_kind IN ('extension_approve', 'extension_refuse') THEN
                    IF s.requested_to IS NULL THEN
                        RAISE EXCEPTION '该任务没有待审批的延期申请' USING ERRCODE = 'DB001';
                    END IF;
                    IF p_kind = 'extension_approve' THEN s.extended_to := coalesce(p_extend_to, s.requested_to); END IF;
                    s.requested_to := NULL;
                    s.request_id := NULL;
                ELSE
                    RAISE EXCEPTION '未知的记录类型“%”', p_kind USING ERRCODE = 'DB001';
                END IF;
                RETURN s;
            END
            $fn$;

            -- SQLiteProgressStore.timestamp(): ISO 8601, milliseconds, in the office's time zone with its offset
            -- ("2026-11-21T09:30:00.000+08:00"; "Z" at UTC, as ISO8601DateFormatter writes it).
            CREATE FUNCTION duban.timestamp_text() RETURNS text
            LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_tz text := coalesce((SELECT value FROM duban.setting WHERE key = 'time_zone'), 'UTC');
                v_now timestamptz := clock_timestamp();
                v_local timestamp;
                v_minutes integer;
            BEGIN
                v_local := v_now AT TIME ZONE v_tz;
                v_minutes := round(extract(epoch FROM v_local - (v_now AT TIME ZONE 'UTC')) / 60);
                RETURN to_char(v_local, 'YYYY-MM-DD"T"HH24:MI:SS.MS')
                    || CASE WHEN v_minutes = 0 THEN 'Z'
                            ELSE CASE WHEN v_minutes > 0 THEN '+' ELSE '-' END
                                 || lpad((abs(v_minutes) / 60)::text, 2, '0') || ':' || lpad((abs(v_minutes) % 60)::text, 2, '0') END;
            END
            $fn$;

            -- CivilDate's description of a day number (YYYY-MM-DD), for messages.
            CREATE FUNCTION duban.day_text(p_day integer) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
                SELECT to_char(date '1970-01-01' + p_day, 'YYYY-MM-DD')
            $fn$;

            -- SealKind.body: the fields as a JSON array of strings, escaped as Foundation's JSONEncoder escapes them
            -- (slashes too); NULL stands for "\u{0}".
            CREATE FUNCTION duban.seal_body(p_fields text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
            DECLARE
                v_out text := '[';
                v_field text;
                v_char text;
                v_code integer;
                i integer;
                j integer;
            BEGIN
                FOR i IN 1 .. coalesce(array_length(p_fields, 1), 0) LOOP
                    IF i > 1 THEN v_out := v_out || ','; END IF;
                    v_field := p_fields[i];
                    IF v_field IS NULL THEN
                        v_out := v_out || '"\u0000"';
                        CONTINUE;
                    END IF;
                    v_out := v_out || '"';
                    FOR j IN 1 .. char_length(v_field) LOOP
                        v_char := substr(v_field, j, 1);
                        v_code := ascii(v_char);
                        v_out := v_out || CASE
                            WHEN v_char = '"' THEN '\"'
                            WHEN v_char = '\' THEN '\\'
                            WHEN v_char = '/' THEN '\/'
                            WHEN v_code = 10 THEN '\n'
                            WHEN v_code = 13 THEN '\r'
                            WHEN v_code = 9 THEN '\t'
                            WHEN v_code = 8 THEN '\b'
                            WHEN v_code = 12 THEN '\f'
                            WHEN v_code < 32 THEN '\u' || lpad(to_hex(v_code), 4, '0')
                            ELSE v_char END;
                    END LOOP;
                    v_out := v_out || '"';
                END LOOP;
                RETURN v_out || ']';
            END
            $fn$;

            -- SQLiteProgressStore.appendSeal: id, kind, body and the previous seal's hash, hashed. The write lock is held.
            CREATE FUNCTION duban.append_seal(p_kind text, p_body text) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_id bigint := nextval('duban.seal_id_seq');
                v_previous text := coalesce((SELECT s.hash FROM duban.seal s ORDER BY s.id DESC LIMIT 1), 'duban-seal-v1');
            BEGIN
                INSERT INTO duban.seal (id, kind, body, prev_hash, hash)
                VALUES (v_id, p_kind, p_body, v_previous, duban.audit_hash(ARRAY[v_id::text, p_kind, p_body, v_previous]));
            END
            $fn$;

            -- One writer at a time, as SQLite's write lock: the event and seal chains never fork. Under READ COMMITTED only:
            -- there each statement after the lock sees what the previous writer committed; a REPEATABLE READ snapshot,
            -- taken before the lock, would hang the next event from a stale head.
            CREATE FUNCTION duban.lock_writes() RETURNS void LANGUAGE plpgsql AS $fn$
            BEGIN
                IF current_setting('transaction_isolation') <> 'read committed' THEN
                    RAISE EXCEPTION 'duban writes run at READ COMMITTED, not %', current_setting('transaction_isolation')
                        USING ERRCODE = 'invalid_transaction_state';
                END IF;
                PERFORM pg_advisory_xact_lock(7310312732520497152);
            END
            $fn$;

            CREATE FUNCTION duban.uid_of(p_account text) RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER
            SET search_path = pg_catalog, duban AS $fn$
                SELECT coalesce((SELECT a.uid FROM duban.account a WHERE a.role_name = p_account), -1)
            $fn$;

            -- Records a refusal of session_user (and seals it), as SQLiteProgressStore.authorize does.
            CREATE FUNCTION duban.log_refusal(p_action text, p_reason text, p_ssh_client text) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_at text := duban.timestamp_text();
                v_uid integer := duban.uid_of(session_user);
                v_id bigint;
            BEGIN
                PERFORM duban.lock_writes();
                INSERT INTO duban.refusal (at, account, uid, ssh_client, action, reason)
                VALUES (v_at, session_user, v_uid, p_ssh_client, p_action, p_reason) RETURNING id INTO v_id;
                PERFORM duban.append_seal('refusal', duban.seal_body(ARRAY[v_id::text, v_at, session_user::text, v_uid::text,
                                                                           p_ssh_client, p_action, p_reason]));
            END
            $fn$;
            """#),

        // Why: the write path. Clients hold no INSERT/UPDATE/DELETE; these functions, running as duban_owner, are the
        // only way in, and each takes the author from session_user and the decision from refusal_reason.
        Migration(version: 4, name: "write functions", sql: #"""
            SET LOCAL ROLE duban_owner;

            -- SQLiteProgressStore.append: one event, its state, its hash, current_state, the notification. Internal (called by
            -- record and replace_demo once they have decided access); outcome ok / conflict / dated_before_latest /
            -- rejected / invalid.
            CREATE FUNCTION duban.append_event(p_plan_id text, p_node_id text, p_unit_id text, p_kind text, p_status text,
                                               p_percent integer, p_note text, p_evidence text, p_day integer,
                                               p_extend_to integer, p_corrects bigint, p_expect_event_id bigint,
                                               p_ssh_client text, p_demo boolean, p_backdating boolean,
                                               p_demo_author text DEFAULT NULL)
            RETURNS TABLE (outcome text, event_id bigint, message text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            #variable_conflict use_column
            DECLARE
                -- A real event is signed by the account the server sees; a simulated (demo) one by the demo's own office name,
                -- as in SQLite (only an admin may write demo events, and they are outside the audit chain).
                v_author text := CASE WHEN p_demo AND p_demo_author IS NOT NULL THEN p_demo_author ELSE session_user END;
                v_field record;
                v_bad text;
                v_assignment bigint;
                v_current_id bigint;
                v_current_day integer;
                v_current_author text;
                v_base duban.carried_state;
                v_state duban.carried_state;
                v_id bigint;
                v_previous text;
                v_event duban.event;
            BEGIN
                -- The last door for every front end: text that cannot be stored (and hashed) exactly as given.
                FOR v_field IN SELECT * FROM (VALUES (1, '计划编号', p_plan_id), (2, '事项编号', p_node_id), (3, '单位', p_unit_id),
                                                     (4, '说明', p_note), (5, '佐证', coalesce(p_evidence, '')),
                                                     (6, '记录人', v_author)) AS f (n, label, value) ORDER BY n LOOP
                    v_bad := substring(v_field.value FROM '[\x01-\x08\x0B-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]');
                    IF v_bad IS NOT NULL THEN
                        RETURN QUERY SELECT 'invalid', NULL::bigint, v_field.label || '中含有控制字符或方向控制字符 U+'
                            || lpad(upper(to_hex(ascii(v_bad))), 4, '0') || '，未保存；请删去后重新登记';
                        RETURN;
                    END IF;
                END LOOP;
                IF p_plan_id IS NULL OR p_node_id IS NULL OR p_unit_id IS NULL OR p_day IS NULL OR p_kind IS NULL
                   OR (p_kind = 'update' AND (p_status IS NULL OR p_percent IS NULL)) THEN
                    RETURN QUERY SELECT 'invalid', NULL::bigint, '记录不完整（计划、事项、单位、日期、类型、状态、进度都必须给出），未保存';
                    RETURN;
                END IF;
                PERFORM duban.lock_writes();
                SELECT a.id INTO v_assignment FROM duban.assignment a
                WHERE a.plan_id = p_plan_id AND a.node_id = p_node_id AND a.unit_id = p_unit_id;
                IF v_assignment IS NOT NULL THEN
                    SELECT c.event_id, c.day, c.author INTO v_current_id, v_current_day, v_current_author
                    FROM duban.current_state c WHERE c.assignment_id = v_assignment;
                END IF;
                -- A correction is of the latest record, as the clerk saw it: otherwise someone has written since.
                IF p_corrects IS NOT NULL AND p_corrects IS DISTINCT FROM v_current_id THEN
                    RETURN QUERY SELECT 'conflict', v_current_id, '期望最新记录为 #' || p_corrects;
                    RETURN;
                END IF;
                IF p_expect_event_id IS NOT NULL AND p_expect_event_id <> coalesce(v_current_id, 0) THEN
                    RETURN QUERY SELECT 'conflict', v_current_id, '期望最新记录为 #' || p_expect_event_id;
                    RETURN;
                END IF;
                IF v_current_day IS NOT NULL AND p_day < v_current_day AND NOT p_backdating THEN
                    RETURN QUERY SELECT 'dated_before_latest', v_current_id,
                        '登记日期不能早于该任务最新一条记录的日期 ' || duban.day_text(v_current_day) || '（#' || v_current_id || '，'
                        || v_current_author || ' 记录）';
                    RETURN;
                END IF;
                IF v_assignment IS NULL THEN
                    INSERT INTO duban.assignment (plan_id, node_id, unit_id) VALUES (p_plan_id, p_node_id, p_unit_id)
                    RETURNING id INTO v_assignment;
                END IF;
                -- The state the event follows: the latest on or before its day (the current one, but for back-dated demo).
                SELECT e.status, e.percent, e.done_since, e.review, e.closed_on, e.extended_to, e.requested_to, e.request_id,
                       e.claim_id, e.percent_before_claim, e.report_id
                INTO v_base
                FROM duban.event e WHERE e.assignment_id = v_assignment AND e.day <= p_day ORDER BY e.day DESC, e.id DESC LIMIT 1;
                v_id := nextval('duban.event_id_seq');
                BEGIN
                    v_state := duban.next_state(v_base, p_kind, p_status, p_percent, p_day, p_extend_to, v_id);
                EXCEPTION WHEN SQLSTATE 'DB001' THEN
                    RETURN QUERY SELECT 'rejected', NULL::bigint, SQLERRM;
                    RETURN;
                END;
                v_previous := CASE WHEN p_demo THEN 'duban-demo' ELSE (SELECT h.hash FROM duban.audit_head h) END;
                v_event := ROW(v_id, v_assignment, v_state.status, v_state.percent, coalesce(p_note, ''), p_evidence, v_author,
                               duban.uid_of(v_author), p_day, v_state.done_since, duban.timestamp_text(), p_demo, p_ssh_client,
                               v_previous, NULL, p_corrects, p_kind, p_extend_to, v_state.review, v_state.closed_on,
                               v_state.extended_to, v_state.requested_to, v_state.request_id, v_state.claim_id,
                               v_state.percent_before_claim, v_state.report_id)::duban.event;
                v_event.hash := duban.event_hash(v_event, p_plan_id, p_node_id, p_unit_id, v_previous);
                INSERT INTO duban.event SELECT (v_event).*;
                IF NOT p_demo THEN
                    UPDATE duban.audit_head SET event_id = v_id, hash = v_event.hash;
                END IF;
                -- A back-dated (demo) event earlier than the current latest is history, not the current state.
                IF v_current_day IS NULL OR p_day >= v_current_day THEN
                    INSERT INTO duban.current_state AS c (assignment_id, event_id, status, percent, note, evidence, author, day,
                                                          done_since, recorded_at, review, closed_on, extended_to, requested_to, report_id)
                    VALUES (v_assignment, v_id, v_event.status, v_event.percent, v_event.note, v_event.evidence, v_author, p_day,
                            v_event.done_since, v_event.recorded_at, v_event.review, v_event.closed_on, v_event.extended_to,
                            v_event.requested_to, v_event.report_id)
                    ON CONFLICT (assignment_id) DO UPDATE SET
                        event_id = EXCLUDED.event_id, status = EXCLUDED.status, percent = EXCLUDED.percent, note = EXCLUDED.note,
                        evidence = EXCLUDED.evidence, author = EXCLUDED.author, day = EXCLUDED.day, done_since = EXCLUDED.done_since,
                        recorded_at = EXCLUDED.recorded_at, review = EXCLUDED.review, closed_on = EXCLUDED.closed_on,
                        extended_to = EXCLUDED.extended_to, requested_to = EXCLUDED.requested_to, report_id = EXCLUDED.report_id;
                END IF;
                PERFORM pg_notify('duban_events', p_plan_id);
                RETURN QUERY SELECT 'ok', v_id, NULL::text;
            END
            $fn$;

            -- The one write path for a clerk's update or an office step. Refused: a refusal row is committed and
            -- 'refused' returned (not raised). Expect: NULL no check, 0 the assignment has no event yet.
            CREATE FUNCTION duban.record(p_plan_id text, p_node_id text, p_unit_id text, p_kind text, p_status text,
                                         p_percent integer, p_note text, p_evidence text, p_day integer, p_extend_to integer,
                                         p_corrects bigint, p_expect_event_id bigint, p_ssh_client text)
            RETURNS TABLE (outcome text, event_id bigint, message text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            #variable_conflict use_column
            DECLARE
                v_reason text;
            BEGIN
                IF p_kind IS NULL OR p_kind NOT IN ('update', 'approve', 'return', 'extension_request', 'extension_approve',
                                                    'extension_refuse') THEN
                    RETURN QUERY SELECT 'invalid', NULL::bigint, '未知的记录类型“' || coalesce(p_kind, '') || '”，未保存';
                    RETURN;
                END IF;
                v_reason := duban.refusal_reason(session_user, p_kind, p_unit_id);
                IF v_reason IS NOT NULL THEN
                    PERFORM duban.log_refusal(duban.action_description(p_kind, p_plan_id, p_node_id, p_unit_id), v_reason, p_ssh_client);
                    RETURN QUERY SELECT 'refused', NULL::bigint, v_reason;
                    RETURN;
                END IF;
                RETURN QUERY SELECT * FROM duban.append_event(p_plan_id, p_node_id, p_unit_id, p_kind, p_status, p_percent, p_note,
                                                               p_evidence, p_day, p_extend_to, p_corrects, p_expect_event_id,
                                                               p_ssh_client, false, false);
            END
            $fn$;

            -- SQLiteProgressStore.replaceDemoEvents (admins): removes the demo events, falls back to the latest real ones,
            -- appends the given ones (a JSON array of {plan_id, node_id, unit_id, kind, status, percent, note, evidence, day,
            -- extend_to, corrects, author}) in date order, then in the given order, and seals the whole. Returns the number appended,
            -- or NULL when refused (the refusal is recorded). Any event the rules reject aborts the whole (an error is raised).
            CREATE FUNCTION duban.replace_demo(p_events jsonb, p_ssh_client text) RETURNS integer
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            #variable_conflict use_column
            DECLARE
                v_reason text := duban.refusal_reason(session_user, 'demo', NULL);
                v_plan text;
                v_item record;
                v_result record;
                v_count integer := 0;
                v_hashes text[];
            BEGIN
                IF v_reason IS NOT NULL THEN
                    PERFORM duban.log_refusal(duban.action_description('demo', NULL, NULL, NULL), v_reason, p_ssh_client);
                    RETURN NULL;
                END IF;
                PERFORM duban.lock_writes();
                FOR v_plan IN SELECT DISTINCT a.plan_id FROM duban.event e JOIN duban.assignment a ON a.id = e.assignment_id WHERE e.demo LOOP
                    PERFORM pg_notify('duban_events', v_plan);
                END LOOP;
                DELETE FROM duban.current_state c WHERE c.event_id IN (SELECT e.id FROM duban.event e WHERE e.demo);
                DELETE FROM duban.event e WHERE e.demo;
                INSERT INTO duban.current_state (assignment_id, event_id, status, percent, note, evidence, author, day, done_since,
                                                 recorded_at, review, closed_on, extended_to, requested_to, report_id)
                SELECT e.assignment_id, e.id, e.status, e.percent, e.note, e.evidence, e.author, e.day, e.done_since, e.recorded_at,
                       e.review, e.closed_on, e.extended_to, e.requested_to, e.report_id
                FROM duban.assignment a JOIN duban.event e
                  ON e.id = (SELECT x.id FROM duban.event x WHERE x.assignment_id = a.id ORDER BY x.day DESC, x.id DESC LIMIT 1)
                WHERE a.id NOT IN (SELECT c.assignment_id FROM duban.current_state c);
                FOR v_item IN SELECT t.value AS v, t.n FROM jsonb_array_elements(coalesce(p_events, '[]'::jsonb)) WITH ORDINALITY AS t (value, n)
                              ORDER BY (t.value ->> 'day')::integer, t.n LOOP
                    SELECT * INTO v_result FROM duban.append_event(
                        v_item.v ->> 'plan_id', v_item.v ->> 'node_id', v_item.v ->> 'unit_id', coalesce(v_item.v ->> 'kind', 'update'),
                        v_item.v ->> 'status', (v_item.v ->> 'percent')::integer, coalesce(v_item.v ->> 'note', ''),
                        v_item.v ->> 'evidence', (v_item.v ->> 'day')::integer, (v_item.v ->> 'extend_to')::integer,
                        (v_item.v ->> 'corrects')::bigint, NULL, p_ssh_client, true, true, v_item.v ->> 'author');
                    IF v_result.outcome <> 'ok' THEN
                        -- The whole replacement fails with the step's own message; the hint says which rule (the client maps
                        -- 'rejected' to the same error SQLite's store gives).
                        RAISE EXCEPTION USING MESSAGE = v_result.message, HINT = v_result.outcome,
                                              DETAIL = '演示数据第 ' || v_item.n || ' 条未能写入';
                    END IF;
                    v_count := v_count + 1;
                END LOOP;
                SELECT array_agg(coalesce(e.hash, '') ORDER BY e.id) INTO v_hashes FROM duban.event e WHERE e.demo;
                PERFORM duban.append_seal('demo', duban.seal_body(ARRAY[coalesce(array_length(v_hashes, 1), 0)::text,
                                                                        duban.audit_hash(coalesce(v_hashes, ARRAY[]::text[]))]));
                RETURN v_count;
            END
            $fn$;

            -- SQLiteProgressStore.recordBulletin: anyone who may read may note a bulletin made.
            CREATE FUNCTION duban.record_bulletin(p_plan_id text, p_as_of integer) RETURNS bigint
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_id bigint;
            BEGIN
                IF duban.role_of(session_user) IS NULL THEN
                    PERFORM duban.log_refusal('通报', duban.refusal_reason(session_user, 'read', NULL), NULL);
                    RETURN NULL;
                END IF;
                INSERT INTO duban.bulletin_log (plan_id, as_of, made_at, account)
                VALUES (p_plan_id, p_as_of, duban.timestamp_text(), session_user) RETURNING id INTO v_id;
                RETURN v_id;
            END
            $fn$;

            -- For what has no server function of its own (reading, importing a plan, the refusal log): NULL when allowed,
            -- else the reason, and the refusal recorded. Actions as refusal_reason's.
            CREATE FUNCTION duban.authorize(p_action text, p_plan_id text, p_node_id text, p_unit_id text, p_ssh_client text)
            RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_reason text := duban.refusal_reason(session_user, p_action, p_unit_id);
            BEGIN
                IF v_reason IS NOT NULL THEN
                    PERFORM duban.log_refusal(duban.action_description(p_action, p_plan_id, p_node_id, p_unit_id), v_reason, p_ssh_client);
                END IF;
                RETURN v_reason;
            END
            $fn$;

            -- `duban access grant/revoke` (admins): whether a staff account answers for a unit. Each change is sealed.
            -- Returns NULL when done, else the refusal reason (recorded).
            CREATE FUNCTION duban.set_unit_grant(p_role name, p_unit_id text, p_granted boolean) RETURNS text
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_reason text := duban.refusal_reason(session_user, 'access', NULL);
            BEGIN
                IF v_reason IS NOT NULL THEN
                    PERFORM duban.log_refusal(duban.action_description('access', NULL, NULL, NULL), v_reason, NULL);
                    RETURN v_reason;
                END IF;
                PERFORM duban.lock_writes();
                IF p_granted THEN
                    INSERT INTO duban.unit_grant (role_name, unit_id) VALUES (p_role, p_unit_id) ON CONFLICT DO NOTHING;
                ELSE
                    DELETE FROM duban.unit_grant g WHERE g.role_name = p_role AND g.unit_id = p_unit_id;
                END IF;
                IF FOUND THEN
                    PERFORM duban.append_seal('setting', duban.seal_body(ARRAY[CASE WHEN p_granted THEN 'unit_grant' ELSE 'unit_revoke' END,
                                                                            p_role::text, p_unit_id]));
                END IF;
                RETURN NULL;
            END
            $fn$;

            -- Admins: makes an existing login role an admin, staff or leader (p_role NULL: none), and records its OS uid.
            -- The login role itself is created by the database superuser (createuser), as the OS account by root.
            CREATE FUNCTION duban.assign_role(p_account name, p_role text, p_uid integer) RETURNS text
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_reason text := duban.refusal_reason(session_user, 'access', NULL);
                v_group text;
            BEGIN
                IF v_reason IS NOT NULL THEN
                    PERFORM duban.log_refusal(duban.action_description('access', NULL, NULL, NULL), v_reason, NULL);
                    RETURN v_reason;
                END IF;
                IF p_role IS NOT NULL AND p_role NOT IN ('admin', 'staff', 'leader') THEN
                    RETURN '角色应为 admin、staff 或 leader，而不是“' || p_role || '”';
                END IF;
                IF NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = p_account AND r.rolcanlogin) THEN
                    RETURN '数据库中没有可登录的账号“' || p_account || '”：请先由数据库管理员创建（createuser）';
                END IF;
                IF p_account IN ('duban_owner', 'duban_admin', 'duban_staff', 'duban_leader') THEN
                    RETURN '“' || p_account || '”是督办系统自身的角色，不能分配';
                END IF;
                PERFORM duban.lock_writes();
                FOREACH v_group IN ARRAY ARRAY['admin', 'staff', 'leader'] LOOP
                    IF v_group = p_role THEN
                        EXECUTE format('GRANT %I TO %I', 'duban_' || v_group, p_account);
                    ELSIF EXISTS (SELECT FROM pg_auth_members m WHERE m.roleid = ('duban_' || v_group)::regrole
                                                                 AND m.member = p_account::regrole) THEN
                        EXECUTE format('REVOKE %I FROM %I', 'duban_' || v_group, p_account);
                    END IF;
                END LOOP;
                IF p_uid IS NOT NULL THEN
                    INSERT INTO duban.account (role_name, uid) VALUES (p_account, p_uid)
                    ON CONFLICT (role_name) DO UPDATE SET uid = EXCLUDED.uid;
                END IF;
                PERFORM duban.append_seal('setting', duban.seal_body(ARRAY['role', p_account::text, p_role, p_uid::text]));
                RETURN NULL;
            END
            $fn$;

            -- `audit verify`: the first event whose link or hash does not match, or NULL when the chain is whole (the head
            -- included: a missing last event shows as the head's id). Admins and leaders.
            CREATE FUNCTION duban.verify_chain() RETURNS bigint
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_reason text := duban.refusal_reason(session_user, 'audit_verify', NULL);
                v_head text := 'duban-audit-v1';
                v_head_id bigint := 0;
                v_row record;
                v_expected text;
            BEGIN
                IF v_reason IS NOT NULL THEN
                    RAISE EXCEPTION '未获允许：%', v_reason USING ERRCODE = 'insufficient_privilege';
                END IF;
                FOR v_row IN SELECT e AS ev, a.plan_id, a.node_id, a.unit_id FROM duban.event e
                             JOIN duban.assignment a ON a.id = e.assignment_id ORDER BY e.id LOOP
                    v_expected := CASE WHEN (v_row.ev).demo THEN 'duban-demo' ELSE v_head END;
                    IF (v_row.ev).prev_hash IS DISTINCT FROM v_expected
                       OR (v_row.ev).hash IS DISTINCT FROM duban.event_hash(v_row.ev, v_row.plan_id, v_row.node_id, v_row.unit_id, v_expected) THEN
                        RETURN (v_row.ev).id;
                    END IF;
                    IF NOT (v_row.ev).demo THEN
                        v_head := (v_row.ev).hash;
                        v_head_id := (v_row.ev).id;
                    END IF;
                END LOOP;
                IF NOT EXISTS (SELECT FROM duban.audit_head h WHERE h.event_id = v_head_id AND h.hash = v_head) THEN
                    RETURN coalesce((SELECT h.event_id FROM duban.audit_head h), 0);
                END IF;
                RETURN NULL;
            END
            $fn$;

            -- The seal chain likewise: the first seal that does not match, or NULL.
            CREATE FUNCTION duban.verify_seals() RETURNS bigint
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_reason text := duban.refusal_reason(session_user, 'audit_verify', NULL);
                v_previous text := 'duban-seal-v1';
                v_seal record;
            BEGIN
                IF v_reason IS NOT NULL THEN
                    RAISE EXCEPTION '未获允许：%', v_reason USING ERRCODE = 'insufficient_privilege';
                END IF;
                FOR v_seal IN SELECT * FROM duban.seal s ORDER BY s.id LOOP
                    IF v_seal.prev_hash <> v_previous
                       OR v_seal.hash <> duban.audit_hash(ARRAY[v_seal.id::text, v_seal.kind, v_seal.body, v_previous]) THEN
                        RETURN v_seal.id;
                    END IF;
                    v_previous := v_seal.hash;
                END LOOP;
                RETURN NULL;
            END
            $fn$;

            -- SQLite's changeToken: grows with every event written (demo replacement included).
            CREATE FUNCTION duban.change_token() RETURNS bigint
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
                SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END FROM duban.event_id_seq s
            $fn$;
            """#),

        // Why: privileges are the wall; row-level security is the second one, tied to the same predicate. No client
        // role may change a table; events can be inserted only by the owner (that is, inside the functions) and only
        // when session_user may act on the event's unit; nothing may UPDATE an event; only demo events may be deleted.
        Migration(version: 5, name: "privileges and row-level security", sql: #"""
            SET LOCAL ROLE duban_owner;
            REVOKE ALL ON ALL TABLES IN SCHEMA duban FROM PUBLIC;
            REVOKE ALL ON ALL SEQUENCES IN SCHEMA duban FROM PUBLIC;
            REVOKE ALL ON ALL FUNCTIONS IN SCHEMA duban FROM PUBLIC;
            -- Any account that can connect reaches the entry points, so an unlisted one is refused and recorded, as in SQLite.
            GRANT USAGE ON SCHEMA duban TO PUBLIC;
            GRANT SELECT ON duban.assignment, duban.event, duban.current_state, duban.bulletin_log, duban.unit_grant,
                            duban.audit_head, duban.setting, duban.schema_version
                TO duban_admin, duban_staff, duban_leader;
            GRANT SELECT ON duban.refusal, duban.seal, duban.account TO duban_admin;
            GRANT EXECUTE ON FUNCTION
                duban.record(text, text, text, text, text, integer, text, text, integer, integer, bigint, bigint, text),
                duban.replace_demo(jsonb, text),
                duban.record_bulletin(text, integer),
                duban.authorize(text, text, text, text, text),
                duban.set_unit_grant(name, text, boolean),
                duban.assign_role(name, text, integer),
                duban.verify_chain(),
                duban.verify_seals()
                TO PUBLIC;
            GRANT EXECUTE ON FUNCTION
                duban.role_of(name),
                duban.may_act(name, text, text),
                duban.refusal_reason(name, text, text),
                duban.action_verb(text),
                duban.action_description(text, text, text, text),
                duban.audit_hash(text[]),
                duban.event_hash(duban.event, text, text, text, text),
                duban.next_state(duban.carried_state, text, text, integer, integer, integer, bigint),
                duban.day_text(integer),
                duban.seal_body(text[]),
                duban.change_token()
                TO duban_admin, duban_staff, duban_leader;

            ALTER TABLE duban.event ENABLE ROW LEVEL SECURITY;
            ALTER TABLE duban.event FORCE ROW LEVEL SECURITY;
            CREATE POLICY event_read ON duban.event FOR SELECT TO duban_admin, duban_staff, duban_leader, duban_owner
                USING (true);
            CREATE POLICY event_append ON duban.event FOR INSERT TO duban_owner
                WITH CHECK (duban.may_act(session_user,
                                          (SELECT a.unit_id FROM duban.assignment a WHERE a.id = assignment_id),
                                          CASE WHEN demo THEN 'demo' ELSE kind END));
            CREATE POLICY event_demo_goes ON duban.event FOR DELETE TO duban_owner
                USING (demo AND duban.may_act(session_user, NULL, 'demo'));

            ALTER TABLE duban.unit_grant ENABLE ROW LEVEL SECURITY;
            ALTER TABLE duban.unit_grant FORCE ROW LEVEL SECURITY;
            CREATE POLICY grant_read ON duban.unit_grant FOR SELECT TO duban_admin, duban_staff, duban_leader, duban_owner
                USING (true);
            CREATE POLICY grant_change ON duban.unit_grant FOR ALL TO duban_owner
                USING (duban.may_act(session_user, NULL, 'access')) WITH CHECK (duban.may_act(session_user, NULL, 'access'));
            """#),

        // Why: an office that started on SQLite brings its history along (`duban server migrate-from`). The events are
        // copied as recorded — ids, authors, times, carried state, hashes — into an empty database, and the server then
        // recomputes the whole chain with its own rule (verify_chain): a copy that is not the office's chain is refused.
        Migration(version: 6, name: "migration from SQLite", sql: #"""
            SET LOCAL ROLE duban_owner;
            -- A batch of events (a JSON array of event rows as SQLite holds them, with plan, node and unit ids). Admins only;
            -- only into a database with no real events of its own. NULL when done, else the reason.
            CREATE FUNCTION duban.import_events(p_events jsonb) RETURNS text
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_reason text := duban.refusal_reason(session_user, 'import', NULL);
                v_item jsonb;
                v_assignment bigint;
            BEGIN
                IF v_reason IS NOT NULL THEN
                    PERFORM duban.log_refusal('从 SQLite 迁移历史记录', v_reason, NULL);
                    RETURN v_reason;
                END IF;
                PERFORM duban.lock_writes();
                FOR v_item IN SELECT value FROM jsonb_array_elements(p_events) LOOP
                    IF EXISTS (SELECT FROM duban.event e WHERE e.id = (v_item ->> 'id')::bigint) THEN
                        RETURN '目标数据库已有编号 #' || (v_item ->> 'id') || ' 的记录：只能迁入没有记录的新数据库';
                    END IF;
                    INSERT INTO duban.assignment (plan_id, node_id, unit_id)
                    VALUES (v_item ->> 'plan_id', v_item ->> 'node_id', v_item ->> 'unit_id') ON CONFLICT DO NOTHING;
                    SELECT a.id INTO v_assignment FROM duban.assignment a
                    WHERE a.plan_id = v_item ->> 'plan_id' AND a.node_id = v_item ->> 'node_id' AND a.unit_id = v_item ->> 'unit_id';
                    INSERT INTO duban.event (id, assignment_id, status, percent, note, evidence, author, uid, day, done_since,
                                             recorded_at, demo, ssh_client, prev_hash, hash, corrects, kind, extend_to, review,
                                             closed_on, extended_to, requested_to, request_id, claim_id, percent_before_claim, report_id)
                    VALUES ((v_item ->> 'id')::bigint, v_assignment, v_item ->> 'status', (v_item ->> 'percent')::integer,
                            v_item ->> 'note', v_item ->> 'evidence', v_item ->> 'author', (v_item ->> 'uid')::integer,
                            (v_item ->> 'day')::integer, (v_item ->> 'done_since')::integer, v_item ->> 'recorded_at',
                            (v_item ->> 'demo')::boolean, v_item ->> 'ssh_client', v_item ->> 'prev_hash', v_item ->> 'hash',
                            (v_item ->> 'corrects')::bigint, v_item ->> 'kind', (v_item ->> 'extend_to')::integer, v_item ->> 'review',
                            (v_item ->> 'closed_on')::integer, (v_item ->> 'extended_to')::integer, (v_item ->> 'requested_to')::integer,
                            (v_item ->> 'request_id')::bigint, (v_item ->> 'claim_id')::bigint,
                            (v_item ->> 'percent_before_claim')::integer, (v_item ->> 'report_id')::bigint);
                END LOOP;
                RETURN NULL;
            END
            $fn$;

            -- After the last batch: the chain's head, the id sequence and current_state follow the copied events, and the
            -- chain is verified by the server's own rule. NULL when whole, else the first event that does not verify (and
            -- then nothing of the import stays: the caller rolls back).
            CREATE FUNCTION duban.finish_import() RETURNS bigint
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_head record;
            BEGIN
                IF duban.refusal_reason(session_user, 'import', NULL) IS NOT NULL THEN
                    RAISE EXCEPTION '未获允许：只有管理员能迁移历史记录' USING ERRCODE = 'insufficient_privilege';
                END IF;
                SELECT e.id, e.hash INTO v_head FROM duban.event e WHERE NOT e.demo ORDER BY e.id DESC LIMIT 1;
                IF FOUND THEN
                    UPDATE duban.audit_head SET event_id = v_head.id, hash = v_head.hash;
                END IF;
                PERFORM setval('duban.event_id_seq', greatest((SELECT max(e.id) FROM duban.event e), 1),
                               (SELECT max(e.id) FROM duban.event e) IS NOT NULL);
                DELETE FROM duban.current_state;
                INSERT INTO duban.current_state (assignment_id, event_id, status, percent, note, evidence, author, day, done_since,
                                                 recorded_at, review, closed_on, extended_to, requested_to, report_id)
                SELECT e.assignment_id, e.id, e.status, e.percent, e.note, e.evidence, e.author, e.day, e.done_since, e.recorded_at,
                       e.review, e.closed_on, e.extended_to, e.requested_to, e.report_id
                FROM duban.assignment a JOIN duban.event e
                  ON e.id = (SELECT x.id FROM duban.event x WHERE x.assignment_id = a.id ORDER BY x.day DESC, x.id DESC LIMIT 1);
                RETURN duban.verify_chain();
            END
            $fn$;
            REVOKE ALL ON FUNCTION duban.import_events(jsonb), duban.finish_import() FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION duban.import_events(jsonb), duban.finish_import() TO duban_admin;
            """#),

        // Why: who reported on which day is asked on every summary and bulletin; a DISTINCT over a plan's whole event log
        // grows with the log. A trigger keeps the days as events are written (whichever function writes them, a migration
        // from SQLite included), so no writer can forget it; clients read it, as they read events. The kinds are a unit's
        // own reports (EventKind.isUnitReport when this was written; a test holds them equal). And an index giving a
        // plan's assignments in id order (first meant for a range scan of current_state, given up once real ids proved
        // scattered; it still finds a plan's assignments for every per-plan read).
        Migration(version: 7, name: "report days and plan ranges", sql: #"""
            SET LOCAL ROLE duban_owner;
            CREATE TABLE duban.report_day (
                plan_id text NOT NULL,
                unit_id text NOT NULL,
                day integer NOT NULL,
                events integer NOT NULL,
                PRIMARY KEY (plan_id, unit_id, day)
            );
            INSERT INTO duban.report_day (plan_id, unit_id, day, events)
                SELECT a.plan_id, a.unit_id, e.day, count(*) FROM duban.event e JOIN duban.assignment a ON a.id = e.assignment_id
                WHERE e.kind IN ('update', 'extension_request') GROUP BY 1, 2, 3;
            CREATE FUNCTION duban.count_report_day() RETURNS trigger
            LANGUAGE plpgsql SET search_path = pg_catalog, duban AS $fn$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO duban.report_day (plan_id, unit_id, day, events)
                        SELECT a.plan_id, a.unit_id, NEW.day, 1 FROM duban.assignment a WHERE a.id = NEW.assignment_id
                        ON CONFLICT (plan_id, unit_id, day) DO UPDATE SET events = duban.report_day.events + 1;
                    RETURN NEW;
                END IF;
                -- Only demo events are ever deleted (a demo replaced): their days go with them.
                UPDATE duban.report_day r SET events = r.events - 1 FROM duban.assignment a
                    WHERE a.id = OLD.assignment_id AND r.plan_id = a.plan_id AND r.unit_id = a.unit_id AND r.day = OLD.day;
                DELETE FROM duban.report_day r USING duban.assignment a
                    WHERE a.id = OLD.assignment_id AND r.plan_id = a.plan_id AND r.unit_id = a.unit_id AND r.day = OLD.day
                      AND r.events <= 0;
                RETURN OLD;
            END
            $fn$;
            REVOKE ALL ON FUNCTION duban.count_report_day() FROM PUBLIC;
            CREATE TRIGGER report_day_counts_insert AFTER INSERT ON duban.event
                FOR EACH ROW WHEN (NEW.kind IN ('update', 'extension_request')) EXECUTE FUNCTION duban.count_report_day();
            CREATE TRIGGER report_day_counts_delete AFTER DELETE ON duban.event
                FOR EACH ROW WHEN (OLD.kind IN ('update', 'extension_request')) EXECUTE FUNCTION duban.count_report_day();
            REVOKE ALL ON duban.report_day FROM PUBLIC;
            GRANT SELECT ON duban.report_day TO duban_admin, duban_staff, duban_leader;
            -- A plan's first and last assignment id, for reading its states as one range of current_state.
            CREATE INDEX assignment_by_plan ON duban.assignment (plan_id, id);
            """#),

        // Why: a plan's "now" is read by every command, and a plan's current states lay scattered over the whole table
        // (assignments are registered at their first report). Each state now names its plan, node and unit (a trigger
        // copies them from the assignment, so no writer can forget), and an index carrying every column that read needs
        // answers it from one range of the index (an index-only scan). "As of a day" starts there too: only the states
        // written after that day look back through their assignment's events.
        Migration(version: 8, name: "states by plan", sql: #"""
            SET LOCAL ROLE duban_owner;
            ALTER TABLE duban.current_state ADD COLUMN plan_id text, ADD COLUMN node_id text, ADD COLUMN unit_id text;
            UPDATE duban.current_state c SET plan_id = a.plan_id, node_id = a.node_id, unit_id = a.unit_id
                FROM duban.assignment a WHERE a.id = c.assignment_id;
            ALTER TABLE duban.current_state ALTER COLUMN plan_id SET NOT NULL, ALTER COLUMN node_id SET NOT NULL,
                ALTER COLUMN unit_id SET NOT NULL;
            CREATE FUNCTION duban.name_current_state() RETURNS trigger
            LANGUAGE plpgsql SET search_path = pg_catalog, duban AS $fn$
            BEGIN
                SELECT a.plan_id, a.node_id, a.unit_id INTO NEW.plan_id, NEW.node_id, NEW.unit_id
                    FROM duban.assignment a WHERE a.id = NEW.assignment_id;
                RETURN NEW;
            END
            $fn$;
            REVOKE ALL ON FUNCTION duban.name_current_state() FROM PUBLIC;
            CREATE TRIGGER current_state_names_its_assignment BEFORE INSERT OR UPDATE OF assignment_id ON duban.current_state
                FOR EACH ROW EXECUTE FUNCTION duban.name_current_state();
            CREATE INDEX current_state_by_plan ON duban.current_state (plan_id, node_id, unit_id)
                INCLUDE (assignment_id, event_id, status, percent, day, done_since, review, closed_on, extended_to, requested_to,
                         report_id);
            """#),

        // Why: "as of a day" early in a year looked back through the events of nearly every assignment of the plan, one
        // index descent each (14,258 of them at province scale, ~60 ms of server time). Each state a later event replaced
        // is kept with the days it held, [from_day, to_day), so the states held on a day are current_state's for those
        // written by then and the spans of that plan holding on the day, found class by class (span_class) in an index.
        // A trigger keeps the spans as events are written or deleted (any writer: a record, a demo replaced, a migration
        // from SQLite), from the events alone, so they are whatever the events say.
        Migration(version: 9, name: "state spans", sql: #"""
            SET LOCAL ROLE duban_owner;
            -- No event may be written between the spans' backfill and their trigger (it would have neither): writers wait.
            LOCK TABLE duban.event IN SHARE ROW EXCLUSIVE MODE;
            CREATE TABLE duban.state_span (
                event_id bigint PRIMARY KEY,       -- the event whose state this was
                plan_id text NOT NULL,
                node_id text NOT NULL,
                unit_id text NOT NULL,
                from_day integer NOT NULL,         -- the event's day
                to_day integer NOT NULL,           -- the next event's day (a later one: a state replaced the same day held no day)
                span_class smallint NOT NULL,      -- duban.span_class(from_day, to_day)
                status text NOT NULL,
                percent integer NOT NULL,
                done_since integer,
                review text,
                closed_on integer,
                extended_to integer,
                requested_to integer,
                report_id bigint
            ) WITH (autovacuum_vacuum_insert_scale_factor = 0.01);
            -- A span of L days is in class floor(log2 L): one holding a day began less than 2^(class+1) days before it, so
            -- the spans holding a day are, class by class, a short range of state_span_by_plan_class (see the reading).
            -- The reading needs only L <= 2^(class+1); a float rounding down at an exact power of two keeps that. Without a
            -- SET clause (names spelled out instead) so that it is inlined: called per span, it doubled the migration.
            CREATE FUNCTION duban.span_class(p_from integer, p_to integer) RETURNS smallint
            LANGUAGE sql IMMUTABLE AS $fn$
                SELECT pg_catalog.floor(pg_catalog.ln((p_to - p_from)::pg_catalog.float8) / pg_catalog.ln(2.0))::pg_catalog.int2
            $fn$;
            -- The one rule for a span, from the events alone: an event's state held from its day to the next event's day of
            -- its assignment (by day, then id), if that is a later one. The trigger reads it for two events, the migration
            -- and `audit verify` for all.
            CREATE VIEW duban.spans_from_events AS
                SELECT e.id AS event_id, a.plan_id, a.node_id, a.unit_id, e.day AS from_day, n.day AS to_day,
                       duban.span_class(e.day, n.day) AS span_class, e.status, e.percent, e.done_since, e.review,
                       e.closed_on, e.extended_to, e.requested_to, e.report_id
                FROM duban.event e
                JOIN duban.assignment a ON a.id = e.assignment_id
                JOIN LATERAL (SELECT x.day FROM duban.event x
                              WHERE x.assignment_id = e.assignment_id AND (x.day, x.id) > (e.day, e.id)
                              ORDER BY x.day, x.id LIMIT 1) n ON n.day > e.day;
            -- An event written: the one before it in its assignment's history now ends on its day, and it ends where the
            -- next one begins (a back-dated demo event lands between two). An event deleted (only demo ones are): its span
            -- goes, and the one before it ends where the next remaining one begins. AFTER ROW triggers see the whole
            -- statement's changes, so a many-row delete or insert leaves every span as the final events say.
            CREATE FUNCTION duban.follow_state_spans() RETURNS trigger
            LANGUAGE plpgsql SET search_path = pg_catalog, duban AS $fn$
            DECLARE
                v_event duban.event := CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END;
                v_before bigint;
            BEGIN
                SELECT x.id INTO v_before FROM duban.event x
                WHERE x.assignment_id = v_event.assignment_id AND (x.day, x.id) < (v_event.day, v_event.id)
                ORDER BY x.day DESC, x.id DESC LIMIT 1;
                DELETE FROM duban.state_span s WHERE s.event_id IN (v_before, v_event.id);
                -- The view, inlined into this (cached) query and narrowed to the two events by their key. (Through a SQL
                -- function instead, it was planned again on every call, which doubled a demo's replacement.)
                INSERT INTO duban.state_span
                    SELECT * FROM duban.spans_from_events s
                    WHERE s.event_id IN (v_before, CASE WHEN TG_OP = 'INSERT' THEN v_event.id END);
                RETURN NULL;
            END
            $fn$;
            -- Every span anew (this migration; a bulk load that bypassed the trigger, as the benchmark's).
            CREATE FUNCTION duban.rebuild_state_spans() RETURNS void
            LANGUAGE sql SET search_path = pg_catalog, duban AS $fn$
                DELETE FROM duban.state_span;
                INSERT INTO duban.state_span SELECT * FROM duban.spans_from_events;
            $fn$;
            SELECT duban.rebuild_state_spans();
            -- `audit verify`: what the server derives from the events, checked against them. As SQLite's verify, each
            -- assignment's current state is its latest event (by day, then id), field for field, and the report days are the
            -- events' own; and each span is what the events say (missing, extra or different). One row per assignment,
            -- (plan, unit) or span event that differs.
            CREATE FUNCTION duban.verify_derived() RETURNS TABLE (kind text, plan_id text, node_id text, unit_id text, event_id bigint)
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            #variable_conflict use_column
            DECLARE
                v_reason text := duban.refusal_reason(session_user, 'audit_verify', NULL);
            BEGIN
                IF v_reason IS NOT NULL THEN
                    RAISE EXCEPTION '未获允许：%', v_reason USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN QUERY
                WITH latest AS (
                    SELECT DISTINCT ON (e.assignment_id) e.assignment_id, e.id, e.status, e.percent, e.note, e.evidence, e.author,
                           e.day, e.done_since, e.recorded_at, e.review, e.closed_on, e.extended_to, e.requested_to, e.report_id,
                           a.plan_id, a.node_id, a.unit_id
                    FROM duban.event e JOIN duban.assignment a ON a.id = e.assignment_id
                    ORDER BY e.assignment_id, e.day DESC, e.id DESC),
                kept AS (
                    SELECT c.assignment_id, c.event_id, c.status, c.percent, c.note, c.evidence, c.author, c.day, c.done_since,
                           c.recorded_at, c.review, c.closed_on, c.extended_to, c.requested_to, c.report_id, c.plan_id, c.node_id,
                           c.unit_id
                    FROM duban.current_state c),
                differing AS ((SELECT * FROM latest EXCEPT SELECT * FROM kept) UNION (SELECT * FROM kept EXCEPT SELECT * FROM latest)),
                counted AS (
                    SELECT a.plan_id, a.unit_id, e.day, count(*)::integer AS events
                    FROM duban.event e JOIN duban.assignment a ON a.id = e.assignment_id
                    WHERE e.kind IN ('update', 'extension_request') GROUP BY a.plan_id, a.unit_id, e.day)
                SELECT DISTINCT 'state'::text, coalesce(a.plan_id, d.plan_id), coalesce(a.node_id, d.node_id),
                       coalesce(a.unit_id, d.unit_id), NULL::bigint
                FROM differing d LEFT JOIN duban.assignment a ON a.id = d.assignment_id
                UNION
                SELECT 'report_days'::text, r.plan_id, NULL::text, r.unit_id, NULL::bigint
                FROM ((SELECT * FROM counted EXCEPT SELECT * FROM duban.report_day)
                      UNION (SELECT * FROM duban.report_day EXCEPT SELECT * FROM counted)) r
                UNION
                SELECT 'span'::text, x.plan_id, x.node_id, x.unit_id, x.event_id
                FROM ((SELECT * FROM duban.spans_from_events EXCEPT ALL SELECT * FROM duban.state_span)
                      UNION ALL (SELECT * FROM duban.state_span EXCEPT ALL SELECT * FROM duban.spans_from_events)) x
                ORDER BY 1 DESC, 2, 3, 4, 5;   -- states first, as SQLite's verify lists them
            END
            $fn$;
            -- By class, then by the day a span began: every column the read needs, so the scan is index-only. (Ordered by the
            -- day spans end instead, as of 2020-05-15 at province scale the read passed over 78,141 spans to find 14,258:
            -- every span of the plan that began after the day too.)
            CREATE INDEX state_span_by_plan_class ON duban.state_span (plan_id, span_class, from_day)
                INCLUDE (to_day, node_id, unit_id, event_id, status, percent, done_since, review, closed_on, extended_to,
                         requested_to, report_id);
            REVOKE ALL ON FUNCTION duban.follow_state_spans(), duban.rebuild_state_spans(),
                duban.span_class(integer, integer) FROM PUBLIC;
            CREATE TRIGGER state_spans_follow_events AFTER INSERT OR DELETE ON duban.event
                FOR EACH ROW EXECUTE FUNCTION duban.follow_state_spans();
            REVOKE ALL ON duban.state_span, duban.spans_from_events FROM PUBLIC;
            GRANT SELECT ON duban.state_span TO duban_admin, duban_staff, duban_leader;
            REVOKE ALL ON FUNCTION duban.verify_derived() FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION duban.verify_derived() TO PUBLIC;
            """#),

        // Why: as of a day, the states written by then were found by reading all of the plan's current states and keeping
        // those of that day or before — early in a year, 14,280 read for a few dozen kept, beside the spans that hold the
        // rest, so the read cost half again as much as "now". By plan and day they are one short range.
        Migration(version: 10, name: "states by plan and day", sql: #"""
            SET LOCAL ROLE duban_owner;
            CREATE INDEX current_state_by_plan_day ON duban.current_state (plan_id, day)
                INCLUDE (node_id, unit_id, event_id, status, percent, done_since, review, closed_on, extended_to, requested_to,
                         report_id);
            """#),

        // Why: a report on work the office had signed off (销号) reopened it without a word — a clerk's 推进中 made it
        // overdue again. Now the server refuses it (CarriedState.closedReason, the same words), unless the office reopens
        // the work, which `p_reopen` says and only an admin may (the access action 'reopen').
        Migration(version: 11, name: "signed-off work stays closed", sql: #"""
            SET LOCAL ROLE duban_owner;
            -- The functions of migrations 3 and 4 stay as they are, under names of their own; the new ones add to them.
            ALTER FUNCTION duban.action_verb(text) RENAME TO action_verb_v3;
            CREATE FUNCTION duban.action_verb(p_action text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
                SELECT CASE p_action WHEN 'reopen' THEN '重新打开已办结的任务' ELSE duban.action_verb_v3(p_action) END
            $fn$;
            ALTER FUNCTION duban.action_description(text, text, text, text) RENAME TO action_description_v3;
            CREATE FUNCTION duban.action_description(p_action text, p_plan_id text, p_node_id text, p_unit_id text) RETURNS text
            LANGUAGE sql IMMUTABLE AS $fn$
                SELECT CASE WHEN p_action = 'reopen'
                    THEN duban.action_verb(p_action) || ' ' || coalesce(p_plan_id, '') || ' ' || coalesce(p_node_id, '') || ' ' || coalesce(p_unit_id, '')
                    ELSE duban.action_description_v3(p_action, p_plan_id, p_node_id, p_unit_id) END
            $fn$;
            GRANT EXECUTE ON FUNCTION duban.action_verb(text), duban.action_description(text, text, text, text)
                TO duban_admin, duban_staff, duban_leader;
            -- record() of migration 4 (the access rule by kind, then append_event) is now reached only through the new one.
            ALTER FUNCTION duban.record(text, text, text, text, text, integer, text, text, integer, integer, bigint, bigint, text)
                RENAME TO record_v4;
            REVOKE ALL ON FUNCTION duban.record_v4(text, text, text, text, text, integer, text, text, integer, integer, bigint, bigint, text)
                FROM PUBLIC;
            CREATE FUNCTION duban.record(p_plan_id text, p_node_id text, p_unit_id text, p_kind text, p_status text,
                                         p_percent integer, p_note text, p_evidence text, p_day integer, p_extend_to integer,
                                         p_corrects bigint, p_expect_event_id bigint, p_ssh_client text, p_reopen boolean DEFAULT false)
            RETURNS TABLE (outcome text, event_id bigint, message text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, duban AS $fn$
            #variable_conflict use_column
            DECLARE
                v_action text := CASE WHEN p_reopen THEN 'reopen' ELSE 'update' END;
                v_reason text;
                v_closed_on integer;
            BEGIN
                IF p_kind = 'update' THEN
                    -- Who may act first, as in SQLite's store (a reopening is the office's, whoever's unit it is).
                    v_reason := duban.refusal_reason(session_user, v_action, p_unit_id);
                    IF v_reason IS NOT NULL THEN
                        PERFORM duban.log_refusal(duban.action_description(v_action, p_plan_id, p_node_id, p_unit_id), v_reason, p_ssh_client);
                        RETURN QUERY SELECT 'refused', NULL::bigint, v_reason;
                        RETURN;
                    END IF;
                    IF NOT p_reopen THEN
                        -- Looked at under the writers' lock, so no sign-off lands between the look and the write.
                        PERFORM duban.lock_writes();
                        SELECT c.closed_on INTO v_closed_on FROM duban.current_state c
                            WHERE c.plan_id = p_plan_id AND c.node_id = p_node_id AND c.unit_id = p_unit_id AND c.review = '已办结';
                        IF FOUND THEN
                            RETURN QUERY SELECT 'rejected', NULL::bigint,
                                '该任务已于 ' || coalesce(duban.day_text(v_closed_on), '此前')
                                || ' 办结销号，不能再登记进展；如确需重新办理，请由督办室重新打开（duban update … --reopen）';
                            RETURN;
                        END IF;
                    END IF;
                END IF;
                RETURN QUERY SELECT * FROM duban.record_v4(p_plan_id, p_node_id, p_unit_id, p_kind, p_status, p_percent, p_note,
                                                           p_evidence, p_day, p_extend_to, p_corrects, p_expect_event_id, p_ssh_client);
            END
            $fn$;
            -- As before: anyone may call it, and it refuses (and records) whom the access rule refuses.
            GRANT EXECUTE ON FUNCTION duban.record(text, text, text, text, text, integer, text, text, integer, integer, bigint, bigint,
                                                   text, boolean) TO PUBLIC;
            """#),
    ]
}
