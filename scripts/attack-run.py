#!/usr/bin/env python3
"""A long randomised robustness run against the store's entry points of a built `duban`.

Concurrent writers drive `duban update` (single updates, `--batch` files and standard input, hostile inputs,
stale and fresh `--expect`) while a killer SIGKILLs random running duban processes and a verifier runs
`duban audit verify` (and read-only integrity checks) alongside. Every update carries a unique token
`[atk-<writer>-<n>]` in its note, so at the end each one can be found in the database and judged:

  acknowledged   exit 0 for a single update; for a batch, each line it reported saved ("#<event>" on stdout)
  unknown        the command was killed before it said anything about the update: present or absent, but whole
  must-refuse    hostile input or a stale --expect: must never be stored, whatever happened to the process

A few fixed probes (CRLF batch, negative --expect, invalid UTF-8 in a note) run first against a separate
database; their answers are printed as observations and do not decide the result.

Python 3 standard library only. The binary is never rebuilt; a private copy of it is run, since another build
may relink the original mid-run. Scratch data lives in /tmp/attack-*; it is kept when the run fails (batch
files of anomalous commands and the head log at each alarm too) so a finding can be replayed.

  scripts/attack-run.py --minutes 10 --writers 4 --seed 1

Exit status: 0 when every "must be 0" counter is 0, 1 otherwise, 2 when the run could not start.
"""

import argparse
import collections
import datetime
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

# ---------------------------------------------------------------------------------------------------------------
# What the binary accepts (see `duban update --help`): status words and their stored form.

STATUS_INPUTS = {
    "未启动": ["未启动", "todo"],
    "推进中": ["推进中", "doing"],
    "已完成": ["已完成", "done"],
    "暂缓": ["暂缓", "suspended"],
}
EXIT_CONTENT, EXIT_CONFLICT = 2, 3            # documented exit codes of `duban update`
TOKEN_RE = re.compile(r"\[atk-(\d+)-(\d+)\]")  # brackets: "atk-1-2" must not match inside "atk-1-23"
CONFLICT_RE = re.compile(r"期望最新记录为 #(-?\d+)，实际为 #(\d+)")
SAVED_RE = re.compile(r"^已记录 #(\d+)：(\S+) (\S+) ")
FORBIDDEN = ([chr(c) for c in range(1, 0x20) if c not in (0x09, 0x0A)] + ["\x7f"]
             + [chr(c) for c in range(0x80, 0xA0)]
             + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
                "\u200e", "\u200f", "\u061c"])

# Note material: ordinary Chinese, ASCII (no brackets, so no fake tokens), and characters that are allowed but
# easy to mangle (combining marks, astral CJK, ZWJ emoji, BOM, line separator, tab, newline, quotes, SQL/shell).
CJK = "政务公开工作要点推进落实完成情况已开设专栏信息发布解读回应关切基层标准化规范化平台建设年度报告考核督办区县单位"
ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-_/+=()'\"#%&*@~"
ODD = ["e\u0301", "\U00020000", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f600", "\u200b", "\ufeff",
       "\u2028", "\t", "\n", "“引号”", "\\", "$(id)", "`x`", "%s%n", "'; DROP TABLE event; --", "<b>", "\u3000"]


def random_text(rng, length):
    parts = []
    for _ in range(length):
        r = rng.random()
        parts.append(rng.choice(CJK) if r < 0.55 else rng.choice(ASCII) if r < 0.93 else rng.choice(ODD))
    return "".join(parts)


# ---------------------------------------------------------------------------------------------------------------
# Bookkeeping shared by all threads.

class Intent:
    """One update as sent, with the row it must produce if it is stored."""
    __slots__ = ("token", "plan", "node", "unit_id", "status", "percent", "note", "evidence", "must_refuse", "why")

    def __init__(self, token, plan, node, unit_id, status, percent, note, evidence=None, must_refuse=False, why="valid"):
        self.token, self.plan, self.node, self.unit_id = token, plan, node, unit_id
        self.status, self.percent, self.note, self.evidence = status, percent, note, evidence
        self.must_refuse, self.why = must_refuse, why

    def row(self):
        return (self.plan, self.node, self.unit_id, self.status, self.percent, self.note, self.evidence)


class Ledger:
    def __init__(self, scratch):
        self.lock = threading.Lock()
        self.intents = {}                       # token -> Intent
        self.acked = {}                         # token -> event id the binary reported
        self.unknown = {}                       # token -> "single"/"batch": killed before any acknowledgement
        self.refused = {}                       # token -> refusal message (process exited on its own)
        self.by_assignment = collections.defaultdict(list)   # (plan, node, unit_id) -> acknowledged event ids
        self.counts = collections.Counter()
        self.anomalies = collections.defaultdict(list)
        self.anomaly_file = open(os.path.join(scratch, "anomalies.jsonl"), "a", encoding="utf-8")

    def intend(self, intent):
        with self.lock:
            self.intents[intent.token] = intent

    def ack(self, token, event_id):
        with self.lock:
            self.acked[token] = event_id
            i = self.intents[token]
            self.by_assignment[(i.plan, i.node, i.unit_id)].append(event_id)

    def count(self, key, n=1):
        with self.lock:
            self.counts[key] += n

    def anomaly(self, kind, detail):
        """Something the binary should not have done; kept in full in anomalies.jsonl, a few shown at the end."""
        with self.lock:
            self.anomalies[kind].append(detail)
            self.anomaly_file.write(json.dumps({"kind": kind, **detail}, ensure_ascii=False) + "\n")
            self.anomaly_file.flush()

    def acked_ids(self, key):
        with self.lock:
            return list(self.by_assignment.get(key, ()))

    def any_acked(self):
        with self.lock:
            for ids in self.by_assignment.values():
                if ids:
                    return ids[-1]
        return None


