"""Long work started from the web: solving a plan, importing a big file, rendering a large
report is a job — a row saying what to do, put on the job queue (services/queue.py; what each
kind does is services/work.py) — while the page shows its progress (no request waits on a
solver, a long import or a report). Any process can show a job: its state is in its row, its
measured progress (an import's bytes read) in the queue's heartbeat."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotAllowed, NotFound, TeamrootsError
from teamroots.i18n import N_, gettext
from teamroots.services import work
from teamroots.store import jobs_repo
from teamroots.store.db import Database

PLANNERS = {AccessRole.ADMIN, AccessRole.PLANT_MANAGER}
MIN_LIMIT, MAX_LIMIT = 5.0, 600.0
IMPORT_LIMIT = 1200.0  # seconds an import may take (shown; a worker's heartbeat decides)
REPORT_KEEP_DAYS = 7  # a rendered report's file is kept this long for its asker
MAX_ATTEMPTS = 2  # a job whose worker stopped runs again once, then is failed
WAITING_HINT = 120.0  # seconds queued before the page says no worker has taken it


def now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo:
        return value
    return value.replace(tzinfo=UTC)


def start_plan(db: Database, viewer: Viewer, kind: str, time_limit: float) -> int:
    """Start solving a plan of ``kind`` in the background; the job's id."""
    if viewer.role not in PLANNERS:
        raise NotAllowed("Only a plant manager or an administrator proposes plans.")
    if kind not in work.solvers():
        raise InvalidRequest(
            "Unknown plan kind '{kind}'; use one of: {kinds}.",
            kind=kind,
            kinds=", ".join(work.solvers()),
        )
    if not MIN_LIMIT <= time_limit <= MAX_LIMIT:
        raise InvalidRequest(
            "A time limit between {low:g} and {high:g} seconds, please.",
            low=MIN_LIMIT,
            high=MAX_LIMIT,
        )
    params = {"time_limit": time_limit}
    with db.write(serialize=False) as conn:
        job_id = jobs_repo.add_job(conn, kind, viewer.name, now(), time_limit, params)
        from teamroots.store import users_repo

        users_repo.audit(conn, now(), viewer.name, "propose", f"{kind} plan (job {job_id})", "ok")
    enqueue(db, job_id)
    return job_id


def queue(db: Database):
    """The job queue of ``db``, whose workers do jobs as this module says."""
    from teamroots.services.queue import queue_for

    return queue_for(db, sys.modules[__name__])


def enqueue(db: Database, job_id: int) -> None:
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
        if not jobs_repo.claim(conn, job_id, worker, now()):
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
            finished_at=now(),
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
    """Do a claimed job and store how it ended, whatever happened — unless the job is no
    longer this run's (the watch gave it to another worker): then this run's outcome is
    dropped and the upload left to that worker."""
    import time

    params = json.loads(row["params"] or "{}")
    if row["kind"] == "import":
        outcome = work.do_import(db, params, tick)
    elif row["kind"] == "report":
        outcome = work.do_report(db, params)
    else:
        outcome = work.do_plan(db, row["kind"], params.get("time_limit", row["time_limit"]))
    for attempt in range(5):  # the final write waits out a busy database a few times
        try:
            with db.write(serialize=False) as conn:
                mine = jobs_repo.end_running(
                    conn, row["id"], row["attempts"], finished_at=now(), **outcome
                )
            break
        except TeamrootsError:
            if attempt == 4:
                raise
            time.sleep(2.0 * (attempt + 1))
    if mine:
        _remove_upload(row)


def stuck(db: Database, older_than: float) -> list[int]:
    """Jobs queued more than ``older_than`` seconds ago (the watch queues those again that
    the queue no longer holds: a task lost between saving the row and queuing it, or
    dropped by a worker that could not claim its row)."""
    since = now() - timedelta(seconds=older_than)
    with db.read() as conn:
        return jobs_repo.queued_before(conn, since)


def start_import(
    db: Database, viewer: Viewer, kind: str, folder, path, mapping_path, dry_run: bool
) -> int:
    """Import a saved upload on the job queue (the administrator's); the job's id. The
    upload's folder is removed when the job ends (workers run on the app's host, or share its
    temporary folder)."""
    from teamroots.services import access

    access.require_admin(db, viewer, "import")
    params = {
        "viewer": work.viewer_params(viewer),
        "kind": kind,
        "folder": str(folder),
        "path": str(path),
        "mapping": str(mapping_path) if mapping_path else None,
        "dry_run": dry_run,
    }
    with db.write(serialize=False) as conn:
        job_id = jobs_repo.add_job(conn, "import", viewer.name, now(), IMPORT_LIMIT, params)
    enqueue(db, job_id)
    return job_id


def forget_old_reports(db: Database) -> int:
    """Drop the files of reports rendered more than ``REPORT_KEEP_DAYS`` ago; how many. The
    writer is taken only when there is one (the watch runs this every minute)."""
    before = now() - timedelta(days=REPORT_KEEP_DAYS)
    with db.read() as conn:
        if not jobs_repo.has_outputs(conn, before):
            return 0
    with db.write(serialize=False) as conn:
        return jobs_repo.drop_outputs(conn, before)


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    status: str  # queued, running, done, failed
    progress: float  # 0..1, an estimate from the time limit while running
    elapsed: float  # seconds
    plan_id: int | None
    error: str | None  # in the current language
    result: dict | None = None  # an import's report, in the current language; a report's name

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def may_see(viewer: Viewer, row: dict | None) -> bool:
    """Plans are the planners', imports the administrators', a report its asker's (it holds
    the asker's teams only)."""
    if row is None:
        return False
    if row["kind"] == "report":
        return row["created_by"] == viewer.name
    if row["kind"] == "import":
        return viewer.role is AccessRole.ADMIN
    return viewer.role in PLANNERS


def job_view(db: Database, viewer: Viewer, job_id: int) -> JobView:
    """A job as its page shows it, to those who may see it (``_may_see``)."""
    from teamroots.i18n import localized

    with db.read() as conn:
        row = jobs_repo.job(conn, job_id)
    if not may_see(viewer, row):
        raise NotFound("There is no job {job}.", job=job_id)
    at = now()
    started = _aware(row["started_at"])
    ended = _aware(row["finished_at"])
    elapsed = ((ended or at) - started).total_seconds() if started else 0.0
    status, error = row["status"], None
    if status == "queued" and (at - _aware(row["created_at"])).total_seconds() > WAITING_HINT:
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
    else:  # estimated from the solver's (or the report's) time limit
        progress = 1.0 if status == "done" else min(0.95, elapsed / (limit + 5)) if started else 0.0
        result = json.loads(row["result"]) if row["kind"] == "report" and row["result"] else None
    return JobView(row["id"], row["kind"], status, progress, elapsed, row["plan_id"], error, result)
