#!/usr/bin/env python3
"""Checks the PostgreSQL schema of Sources/DubanStore/PostgresSchema.swift against a throw-away cluster, with real OS
accounts and psql: what the database itself refuses, whatever the client. Run as root (it creates OS accounts
dubanpg-admin, dubanpg-staff, dubanpg-leader if missing, and runs psql as each through runuser).

    scripts/postgres-schema-check.py            starts the dev cluster if needed (scripts/postgres-dev-cluster.sh)
    DUBAN_PG_SOCKET=/path scripts/postgres-schema-check.py

Exits non-zero on any failure. The SQL is taken from the Swift file as written (no Swift build needed)."""
import hashlib
import os
import re
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWIFT = os.path.join(ROOT, "Sources/DubanStore/PostgresSchema.swift")
DB = "duban_check"
PLAN = "changsha-2021"
ADMIN, STAFF, LEADER = "dubanpg-admin", "dubanpg-staff", "dubanpg-leader"
failures = []


def check(ok, what, detail=""):
    print(("  ok   " if ok else "  FAIL ") + what + ("" if ok or not detail else f"\n         {detail}"))
    if not ok:
        failures.append(what)


# ---- the SQL, from the Swift file -------------------------------------------------------------------------------

def raw_block(text):
    """A Swift multi-line raw string's content: indentation of the closing delimiter removed."""
    lines = text.split("\n")
    indent = len(lines[-1]) - len(lines[-1].lstrip(" "))
    return "\n".join(line[indent:] for line in lines[:-1])


def load_schema():
    source = open(SWIFT, encoding="utf-8").read()
    bootstrap = raw_block(re.search(r'static let bootstrap = #"""\n(.*?)"""#', source, re.S).group(1))
    lock = int(re.search(r"migrationLock: Int64 = (0x[0-9A-Fa-f_]+)", source).group(1).replace("_", ""), 16)
    migrations = [(int(v), name, raw_block(sql)) for v, name, sql in
                  re.findall(r'Migration\(version: (\d+), name: "([^"]*)", sql: #"""\n(.*?)"""#\)', source, re.S)]
    channel = re.search(r'listenChannel = "([^"]+)"', source).group(1)
    return bootstrap, lock, migrations, channel


def init_script(bootstrap, lock, migrations):
    """PostgresSchema.psqlScript, built the same way."""
    script = "\\set ON_ERROR_STOP 1\n" + bootstrap + "\n"
    for version, name, sql in migrations:
        script += (f"BEGIN;\nSELECT pg_advisory_xact_lock({lock}) AS duban_locked \\gset\n"
                   f"SELECT NOT EXISTS (SELECT FROM duban.schema_version WHERE version = {version}) AS duban_needed \\gset\n"
                   f"\\if :duban_needed\n{sql}\nINSERT INTO duban.schema_version (version, name) VALUES ({version}, '{name}');\n"
                   f"\\endif\nCOMMIT;\n")
    return script


# ---- psql as an OS account ----------------------------------------------------------------------------------------

SOCKET = None


def psql(account, sql, db=DB, stdin=None):
    """Runs psql as the OS account (peer authentication: the account is the role). Returns (rc, stdout, stderr)."""
    args = ["runuser", "-u", account, "--", "psql", "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1",
            "-h", SOCKET, "-d", db]
    if sql is not None:
        args += ["-c", sql]
    result = subprocess.run(args, input=stdin, capture_output=True, text=True, cwd="/")
    return result.returncode, result.stdout.strip(), result.stderr.strip()


def value(account, sql):
    rc, out, err = psql(account, sql)
    if rc != 0:
        raise RuntimeError(f"{account}: {sql}\n{err}")
    return out


