#!/usr/bin/env python3
"""Generates a province-scale data set for the benchmarks.

14 cities x 11 districts, 5 plans per city, ~1,000,000 assignments, and databases holding
10 thousand, 1 million and 10 million events, in the schema duban creates itself, laid out as a year of use leaves
them (events in the order of their days across all plans; assignments registered at their first report).

    python3 Benchmarks/generate-province.py OUT_DIR [--events 10000,1000000,10000000] [--postgres SOCKET_DIR]

OUT_DIR gets Plans/ (registries, calendar, 70 plans) and events-<N>.sqlite per size.
The duban binary (release) must be built first: `swift build -c release`.
"""
import argparse, os, random, shutil, sqlite3, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CITIES = 14
DISTRICTS = 11
PLANS_PER_CITY = 5
SECTIONS = 10
ITEMS_PER_SECTION = 119          # 1190 items x 12 assignments = 14,280 per plan; x 70 = 999,600
CN = "一二三四五六七八九十"

def cn(n):
    if n <= 10: return CN[n - 1]
    if n < 20: return "十" + CN[n - 11]
    tens, ones = divmod(n, 10)
    return CN[tens - 1] + "十" + (CN[ones - 1] if ones else "")

def write_plans(out):
    plans_dir = os.path.join(out, "Plans")
    if os.path.exists(plans_dir): shutil.rmtree(plans_dir)
    os.makedirs(os.path.join(plans_dir, "units"))
    shutil.copytree(os.path.join(ROOT, "Plans", "calendar"), os.path.join(plans_dir, "calendar"))
    plan_ids = []
    for c in range(CITIES):
        city = f"测试{cn(c + 1)}市"
        districts = [f"{city[:-1]}第{cn(d + 1)}区" for d in range(DISTRICTS)]
        departments = [f"市第{cn(k + 1)}局" for k in range(12)]
        with open(os.path.join(plans_dir, "units", f"city{c:02d}.yaml"), "w") as f:
            f.write(f"city: {city}\nunits:\n")
            for d, name in enumerate(districts):
                f.write(f"  - {{id: d{d:02d}, name: {name}, kind: district}}\n")
            for k, name in enumerate(departments):
                f.write(f"  - {{id: dept{k:02d}, name: {name}, kind: department}}\n")
            f.write("  - id: all-districts\n    name: 各区县（市）人民政府\n    kind: collective\n")
            f.write("    expands_to: [" + ", ".join(districts) + "]\n")
        for p in range(PLANS_PER_CITY):
            year = 2018 + p
            pid = f"city{c:02d}-{year}"
            plan_ids.append((pid, year))
            lines = [f"id: {pid}", f"city: {city}", f"year: {year}", f"title: {city}{year}年政务公开工作要点",
                     "issuer: 测试办", f"issued: {year}-03-01",
                     "districts: [" + ", ".join(districts) + "]", "sections:"]
            n = 0
            for s in range(SECTIONS):
                lines += [f'  - id: "{s + 1}"', f"    number: {cn(s + 1)}、", f"    title: 第{cn(s + 1)}部分", "    items:"]
                for i in range(ITEMS_PER_SECTION):
                    n += 1
                    month = 3 + (n % 10)
                    lines += [f'      - id: "{s + 1}.{n}"', f"        number: （{n}）", f"        title: 工作事项{n}",
                              f"        text: 工作事项{n}。按要求推进相关信息公开工作，{month}月底前完成。",
                              f"        responsible: [{departments[n % 12]}, 各区县（市）人民政府]"]
            with open(os.path.join(plans_dir, f"{pid}.yaml"), "w") as f:
                f.write("\n".join(lines) + "\n")
    return plans_dir, plan_ids

def assignments_of(plan_id):
    """(node, unit) in document order, as duban derives them."""
    out = []
    n = 0
    for s in range(SECTIONS):
        for i in range(ITEMS_PER_SECTION):
            n += 1
            node = f"{s + 1}.{n}"
            out.append((node, f"dept{n % 12:02d}"))
            out += [(node, f"d{d:02d}") for d in range(DISTRICTS)]
    return out

def day_number(y, m, d):
    import datetime
    return (datetime.date(y, m, d) - datetime.date(1970, 1, 1)).days

