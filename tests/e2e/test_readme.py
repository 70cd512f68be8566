"""Truth in the README: every `teamroots` command of its tour runs as shown (on a small
sample plant, in a scratch folder with the docs' examples)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def tour_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith(".venv/bin/teamroots"):
                commands.append(shlex.split(line)[1:])
    return commands


def test_the_readme_has_a_tour():
    assert len(tour_commands()) >= 5


@pytest.mark.slow
def test_every_tour_command_runs(tmp_path, db):
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    env = {**os.environ, "TEAMROOTS_DATABASE_URL": f"sqlite:///{tmp_path / 'teamroots.db'}"}

    def run(args: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "teamroots", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)

    for setup in (["init"], ["demo", "--teams", "20", "--days", "60"]):
        assert run(setup).returncode == 0
    for args in tour_commands():
        target = None
        if ">" in args:
            args, target = args[: args.index(">")], args[args.index(">") + 1]
        done = run(args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        if target:
            (tmp_path / target).write_text(done.stdout, encoding="utf-8")