class Result:
    __slots__ = ("args", "rc", "out", "err", "killed", "seconds")

    def __init__(self, args, rc, out, err, killed, seconds):
        self.args, self.rc, self.out, self.err, self.killed, self.seconds = args, rc, out, err, killed, seconds

    def detail(self, **extra):
        shown = [a if isinstance(a, str) else a.decode("utf-8", "backslashreplace") for a in self.args]
        return {**extra, "cmd": shown, "rc": self.rc, "stdout": self.out[-2000:], "stderr": self.err[-2000:]}

    @property
    def crashed(self):
        # Our SIGKILL is the only signal allowed; 132/134/139 are a shell's spelling of SIGILL/SIGABRT/SIGSEGV.
        return (self.rc < 0 and not self.killed) or self.rc in (132, 134, 139) or "Fatal error" in self.err


class Runner:
    """Starts duban processes and keeps the live ones where the killer can find them."""

    def __init__(self, binary, env, scratch, ledger, timeout=120):
        self.binary, self.env, self.scratch, self.ledger, self.timeout = binary, env, scratch, ledger, timeout
        self.lock = threading.Lock()
        self.live = {}                          # id(Popen) -> (Popen, role)

    def run(self, args, role, stdin_data=None, killable=True):
        argv = [self.binary] + args
        start = time.monotonic()
        p = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env, cwd=self.scratch)
        p.attack_killed = False
        if killable:
            with self.lock:
                self.live[id(p)] = (p, role)
        try:
            out, err = p.communicate(stdin_data, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            self.ledger.anomaly("hang", {"cmd": argv[1:], "seconds": self.timeout})
        finally:
            with self.lock:
                self.live.pop(id(p), None)
        rc = p.returncode
        killed = p.attack_killed and rc == -signal.SIGKILL
        res = Result(args, rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), killed,
                     time.monotonic() - start)
        self.ledger.count("commands")
        self.ledger.count(f"commands:{role}")
        if killed:
            self.ledger.count(f"killed:{role}")
        if res.crashed:
            self.ledger.anomaly("crash", res.detail(role=role))
        return res

    def kill_one(self, rng):
        """SIGKILL one random live duban process started by this script (never anything else)."""
        with self.lock:
            if not self.live:
                return False
            p, _ = self.live[rng.choice(list(self.live))]
            if p.poll() is not None:
                return False
            p.attack_killed = True
            p.send_signal(signal.SIGKILL)   # send_signal polls first, so a reaped pid is never signalled
            return True


# ---------------------------------------------------------------------------------------------------------------
# The plans: which (plan, node, unit) triples accept updates.

def load_targets(runner):
    res = runner.run(["plans", "--json"], "setup", killable=False)
    if res.rc != 0:
        sys.exit(f"duban plans --json failed ({res.rc}): {res.err}")
    plans = {}
    for plan in json.loads(res.out):
        pid = plan["id"]
        tree = runner.run(["tree", pid, "--json"], "setup", killable=False)
        if tree.rc != 0:
            sys.exit(f"duban tree {pid} --json failed ({tree.rc}): {tree.err}")
        nodes = json.loads(tree.out)["nodes"]
        parents = {n["parent"] for n in nodes}
        leaves = [n for n in nodes if n["kind"] != "section" and n["id"] not in parents and n["assignee_ids"]]
        all_units = {}
        for n in nodes:
            all_units.update(zip(n["assignee_ids"], n["assignees"]))
        plans[pid] = {
            "leaves": [(n["id"], list(zip(n["assignee_ids"], n["assignees"]))) for n in leaves],
            "unleaf": [n["id"] for n in nodes if n["kind"] == "section" or n["id"] in parents],
            "ids": {n["id"] for n in nodes},
            "units": all_units,
        }
    assignments = [(p, node, uid, name) for p, d in plans.items() for node, units in d["leaves"] for uid, name in units]
    return plans, assignments


# ---------------------------------------------------------------------------------------------------------------
# One writer: a loop of random actions, each of which records what it sent and what the binary answered.

