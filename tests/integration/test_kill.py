"""A large import killed part-way (SIGKILL) leaves the database exactly as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from teamroots import services
from teamroots.store.db import make_engine
from tests.factories import record_rows, small_plant, write_csv


def _writing(url: str, wal: Path | None) -> bool:
    """True once the import has written rows inside its (uncommitted) transaction."""
    if wal is not None:
        return wal.exists() and wal.stat().st_size > 2_000_000
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND query LIKE 'INSERT INTO team_record%'"
            )).scalar())
    finally:
        engine.dispose()


@pytest.mark.slow
def test_sigkill_mid_import_leaves_database_as_before(settings, tmp_path, db):
    small_plant(db, tmp_path)
    codes = [f"K{i:03d}" for i in range(200)]
    teams = [("code", "name", "unit"), *((c, f"Team {c}", "BF1-S1") for c in codes)]
    services.census.import_file(db, "teams", write_csv(tmp_path / "teams.csv", teams))
    start = date(2019, 1, 1).toordinal()  # 2,000 days of 200 teams: all in the past
    big = write_csv(tmp_path / "big.csv", record_rows(400_000, codes, start))
    before = services.census.table_counts(db)
    sqlite_file = settings.database_url.removeprefix("sqlite:///")
    wal = Path(sqlite_file + "-wal") if settings.database_url.startswith("sqlite") else None
    env = {**os.environ, "TEAMROOTS_DATABASE_URL": settings.database_url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "teamroots", "import", "records", str(big)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not _writing(settings.database_url, wal):
        assert proc.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert services.census.table_counts(db) == before
    if wal is not None:
        with sqlite3.connect(sqlite_file) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
