#!/usr/bin/env python3
"""Writes duban's man page (roff, UTF-8) from the program's own description of its commands.

  scripts/make-manpage.py BINARY > duban.1

The text comes from `duban --experimental-dump-help` (swift-argument-parser's JSON of every command, option and
help text), so the page says what the program says, in Chinese. roff is written as plain `.TH/.SH/.TP` requests with
every text line escaped: a line starting with `.` or `'` would be taken as a request, and `\\` as an escape.
Python 3 standard library only.
"""
import json
import subprocess
import sys
import datetime


def escape(text):
    text = (text or "").replace("\\", "\\e").replace("-", "\\-")
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def names(argument):
    shown = []
    for name in argument.get("names", []):
        prefix = {"long": "--", "short": "-", "longWithSingleDash": "-"}.get(name["kind"], "")
        shown.append(prefix + name["name"])
    return ", ".join(shown)


def synopsis(path, command):
    parts = []
    for argument in command.get("arguments", []):
        if not argument.get("shouldDisplay", True):
            continue
        if argument["kind"] == "positional":
            value = argument.get("valueName", "value")
            parts.append(f"[{value}]" if argument.get("isOptional") else value)
    subs = [s for s in command.get("subcommands", []) if s.get("shouldDisplay", True)]
    if subs:
        parts.append("子命令")
    return " ".join(path + parts + (["[选项]"] if command.get("arguments") else []))


GLOBAL = set()  # options every command shares (--plans, --db …): described once, under 选项


def options(command, out, skip=GLOBAL):
    for argument in command.get("arguments", []):
        if not argument.get("shouldDisplay", True) or {n["name"] for n in argument.get("names", [])} & {"help", "version"}:
            continue
        if argument["kind"] != "positional" and names(argument) in skip:
            continue
        label = names(argument) if argument["kind"] != "positional" else argument.get("valueName", "")
        if argument["kind"] == "option":
            label += " " + argument.get("valueName", "value")
        out.append(".TP")
        out.append("\\fB" + escape(label) + "\\fR")
        out.append(escape(argument.get("abstract", "")))
        if argument.get("discussion"):
            out.append(escape(argument["discussion"]) if isinstance(argument["discussion"], str) else "")


def command_section(path, command, out):
    out.append(".SS " + escape(" ".join(path)))
    out.append(escape(command.get("abstract", "")))
    out.append(".PP")
    out.append("\\fB" + escape(synopsis(path, command)) + "\\fR")
    discussion = command.get("discussion")
    if discussion:
        out.append(".PP")
        out.append(".nf")
        out.append(escape(discussion))
        out.append(".fi")
    options(command, out)
    for sub in command.get("subcommands", []):
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            command_section(path + [sub["commandName"]], sub, out)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/duban"
    tool = json.loads(subprocess.run([binary, "--experimental-dump-help"], check=True, capture_output=True).stdout)
    root = tool["command"]
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip() or "duban"
    out = [
        '.\\" 由 scripts/make-manpage.py 根据 duban --experimental-dump-help 生成；请勿手工修改。',
        f'.TH DUBAN 1 "{datetime.date.today().isoformat()}" "{escape(version)}" "督办"',
        # Chinese has no spaces to stretch: left-adjusted, unhyphenated.
        ".ad l",
        ".nh",
        ".SH 名称",
        "duban \\- " + escape(root.get("abstract", "")),
        ".SH 概要",
        "\\fBduban\\fR [子命令] [选项]",
        ".SH 说明",
        ".nf",
        escape(root.get("discussion", "")),
        ".fi",
        ".SH 选项",
    ]
    options(root, out, skip=set())
    GLOBAL.update(names(a) for a in root.get("arguments", []) if a["kind"] != "positional")
    out.append(".SH 子命令")
    for sub in root.get("subcommands", []):
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            command_section(["duban", sub["commandName"]], sub, out)
    out += [
        ".SH 文件",
        ".TP",
        "~/.local/share/duban/duban.sqlite",
        "默认的进展数据库（可用 \\-\\-db 或 DUBAN_DB 指定）。",
        ".TP",
        "/etc/duban/access.yaml, /etc/duban/server.yaml",
        "访问控制文件和共享服务器配置（只有 root 能修改）。",
        ".TP",
        "PREFIX/share/duban/Plans",
        "随程序安装的计划、单位名录和工作日历。",
    ]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
