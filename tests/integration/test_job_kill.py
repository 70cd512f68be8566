"""Killing the processes that do long work (issue 13), on SQLite and PostgreSQL: a web process
running a big import in its in-app worker, then a separate job worker, each killed with SIGKILL
mid-import. No job is lost — it runs again once, then is marked failed with its reason — and
nothing is half-written: the records table holds nothing until a whole import commits."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from teamroots import services
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from tests.factories import record_rows, small_plant, write_csv

ROWS = 300_000
TEAMS = [f"K{i:02}" for i in range(60)]  # 5,000 days each, from 2000
STALE = 5  # TEAMROOTS_JOB_STALE_SECONDS for the processes here


def _upload(folder: Path) -> Path:
    folder.mkdir()
    return write_csv(folder / "records.csv", record_rows(ROWS, TEAMS, date(2000, 1, 1).toordinal()))


def _short(row: dict) -> dict:
    return {k: row[k] for k in ("id", "status", "attempts", "worker", "error")}


def _records(db) -> int:
    return services.census.table_counts(db)["team_record"]


def _start(database_url: str, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "TEAMROOTS_DATABASE_URL": database_url,
        "TEAMROOTS_JOB_STALE_SECONDS": str(STALE),
        "TEAMROOTS_REMIND_EVERY_MINUTES": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "teamroots", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _job(db, job_id: int) -> dict:
    from teamroots.store import jobs_repo

    with db.read() as conn:
        return jobs_repo.job(conn, job_id)


def _killed_mid_import(database_url: str, db, job_id: int, *command: str) -> None:
    """Start ``teamroots COMMAND``; once its worker has read a fifth of the file, SIGKILL it."""
    process = _start(database_url, *command)
    try:
        _kill_mid_import(db, process, job_id)
    finally:
        process.kill()


def _kill_mid_import(db, process: subprocess.Popen, job_id: int) -> None:
    queue = services.jobs.queue(db)
    deadline = time.monotonic() + 120
    while True:
        state = queue.state(job_id)
        mine = state and f":{process.pid}:" in state["worker"]
        if mine and (state.get("progress") or 0) > 0.2:
            break
        assert process.poll() is None, "the process ended before the job ran"
        assert time.monotonic() < deadline, f"the job never got going: {_short(_job(db, job_id))}"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    row = _job(db, job_id)
    assert row["status"] == "running", _short(row)  # the worker died with it
    assert _records(db) == 0  # nothing half-written


def _wait(db, job_id: int, status: str, seconds: float = 180) -> dict:
    deadline = time.monotonic() + seconds
    while (row := _job(db, job_id))["status"] != status:
        assert time.monotonic() < deadline, _short(row)
        time.sleep(0.2)
    return row


def test_killed_workers_lose_no_job_and_write_nothing_half(database_url, settings, db, tmp_path):
    small_plant(db, tmp_path)
    teams = [("code", "name", "unit"), *((code, code, "BF1-S1") for code in TEAMS)]
    services.census.import_file(db, "teams", write_csv(tmp_path / "more.csv", teams))
    folder = tmp_path / "upload"
    path = _upload(folder)
    admin = Viewer(1, "root-admin", AccessRole.ADMIN)
    job_id = services.jobs.start_import(db, admin, "records", folder, path, None, False)

    # 1. the web process (its in-app worker) is killed mid-import
    _killed_mid_import(database_url, db, job_id, "serve", "--port", str(_free_port()))
    time.sleep(STALE + 1)
    # 2. a job worker starts, finds the job stopped, runs it again — and is killed too
    _killed_mid_import(database_url, db, job_id, "worker")
    assert _job(db, job_id)["attempts"] == 2
    # 3. the watch, as the schedule runs it a minute on (this process keeps the default 60 s),
    # fails the job, with its reason
    assert services.jobs.queue(db).watch(time.time() + 61) == {"queued": 0, "failed": 1}
    failed = services.jobs.job_view(db, admin, job_id)
    assert failed.status == "failed" and "stopped, 2 times" in failed.error
    assert not folder.exists() and _records(db) == 0

    # 4. the same import again: killed once, it runs again to the end, all of it
    path = _upload(folder)
    again = services.jobs.start_import(db, admin, "records", folder, path, None, False)
    _killed_mid_import(database_url, db, again, "worker")
    time.sleep(STALE + 1)
    worker = _start(database_url, "worker")
    try:
        row = _wait(db, again, "done")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert row["attempts"] == 2 and _records(db) == ROWS
    view = services.jobs.job_view(db, admin, again)
    assert view.result["outcome"]["inserted"] == ROWS and not Path(folder).exists()
