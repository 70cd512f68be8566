"""Writers take turns and readers see one committed state (SQLite file; PostgreSQL where set)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from teamroots import services
from teamroots.config import Settings
from teamroots.store import assess_repo
from tests.factories import small_plant, write_csv

AS_OF = date(2024, 6, 30)
DAYS = 28


def _teams(db, folder: Path, count: int) -> list[str]:
    small_plant(db, folder)
    codes = [f"C{i:03d}" for i in range(count)]
    rows = [("code", "name", "unit"), *((c, f"Team {c}", "BF1-S1") for c in codes)]
    services.census.import_file(db, "teams", write_csv(folder / "more_teams.csv", rows))
    return codes


def _records(path: Path, teams: list[str], actual: int, days: int = DAYS) -> Path:
    first = AS_OF - timedelta(days=days - 1)
    rows = [("team", "date", "planned", "actual")]
    for team in teams:
        for d in range(days):
            rows.append((team, (first + timedelta(days=d)).isoformat(), 100, actual))
    return write_csv(path, rows)


def _cli(settings: Settings, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "teamroots", *args],
        env={**os.environ, "TEAMROOTS_DATABASE_URL": settings.database_url, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_imports_at_once_both_land(settings, db, tmp_path):
    """The second import waits for the first (BEGIN IMMEDIATE / an advisory lock) instead of
    dying with 'database is locked'; both land and the counts are exact."""
    teams = _teams(db, tmp_path, 60)
    half = len(teams) // 2
    a = _records(tmp_path / "a.csv", teams[:half], 90, days=400)
    b = _records(tmp_path / "b.csv", teams[half:], 95, days=400)
    first = _cli(settings, "import", "records", str(a))
    second = _cli(settings, "import", "records", str(b))
    for proc in (first, second):
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    counts = services.census.table_counts(db)
    assert counts["team_record"] == len(teams) * 400


def test_a_writer_that_waits_too_long_says_so_and_writes_nothing(sqlite_settings, tmp_path):
    with services.open_database(sqlite_settings) as db:
        teams = _teams(db, tmp_path, 2)
        path = _records(tmp_path / "r.csv", teams, 90)
        before = services.census.table_counts(db)
        with db.write():  # another writer holds the database
            proc = _cli(
                sqlite_settings,
                "--lang",
                "zh-CN",
                "import",
                "records",
                str(path),
                TEAMROOTS_BUSY_TIMEOUT_SECONDS="0.5",
            )
            _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 75, err
        assert "Traceback" not in err
        assert "数据库" in err and "没有写入" in err
        assert services.census.table_counts(db) == before


def _actuals(frame) -> set[float]:
    return set(frame["actual"].to_list())


def test_a_read_sees_one_committed_state(sqlite_settings, tmp_path):
    """The read's snapshot is taken, then an import commits (records and their weekly
    rollup): the read still sees the state it began with, never half of each."""
    with services.open_database(sqlite_settings) as db:
        teams = _teams(db, tmp_path, 40)
        services.census.import_file(db, "records", _records(tmp_path / "a.csv", teams, 90))
        newer = _records(tmp_path / "b.csv", teams, 60)
        with db.read() as conn:
            conn.execute(text("SELECT count(*) FROM team_record")).scalar()  # snapshot taken
            services.census.import_file(db, "records", newer)  # commits meanwhile
            frame = assess_repo.weekly_records(conn, AS_OF, DAYS)
        assert frame.height >= len(teams)
        per_day = {a / d for a, d in zip(frame["actual"], frame["days"], strict=True)}
        assert per_day == {90.0}, "the read mixed two committed states"
        with db.read() as conn:
            frame = assess_repo.weekly_records(conn, AS_OF, DAYS)
        per_day = {a / d for a, d in zip(frame["actual"], frame["days"], strict=True)}
        assert per_day == {60.0}


@pytest.mark.slow
def test_assessments_while_imports_commit_always_see_one_state(sqlite_settings, tmp_path):
    """An assessment run in a loop while another process commits imports that change every
    team's records: each assessment's inputs come from one state, never half of each."""
    with services.open_database(sqlite_settings) as db:
        teams = _teams(db, tmp_path, 150)
        files = [_records(tmp_path / f"{v}.csv", teams, v) for v in (90, 60)]
        services.census.import_file(db, "records", files[0])
        script = (
            "import sys\n"
            "from teamroots import services\n"
            "from teamroots.config import Settings\n"
            "db = services.open_database(Settings(database_url=sys.argv[1]))\n"
            "for i in range(int(sys.argv[2])):\n"
            "    services.census.import_file(db, 'records', sys.argv[3 + i % 2])\n"
        )
        writer = subprocess.Popen(
            [sys.executable, "-c", script, sqlite_settings.database_url, "40", *map(str, files)]
        )
        from teamroots.assess.rubric import load_rubric

        rubric = load_rubric()
        seen: set[float] = set()
        deadline = time.monotonic() + 120
        try:
            while writer.poll() is None and time.monotonic() < deadline:
                inputs, _survey, _kept = services.assess.load_inputs(db, AS_OF, rubric)
                weekly = inputs.sums
                per_day = {a / d for a, d in zip(weekly["actual"], weekly["days"], strict=True)}
                assert len(per_day) == 1, f"one assessment saw two states: {per_day}"
                seen |= per_day
        finally:
            writer.wait(timeout=300)
        assert writer.returncode == 0