class Writer(threading.Thread):
    def __init__(self, number, ctx, seed):
        super().__init__(name=f"writer-{number}", daemon=True)
        self.number, self.ctx, self.rng, self.n = number, ctx, random.Random(seed), 0

    # -- building updates ----------------------------------------------------------------------------------------

    def token(self):
        self.n += 1
        return f"[atk-{self.number}-{self.n}]"

    def assignment(self, plan=None):
        # Half the picks come from a small hot set, so writers collide on the same assignment (expect races,
        # current_state under contention); the rest spread over every assignment (of every plan, or of `plan`).
        hot = self.ctx.hot if plan is None else self.ctx.hot_by_plan[plan]
        pool = hot if hot and self.rng.random() < 0.5 else self.ctx.assignments if plan is None else self.ctx.by_plan[plan]
        return self.rng.choice(pool)

    def note(self, token):
        rng = self.rng
        if rng.random() < 0.03:     # long but within the 2000-character limit (one grapheme per character)
            return token + "".join(rng.choice(CJK) for _ in range(rng.randint(1500, 1950)))
        text = random_text(rng, rng.randint(0, 60))
        cut = rng.randint(0, len(text))
        return text[:cut] + token + text[cut:]

    def valid(self, plan=None):
        """A valid update: (intent, fields to send)."""
        rng = self.rng
        plan, node, uid, name = self.assignment(plan)
        tok = self.token()
        status = rng.choice(list(STATUS_INPUTS))
        percent = {"未启动": 0, "推进中": rng.randint(0, 100), "已完成": 100, "暂缓": rng.randint(0, 100)}[status]
        # Percent may be left out only where it has a fixed default (未启动 0, 已完成 100); for the others the
        # binary carries the previous percent forward, which concurrent writers make unpredictable.
        send_percent = not (status in ("未启动", "已完成") and rng.random() < 0.3)
        evidence = f"https://example.gov.cn/atk/{tok[1:-1]}" if rng.random() < 0.2 else None
        intent = Intent(tok, plan, node, uid, status, percent, self.note(tok), evidence)
        fields = {"node": node, "unit": rng.choice([uid, name]), "status": rng.choice(STATUS_INPUTS[status]),
                  "percent": percent if send_percent else None, "note": intent.note, "evidence": evidence}
        return intent, fields

    def hostile(self, in_batch, plan=None):
        """An update that must be refused: (intent, fields, kind). Its note still carries a token."""
        rng = self.rng
        intent, f = self.valid(plan)
        kinds = ["control", "percent", "node", "unit", "status", "status-percent", "long", "evidence", "future"]
        if in_batch:
            kinds += ["nul", "json", "json", "field", "duplicate", "percent-type"]
        kind = rng.choice(kinds)
        tok = intent.token
        plan = self.ctx.plans[intent.plan]
        if kind in ("control", "nul"):
            bad = "\x00" if kind == "nul" else rng.choice(FORBIDDEN)
            cut = rng.randint(0, len(f["note"]))
            f["note"] = f["note"][:cut] + bad + f["note"][cut:]
            f["expect_code_point"] = f"U+{ord(bad):04X}"
        elif kind == "percent":
            f["status"], f["percent"] = "推进中", rng.choice([101, 150, 1000, -1, -50])
        elif kind == "node":
            f["node"] = rng.choice(["99.9", "1.99", intent.node + ".9", "x", "0", rng.choice(plan["unleaf"])])
            assert f["node"] not in {n for n, _ in plan["leaves"]}
        elif kind == "unit":
            responsible = {u for n, us in plan["leaves"] if n == intent.node for u, _ in us}
            others = [u for u in plan["units"] if u not in responsible]
            f["unit"] = rng.choice(others) if others and rng.random() < 0.7 else "不存在的单位"
        elif kind == "status":
            f["status"] = rng.choice(["进行中", "finished", "✓", ""])
        elif kind == "status-percent":
            if rng.random() < 0.5:
                f["status"], f["percent"] = "未启动", rng.randint(1, 100)
            else:
                f["status"], f["percent"] = "已完成", rng.randint(0, 99)
        elif kind == "long":
            f["note"] = tok + "".join(rng.choice(CJK) for _ in range(2001))
        elif kind == "evidence":
            f["evidence"] = rng.choice(["javascript:alert(1)", "ftp://example.gov.cn/x", "file:///etc/passwd", "www.x.cn"])
        elif kind == "future":
            f["at"] = (datetime.date.today() + datetime.timedelta(days=rng.randint(2, 400))).isoformat()
        elif kind == "json":
            f["raw"] = rng.choice([
                '{"node":"%s","unit":"%s","status":"推进中","note":%s' % (f["node"], f["unit"], json.dumps(f["note"])),
                '[{"node":"%s","note":%s}]' % (f["node"], json.dumps(f["note"])),
                '{"node":"%s","unit":"%s","status":"推进中","note":"%s"}' % (f["node"], f["unit"], tok + "\x01raw"),
            ])
        elif kind == "field":
            f["extra"] = ("foo", 1)
        elif kind == "duplicate":
            f["extra"] = ("note", tok + " second")
        elif kind == "percent-type":
            f["percent"] = rng.choice(["50", 50.5, 1e30, True])
        intent.must_refuse, intent.why = True, f"hostile:{kind}"
        intent.note = f["note"]
        return intent, f, kind

    def stale_expect(self, intent):
        """An --expect value the binary must call a conflict, judged from acknowledgements seen so far."""
        rng = self.rng
        mine = self.ctx.ledger.acked_ids((intent.plan, intent.node, intent.unit_id))
        choices = [rng.randint(10**12, 2 * 10**12)]          # an event that does not exist
        if mine:
            choices.append(0)                                  # "no record yet", but one is acknowledged
        if len(mine) > 1:
            choices.append(rng.choice(sorted(mine)[:-1]))      # an older event of this very assignment
        other = self.ctx.ledger.any_acked()
        if other is not None and other not in mine:
            choices.append(other)                              # the latest event of some other assignment
        return rng.choice(choices)

    @staticmethod
    def cli_args(plan, f):
        # `--opt=value` so a note or percent starting with "-" is never read as an option.
        args = ["update", plan, f["node"], f"--unit={f['unit']}", f"--status={f['status']}", f"--note={f['note']}"]
        if f.get("percent") is not None:
            args.append(f"--percent={f['percent']}")
        if f.get("evidence"):
            args.append(f"--evidence={f['evidence']}")
        if f.get("at"):
            args.append(f"--at={f['at']}")
        if f.get("expect") is not None:
            args.append(f"--expect={f['expect']}")
        return args

    @staticmethod
    def json_line(f):
        if "raw" in f:
            return f["raw"]
        parts = [(k, f[k]) for k in ("node", "unit", "status", "percent", "note", "evidence", "at", "expect")
                 if f.get(k) is not None]
        if "extra" in f:
            parts.append(f["extra"])
        # Built by hand so a repeated key survives (a dict would merge it).
        return "{" + ",".join(f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}" for k, v in parts) + "}"

    # -- actions ---------------------------------------------------------------------------------------------------

    def run(self):
        actions = [(self.single, 30), (self.batch, 25), (self.hostile_single, 15), (self.stale_single, 10),
                   (self.fresh_single, 10), (self.read, 10)]
        funcs, weights = zip(*actions)
        while time.monotonic() < self.ctx.deadline:
            try:
                self.rng.choices(funcs, weights)[0]()
            except Exception as exc:     # a bug here must not silently stop a writer
                self.ctx.ledger.anomaly("script-error", {"writer": self.number, "error": repr(exc)})
                time.sleep(0.5)

    def single(self):
        intent, f = self.valid()
        self.ctx.ledger.intend(intent)
        self.judge_single(intent, self.ctx.runner.run(self.cli_args(intent.plan, f), "update"), "single")

    def hostile_single(self):
        intent, f, kind = self.hostile(in_batch=False)
        self.ctx.ledger.intend(intent)
        res = self.ctx.runner.run(self.cli_args(intent.plan, f), "update")
        self.judge_single(intent, res, "hostile")
        if res.rc == EXIT_CONTENT and "expect_code_point" in f and f["expect_code_point"] not in res.err:
            self.ctx.ledger.anomaly("message", res.detail(note="control character refused but not named"))

    def stale_single(self):
        intent, f = self.valid()
        f["expect"] = self.stale_expect(intent)
        intent.must_refuse, intent.why = True, "stale-expect"
        self.ctx.ledger.intend(intent)
        self.judge_single(intent, self.ctx.runner.run(self.cli_args(intent.plan, f), "update"), "stale")

    def fresh_single(self):
        """Read the latest event, then update with --expect it: saved, or a conflict that names a newer event."""
        intent, f = self.valid()
        latest = self.latest_event(intent)
        if latest is None:
            return
        f["expect"] = latest
        self.ctx.ledger.intend(intent)
        res = self.ctx.runner.run(self.cli_args(intent.plan, f), "update")
        if res.rc == EXIT_CONFLICT:
            self.ctx.ledger.count("fresh-expect:conflict")
        self.judge_single(intent, res, "fresh")

    def latest_event(self, intent):
        """The assignment's latest event id via `duban log` (0 if none); also checks earlier acks are visible."""
        key = (intent.plan, intent.node, intent.unit_id)
        before = self.ctx.ledger.acked_ids(key)
        res = self.ctx.runner.run(["log", intent.plan, intent.node, f"--unit={intent.unit_id}", "--json"], "read")
        if res.killed:
            return None
        if res.rc != 0:
            self.ctx.ledger.anomaly("read-failed", res.detail())
            return None
        try:
            events = [e for e in json.loads(res.out) if e["node"] == intent.node and e["unit_id"] == intent.unit_id]
        except (ValueError, KeyError, TypeError) as exc:
            self.ctx.ledger.anomaly("read-failed", res.detail(error=repr(exc)))
            return None
        seen = {e["id"] for e in events}
        missing = [i for i in before if i not in seen]
        self.ctx.ledger.count("read-checks")
        if missing:
            self.ctx.ledger.anomaly("read-missing-ack", res.detail(missing=missing))
        return max(seen) if seen else 0

    def read(self):
        rng = self.rng
        plan, node, uid, _ = self.assignment()
        if rng.random() < 0.6:
            self.latest_event(Intent("", plan, node, uid, None, None, None))
            return
        args = rng.choice([["progress", plan, "--json"], ["overdue", plan, "--json"], ["progress", plan, "--by=unit", "--json"]])
        res = self.ctx.runner.run(args, "read")
        if res.killed:
            return
        try:
            if res.rc != 0:
                raise ValueError(f"exit {res.rc}")
            json.loads(res.out)
            self.ctx.ledger.count("read-checks")
        except ValueError as exc:
            self.ctx.ledger.anomaly("read-failed", res.detail(error=repr(exc)))

    # -- judging answers ---------------------------------------------------------------------------------------------

    def judge_single(self, intent, res, kind):
        led = self.ctx.ledger
        led.count(f"sent:{kind}")
        if res.killed:
            led.unknown[intent.token] = "single"
            return
        if res.rc == 0:
            m = SAVED_RE.match(res.out)
            if not m or m.group(2) != intent.plan or m.group(3) != intent.node:
                led.anomaly("output", res.detail(note="exit 0 without a matching '已记录 #N' line"))
                led.unknown[intent.token] = "single"
                return
            led.ack(intent.token, int(m.group(1)))
            if intent.must_refuse:
                led.anomaly("refused-input-accepted", res.detail(why=intent.why))
            return
        led.refused[intent.token] = res.err
        check_conflict_message(led, res.err, res)
        if kind == "fresh":
            # Another writer may have got in between the read and the update: a conflict is fine, nothing else.
            if res.rc != EXIT_CONFLICT:
                led.anomaly("valid-refused", res.detail(why="fresh-expect"))
        elif not intent.must_refuse:
            led.anomaly("valid-refused", res.detail(why=intent.why))
        elif res.rc != (EXIT_CONFLICT if kind == "stale" else EXIT_CONTENT):
            led.anomaly("exit-code", res.detail(why=intent.why, expected=EXIT_CONFLICT if kind == "stale" else EXIT_CONTENT))

    def batch(self):
        rng, led = self.rng, self.ctx.ledger
        plan = rng.choice([p for p in self.ctx.plans if self.ctx.by_plan[p]])
        size = rng.randint(1, 200)
        hostile_rate = rng.choice([0, 0, 0.02, 0.1])
        stale_rate = rng.choice([0, 0, 0.05])
        lines, intents = [], []           # intents[i]: Intent for lines[i], or None for a blank line
        for _ in range(size):
            if rng.random() < 0.02:
                lines.append(rng.choice(["", "   "]))
                intents.append(None)
                continue
            # A batch names its plan once; its lines pick assignments from that plan.
            if rng.random() < hostile_rate:
                intent, f, _ = self.hostile(in_batch=True, plan=plan)
            else:
                intent, f = self.valid(plan)
                if rng.random() < stale_rate:
                    f["expect"] = self.stale_expect(intent)
                    intent.must_refuse, intent.why = True, "stale-expect"
            led.intend(intent)
            lines.append(self.json_line(f))
            intents.append(intent)
        text = "\n".join(lines) + ("\n" if rng.random() < 0.8 else "")
        path = os.path.join(self.ctx.scratch, f"batch-{self.number}-{self.n}.jsonl")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        use_stdin = rng.random() < 0.2
        res = self.ctx.runner.run(["update", plan, "--batch", "-" if use_stdin else path], "batch",
                                  stdin_data=text.encode("utf-8") if use_stdin else None)
        led.count("sent:batch-lines", sum(1 for i in intents if i))
        if self.judge_batch(res, intents, "标准输入" if use_stdin else path):
            os.unlink(path)               # kept only when something was wrong, for replay

    def judge_batch(self, res, intents, label):
        """Map "#id" lines to batch lines; returns True when everything was as documented."""
        led = self.ctx.ledger
        ok = True
        complete = res.out if res.out.endswith("\n") or not res.out else res.out[: res.out.rfind("\n") + 1]
        ids = []
        for line in complete.split("\n")[:-1] if complete else ():
            m = re.fullmatch(r"#(\d+)", line)
            if not m:
                led.anomaly("output", res.detail(note=f"unexpected stdout line {line!r}"))
                return False
            ids.append(int(m.group(1)))
        errors = {}                        # line number -> message
        for line in res.err.rstrip("\n").split("\n") if res.err else ():
            if line.startswith(label + ":"):
                number, _, message = line[len(label) + 1:].partition(": ")
                if number.isdigit():
                    errors[int(number)] = message
                    continue
            if not res.killed:
                led.anomaly("output", res.detail(note=f"unexpected stderr line {line!r}"))
                ok = False
        # Lines are processed in order, one transaction each: the saved ones are the non-blank, unrefused lines.
        saved_lines = [n for n, i in enumerate(intents, 1) if i is not None and n not in errors]
        if len(ids) > len(saved_lines) or (not res.killed and len(ids) != len(saved_lines) and res.rc != 1):
            led.anomaly("batch-report", res.detail(ids=len(ids), unrefused=len(saved_lines), refused=sorted(errors)))
            for i in intents:
                if i:
                    led.unknown[i.token] = "batch"
            return False
        for n, event_id in zip(saved_lines, ids):
            intent = intents[n - 1]
            led.ack(intent.token, event_id)
            if intent.must_refuse:
                led.anomaly("refused-input-accepted", res.detail(line=n, why=intent.why))
                ok = False
        acked_upto = saved_lines[len(ids) - 1] if ids else 0
        # Exit 1 means the database failed and the batch stopped ("do not guess"): later lines were never tried.
        stopped = not res.killed and res.rc == 1
        stopped_at = max([acked_upto] + list(errors))
        worst = 0
        for n, intent in enumerate(intents, 1):
            if intent is None or intent.token in led.acked:
                continue
            if n in errors:
                led.refused[intent.token] = errors[n]
                conflict = "该任务已被他人更新" in errors[n] or "记录已被清除" in errors[n] or "与期望的最新记录" in errors[n]
                worst = max(worst, EXIT_CONFLICT if conflict else EXIT_CONTENT)
                if conflict:
                    check_conflict_message(led, errors[n], res, line=n)
                if not intent.must_refuse:
                    led.anomaly("valid-refused", res.detail(line=n, message=errors[n]))
                    ok = False
            elif res.killed and n > acked_upto:
                led.unknown[intent.token] = "batch"   # maybe processed, maybe not: present or absent, but whole
            elif stopped and n > stopped_at:
                led.refused[intent.token] = "not processed (batch stopped on exit 1)"
            else:
                led.anomaly("batch-report", res.detail(line=n, note=f"{intent.why} line neither saved nor refused"))
                led.unknown[intent.token] = "batch"
                ok = False
        if not res.killed and res.rc != worst and not stopped:
            led.anomaly("exit-code", res.detail(expected=worst, note="batch exit code is not its worst refusal"))
            ok = False
        if res.killed:
            led.count("batch-lines-acked-before-kill", len(ids))
        return ok and not res.crashed


