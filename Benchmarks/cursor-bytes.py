#!/usr/bin/env python3
"""Bytes the dashboard sends to the terminal for one cursor move down a list, at 80x24.

Runs `duban` in a pseudo-terminal (as sshd would), waits for the first frame, presses Down a few
times on each list screen and counts what comes back for each press.

    python3 Benchmarks/cursor-bytes.py [--duban .build/release/duban] [--db PATH]
"""
import argparse, os, sys
from pty_terminal import read_quiet as read_timed, spawn

def read_quiet(fd, quiet=0.4):
    return read_timed(fd, quiet=quiet, limit=5.0)[0]

def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser()
    parser.add_argument("--duban", default=os.path.join(root, ".build", "release", "duban"))
    parser.add_argument("--db", default="/tmp/duban-cursor-bytes.sqlite")
    parser.add_argument("--plan", default="changsha-2021")
    args = parser.parse_args()
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", DUBAN_DB=args.db,
               DUBAN_PLANS=os.path.join(root, "Plans"))
    import subprocess
    subprocess.run([args.duban, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    pid, fd = spawn([args.duban, "--plan", args.plan], env)
    first = read_quiet(fd, quiet=1.0)
    print(f"first frame: {len(first)} bytes")
    down = b"\x1bOB"   # xterm's Down in keypad (application) mode
    results = {}
    for screen, label in [(b"1", "总览"), (b"3", "逾期"), (b"4", "单位"), (b"2", "任务")]:
        os.write(fd, screen)
        read_quiet(fd)
        sizes = []
        for _ in range(5):
            os.write(fd, down)
            sizes.append(len(read_quiet(fd, quiet=0.3)))
        results[label] = sizes
        print(f"{label}: one Down → {sizes} bytes")
    os.write(fd, b"q")
    read_quiet(fd, quiet=0.3)
    os.waitpid(pid, 0)
    worst = max(max(v) for k, v in results.items() if k != "任务")
    print(f"worst list move (总览/逾期/单位): {worst} bytes")

if __name__ == "__main__":
    main()
