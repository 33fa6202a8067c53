#!/usr/bin/env python3
"""duban beside Taskwarrior, in one run, on the same shape of data (issue 17).

    python3 Benchmarks/taskwarrior-compare.py /tmp/province [--duban .build-release/release/duban] [--tasks 100000] [--runs 10]

Taskwarrior (Debian's `taskwarrior`, 2.6) gets --tasks tasks shaped like a province's assignments: one project per
plan, a tag per unit, a due date per item (a large share past), about a third completed, in one `task import`. duban
runs on the province data set from generate-province.py (the newest events-N.sqlite), warm plan cache. Each pair is
timed alternately, --runs times, and the medians and ratios printed:

    progress PLAN --json   vs  task summary
    overdue PLAN --json    vs  task overdue
    update (one record)    vs  task N modify
"""
import argparse, json, os, random, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(argv, env):
    """Wall time (ms) and the command's own peak RSS (KB). GNU time reports it: a child's ru_maxrss from Python's
    wait4 would start at this (large) Python process's size at fork."""
    with tempfile.NamedTemporaryFile() as report:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + argv, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        elapsed = (time.perf_counter() - start) * 1000
        if done.returncode not in (0, 1):   # task exits 1 when a report is empty
            sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[:300]}")
        return elapsed, int(open(report.name).read().split()[-1])


def taskwarrior_data(directory, count):
    """`count` tasks: 70 projects (plans) × units as tags, due dates through a year, a third done."""
    random.seed(17)
    tasks = []
    now = time.time()
    for n in range(count):
        plan, unit = n % 70, (n // 70) % 23
        due = now - 365 * 86400 + (n % 400) * 86400
        task = {"description": f"工作事项{n} 按要求推进相关信息公开工作", "project": f"city{plan // 5:02d}-{2018 + plan % 5}",
                "tags": [f"unit{unit:02d}"], "due": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(due)),
                "entry": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now - 400 * 86400)),
                "status": "completed" if random.random() < 0.33 else "pending",
                "uuid": f"{n:08x}-0000-4000-8000-{n:012x}"}
        if task["status"] == "completed":
            task["end"] = task["entry"]
        tasks.append(task)
    path = os.path.join(directory, "import.json")
    with open(path, "w") as f:
        json.dump(tasks, f, ensure_ascii=False)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("--duban", default=os.path.join(ROOT, ".build-release", "release", "duban"))
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--plan", default="city03-2020")
    args = parser.parse_args()
    if not shutil.which("task"):
        sys.exit("Taskwarrior is not installed (apt-get install taskwarrior)")

    scratch = tempfile.mkdtemp(prefix="duban-vs-task-")
    databases = sorted((f for f in os.listdir(args.data) if f.startswith("events-") and f.endswith(".sqlite")),
                       key=lambda f: int(f[7:-7]))
    shutil.copy(os.path.join(args.data, databases[-1]), os.path.join(scratch, "db.sqlite"))
    duban_env = dict(os.environ, XDG_CACHE_HOME=os.path.join(scratch, "cache"), DUBAN_PLANS=os.path.join(args.data, "Plans"),
                     DUBAN_DB=os.path.join(scratch, "db.sqlite"), LANG="C.UTF-8")
    taskrc = os.path.join(scratch, "taskrc")
    with open(taskrc, "w") as f:
        f.write(f"data.location={os.path.join(scratch, 'task')}\nconfirmation=off\nverbose=nothing\nhooks=off\n"
                "recurrence=off\ngc=off\ndefaultwidth=200\n")
    task_env = dict(os.environ, TASKRC=taskrc, TASKDATA=os.path.join(scratch, "task"), LANG="C.UTF-8")
    os.makedirs(os.path.join(scratch, "task"))
    start = time.perf_counter()
    subprocess.run(["task", "import", taskwarrior_data(scratch, args.tasks)], env=task_env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"Taskwarrior {subprocess.run(['task', '--version'], env=task_env, capture_output=True, text=True).stdout.strip()}: "
          f"{args.tasks:,} tasks imported in {time.perf_counter() - start:.0f} s; duban: {databases[-1]}, plan {args.plan}")

    pairs = {
        "progress / summary": ([args.duban, "progress", args.plan, "--json"], ["task", "summary"]),
        "overdue / overdue": ([args.duban, "overdue", args.plan, "--json"], ["task", "overdue"]),
        "update / modify": ([args.duban, "update", args.plan, "1.1", "--unit", "测试四第一区", "--status", "推进中", "--percent", "50"],
                            ["task", "1", "modify", "priority:M"]),
    }
    print(f"{'pair':20} {'duban p50':>10} {'task p50':>10} {'ratio':>7} {'duban RSS':>10} {'task RSS':>9}")
    for name, (duban, task) in pairs.items():
        timed(duban, duban_env)   # fills the plan cache
        timed(task, task_env)
        d, t = [], []
        for _ in range(args.runs):
            d.append(timed(duban, duban_env))
            t.append(timed(task, task_env))
        dm, tm = statistics.median(x for x, _ in d), statistics.median(x for x, _ in t)
        print(f"{name:20} {dm:8.1f}ms {tm:8.1f}ms {tm / dm:6.1f}× {max(r for _, r in d) / 1024:8.0f}MB {max(r for _, r in t) / 1024:7.0f}MB")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