def check_conflict_message(led, message, res, **where):
    m = CONFLICT_RE.search(message)
    if m and m.group(1) == m.group(2):
        led.anomaly("message", res.detail(note="conflict names the expected event as the current one", **where))
    if "记录已被清除" in message:
        # This run never clears anything (no demo data): the assignment simply has no record yet.
        led.anomaly("message", res.detail(note="conflict on an assignment without records says it was cleared", **where))


# ---------------------------------------------------------------------------------------------------------------
# Killer and verifier.

class Killer(threading.Thread):
    def __init__(self, ctx, seed, low, high):
        super().__init__(name="killer", daemon=True)
        self.ctx, self.rng, self.low, self.high = ctx, random.Random(seed), low, high

    def run(self):
        while not self.ctx.stop_killer.wait(self.rng.uniform(self.low, self.high)):
            if self.ctx.runner.kill_one(self.rng):
                self.ctx.ledger.count("kills-sent")


class Verifier(threading.Thread):
    """`audit verify` alongside the writers: any exit but 0 (and not our kill) is a false alarm."""

    def __init__(self, ctx, seed):
        super().__init__(name="verifier", daemon=True)
        self.ctx, self.rng, self.heads = ctx, random.Random(seed), []

    def verify(self, phase, expect_head=None, head_log=False):
        args = ["audit", "verify", "--json"] + ([f"--expect-head={expect_head}"] if expect_head else [])
        if head_log:
            args.append(f"--head-log={self.ctx.head_log}")
        res = self.ctx.runner.run(args, "verify", killable=(phase == "during"))
        led = self.ctx.ledger
        kind = "expect-head" if expect_head else "head-log" if head_log else "verify"
        if res.killed:
            if head_log:
                led.count("head-log:killed")   # a later false alarm right after one of these points at the log
            return
        led.count(f"{kind}:{phase}")
        if res.rc != 0:
            led.count(f"{kind}:false-alarm")
            try:    # the first findings say what verify believed; the full output is long
                findings = json.loads(res.out)["findings"]
                first = {"findings": len(findings), "first": [f.get("message") for f in findings[:3]]}
            except (ValueError, KeyError, TypeError, AttributeError):
                first = {}
            if head_log and os.path.exists(self.ctx.head_log):
                # Keep the log as it was when it raised the alarm, so the alarm can be replayed.
                shutil.copy(self.ctx.head_log, f"{self.ctx.head_log}.at-alarm-{led.counts[kind + ':false-alarm']}")
            led.anomaly("verify-false-alarm", res.detail(phase=phase, kind=kind, **first))
            return
        try:
            report = json.loads(res.out)
            if not report.get("intact"):
                raise ValueError("exit 0 but not intact")
            self.heads.append(report["head"])
        except (ValueError, KeyError) as exc:
            led.anomaly("verify-output", res.detail(error=repr(exc)))

    def run(self):
        n = 0
        while not self.ctx.stop_verifier.wait(self.rng.uniform(1.5, 5)):
            n += 1
            # An earlier head must still be in the chain (it only grows); the head log checks all of them at once.
            earlier = self.rng.choice(self.heads) if self.heads and n % 3 == 1 else None
            self.verify("during", earlier, head_log=(n % 3 == 2))
            if n % 5 == 0:
                integrity(self.ctx, "during")