def record(account, unit, kind="update", status="推进中", percent=0, note="", evidence=None, day=18700, extend_to=None,
           corrects=None, expect=None, node="2.7", ssh="10.1.2.3 50000 22", reopen=None):
    def lit(v):
        if v is None:
            return "NULL"
        if isinstance(v, int):
            return str(v)
        return "'" + str(v).replace("'", "''") + "'"
    sql = (f"SELECT outcome, coalesce(event_id::text, ''), coalesce(message, '') FROM duban.record("
           f"{lit(PLAN)}, {lit(node)}, {lit(unit)}, {lit(kind)}, {lit(status)}, {lit(percent)}, {lit(note)}, {lit(evidence)}, "
           f"{lit(day)}, {lit(extend_to)}, {lit(corrects)}::bigint, {lit(expect)}::bigint, {lit(ssh)}"
           + ("" if reopen is None else f", {'true' if reopen else 'false'}") + ")")
    rc, out, err = psql(account, sql)
    if rc != 0:
        return ("error", None, err)
    outcome, event_id, message = out.split("|", 2)
    return outcome, (int(event_id) if event_id else None), message


def refused_by_server(account, sql, what, expect="permission denied"):
    rc, out, err = psql(account, sql)
    check(rc != 0 and expect in err, what, f"rc={rc} out={out!r} err={err!r}")


# ---- the Swift hash, in Python --------------------------------------------------------------------------------------

def audit_hash(fields):
    """AuditHash.of: each field as UTF-8, preceded by its byte length as UInt32 big-endian; SHA-256; lowercase hex.
    None stands for Swift's "\\u{0}"."""
    data = b""
    for field in fields:
        raw = "\0".encode() if field is None else field.encode("utf-8")
        data += struct.pack(">I", len(raw)) + raw
    return hashlib.sha256(data).hexdigest()


def swift_link_hash(e, previous):
    """AuditLink.hash, field for field."""
    s = lambda v: None if v is None else str(v)
    fields = [str(e["id"]), e["plan_id"], e["node_id"], e["unit_id"], e["status"], str(e["percent"]), e["note"], s(e["evidence"]),
              e["author"], str(e["uid"]), str(e["day"]), s(e["done_since"]), e["recorded_at"], s(e["ssh_client"]),
              "1" if e["demo"] else "0", previous]
    if e["corrects"] is not None:
        fields += ["corrects", str(e["corrects"])]
    v5 = [e[k] for k in ("extend_to", "review", "closed_on", "extended_to", "requested_to", "request_id", "claim_id",
                         "percent_before_claim", "report_id")]
    if e["kind"] != "update" or any(v is not None for v in v5):
        fields += ["v5", e["kind"]] + [s(v) for v in v5]
    return audit_hash(fields)


EVENT_COLUMNS = ["id", "plan_id", "node_id", "unit_id", "status", "percent", "note", "evidence", "author", "uid", "day",
                 "done_since", "recorded_at", "ssh_client", "demo", "prev_hash", "hash", "corrects", "kind", "extend_to",
                 "review", "closed_on", "extended_to", "requested_to", "request_id", "claim_id", "percent_before_claim",
                 "report_id"]
INT_COLUMNS = {"id", "percent", "uid", "day", "done_since", "corrects", "extend_to", "closed_on", "extended_to",
               "requested_to", "request_id", "claim_id", "percent_before_claim", "report_id"}


def events(account):
    """Every event as a dict, read as JSON (so NULL and '' stay apart)."""
    import json
    cols = ", ".join(("a." if c in ("plan_id", "node_id", "unit_id") else "e.") + c for c in EVENT_COLUMNS)
    out = value(account, f"SELECT coalesce(json_agg(x ORDER BY x.id), '[]') FROM (SELECT {cols} FROM duban.event e "
                         f"JOIN duban.assignment a ON a.id = e.assignment_id) x")
    return json.loads(out)


def state(account, unit, node="2.7"):
    out = value(account, "SELECT row_to_json(c) FROM duban.current_state c JOIN duban.assignment a ON a.id = c.assignment_id "
                         f"WHERE a.plan_id = '{PLAN}' AND a.node_id = '{node}' AND a.unit_id = '{unit}'")
    import json
    return json.loads(out) if out else None


# ---- the run ----------------------------------------------------------------------------------------------------------

