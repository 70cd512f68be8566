"""The job table: long work run by job workers off the queue."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from teamroots.store.tables import Job


def add_job(
    conn: Connection, kind: str, by: str, at: datetime, time_limit: float, params: dict
) -> int:
    return conn.execute(
        insert(Job)
        .values(
            kind=kind,
            status="queued",
            created_by=by,
            created_at=at,
            time_limit=time_limit,
            params=json.dumps(params, ensure_ascii=False),
            attempts=0,
        )
        .returning(Job.id)
    ).scalar_one()


def set_job(conn: Connection, job_id: int, **values) -> None:
    conn.execute(update(Job).where(Job.id == job_id).values(**values))


def claim(conn: Connection, job_id: int, worker: str, at: datetime) -> bool:
    """Mark a queued job running for ``worker``; False when it was not queued (taken)."""
    done = conn.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(status="running", started_at=at, worker=worker, attempts=Job.attempts + 1)
    )
    return done.rowcount == 1


def requeue(conn: Connection, job_id: int, attempts: int) -> bool:
    """A running job (started ``attempts`` times) back to queued; False if it moved on."""
    done = conn.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running", Job.attempts == attempts)
        .values(status="queued", worker=None)
    )
    return done.rowcount == 1


def end_running(conn: Connection, job_id: int, attempts: int, **values) -> bool:
    done = conn.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "running", Job.attempts == attempts)
        .values(**values)
    )
    return done.rowcount == 1


def running(conn: Connection) -> list[dict]:
    rows = conn.execute(select(Job.__table__).where(Job.status == "running")).mappings()
    return [dict(row) for row in rows]


def job(conn: Connection, job_id: int) -> dict | None:
    row = conn.execute(select(Job.__table__).where(Job.id == job_id)).mappings().first()
    return dict(row) if row else None