def integrity(ctx, phase):
    """PRAGMA integrity_check and foreign_key_check, read-only (sqlite3 CLI if installed, else Python's module)."""
    sql = "PRAGMA integrity_check; PRAGMA foreign_key_check;"
    try:
        if shutil.which("sqlite3"):
            p = subprocess.run(["sqlite3", "-readonly", ctx.db, sql], capture_output=True, text=True, timeout=120)
            out, rc = (p.stdout + p.stderr).strip(), p.returncode
        else:
            con = sqlite3.connect(f"file:{ctx.db}?mode=ro", uri=True, timeout=30)
            try:
                rows = con.execute("PRAGMA integrity_check").fetchall() + con.execute("PRAGMA foreign_key_check").fetchall()
            finally:
                con.close()
            out, rc = "\n".join("|".join(map(str, r)) for r in rows), 0
    except (subprocess.SubprocessError, sqlite3.Error) as exc:
        out, rc = repr(exc), -1
    ok = None if "database is locked" in out else rc == 0 and out == "ok"   # None: could not look
    ctx.ledger.count(f"integrity:{phase}:{'ok' if ok else 'busy' if ok is None else 'failed'}")
    if ok is False:
        ctx.ledger.anomaly("integrity", {"phase": phase, "output": out[-2000:]})
    return ok