def generate(plan_ids, events_total, chunk=500_000):
    """Assignment, event and current-state rows (the same for SQLite and PostgreSQL), as an office's year writes them:
    events numbered in the order of their days across all plans, and an assignment registered when its first report
    arrives. So one plan's assignments and events lie scattered through the tables among every other plan's, as in a
    real database (numbering them plan by plan kept each plan's rows together and flattered every per-plan read).
    Yields (assignment rows, event rows, current-state rows) in batches: all assignments first, then events, then states."""
    rng = random.Random(events_total)
    total_assignments = len(plan_ids) * len(assignments_of(plan_ids[0][0]))
    per_assignment = events_total / total_assignments
    keys = []       # (plan, node, unit) by generation order
    events = []     # (day, tie-break, key index, status, percent, done_since)
    for pid, year in plan_ids:
        for node, unit in assignments_of(pid):
            index = len(keys)
            keys.append((pid, node, unit))
            k = int(per_assignment) + (1 if rng.random() < per_assignment - int(per_assignment) else 0)
            day = day_number(year, 3, 1)
            done_since = None
            for j in range(k):
                day += rng.randint(1, 30)
                status = "已完成" if j == k - 1 and rng.random() < 0.7 else "推进中"
                percent = 100 if status == "已完成" else min(99, 10 * (j + 1))
                done_since = (done_since or day) if status == "已完成" else None
                events.append((day, rng.random(), index, status, percent, done_since))
    events.sort()
    assignment_ids = [0] * len(keys)
    next_id = 0
    for event in events:
        if assignment_ids[event[2]] == 0:
            next_id += 1
            assignment_ids[event[2]] = next_id
    for index in range(len(keys)):   # never reported on: registered last
        if assignment_ids[index] == 0:
            next_id += 1
            assignment_ids[index] = next_id
    yield sorted((assignment_ids[i],) + keys[i] for i in range(len(keys))), [], []
    latest = {}
    for start in range(0, len(events), chunk):
        erows = []
        for offset, (day, _, index, status, percent, done_since) in enumerate(events[start:start + chunk]):
            event_id = start + offset + 1
            erows.append((event_id, assignment_ids[index], status, percent, "进展说明", None, "bench", 1000, day,
                          done_since, "2020-01-01T00:00:00.000Z"))
            latest[index] = (assignment_ids[index], event_id, status, percent, "进展说明", None, "bench", day, done_since,
                             "2020-01-01T00:00:00.000Z") + keys[index]
        yield [], erows, []
    yield [], [], sorted(latest.values())


def build_db(out, plans_dir, plan_ids, events_total, duban):
    path = os.path.join(out, f"events-{events_total}.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix): os.remove(path + suffix)
    # Let duban create the schema (its migrations), then bulk-load.
    subprocess.run([duban, "log", plan_ids[0][0], "--plans", plans_dir, "--db", path, "--json"], check=True,
                   stdout=subprocess.DEVNULL)
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("DROP INDEX event_by_assignment_day")
    started = time.time()
    assignments = events = 0
    for arows, erows, crows in generate(plan_ids, events_total):
        db.executemany("INSERT INTO assignment (id, plan_id, node_id, unit_id) VALUES (?,?,?,?)", arows)
        db.executemany("INSERT INTO event (id, assignment_id, status, percent, note, evidence, author, uid, day, done_since, recorded_at) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?,?)", erows)
        # The plan, node and unit given here, or duban's trigger would look each one up.
        db.executemany("INSERT INTO current_state (assignment_id, event_id, status, percent, note, evidence, author, day, "
                       "done_since, recorded_at, plan_id, node_id, unit_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", crows)
        db.commit()
        assignments += len(arows)
        events += len(erows)
    db.execute("CREATE INDEX event_by_assignment_day ON event (assignment_id, day, id)")
    db.execute("ANALYZE")
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"{path}: {assignments} assignments, {events} events in {time.time() - started:.0f} s", file=sys.stderr)


