"""Long work started from the web: solving a plan, or importing a big file, runs in a
background thread while the page shows its progress (no request waits on a solver or a long
import). The job's state is in the database, so any worker process can show it; a job whose
process ended before it finished is shown as interrupted.

An import's progress is measured (bytes read); it is kept in this process while the import
holds SQLite's one writer, and also written to the job's row on PostgreSQL."""

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
IMPORT_LIMIT = 1200.0  # seconds an import may take before its job is deemed interrupted
_PROGRESS: dict[int, float] = {}  # measured progress of this process's running jobs


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
    """Import a saved upload in the background (the administrator's); the job's id. The
    upload's folder is removed when the job ends."""
    from teamroots.services import access

    access.require_admin(db, viewer, "import")
    with db.write(serialize=False) as conn:
        job_id = jobs_repo.add_job(conn, "import", viewer.name, _now(), IMPORT_LIMIT)
    worker = threading.Thread(
        target=_run_import,
        args=(db, viewer, job_id, kind, folder, path, mapping_path, dry_run),
        name=f"teamroots-job-{job_id}",
        daemon=True,
    )
    worker.start()
    return job_id


def _run_import(db, viewer, job_id, kind, folder, path, mapping_path, dry_run) -> None:
    import shutil
    import time

    with db.write(serialize=False) as conn:
        jobs_repo.set_job(conn, job_id, status="running", started_at=_now(), progress=0.0)
    shared = db.engine.dialect.name != "sqlite"  # SQLite's writer is the import itself
    last = [0.0]

    def tick(done: int, total: int) -> None:
        share = done / total if total else 0.0
        _PROGRESS[job_id] = share
        if shared and time.monotonic() - last[0] > 1.0:
            last[0] = time.monotonic()
            with db.write(serialize=False) as conn:
                jobs_repo.set_job(conn, job_id, progress=share)

    try:
        report = run_import(db, viewer, kind, path, mapping_path, dry_run, tick)
        outcome = {"status": "done", "result": json.dumps(report, ensure_ascii=False, default=str)}
    except Exception as exc:  # a job must end with a state, whatever happened
        error = {
            "msgid": N_("The import could not be done: {error}"),
            "params": {"error": str(exc)},
        }
        outcome = {"status": "failed", "error": json.dumps(error, ensure_ascii=False)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _PROGRESS.pop(job_id, None)
    with db.write(serialize=False) as conn:
        jobs_repo.set_job(conn, job_id, finished_at=_now(), progress=1.0, **outcome)


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    status: str  # queued, running, done, failed, interrupted
    progress: float  # 0..1, an estimate from the time limit while running
    elapsed: float  # seconds
    plan_id: int | None
    error: str | None  # in the current language
    result: dict | None = None  # an import's report, in the current language

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "interrupted")


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
    limit = row["time_limit"]
    if status in ("queued", "running") and (now - _aware(row["created_at"])) > timedelta(
        seconds=3 * limit + 120
    ):
        status = "interrupted"
        error = gettext("The job stopped when its server process ended; propose the plan again.")
    if row["error"]:
        stored = json.loads(row["error"])
        error = gettext(stored["msgid"], **stored.get("params", {}))
    if row["kind"] == "import":  # measured: bytes read
        progress = 1.0 if status == "done" else _PROGRESS.get(row["id"], row["progress"] or 0.0)
        result = localized(json.loads(row["result"])) if row["result"] else None
    else:  # estimated from the solver's time limit
        progress = 1.0 if status == "done" else min(0.95, elapsed / (limit + 5)) if started else 0.0
        result = None
    return JobView(row["id"], row["kind"], status, progress, elapsed, row["plan_id"], error, result)
