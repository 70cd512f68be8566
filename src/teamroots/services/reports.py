"""Reports of large reviews, written by a job worker (services/work.py renders them): the
offer, the job, and the file for its asker."""

from __future__ import annotations

import json
from datetime import timedelta

from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import NotFound
from teamroots.services import jobs, work
from teamroots.store import jobs_repo
from teamroots.store.db import Database

REPORT_LIMIT = 120.0  # seconds a report is expected to take (its progress is estimated)


def start_report(db: Database, viewer: Viewer, review_id: int, fmt: str, lang: str) -> int:
    """Render a review's report on the job queue (a large review's: ``report_is_large``);
    the job's id. Its asker downloads it from the job's page. The same report asked again
    within the hour, by the same user, is the same job."""
    if fmt not in work.REPORT_FORMATS:
        raise NotFound("There is no download as {format}.", format=fmt)
    report_is_large(db, viewer, review_id)  # NotFound for members and missing reviews
    params = {"viewer": work.viewer_params(viewer), "review_id": review_id}
    params.update(fmt=fmt, lang=lang)
    with db.write(serialize=False) as conn:
        since = jobs.now() - timedelta(hours=1)
        same = jobs_repo.same_job(conn, "report", viewer.name, params, since)
        if same is not None:
            return same
        job_id = jobs_repo.add_job(conn, "report", viewer.name, jobs.now(), REPORT_LIMIT, params)
    jobs.enqueue(db, job_id)
    return job_id


def report_is_large(db: Database, viewer: Viewer, review_id: int) -> bool:
    """Whether a review holds more than ``TEAMROOTS_REPORT_JOB_TEAMS`` teams, so that its
    report is rendered on the queue; NotFound for a member (reviews are about teams) and for
    a review that does not exist. Reviews stored as JSON only (before migration 0017) count
    no teams: theirs are rendered at once."""
    with db.read() as conn:
        teams = jobs_repo.review_teams(conn, review_id)
    if viewer.role is AccessRole.MEMBER or teams is None:
        raise NotFound("There is no review {review}.", review=review_id)
    return teams > db.settings.report_job_teams


def report_output(db: Database, viewer: Viewer, job_id: int) -> tuple[bytes, dict]:
    """A finished report job's file and its name and type, for its asker only, for
    ``jobs.REPORT_KEEP_DAYS``."""
    with db.read() as conn:
        row = jobs_repo.job(conn, job_id)
        if not jobs.may_see(viewer, row) or row["kind"] != "report" or row["status"] != "done":
            raise NotFound("There is no job {job}.", job=job_id)
        body = jobs_repo.output(conn, job_id)
    if body is None:
        raise NotFound(
            "The report of job {job} is kept {days} days and is gone; write it again.",
            job=job_id,
            days=jobs.REPORT_KEEP_DAYS,
        )
    return body, json.loads(row["result"])