def build_postgres(socket, plans_dir, plan_ids, events_total, duban):
    """The same data in PostgreSQL database duban_bench_<N>: `duban server init`, then COPY as a superuser (who bypasses
    row-level security; the rows carry placeholder hashes — the chain is not what is measured here)."""
    name = f"duban_bench_{events_total}"
    def psql(sql, db="postgres", stdin=None):
        """Runs the SQL; returns what it printed, unaligned and without headers (a query's rows, tab-separated)."""
        return subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-h", socket, "-d", db,
                               "-c", sql], check=True, input=stdin, capture_output=True).stdout.decode()
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    subprocess.run([duban, "server", "init", "--db", f"postgresql:///{name}?host={socket}"], check=True, stdout=subprocess.DEVNULL)
    started = time.time()
    # The event table's secondary indexes, whatever the migrations made them, are dropped for the load and rebuilt after.
    indexes = [line.split("\t", 1) for line in psql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'duban' AND tablename = 'event' "
        "AND indexname <> 'event_pkey'", db=name).splitlines()]
    psql("".join(f"DROP INDEX duban.{index};" for index, _ in indexes)
         + "ALTER TABLE duban.event DROP CONSTRAINT IF EXISTS event_assignment_id_fkey;", db=name)
    # The state spans (migration 9) are built once after the load, not by their trigger row by row.
    spans = psql("SELECT count(*) FROM pg_trigger WHERE tgname = 'state_spans_follow_events'", db=name).strip() == "1"
    if spans:
        psql("ALTER TABLE duban.event DISABLE TRIGGER state_spans_follow_events", db=name)
    base = os.path.join(os.path.dirname(plans_dir), f"pg-{events_total}")
    count = 0
    with open(base + "-assignments.tsv", "w") as af, open(base + "-events.tsv", "w") as ef:
        for arows, erows, _ in generate(plan_ids, events_total):
            af.writelines("\t".join(map(str, a)) + "\n" for a in arows)
            for (eid, aid, status, percent, note, _, author, uid, day, done, at) in erows:
                done_text = str(done) if done is not None else "\\N"
                ef.write(f"{eid}\t{aid}\t{status}\t{percent}\t{note}\t{author}\t{uid}\t{day}\t{done_text}\t{at}\tbench-prev-{eid}\tbench-{eid}\n")
            count += len(erows)
    with open(base + "-assignments.tsv", "rb") as af:
        psql("COPY duban.assignment (id, plan_id, node_id, unit_id) FROM STDIN", db=name, stdin=af.read())
    with open(base + "-events.tsv", "rb") as ef:
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket, "-d", name, "-c",
                        "COPY duban.event (id, assignment_id, status, percent, note, author, uid, day, done_since, recorded_at, "
                        "prev_hash, hash) FROM STDIN"], stdin=ef, check=True, stdout=subprocess.DEVNULL)
    os.remove(base + "-assignments.tsv")
    os.remove(base + "-events.tsv")
    psql("""
        ALTER TABLE duban.event ADD CONSTRAINT event_assignment_id_fkey FOREIGN KEY (assignment_id) REFERENCES duban.assignment (id);
        """ + "".join(definition + ";\n" for _, definition in indexes) + """
        INSERT INTO duban.current_state (assignment_id, event_id, status, percent, note, evidence, author, day, done_since, recorded_at)
        SELECT DISTINCT ON (assignment_id) assignment_id, id, status, percent, note, evidence, author, day, done_since, recorded_at
        FROM duban.event ORDER BY assignment_id, day DESC, id DESC;
        SELECT setval('duban.event_id_seq', (SELECT max(id) FROM duban.event));
        SELECT setval(pg_get_serial_sequence('duban.assignment', 'id'), (SELECT max(id) FROM duban.assignment));
        UPDATE duban.audit_head SET event_id = (SELECT max(id) FROM duban.event), hash = 'bench-' || (SELECT max(id) FROM duban.event);
        """, db=name)
    if spans:
        psql("SELECT duban.rebuild_state_spans(); ALTER TABLE duban.event ENABLE TRIGGER state_spans_follow_events", db=name)
    # As autovacuum would soon after: the visibility map lets a plan's states come from current_state_by_plan alone.
    psql("VACUUM ANALYZE", db=name)
    print(f"postgresql {name}: {count} events in {time.time() - started:.0f} s", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--events", default="10000,1000000,10000000")
    parser.add_argument("--duban", default=os.path.join(ROOT, ".build", "release", "duban"))
    parser.add_argument("--postgres", metavar="SOCKET_DIR", help="also load each size into PostgreSQL (duban_bench_N), as a superuser")
    parser.add_argument("--skip-sqlite", action="store_true", help="only the PostgreSQL databases")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    plans_dir, plan_ids = write_plans(args.out)
    print(f"{plans_dir}: {len(plan_ids)} plans", file=sys.stderr)
    for n in [int(x) for x in args.events.split(",")]:
        if not args.skip_sqlite:
            build_db(args.out, plans_dir, plan_ids, n, args.duban)
        if args.postgres:
            build_postgres(args.postgres, plans_dir, plan_ids, n, args.duban)

if __name__ == "__main__":
    main()
