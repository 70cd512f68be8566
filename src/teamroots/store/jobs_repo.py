"""The job table: long work run by job workers off the queue."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from teamroots.store.tables import Job, Review, ReviewTeam


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


_ROW = [c for c in Job.__table__.c if c.name != "output"]  # a report's file is read apart


def queued_before(conn: Connection, at: datetime) -> list[int]:
    rows = conn.execute(select(Job.id).where(Job.status == "queued", Job.created_at < at))
    return [r[0] for r in rows]


def running(conn: Connection) -> list[dict]:
    rows = conn.execute(select(*_ROW).where(Job.status == "running")).mappings()
    return [dict(row) for row in rows]


def job(conn: Connection, job_id: int) -> dict | None:
    row = conn.execute(select(*_ROW).where(Job.id == job_id)).mappings().first()
    return dict(row) if row else None


def has_outputs(conn: Connection, before: datetime) -> bool:
    """Whether a job finished before ``before`` still keeps a file."""
    found = select(Job.id).where(Job.output.is_not(None), Job.finished_at < before).limit(1)
    return conn.execute(found).first() is not None


def drop_outputs(conn: Connection, before: datetime) -> int:
    """Forget the files of jobs finished before ``before``; how many."""
    done = conn.execute(
        update(Job)
        .where(Job.output.is_not(None), Job.finished_at < before)
        .values(output=None)
    )
    return done.rowcount


def output(conn: Connection, job_id: int) -> bytes | None:
    return conn.execute(select(Job.output).where(Job.id == job_id)).scalar_one_or_none()


def review_teams(conn: Connection, review_id: int) -> int | None:
    """How many teams a stored review holds (0 for a review stored as JSON only); None when
    there is no such review."""
    if conn.execute(select(Review.id).where(Review.id == review_id)).first() is None:
        return None
    return conn.execute(
        select(func.count()).select_from(ReviewTeam).where(ReviewTeam.review_id == review_id)
    ).scalar_one()


def same_job(conn: Connection, kind: str, by: str, params: dict, since: datetime) -> int | None:
    """A job of ``kind`` asked by ``by`` with the same parameters since ``since``, not failed."""
    return conn.execute(
        select(Job.id)
        .where(
            Job.kind == kind,
            Job.created_by == by,
            Job.params == json.dumps(params, ensure_ascii=False),
            Job.created_at >= since,
            Job.status != "failed",
        )
        .order_by(Job.id.desc())
        .limit(1)
    ).scalar()
