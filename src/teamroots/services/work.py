"""What each kind of job does (services/jobs.py queues them): solve a plan, import an upload,
render a report — from the job's parameters to its row's outcome, whatever happens. Also what
the web does with a small upload or report at once, the same way."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import NotFound, TeamrootsError
from teamroots.i18n import N_
from teamroots.store.db import Database


def viewer_params(viewer: Viewer) -> dict:
    return {**asdict(viewer), "role": viewer.role.value}


def viewer_of(params: dict) -> Viewer:
    return Viewer(**{**params, "role": AccessRole(params["role"])})


def _failed(msgid: str, error: Exception) -> dict:
    stored = {"msgid": msgid, "params": {"error": str(error)}}
    return {"status": "failed", "error": json.dumps(stored, ensure_ascii=False)}


def _refused(exc: TeamrootsError) -> dict:
    stored = {"msgid": exc.msgid, "params": exc.params}
    return {"status": "failed", "error": json.dumps(stored, ensure_ascii=False, default=str)}


def solvers():
    from teamroots.services import plans

    return {
        "leaders": plans.plan_leaders,
        "training": plans.plan_training,
        "links": plans.plan_links,
    }


def do_plan(db: Database, kind: str, time_limit: float) -> dict:
    try:
        view = solvers()[kind](db, time_limit=time_limit)
        return {"status": "done", "plan_id": view.id}
    except TeamrootsError as exc:
        return _refused(exc)
    except Exception as exc:  # a job must end with a state, whatever happened
        return _failed(N_("The plan could not be made: {error}"), exc)


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


def do_import(db: Database, params: dict, tick) -> dict:
    from pathlib import Path

    try:
        viewer = viewer_of(params["viewer"])
        mapping = Path(params["mapping"]) if params.get("mapping") else None
        report = run_import(
            db, viewer, params["kind"], Path(params["path"]), mapping, params["dry_run"], tick
        )
        return {
            "status": "done",
            "progress": 1.0,
            "result": json.dumps(report, ensure_ascii=False, default=str),
        }
    except Exception as exc:  # a job must end with a state, whatever happened
        return _failed(N_("The import could not be done: {error}"), exc)




@dataclass(frozen=True)
class Rendered:
    body: bytes
    media: str
    name: str


REPORT_FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def render_report(db: Database, viewer: Viewer, review_id: int, fmt: str, lang: str) -> Rendered:
    """A review's report as the CLI writes it, with only the viewer's teams, in ``lang``."""
    from teamroots.services import access

    if fmt not in REPORT_FORMATS:
        raise NotFound("There is no download as {format}.", format=fmt)
    got = access.report_inputs(db, viewer, review_id)
    if fmt == "pdf":
        from teamroots.report.pdf import render_pdf

        body = render_pdf(got.document, lang, got.plans, got.history)
    else:
        from teamroots.report.html import render_report as html

        body = html(got.document, lang, got.plans, got.history).encode("utf-8")
    return Rendered(body, REPORT_FORMATS[fmt], f"teamroots-review-{review_id}-{lang}.{fmt}")


def do_report(db: Database, params: dict) -> dict:
    try:
        made = render_report(
            db, viewer_of(params["viewer"]), params["review_id"], params["fmt"], params["lang"]
        )
    except TeamrootsError as exc:
        return _refused(exc)
    except Exception as exc:  # a job must end with a state, whatever happened
        return _failed(N_("The report could not be written: {error}"), exc)
    meta = {"name": made.name, "media": made.media}
    return {"status": "done", "progress": 1.0, "output": made.body, "result": json.dumps(meta)}
