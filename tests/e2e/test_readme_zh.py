"""The README tour in Chinese (--lang zh-CN) speaks Chinese: no English word in what it prints,
outside codes, names, numbers, file names and the commands themselves."""

from __future__ import annotations

import csv
import os
import re
import shutil
import sqlite3
import subprocess
import sys

import pytest

from tests.e2e.test_readme import ROOT, tour_commands

WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
COMMANDS = {
    "teamroots", "init", "demo", "import", "export", "census", "assess", "report", "plan",
    "leaders", "training", "links", "show", "edit", "results", "approve", "rubric",
    "calibrate", "list", "by", "json", "lang", "en", "zh", "help", "out", "as", "of", "serve",
    "user", "visit", "remind", "directive", "rollup", "worker",
    "units", "teams", "people", "memberships", "cadres", "records", "nominations", "checklists",
    "str", "bool", "int", "float", "path", "text", "integer",  # Typer's metavars: <str>
    "true", "false",  # a setting's values: TEAMROOTS_WORKER_IN_APP=false
    "python",  # the program's name in "用法：python -m teamroots …"
}
STRIP = [
    re.compile(r"(?:/|\b[\w.-]+/)[\w./-]+"),  # paths
    re.compile(r"\b[\w.-]+\.(?:xlsx|csv|html|toml|json|db)\b"),  # file names
    re.compile(r"--[a-z][a-z-]*"),  # options
    re.compile(r"\bteamroots(?: [a-z-]+)*"),  # the program, or a command quoted in a message
]


def names(db: str) -> list[str]:
    """Every name the sample plant holds (units, teams, people): data, not interface."""
    with sqlite3.connect(db) as conn:
        found = [r[0] for t in ("org_unit", "team", "person") for r in
                 conn.execute(f"SELECT name FROM {t}")]
    return sorted({n for n in found if n}, key=len, reverse=True)


def english(text: str, allowed_names: list[str]) -> list[str]:
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    for name in allowed_names:
        text = text.replace(name, " ")
    words = WORD.findall(text)
    return [w for w in words if not w.isupper() and w.lower() not in COMMANDS
            and not w.startswith(("T0", "E0"))]


@pytest.mark.slow
def test_the_tour_in_chinese_has_no_english_words(tmp_path):
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    db = tmp_path / "teamroots.db"
    env = {**os.environ, "TEAMROOTS_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "200"}

    def run(args: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "teamroots", "--lang", "zh-CN", *args],
                              cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)

    for setup in (["init"], ["demo", "--teams", "20", "--days", "60"]):
        assert run(setup).returncode == 0
    known = [*names(str(db)), "Li Ming", "default"]  # names: a person's, the rubric's
    with (ROOT / "docs" / "examples" / "garment_records.csv").open(encoding="utf-8-sig") as fh:
        headers = sorted({h.strip() for h in next(csv.reader(fh))}, key=len, reverse=True)
    found: dict[str, list[str]] = {}
    for args in [["--help"], ["plan", "--help"], *tour_commands()]:
        if ">" in args:
            args = args[: args.index(">")]
        if "--json" in args or args[:1] == ["--lang"]:
            continue
        done = run(args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        words = english(done.stdout + done.stderr, known + headers)
        if words:
            found[" ".join(args)] = sorted(set(words))
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())
