"""Long work started from the web: solving a plan, or importing a big file, is a job — a row
saying what to do, put on the job queue (services/queue.py) — while the page shows its progress
(no request waits on a solver or a long import). Any process can show a job: its state is in its
row, its measured progress (an import's bytes read) in the queue's heartbeat."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotAllowed, NotFound, TeamrootsError
from teamroots.i18n import N_, gettext
from teamroots.store import jobs_repo
from teamroots.store.db import Database

PLANNERS = {AccessRole.ADMIN, AccessRole.PLANT_MANAGER}
MIN_LIMIT, MAX_LIMIT = 5.0, 600.0
IMPORT_LIMIT = 1200.0  # seconds an import may take (shown; a worker's heartbeat decides)
MAX_ATTEMPTS = 2  # a job whose worker stopped runs again once, then is failed
WAITING_HINT = 120.0  # seconds queued before the page says no worker has taken it


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
    params = {"time_limit": time_limit}
    with db.write(serialize=False) as conn:
        job_id = jobs_repo.add_job(conn, kind, viewer.name, _now(), time_limit, params)
        from teamroots.store import users_repo

        users_repo.audit(conn, _now(), viewer.name, "propose", f"{kind} plan (job {job_id})", "ok")
    _enqueue(db, job_id)
    return job_id


def queue(db: Database):
    """The job queue of ``db``, whose workers do jobs as this module says."""
    from teamroots.services.queue import queue_for

    return queue_for(db, sys.modules[__name__])


def _enqueue(db: Database, job_id: int) -> None:
    queue(db).enqueue(job_id)


def start_worker_in_app(db: Database):
    """A job worker inside this (web) process; the consumer, to stop when the app stops."""
    consumer = queue(db).consumer(db.settings.worker_threads, in_app=True)
    consumer.start()
    return consumer


def run_worker(db: Database, threads: int) -> None:
    """Run a job worker until SIGINT or SIGTERM (``teamroots worker``)."""
    queue(db).consumer(threads, in_app=False).run()


def claim(db: Database, job_id: int, worker: str) -> dict | None:
    """Take a queued job for ``worker``: its row, or None when it is not queued any more (one
    worker only ever wins)."""
    with db.write(serialize=False) as conn:
        if not jobs_repo.claim(conn, job_id, worker, _now()):
            return None
        return jobs_repo.job(conn, job_id)


def running(db: Database) -> list[dict]:
    with db.read() as conn:
        return jobs_repo.running(conn)


def started_epoch(row: dict) -> float:
    return _aware(row["started_at"] or row["created_at"]).timestamp()


def stopped(db: Database, row: dict) -> str | None:
    """A running job whose worker stopped: queued again, or failed once it has been started
    ``MAX_ATTEMPTS`` times (its upload removed). What was done, or None when another process
    saw to it first."""
    if row["attempts"] < MAX_ATTEMPTS:
        with db.write(serialize=False) as conn:
            return "queued" if jobs_repo.requeue(conn, row["id"], row["attempts"]) else None
    error = {
        "msgid": N_(
            "The worker doing this job stopped, {times} times, before it finished; nothing it "
            "was writing was kept. Start it again."
        ),
        "params": {"times": row["attempts"]},
    }
    with db.write(serialize=False) as conn:
        ended = jobs_repo.end_running(
            conn,
            row["id"],
            row["attempts"],
            status="failed",
            finished_at=_now(),
            error=json.dumps(error, ensure_ascii=False),
        )
    if ended:
        _remove_upload(row)
    return "failed" if ended else None


def _remove_upload(row: dict) -> None:
    params = json.loads(row["params"] or "{}")
    if params.get("folder"):
        shutil.rmtree(params["folder"], ignore_errors=True)


def run(db: Database, row: dict, tick) -> None:
    """Do a claimed job and store how it ended, whatever happened."""
    params = json.loads(row["params"] or "{}")
    if row["kind"] == "import":
        outcome = _do_import(db, params, tick)
        _remove_upload(row)
    else:
        outcome = _do_plan(db, row["kind"], params.get("time_limit", row["time_limit"]))
    with db.write(serialize=False) as conn:
        jobs_repo.set_job(conn, row["id"], finished_at=_now(), **outcome)


def _do_plan(db: Database, kind: str, time_limit: float) -> dict:
    try:
        view = _solvers()[kind](db, time_limit=time_limit)
        return {"status": "done", "plan_id": view.id}
    except TeamrootsError as exc:
        error = {"msgid": exc.msgid, "params": exc.params}
        return {"status": "failed", "error": json.dumps(error, ensure_ascii=False, default=str)}
    except Exception as exc:  # a job must end with a state, whatever happened
        error = {"msgid": N_("The plan could not be made: {error}"), "params": {"error": str(exc)}}
        return {"status": "failed", "error": json.dumps(error, ensure_ascii=False)}


def import_report(kind: str, dry_run: bool, file: str, outcome=None, exc=None) -> dict:
    """What an import did, as data (messages as msgid and params, rendered in the reader's
    language with ``i18n.localized``): its counts, or why nothing was imported with every
    problem by row and column (the first ``SHOWN_PROBLEMS``)."""
    from teamroots.errors import ImportProblems
    from teamroots.i18n import message

    report: dict = {"kind": kind, "dry_run": dry_run, "file": file, "error": None}
    report.update(problems=[], more=0, outcome=None)
    if exc is not None:
        report["error"] = message(exc.msgid, **exc.params)
        if isinstance(exc, ImportProblems):
            report["problems"] = [
                {
                    "row": p.row,
                    "column": p.column,
                    "value": p.value,
                    "expected": message(p.expected, **dict(p.params)),
                }
                for p in exc.problems[:SHOWN_PROBLEMS]
            ]
            report["more"] = max(0, len(exc.problems) - SHOWN_PROBLEMS)
        return report
    report["outcome"] = {
        "rows": outcome.rows,
        "inserted": outcome.inserted,
        "updated": outcome.updated,
        "same": outcome.rows - outcome.inserted - outcome.updated,
        "warnings": len(outcome.warnings) + outcome.more_warnings,
    }
    return report


SHOWN_PROBLEMS = 200


def run_import(
    db: Database, viewer: Viewer, kind: str, path, mapping_path, dry_run: bool, tick=None
):
    """An upload imported (or checked) as the viewer; its report, whatever happened."""
    from teamroots.services import census

    try:
        outcome = census.import_upload(
            db, viewer, kind, path, mapping_path, dry_run=dry_run, progress=tick
        )
    except TeamrootsError as exc:
        return import_report(kind, dry_run, path.name, exc=exc)
    return import_report(kind, dry_run, path.name, outcome=outcome)


def start_import(
    db: Database, viewer: Viewer, kind: str, folder, path, mapping_path, dry_run: bool
) -> int:
    """Import a saved upload on the job queue (the administrator's); the job's id. The
    upload's folder is removed when the job ends (workers run on the app's host, or share its
    temporary folder)."""
    from teamroots.services import access

    access.require_admin(db, viewer, "import")
    params = {
        "viewer": {**asdict(viewer), "role": viewer.role.value},
        "kind": kind,
        "folder": str(folder),
        "path": str(path),
        "mapping": str(mapping_path) if mapping_path else None,
        "dry_run": dry_run,
    }
    with db.write(serialize=False) as conn:
        job_id = jobs_repo.add_job(conn, "import", viewer.name, _now(), IMPORT_LIMIT, params)
    _enqueue(db, job_id)
    return job_id


def _do_import(db: Database, params: dict, tick) -> dict:
    from pathlib import Path

    who = params["viewer"]
    viewer = Viewer(**{**who, "role": AccessRole(who["role"])})
    mapping = Path(params["mapping"]) if params.get("mapping") else None
    try:
        report = run_import(
            db, viewer, params["kind"], Path(params["path"]), mapping, params["dry_run"], tick
        )
        return {
            "status": "done",
            "progress": 1.0,
            "result": json.dumps(report, ensure_ascii=False, default=str),
        }
    except Exception as exc:  # a job must end with a state, whatever happened
        error = {
            "msgid": N_("The import could not be done: {error}"),
            "params": {"error": str(exc)},
        }
        return {"status": "failed", "error": json.dumps(error, ensure_ascii=False)}


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    status: str  # queued, running, done, failed
    progress: float  # 0..1, an estimate from the time limit while running
    elapsed: float  # seconds
    plan_id: int | None
    error: str | None  # in the current language
    result: dict | None = None  # an import's report, in the current language

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def job_view(db: Database, viewer: Viewer, job_id: int) -> JobView:
    """A job as its page shows it: plans for planners, imports for administrators only."""
    from teamroots.i18n import localized

    if viewer.role not in PLANNERS:
        raise NotFound("There is no job {job}.", job=job_id)
    with db.read() as conn:
        row = jobs_repo.job(conn, job_id)
    if row is None or (row["kind"] == "import" and viewer.role is not AccessRole.ADMIN):
        raise NotFound("There is no job {job}.", job=job_id)
    now = _now()
    started = _aware(row["started_at"])
    ended = _aware(row["finished_at"])
    elapsed = ((ended or now) - started).total_seconds() if started else 0.0
    status, error = row["status"], None
    if status == "queued" and (now - _aware(row["created_at"])).total_seconds() > WAITING_HINT:
        error = gettext(
            "No job worker has taken this job yet. Is a worker running ('teamroots worker', "
            "or TEAMROOTS_WORKER_IN_APP on the web app)?"
        )
    if row["error"]:
        stored = json.loads(row["error"])
        error = gettext(stored["msgid"], **stored.get("params", {}))
    limit = row["time_limit"]
    if row["kind"] == "import":  # measured: bytes read, from the worker's heartbeat
        beat = queue(db).state(row["id"]) if status == "running" else None
        measured = beat.get("progress") if beat else None
        progress = 1.0 if status == "done" else measured or row["progress"] or 0.0
        result = localized(json.loads(row["result"])) if row["result"] else None
    else:  # estimated from the solver's time limit
        progress = 1.0 if status == "done" else min(0.95, elapsed / (limit + 5)) if started else 0.0
        result = None
    return JobView(row["id"], row["kind"], status, progress, elapsed, row["plan_id"], error, result)
