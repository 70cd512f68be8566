"""The job queue's bookkeeping, on SQLite and PostgreSQL: a job whose task the queue lost is
queued again by the watch (once: not while its task waits); a run that lost its job to the
watch stores nothing over the job's new run; the reminder interval is a clock interval."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from teamroots import services
from teamroots.config import Settings
from teamroots.store import jobs_repo


def _job(db, created: datetime) -> int:
    with db.write() as conn:
        return jobs_repo.add_job(conn, "links", "boss", created, 10.0, {"time_limit": 10.0})


def _row(db, job_id: int) -> dict:
    with db.read() as conn:
        return jobs_repo.job(conn, job_id)


def test_a_job_whose_task_was_lost_is_queued_again_once(db):
    queue = services.jobs.queue(db)
    old = _job(db, datetime.now(UTC) - timedelta(minutes=5))  # saved, never queued
    fresh = _job(db, datetime.now(UTC))
    assert queue.watch()["queued"] == 1
    waiting = [t.args[0] for t in queue.huey.pending()]
    assert waiting.count(old) == 1 and fresh not in waiting
    assert queue.watch()["queued"] == 0  # its task waits in the queue: not queued twice
    queue.huey.flush()


def test_a_run_that_lost_its_job_to_the_watch_stores_nothing(db):
    job_id = _job(db, datetime.now(UTC))
    row = services.jobs.claim(db, job_id, "worker-a")
    assert row["status"] == "running" and row["attempts"] == 1
    assert services.jobs.stopped(db, row) == "queued"  # the watch gave it back to the queue
    services.jobs.run(db, row, None)  # the first worker, alive after all, finishes late
    again = _row(db, job_id)
    assert again["status"] == "queued" and again["plan_id"] is None and again["error"] is None
    services.jobs.queue(db).huey.flush()


def test_a_reports_file_is_kept_a_week_for_its_asker(db):
    from teamroots.domain.choices import AccessRole
    from teamroots.domain.rows import Viewer
    from teamroots.errors import NotFound

    boss = Viewer(1, "boss", AccessRole.PLANT_MANAGER)
    ids = []
    for age in (8, 1):  # days since it was rendered
        at = datetime.now(UTC) - timedelta(days=age)
        with db.write() as conn:
            job_id = jobs_repo.add_job(conn, "report", "boss", at, 120.0, {})
            meta = json.dumps({"name": "r.html", "media": "text/html"})
            jobs_repo.set_job(conn, job_id, status="done", finished_at=at, output=b"<html>",
                              result=meta)  # fmt: skip
        ids.append(job_id)
    services.jobs.queue(db).watch()
    with pytest.raises(NotFound, match="kept 7 days"):
        services.reports.report_output(db, boss, ids[0])
    assert services.reports.report_output(db, boss, ids[1])[0] == b"<html>"
    with pytest.raises(NotFound):  # nobody else's
        services.reports.report_output(db, Viewer(2, "ann", AccessRole.PLANT_MANAGER), ids[1])


@pytest.mark.parametrize("minutes", [7, 45, 90, 1000])
def test_the_reminder_interval_is_a_clock_interval(minutes):
    with pytest.raises(ValueError, match="divisor of 60"):
        Settings(remind_every_minutes=minutes)


def test_old_jobs_end_when_the_queue_arrives(tmp_path):
    """Migration 0018 fails the jobs that the threads of before left queued or running."""
    from sqlalchemy import text

    from teamroots.store import schema
    from teamroots.store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    schema.upgrade(engine, "0017")
    with engine.begin() as conn:
        for status in ("queued", "running", "done"):
            conn.execute(text(
                "INSERT INTO job (kind, status, created_by, created_at, time_limit) "
                "VALUES ('links', :s, 'boss', '2026-01-01 00:00:00', 10)"
            ), {"s": status})  # fmt: skip
    schema.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, error FROM job ORDER BY id")).all()
    engine.dispose()
    assert [r[0] for r in rows] == ["failed", "failed", "done"]
    assert "upgrade" in json.loads(rows[0][1])["msgid"]