# ---------------------------------------------------------------------------------------------------------------
# Probes: fixed one-off observations in a separate database (reported, not counted as failures).

def probes(ctx):
    db = os.path.join(ctx.scratch, "probe.sqlite")
    env = dict(ctx.env, DUBAN_DB=db)
    plan, node, uid, name = ctx.assignments[0]

    def run(args, stdin=None):
        p = subprocess.run([ctx.binary] + args, input=stdin, capture_output=True, env=env, cwd=ctx.scratch, timeout=60)
        return p.returncode, p.stdout.decode("utf-8", "replace").strip(), p.stderr.decode("utf-8", "replace").strip()

    def notes():
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                return [r[0] for r in con.execute("SELECT note FROM event ORDER BY id")]
            finally:
                con.close()
        except sqlite3.Error as exc:
            return [repr(exc)]

    out = []
    line = lambda t: json.dumps({"node": node, "unit": uid, "status": "推进中", "percent": 10, "note": t}, ensure_ascii=False)
    crlf = (line("probe-crlf-1") + "\r\n" + line("probe-crlf-2") + "\r\n").encode()
    rc, so, se = run(["update", plan, "--batch", "-"], crlf)
    out.append(("batch with CRLF line ends (2 valid lines)", rc, so, se, [n for n in notes() if "crlf" in n]))
    rc, so, se = run(["update", plan, node, f"--unit={uid}", "--status=推进中", "--percent=5", "--note=probe-expect", "--expect=-1"])
    out.append(("--expect=-1 (a negative event number)", rc, so, se, None))
    rc, so, se = run(["update", plan, node, f"--unit={uid}", "--status=推进中", "--percent=5", b"--note=probe-utf8-\xff-end"])
    out.append(("--note with an invalid UTF-8 byte 0xFF", rc, so, se, [ascii(n) for n in notes() if "utf8" in n]))
    return out


# ---------------------------------------------------------------------------------------------------------------
# The end: read everything back and judge every token.