def ensure_account(name):
    if subprocess.run(["id", "-u", name], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    return int(subprocess.run(["id", "-u", name], capture_output=True, text=True, check=True).stdout)


def main():
    global SOCKET
    if os.geteuid() != 0:
        sys.exit("run as root (creates OS accounts, runs psql as each)")
    SOCKET = os.environ.get("DUBAN_PG_SOCKET") or subprocess.run(
        [os.path.join(ROOT, "scripts/postgres-dev-cluster.sh"), "start"], capture_output=True, text=True, check=True).stdout.strip()
    print(f"cluster socket: {SOCKET}")
    bootstrap, lock, migrations, channel = load_schema()
    print(f"migrations in PostgresSchema.swift: {[(v, n) for v, n, _ in migrations]}")
    check(channel == "duban_events", "listen channel is duban_events")
    script = init_script(bootstrap, lock, migrations)

    print("init (twice: idempotent)")
    psql("postgres", f"DROP DATABASE IF EXISTS {DB}", db="postgres")
    rc, _, err = psql("postgres", f"CREATE DATABASE {DB}", db="postgres")
    check(rc == 0, "database created", err)
    rc, out, err = psql("postgres", None, stdin=script)
    check(rc == 0, "first init applies every migration", err)
    dump = lambda: subprocess.run(["runuser", "-u", "postgres", "--", "pg_dump", "-s", "-h", SOCKET, DB],
                                  capture_output=True, text=True).stdout
    dump_lines = lambda: [l for l in dump().splitlines() if not l.startswith(("\\restrict", "\\unrestrict"))]
    before = dump_lines()
    rc, out, err = psql("postgres", None, stdin=script)
    check(rc == 0, "second init succeeds", err)
    check(dump_lines() == before, "second init changes nothing (schema dump identical)")
    check(value("postgres", "SELECT string_agg(version::text, ',' ORDER BY version) FROM duban.schema_version")
          == ",".join(str(v) for v, _, _ in migrations), "schema_version lists each migration once")

    print("accounts (OS account = role, peer authentication)")
    uids = {name: ensure_account(name) for name in (ADMIN, STAFF, LEADER)}
    for name in uids:
        value("postgres", f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN "
                          f"CREATE ROLE \"{name}\" LOGIN; END IF; END $$")
    check(value("postgres", f"SELECT coalesce(duban.assign_role('{ADMIN}', 'admin', {uids[ADMIN]}), 'done')") == "done",
          "superuser makes dubanpg-admin an admin")
    check(value(ADMIN, f"SELECT coalesce(duban.assign_role('{STAFF}', 'staff', {uids[STAFF]}), 'done')") == "done",
          "admin makes dubanpg-staff staff")
    check(value(ADMIN, f"SELECT coalesce(duban.assign_role('{LEADER}', 'leader', {uids[LEADER]}), 'done')") == "done",
          "admin makes dubanpg-leader a leader")
    check(value(ADMIN, f"SELECT coalesce(duban.set_unit_grant('{STAFF}', 'furong', true), 'done')") == "done",
          "admin grants unit furong to dubanpg-staff")
    reason = value(STAFF, f"SELECT duban.set_unit_grant('{STAFF}', 'tianxin', true)")
    check(reason.startswith("只有管理员可以修改访问控制"), "staff cannot grant itself a unit (refused, reason returned)", reason)
    check(value(STAFF, "SELECT duban.role_of(session_user)") == "staff", "role_of(dubanpg-staff) = staff")

    print("staff: own unit")
    outcome, first, message = record(STAFF, "furong", status="推进中", percent=40, note="已完成初稿", day=18700, expect=0)
    check(outcome == "ok" and first, "staff records for its own unit", f"{outcome} {message}")
    row = value(STAFF, f"SELECT author || '|' || uid FROM duban.event WHERE id = {first}")
    check(row == f"{STAFF}|{uids[STAFF]}", "author is session_user and uid the account's", row)
    # Switching to the group role changes current_user, not session_user; a named author parameter does not exist.
    rc, out, err = psql(STAFF, "SET ROLE duban_staff; SELECT outcome, event_id FROM duban.record('changsha-2021', '2.8', 'furong', "
                               "'update', '推进中', 10, 'via SET ROLE', NULL, 18700, NULL, NULL, NULL, NULL)")
    eid = out.split("|")[1] if rc == 0 and "|" in out else "0"
    check(rc == 0 and out.startswith("ok") and value(STAFF, f"SELECT author FROM duban.event WHERE id = {eid}") == STAFF,
          "after SET ROLE duban_staff the author is still dubanpg-staff", out + err)
    refused_by_server(STAFF, f"SET ROLE \"{ADMIN}\"", "staff cannot SET ROLE to the admin account")
    refused_by_server(STAFF, f"SET SESSION AUTHORIZATION \"{ADMIN}\"", "staff cannot SET SESSION AUTHORIZATION")
    refused_by_server(STAFF, "SELECT * FROM duban.record(p_plan_id => 'x', p_node_id => '1', p_unit_id => 'furong', p_kind => 'update', "
                             "p_status => '推进中', p_percent => 1, p_note => '', p_evidence => NULL, p_day => 18700, p_extend_to => NULL, "
                             "p_corrects => NULL, p_expect_event_id => NULL, p_ssh_client => NULL, p_author => 'dubanpg-admin')",
                      "there is no author parameter to pass", expect="does not exist")

    print("staff: what the server refuses")
    before_refusals = int(value(ADMIN, f"SELECT count(*) FROM duban.refusal WHERE account = '{STAFF}'"))
    outcome, _, message = record(STAFF, "tianxin", percent=10)
    check(outcome == "refused" and "不能为“tianxin”登记进展" in message, "staff record for another unit is refused", f"{outcome} {message}")
    after = value(ADMIN, f"SELECT count(*) || '|' || max(action) FROM duban.refusal WHERE account = '{STAFF}'")
    check(int(after.split("|")[0]) == before_refusals + 1 and "登记进展 changsha-2021 2.7 tianxin" in after,
          "the refusal is recorded server-side", after)
    refused_by_server(STAFF, f"UPDATE duban.event SET note = 'changed' WHERE id = {first}", "staff UPDATE duban.event")
    refused_by_server(STAFF, f"DELETE FROM duban.event WHERE id = {first}", "staff DELETE FROM duban.event")
    refused_by_server(STAFF, "TRUNCATE duban.event", "staff TRUNCATE duban.event")
    refused_by_server(STAFF, "INSERT INTO duban.event (id, assignment_id, status, percent, author, uid, day, recorded_at, prev_hash, hash) "
                             f"SELECT 999999, assignment_id, '已完成', 100, '{STAFF}', 0, 18701, 'now', 'x', 'forged' FROM duban.event WHERE id = {first}",
                      "staff direct INSERT INTO duban.event with a forged hash")
    refused_by_server(STAFF, "UPDATE duban.current_state SET percent = 100", "staff UPDATE duban.current_state")
    refused_by_server(STAFF, "INSERT INTO duban.current_state SELECT * FROM duban.current_state", "staff INSERT INTO duban.current_state")
    refused_by_server(STAFF, "UPDATE duban.state_span SET percent = 100", "staff UPDATE duban.state_span")
    refused_by_server(STAFF, "DELETE FROM duban.state_span", "staff DELETE FROM duban.state_span")
    refused_by_server(STAFF, "INSERT INTO duban.state_span SELECT * FROM duban.state_span", "staff INSERT INTO duban.state_span")
    refused_by_server(STAFF, "SELECT duban.rebuild_state_spans()", "staff cannot call rebuild_state_spans")
    refused_by_server(STAFF, "UPDATE duban.audit_head SET hash = 'forged'", "staff UPDATE duban.audit_head")
    refused_by_server(STAFF, "DELETE FROM duban.refusal", "staff DELETE FROM duban.refusal")
    refused_by_server(STAFF, "SELECT count(*) FROM duban.refusal", "staff cannot read the refusal log (admins only)")
    refused_by_server(STAFF, f"INSERT INTO duban.unit_grant VALUES ('{STAFF}', 'tianxin')", "staff INSERT INTO duban.unit_grant")
    refused_by_server(STAFF, "SELECT * FROM duban.append_event('changsha-2021', '2.7', 'tianxin', 'update', '已完成', 100, '', NULL, "
                             "18000, NULL, NULL, NULL, NULL, true, true)", "staff cannot call the internal append_event")
    refused_by_server(STAFF, "SELECT duban.append_seal('setting', '[]')", "staff cannot call append_seal")
    refused_by_server(STAFF, "SELECT duban.log_refusal('x', 'y', NULL)", "staff cannot call log_refusal")
    refused_by_server(STAFF, "SELECT setval('duban.event_id_seq', 1)", "staff cannot move the event id sequence")
    refused_by_server(STAFF, "CREATE TABLE duban.mine (x int)", "staff cannot create objects in schema duban")
    refused_by_server(STAFF, "ALTER TABLE duban.event DISABLE ROW LEVEL SECURITY", "staff cannot turn row-level security off",
                      expect="must be owner")
    check(record(STAFF, "furong", kind="approve")[0] == "refused", "staff cannot approve (office decision)")

    print("signed-off work stays closed (migration 11)")
    # On an assignment of its own (the server keeps no plan: any node id is an assignment), apart from the checks below.
    check(record(STAFF, "furong", status="已完成", percent=100, day=18710, node="8.8")[0] == "ok", "staff claims 8.8 done")
    check(record(ADMIN, "furong", kind="approve", day=18711, node="8.8")[0] == "ok", "the office signs it off")
    outcome, _, message = record(STAFF, "furong", status="推进中", percent=50, day=18712, node="8.8")
    check(outcome == "rejected" and "办结销号" in message, "a staff report on signed-off work is rejected by the server",
          f"{outcome} {message}")
    outcome, _, message = record(STAFF, "furong", status="推进中", percent=50, day=18712, node="8.8", reopen=True)
    check(outcome == "refused" and "只有管理员可以重新打开已办结的任务" in message, "staff cannot reopen it", f"{outcome} {message}")
    outcome, _, message = record(ADMIN, "furong", status="推进中", percent=60, day=18713, node="8.8", reopen=True)
    check(outcome == "ok", "the office reopens it, saying so", f"{outcome} {message}")
    check(record(STAFF, "furong", status="推进中", percent=70, day=18714, node="8.8")[0] == "ok", "then the unit reports again")
    check(value(STAFF, "SELECT replace_demo IS NULL FROM duban.replace_demo('[]', NULL)") == "t", "staff replace_demo refused (NULL)")

    print("row-level security behind the privileges (a mistaken GRANT INSERT still lets nothing in)")
    value("postgres", "GRANT INSERT ON duban.event TO duban_staff")
    refused_by_server(STAFF, "INSERT INTO duban.event (id, assignment_id, status, percent, author, uid, day, recorded_at, prev_hash, hash) "
                             f"SELECT 999999, assignment_id, '推进中', 1, '{STAFF}', 0, 18701, 'now', 'x', 'forged' FROM duban.event WHERE id = {first}",
                      "even with INSERT granted, RLS refuses a direct insert", expect="row-level security")
    value("postgres", "REVOKE INSERT ON duban.event FROM duban_staff")

    print("leader: read only")
    check(int(value(LEADER, "SELECT count(*) FROM duban.event")) >= 2, "leader SELECT on events works")
    check(value(LEADER, f"SELECT percent FROM duban.current_state WHERE event_id = {first}") == "40", "leader SELECT on current_state works")
    outcome, _, message = record(LEADER, "furong", percent=50)
    check(outcome == "refused" and message.startswith("领导账号只能查看，不能登记进展"), "leader record refused", f"{outcome} {message}")
    refused_by_server(LEADER, "DELETE FROM duban.current_state", "leader DELETE FROM duban.current_state")

    print("the rules of the SQLite store")
    outcome, current, message = record(STAFF, "furong", percent=50, expect=first + 1000)
    check(outcome == "conflict" and current == first, "wrong --expect: conflict with the current latest id", f"{outcome} {current} {message}")
    outcome, current, _ = record(STAFF, "furong", node="9.9", percent=5, expect=7)
    check(outcome == "conflict" and current is None, "--expect on an assignment with no event: conflict, no current id")
    outcome, current, message = record(STAFF, "furong", percent=45, day=18600)
    check(outcome == "dated_before_latest" and current == first and "2021-03-14" in message,
          "a date before the latest event is refused", f"{outcome} {current} {message}")
    outcome, _, message = record(ADMIN, "furong", kind="approve", day=18701)
    check(outcome == "rejected" and message == "该任务没有待审核的“已完成”申报，无需审核", "approve with no claim is rejected", message)
    outcome, _, message = record(STAFF, "furong", percent=45, note="bad\u202etext")
    check(outcome == "invalid" and "U+202E" in message, "a bidi control in the note is refused", message)
    outcome, claim, _ = record(STAFF, "furong", status="已完成", percent=100, note="全部完成", evidence="https://example.gov.cn/a",
                               day=18702, expect=first)
    s = state(ADMIN, "furong")
    check(outcome == "ok" and s["review"] == "待审核" and s["done_since"] == 18702 and s["report_id"] == claim,
          "a claim of 已完成: review 待审核, done_since its day", str(s))
    outcome, ret, _ = record(ADMIN, "furong", kind="return", note="佐证不足", day=18703)
    s = state(ADMIN, "furong")
    check(outcome == "ok" and s["status"] == "推进中" and s["percent"] == 40 and s["review"] == "退回" and s["report_id"] == claim,
          "return: back to 推进中 at the percent before the claim", str(s))
    outcome, claim2, _ = record(STAFF, "furong", status="已完成", percent=100, day=18704)
    outcome, approval, message = record(ADMIN, "furong", kind="approve", note="同意销号", day=18705, expect=claim2)
    s = state(LEADER, "furong")
    check(outcome == "ok" and s["review"] == "已办结" and s["closed_on"] == 18705 and s["event_id"] == approval
          and s["author"] == ADMIN, "admin approve step works (已办结, closed_on the approval's day)", f"{outcome} {message} {s}")
    outcome, _, message = record(STAFF, "furong", kind="extension_request", extend_to=18800, day=18706)
    check(outcome == "rejected" and message == "该任务已办结销号，不能再申请延期", "no extension after sign-off", message)
    outcome, req, _ = record(STAFF, "furong", node="2.8", kind="extension_request", extend_to=18800, day=18706)
    outcome2, dec, _ = record(ADMIN, "furong", node="2.8", kind="extension_approve", day=18707)
    s = state(STAFF, "furong", node="2.8")
    check(outcome == "ok" and outcome2 == "ok" and s["extended_to"] == 18800 and s["requested_to"] is None,
          "extension request then approval: extended_to set", str(s))
    outcome, corr, _ = record(STAFF, "furong", node="2.8", percent=15, note="更正", day=18707, corrects=dec)
    check(outcome == "ok", "a correction of the latest record")
    outcome, _, _ = record(STAFF, "furong", node="2.8", percent=16, day=18707, corrects=dec)
    check(outcome == "conflict", "a correction of a record no longer latest: conflict")

    print("concurrent writers (two staff sessions at once, 2 x 15 records)")
    loop = "".join(f"SELECT outcome FROM duban.record('{PLAN}', '4.{i}', 'furong', 'update', '推进中', {i}, '', NULL, 18710, "
                   f"NULL, NULL, NULL, NULL);\n" for i in range(15))
    procs = [subprocess.Popen(["runuser", "-u", STAFF, "--", "psql", "-X", "-q", "-A", "-t", "-h", SOCKET, "-d", DB],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/")
             for _ in range(2)]
    outs = [p.communicate(loop, timeout=60) for p in procs]
    oks = sum(o.split().count("ok") for o, _ in outs)
    check(oks == 30, "all 30 concurrent records written", str(outs))
    check(value(ADMIN, "SELECT coalesce(duban.verify_chain()::text, 'clean')") == "clean", "the chain has no fork after them")
    rc, out, err = psql(STAFF, "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT outcome FROM duban.record('changsha-2021', '4.99', 'furong', "
                               "'update', '推进中', 1, '', NULL, 18710, NULL, NULL, NULL, NULL); COMMIT")
    check(rc != 0 and "READ COMMITTED" in err, "a write inside a REPEATABLE READ transaction is refused (stale snapshot)", out + err)

    print("LISTEN / NOTIFY")
    listener = subprocess.Popen(["runuser", "-u", LEADER, "--", "psql", "-X", "-q", "-h", SOCKET, "-d", DB],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/")
    listener.stdin.write(f"LISTEN {channel};\nSELECT pg_sleep(3);\nSELECT 1;\n")
    listener.stdin.flush()
    time.sleep(1)
    record(STAFF, "furong", node="2.9", percent=5, day=18707)
    out, err = listener.communicate(timeout=30)
    check(f'notification "{channel}" with payload "{PLAN}"' in out, "a write notifies listeners with the plan id", out + err)

    print("demo events (admin)")
    demo = ('[{"plan_id":"changsha-2021","node_id":"3.1","unit_id":"yuelu","status":"推进中","percent":30,"day":18650},'
            '{"plan_id":"changsha-2021","node_id":"3.1","unit_id":"yuelu","status":"已完成","percent":100,"day":18660},'
            '{"plan_id":"changsha-2021","node_id":"3.1","unit_id":"yuelu","kind":"approve","day":18660}]')
    check(value(ADMIN, f"SELECT duban.replace_demo('{demo}', NULL)") == "3", "admin replaces the demo events (3)")
    check(value(ADMIN, f"SELECT duban.replace_demo('{demo}', NULL)") == "3", "and again (old ones removed)")
    check(value(ADMIN, "SELECT count(*) FROM duban.event WHERE demo") == "3", "3 demo events remain")
    s = state(ADMIN, "yuelu", node="3.1")
    check(s and s["review"] == "已办结", "demo state replayed by the same rule", str(s))

    print("audit chains")
    check(value(ADMIN, "SELECT coalesce(duban.verify_chain()::text, 'clean')") == "clean", "verify_chain() clean (admin)")
    check(value(LEADER, "SELECT coalesce(duban.verify_chain()::text, 'clean')") == "clean", "verify_chain() clean (leader)")
    check(value(ADMIN, "SELECT coalesce(duban.verify_seals()::text, 'clean')") == "clean", "verify_seals() clean")
    all_events = events(ADMIN)
    head, mismatches = "duban-audit-v1", []
    for e in all_events:
        previous = "duban-demo" if e["demo"] else head
        if e["prev_hash"] != previous or swift_link_hash(e, previous) != e["hash"]:
            mismatches.append(e["id"])
        if not e["demo"]:
            head = e["hash"]
    kinds = sorted({e["kind"] for e in all_events})
    check(not mismatches and len(all_events) > 10,
          f"every event's hash equals AuditLink.hash computed in Python ({len(all_events)} events, kinds {kinds}, "
          f"with and without corrects, demo and real)", f"mismatch at {mismatches}")
    check(value(ADMIN, "SELECT hash FROM duban.audit_head") == head, "audit_head is the last real event's hash")
    ts = all_events[0]["recorded_at"]
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)", ts) is not None,
          f"recorded_at in SQLiteProgressStore.timestamp() format ({ts})")
    # Tampering as the database superuser (owner of everything) is caught by verify.
    value("postgres", f"ALTER TABLE duban.event DISABLE TRIGGER event_is_append_only; "
                      f"UPDATE duban.event SET note = 'tampered' WHERE id = {first}; "
                      f"ALTER TABLE duban.event ENABLE TRIGGER event_is_append_only")
    check(value(ADMIN, "SELECT duban.verify_chain()") == str(first), "a superuser's edit is found by verify_chain()")
    refused_by_server(STAFF, "SELECT duban.verify_chain()", "staff verify_chain() refused", expect="只有管理员可以校验审计链")
    refusal = value(ADMIN, "SELECT row_to_json(r) FROM duban.refusal r ORDER BY id LIMIT 1")
    check('"uid":' + str(uids[STAFF]) in refusal, "refusals carry the account's uid", refusal)

    print()
    if failures:
        print(f"{len(failures)} FAILED: " + "; ".join(failures))
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
