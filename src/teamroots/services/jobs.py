"""Long work started from the web: solving a plan runs in a background thread while the page
shows its progress (no request waits on a solver). The job's state is in the database, so any
worker process can show it; a job whose process ended before it finished is shown as
interrupted."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotAllowed, NotFound, TeamrootsError
from teamroots.i18n import N_, gettext
from teamroots.store import jobs_repo
from teamroots.store.db import Database

PLANNERS = {AccessRole.ADMIN, AccessRole.PLANT_MANAGER}
MIN_LIMIT, MAX_LIMIT = 5.0, 600.0


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo:
        return value
    return value.replace(tzinfo=UTC)


def _solvers():
    from teamroots.services import plans

    return {
        "leaders": plans.plan_leaders,
        "training": plans.plan_training,
        "links": plans.plan_links,
    }


def start_plan(db: Database, viewer: Viewer, kind: str, time_limit: float) -> int:
    """Start solving a plan of ``kind`` in the background; the job's id."""
    if viewer.role not in PLANNERS:
        raise NotAllowed("Only a plant manager or an administrator proposes plans.")
    if kind not in _solvers():
        raise InvalidRequest(
            "Unknown plan kind '{kind}'; use one of: {kinds}.",
            kind=kind,
            kinds=", ".join(_solvers()),
        )
    if not MIN_LIMIT <= time_limit <= MAX_LIMIT:
        raise InvalidRequest(
            "A time limit between {low:g} and {high:g} seconds, please.",
            low=MIN_LIMIT,
            high=MAX_LIMIT,
        )
    with db.write(serialize=False) as conn:
        job_id = jobs_repo.add_job(conn, kind, viewer.name, _now(), time_limit)
        from teamroots.store import users_repo

        users_repo.audit(conn, _now(), viewer.name, "propose", f"{kind} plan (job {job_id})", "ok")
    worker = threading.Thread(
        target=_run,
        args=(db, job_id, kind, time_limit),
        name=f"teamroots-job-{job_id}",
        daemon=True,
    )
    worker.start()
    return job_id


def _run(db: Database, job_id: int, kind: str, time_limit: float) -> None:
    with db.write(serialize=False) as conn:
        jobs_repo.set_job(conn, job_id, status="running", started_at=_now())
    try:
        view = _solvers()[kind](db, time_limit=time_limit)
        outcome = {"status": "done", "plan_id": view.id}
    except TeamrootsError as exc:
        error = {"msgid": exc.msgid, "params": exc.params}
        outcome = {"status": "failed", "error": json.dumps(error, ensure_ascii=False, default=str)}
    except Exception as exc:  # a job must end with a state, whatever happened
        error = {"msgid": N_("The plan could not be made: {error}"), "params": {"error": str(exc)}}
        outcome = {"status": "failed", "error": json.dumps(error, ensure_ascii=False)}
    with db.write(serialize=False) as conn:
        jobs_repo.set_job(conn, job_id, finished_at=_now(), **outcome)


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    status: str  # queued, running, done, failed, interrupted
    progress: float  # 0..1, an estimate from the time limit while running
    elapsed: float  # seconds
    plan_id: int | None
    error: str | None  # in the current language

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "interrupted")


def job_view(db: Database, viewer: Viewer, job_id: int) -> JobView:
    if viewer.role not in PLANNERS:
        raise NotFound("There is no job {job}.", job=job_id)
    with db.read() as conn:
        row = jobs_repo.job(conn, job_id)
    if row is None:
        raise NotFound("There is no job {job}.", job=job_id)
    now = _now()
    started = _aware(row["started_at"])
    ended = _aware(row["finished_at"])
    elapsed = ((ended or now) - started).total_seconds() if started else 0.0
    status, error = row["status"], None
    limit = row["time_limit"]
    if status in ("queued", "running") and (now - _aware(row["created_at"])) > timedelta(
        seconds=3 * limit + 120
    ):
        status = "interrupted"
        error = gettext("The job stopped when its server process ended; propose the plan again.")
    if row["error"]:
        stored = json.loads(row["error"])
        error = gettext(stored["msgid"], **stored.get("params", {}))
    progress = 1.0 if status == "done" else min(0.95, elapsed / (limit + 5)) if started else 0.0
    return JobView(row["id"], row["kind"], status, progress, elapsed, row["plan_id"], error)
