"""The job table: long work started from the web."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from teamroots.store.tables import Job


def add_job(conn: Connection, kind: str, by: str, at: datetime, time_limit: float) -> int:
    return conn.execute(
        insert(Job)
        .values(kind=kind, status="queued", created_by=by, created_at=at, time_limit=time_limit)
        .returning(Job.id)
    ).scalar_one()


def set_job(conn: Connection, job_id: int, **values) -> None:
    conn.execute(update(Job).where(Job.id == job_id).values(**values))


def job(conn: Connection, job_id: int) -> dict | None:
    row = conn.execute(select(Job.__table__).where(Job.id == job_id)).mappings().first()
    return dict(row) if row else None
