#!/usr/bin/env python3
"""Whole-process timings of duban commands at province scale, warm and cold plan cache (issue 17).

    python3 Benchmarks/whole-process.py /tmp/province [--duban .build/release/duban] [--runs 20]

Each command runs `--runs` times with a warm cache (after one run that fills it), a few times after the measured plan's
file changed (its modification time moved: that plan is parsed again, every other one comes from the cache — the first
run after a clerk edits a plan), and a few times with a cold cache (the cache directory emptied: the first run of a new
duban, or of a new account). Prints the median and the slowest wall time, the peak resident memory of the warm runs,
and the targets of issue 17. With --against, an earlier build's warm runs alternate with this one's and its figures are
printed beneath, with the ratio. The dashboard is timed to its first frame on an 80x24 pseudo-terminal. The side-by-side
run with Taskwarrior is taskwarrior-compare.py.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
from pty_terminal import read_quiet, spawn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = {"progress": 15, "overdue": 30, "update": 12, "plans": 20, "summary": 30, "dashboard": 50}


def run(argv, env):
    """Wall time (ms) and the command's own peak RSS (KB), as GNU time reports it (a child's ru_maxrss seen from Python
    would start at Python's own size at fork)."""
    with tempfile.NamedTemporaryFile() as report:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + argv, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - start) * 1000
        if done.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed: {done.stderr.decode()[:300]}")
        return elapsed, int(open(report.name).read().split()[-1])


def first_frame(argv, env, quiet_ms=300):
    """The dashboard on an 80x24 pseudo-terminal, as a clerk's PuTTY sees it: wall time (ms) from exec to the last byte
    of the first frame (the output then stays quiet for `quiet_ms`), then `q`. The dashboard's peak RSS is not read."""
    start = time.perf_counter()
    pid, fd = spawn(argv, dict(env, TERM="xterm-256color"))
    data, last = read_quiet(fd, quiet=quiet_ms / 1000, first=10)
    received = len(data)
    os.write(fd, b"q")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    if last is None or received < 500 or os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)}: no frame ({received} bytes, exit {os.waitstatus_to_exitcode(status)})")
    return (last - start) * 1000, 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("--duban", default=os.path.join(ROOT, ".build", "release", "duban"))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--plan", default="city03-2020")
    parser.add_argument("--against", metavar="DUBAN",
                        help="another duban binary (an earlier build) whose warm runs alternate with --duban's, run for run: "
                             "on a noisy machine only runs taken side by side compare")
    args = parser.parse_args()
    databases = sorted((f for f in os.listdir(args.data) if f.startswith("events-") and f.endswith(".sqlite")),
                       key=lambda f: int(f[7:-7]))
    database = os.path.join(args.data, databases[-1])
    cache = tempfile.mkdtemp(prefix="duban-cache-")
    scratch = tempfile.mkdtemp(prefix="duban-db-")
    shutil.copy(database, os.path.join(scratch, "db.sqlite"))
    env = dict(os.environ, XDG_CACHE_HOME=cache, DUBAN_PLANS=os.path.join(args.data, "Plans"),
               DUBAN_DB=os.path.join(scratch, "db.sqlite"), LANG="C.UTF-8")
    commands = {
        "progress": ["progress", args.plan, "--json"],
        "overdue": ["overdue", args.plan, "--json"],
        "update": ["update", args.plan, "1.1", "--unit", "测试四第一区", "--status", "推进中", "--percent", "50"],
        "plans": ["plans", "--json"],
        "summary": ["summary", "--once", args.plan],
        "dashboard": ["--plan", args.plan],
    }
    print(f"{os.path.basename(database)}, plan {args.plan}, {args.runs} warm runs each")
    plan_file = os.path.join(args.data, "Plans", args.plan + ".yaml")
    print(f"{'command':10} {'warm p50':>9} {'warm max':>9} {'changed':>9} {'cold p50':>9} {'peak RSS':>9}  target")
    binaries = [args.duban] + ([args.against] if args.against else [])
    for name, tail in commands.items():
        argv = [args.duban] + tail
        measure = first_frame if name == "dashboard" else run
        for binary in binaries:
            measure([binary] + tail, env)  # fill the cache
        runs = {binary: [] for binary in binaries}
        for _ in range(args.runs):
            for binary in binaries:
                runs[binary].append(measure([binary] + tail, env))
        warm = runs[args.duban]
        changed = []
        for _ in range(3):
            moved = time.time_ns()
            os.utime(plan_file, ns=(moved, moved))
            changed.append(measure(argv, env)[0])
        cold = []
        for _ in range(3):
            shutil.rmtree(os.path.join(cache, "duban"), ignore_errors=True)
            cold.append(measure(argv, env)[0])
        def peak_rss(samples):
            return f"{max(r for _, r in samples) / 1024:7.1f}MB" if name != "dashboard" else f"{'—':>9}"
        times = [t for t, _ in warm]
        print(f"{name:10} {statistics.median(times):8.1f}ms {max(times):8.1f}ms {statistics.median(changed):8.1f}ms "
              f"{statistics.median(cold):8.1f}ms {peak_rss(warm)}  ≤ {TARGETS[name]} ms")
        if args.against:
            other = [t for t, _ in runs[args.against]]
            print(f"{'  against':10} {statistics.median(other):8.1f}ms {max(other):8.1f}ms {'':>9} {'':>9} "
                  f"{peak_rss(runs[args.against])}  ({statistics.median(times) / statistics.median(other):.2f}×)")
    print("Side by side with Taskwarrior: Benchmarks/taskwarrior-compare.py")
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