def final_check(ctx, verifier):
    led = ctx.ledger
    for _ in range(3):
        verifier.verify("after")
    # Heads read "<event>.<seal>:<hash>" (older builds: "<event>:<hash>"); check some from all over the run.
    heads = sorted(set(verifier.heads), key=lambda h: [int(x) for x in h.split(":")[0].split(".")])
    for head in heads[:: max(1, len(heads) // 20)]:
        verifier.verify("after", head)
    verifier.verify("after", head_log=True)
    integrity(ctx, "after")

    con = sqlite3.connect(f"file:{ctx.db}?mode=ro", uri=True, timeout=30)
    try:
        events = con.execute("""
            SELECT e.id, a.plan_id, a.node_id, a.unit_id, e.status, e.percent, e.note, e.evidence, e.day, e.assignment_id
            FROM event e JOIN assignment a ON a.id = e.assignment_id ORDER BY e.id""").fetchall()
        state = {r[0]: r[1:] for r in con.execute(
            "SELECT assignment_id, event_id, status, percent, note, evidence FROM current_state")}
        heads = con.execute("SELECT event_id FROM audit_head").fetchall()
        max_id = con.execute("SELECT max(id) FROM event").fetchone()[0]
    finally:
        con.close()

    # Every token found in the table, with the rows that carry it.
    found = collections.defaultdict(list)
    for ev in events:
        tokens = set(TOKEN_RE.findall(ev[6] or ""))
        if not tokens:
            led.anomaly("phantom", {"event": ev[0], "note": ev[6][:200]})
        for w, n in tokens:
            found[f"[atk-{w}-{n}]"].append(ev)

    c = led.counts
    for token, intent in led.intents.items():
        rows = found.get(token, [])
        if len(rows) > 1:
            led.anomaly("duplicated", {"token": token, "events": [r[0] for r in rows]})
        match = [r for r in rows if tuple(r[1:8]) == intent.row()]
        if intent.must_refuse:
            c["must-refuse:sent"] += 1
            if rows:
                led.anomaly("refused-input-stored", {"token": token, "why": intent.why, "events": [r[0] for r in rows]})
            continue
        if token in led.acked:
            c["acked"] += 1
            if not rows:
                led.anomaly("lost", {"token": token, "event": led.acked[token], "row": intent.row()})
            elif not match:
                led.anomaly("altered", {"token": token, "sent": intent.row(), "stored": [r[1:8] for r in rows]})
            elif match[0][0] != led.acked[token]:
                led.anomaly("ack-id-mismatch", {"token": token, "acked": led.acked[token], "stored": match[0][0]})
            else:
                c["acked:present"] += 1
        elif token in led.unknown:
            source = led.unknown[token]
            if rows and not match:
                led.anomaly("torn", {"token": token, "sent": intent.row(), "stored": [r[1:8] for r in rows]})
            c[f"unknown:{source}:{'present' if rows else 'absent'}"] += 1
        elif token in led.refused:
            c["refused:valid-intent"] += 1
            if rows:
                led.anomaly("refused-input-stored", {"token": token, "why": "refused: " + led.refused[token][:200],
                                                     "events": [r[0] for r in rows]})
    for token in found:
        if token not in led.intents:
            led.anomaly("phantom", {"token": token, "events": [r[0] for r in found[token]]})
    acked_ids = collections.Counter(led.acked.values())
    for event_id, n in acked_ids.items():
        if n > 1:
            led.anomaly("ack-id-mismatch", {"event": event_id, "note": f"acknowledged for {n} different updates"})

    # current_state must point at each assignment's latest event (by day, then id) and repeat its fields.
    latest = {}
    for ev in events:
        if ev[9] not in latest or (ev[8], ev[0]) > (latest[ev[9]][8], latest[ev[9]][0]):
            latest[ev[9]] = ev
    for aid, ev in latest.items():
        st = state.get(aid)
        if st is None or st != (ev[0], ev[4], ev[5], ev[6], ev[7]):
            led.anomaly("current-state", {"assignment": aid, "latest": ev[0], "current_state": st and st[0]})
    for aid in state.keys() - latest.keys():
        led.anomaly("current-state", {"assignment": aid, "note": "current_state without events"})
    if max_id is not None and heads != [(max_id,)]:
        led.anomaly("audit-head", {"audit_head": heads, "max_event": max_id})

    # The binary's own view: every acknowledged event listed by `duban log PLAN --json` under its id.
    listed = {}
    for plan in ctx.plans:
        res = ctx.runner.run(["log", plan, "--json"], "read", killable=False)
        if res.rc != 0:
            led.anomaly("read-failed", res.detail())
            continue
        for e in json.loads(res.out):
            for w, n in TOKEN_RE.findall(e["note"] or ""):
                listed[f"[atk-{w}-{n}]"] = e["id"]
    for token, event_id in led.acked.items():
        if not led.intents[token].must_refuse and listed.get(token) != event_id:
            led.anomaly("log-missing-ack", {"token": token, "acked": event_id, "listed": listed.get(token)})
    c["events-in-table"] = len(events)


# Counters that must be 0 for the run to pass, with what each means.
MUST_BE_ZERO = [
    ("lost", "acknowledged but not in the event table"),
    ("altered", "acknowledged, stored with different fields"),
    ("ack-id-mismatch", "stored under another event id than acknowledged"),
    ("duplicated", "one update stored twice"),
    ("torn", "killed update present but not whole"),
    ("refused-input-stored", "refused/stale/hostile update found stored"),
    ("refused-input-accepted", "hostile or stale update answered with success"),
    ("verify-false-alarm", "audit verify exit != 0 on an untouched database"),
    ("integrity", "integrity_check / foreign_key_check not ok"),
    ("current-state", "current_state disagrees with the latest event"),
    ("audit-head", "audit_head is not the last event"),
    ("phantom", "event with no token of this run"),
    ("read-missing-ack", "duban log during the run missed an acknowledged event"),
    ("log-missing-ack", "duban log at the end missed an acknowledged event"),
    ("crash", "signal or exit 132/134/139 not caused by the killer"),
    ("hang", "command ran past the timeout"),
    ("batch-report", "batch stdout/stderr do not add up to its lines"),
]
WORTH_A_LOOK = [
    ("valid-refused", "valid update refused (busy, I/O error, ...)"),
    ("exit-code", "exit code differs from the documented one"),
    ("message", "a refusal message that looks wrong"),
    ("output", "unexpected output format"),
    ("read-failed", "a read command failed or printed bad JSON"),
    ("verify-output", "audit verify printed something unexpected"),
    ("script-error", "this script's own error (fix the script)"),
]


def summary(ctx, probe_results, args):
    led, c = ctx.ledger, ctx.ledger.counts
    a = led.anomalies
    rows = [
        ("commands run", c["commands"]),
        ("  killed by the killer", sum(v for k, v in c.items() if k.startswith("killed:") and k.count(":") == 1)),
        ("single updates sent (valid/hostile/stale/fresh)",
         f"{c['sent:single']}/{c['sent:hostile']}/{c['sent:stale']}/{c['sent:fresh']}"),
        ("batches / batch lines sent", f"{c['commands:batch']} / {c['sent:batch-lines']}"),
        ("acknowledged updates", c["acked"]),
        ("  present (acknowledged and found)", c["acked:present"]),
        ("  acked by a batch before it was killed", c["batch-lines-acked-before-kill"]),
        ("killed, outcome unknown, single updates: present / absent",
         f"{c['unknown:single:present']} / {c['unknown:single:absent']}"),
        ("killed, outcome unknown, batch lines: present / absent",
         f"{c['unknown:batch:present']} / {c['unknown:batch:absent']}"),
        ("must-refuse inputs sent (hostile + stale --expect)", c["must-refuse:sent"]),
        ("fresh --expect that met a conflict", c["fresh-expect:conflict"]),
        ("valid updates not saved (fresh conflicts, stopped batches)", c["refused:valid-intent"]),
        ("audit verify during / after: plain, --expect-head, --head-log",
         f"{c['verify:during']}, {c['expect-head:during']}, {c['head-log:during']} / "
         f"{c['verify:after']}, {c['expect-head:after']}, {c['head-log:after']}"),
        ("  false alarms: plain, --expect-head, --head-log",
         f"{c['verify:false-alarm']}, {c['expect-head:false-alarm']}, {c['head-log:false-alarm']}"),
        ("  verify --head-log killed mid-run", c["head-log:killed"]),
        ("integrity checks during ok/failed/busy",
         f"{c['integrity:during:ok']}/{c['integrity:during:failed']}/{c['integrity:during:busy']}"),
        ("integrity check after", "ok" if c["integrity:after:ok"] else "FAILED"),
        ("read checks (acks visible while writing)", c["read-checks"]),
        ("events in table", c["events-in-table"]),
    ]
    width = max(len(r[0]) for r in rows + MUST_BE_ZERO + WORTH_A_LOOK) + 2
    print(f"\n=== attack-run summary (seed {args.seed}, {args.minutes} min, {args.writers} writers) ===")
    print(f"  binary: {ctx.binary_info}")
    for label, value in rows:
        print(f"  {label:<{width}} {value}")
    print("  --- must be 0 ---")
    for key, meaning in MUST_BE_ZERO:
        flag = "" if not a.get(key) else "   <-- FAIL"
        print(f"  {key:<{width}} {len(a.get(key, ())):>6}   {meaning}{flag}")
    print("  --- worth a look ---")
    for key, meaning in WORTH_A_LOOK:
        print(f"  {key:<{width}} {len(a.get(key, ())):>6}   {meaning}")
    shown = [k for k, _ in MUST_BE_ZERO + WORTH_A_LOOK if a.get(k)]
    if shown:
        print("\n=== examples (all in anomalies.jsonl) ===")
        for key in shown:
            for d in a[key][:3]:
                print(f"[{key}] {json.dumps(d, ensure_ascii=False)[:1200]}")
    if probe_results:
        print("\n=== probes (observations, not counted) ===")
        for what, rc, so, se, stored in probe_results:
            print(f"- {what}: exit {rc}; stdout {so!r}; stderr {se!r}" + ("" if stored is None else f"; stored {stored}"))
    failed = any(a.get(k) for k, _ in MUST_BE_ZERO) or not c["integrity:after:ok"]
    print(f"\nscratch: {ctx.scratch}" + ("" if failed or args.keep else " (removed)"))
    print("RESULT:", "FAIL" if failed else "PASS")
    return failed


class Context:
    pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=".build/debug/duban")
    ap.add_argument("--plans", default="Plans")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--kill-every", type=float, nargs=2, default=(0.2, 2.0), metavar=("MIN", "MAX"),
                    help="seconds between kills, drawn uniformly (default 0.2 2.0)")
    ap.add_argument("--no-probes", action="store_true", help="skip the fixed one-off probes")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory even when the run passes")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = random.randrange(10**6)
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        print(f"no executable at {binary} (build it first; this script never builds)", file=sys.stderr)
        return 2

    ctx = Context()
    ctx.scratch = tempfile.mkdtemp(prefix="attack-", dir="/tmp")
    # Run a private copy: another build may relink the original mid-run (exec then fails with ETXTBSY, and
    # half the run would test a different program).
    ctx.binary = os.path.join(ctx.scratch, "duban")
    shutil.copy2(binary, ctx.binary)
    with open(ctx.binary, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    ctx.binary_info = f"{binary} (mtime {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(os.path.getmtime(binary)))}, sha256 {digest[:16]})"
    ctx.head_log = os.path.join(ctx.scratch, "heads.log")
    ctx.db = os.path.join(ctx.scratch, "duban.sqlite")
    # Single-user mode: no DUBAN_ACCESS, so the caller is admin; HOME in the scratch dir keeps real data out.
    ctx.env = {k: v for k, v in os.environ.items() if not k.startswith("DUBAN_")}
    ctx.env.update(DUBAN_DB=ctx.db, DUBAN_PLANS=os.path.abspath(args.plans), LANG="C.UTF-8", HOME=ctx.scratch,
                   NO_COLOR="1")
    ctx.ledger = Ledger(ctx.scratch)
    ctx.runner = Runner(ctx.binary, ctx.env, ctx.scratch, ctx.ledger)
    print(f"attack-run: seed {args.seed}, scratch {ctx.scratch}, binary {ctx.binary_info}", file=sys.stderr)

    ctx.plans, ctx.assignments = load_targets(ctx.runner)
    rng = random.Random(args.seed)
    ctx.hot = rng.sample(ctx.assignments, min(12, len(ctx.assignments)))
    ctx.by_plan = {p: [a for a in ctx.assignments if a[0] == p] for p in ctx.plans}
    ctx.hot_by_plan = {p: [a for a in ctx.hot if a[0] == p] for p in ctx.plans}
    probe_results = [] if args.no_probes else probes(ctx)

    # Create the database before the killer starts, so the run is about the store, not its first creation.
    warm = Writer(0, ctx, args.seed)
    warm.single()
    if not ctx.ledger.acked:
        print("the first update failed; see anomalies.jsonl in", ctx.scratch, file=sys.stderr)
        return 2

    ctx.deadline = time.monotonic() + args.minutes * 60
    ctx.stop_killer, ctx.stop_verifier = threading.Event(), threading.Event()
    writers = [Writer(i, ctx, args.seed * 1000 + i) for i in range(1, args.writers + 1)]
    killer = Killer(ctx, args.seed + 7, *args.kill_every)
    verifier = Verifier(ctx, args.seed + 11)
    for t in writers + [killer, verifier]:
        t.start()
    while time.monotonic() < ctx.deadline:
        time.sleep(max(0.1, min(15, ctx.deadline - time.monotonic())))
        c = ctx.ledger.counts
        print(f"  {time.strftime('%H:%M:%S')} commands {c['commands']}, acked {len(ctx.ledger.acked)}, "
              f"kills {c['kills-sent']}, verify {c['verify:during']}, anomalies "
              f"{sum(len(v) for v in ctx.ledger.anomalies.values())}", file=sys.stderr)
    for t in writers:
        t.join()
    ctx.stop_killer.set()
    ctx.stop_verifier.set()
    killer.join()
    verifier.join()

    final_check(ctx, verifier)
    failed = summary(ctx, probe_results, args)
    ctx.ledger.anomaly_file.close()
    if not failed and not args.keep:
        shutil.rmtree(ctx.scratch, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
