"""Plans, their background jobs, and reviews with their reports: list, propose (solved in the
background), change, approve; every read through services.access, the one scope check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from teamroots import services
from teamroots.domain.rows import Viewer
from teamroots.i18n import _, localized
from teamroots.services import Database
from teamroots.web import deps
from teamroots.web.render import render

router = APIRouter()


@router.get("/plans", include_in_schema=False)
def plans(
    request: Request,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    from teamroots.report.plans import history_rows

    lang = deps.language(request)
    with deps.speaking(lang):
        rows = history_rows([vars(p) for p in services.access.plan_list(db, viewer)])
    return render(request, lang, "plan_list.html.j2", rows=rows)


@router.get("/plans/new", include_in_schema=False)
async def new_plan(request: Request, viewer: Viewer = Depends(deps.viewer)):
    from teamroots.errors import NotAllowed

    if viewer.role not in services.jobs.PLANNERS:
        raise NotAllowed("Only a plant manager or an administrator proposes plans.")
    return render(request, deps.language(request), "plan_new.html.j2")


@router.post("/plans/new", include_in_schema=False)
def start_plan(
    kind: str = Form(...),
    time_limit: float = Form(30.0),
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    job_id = services.jobs.start_plan(db, session.viewer, kind, time_limit)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}", include_in_schema=False)
@router.get("/jobs/{job_id}/status", include_in_schema=False)
async def job(
    request: Request,
    job_id: int,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    """A job's page; its progress part alone at .../status (htmx polls it while it runs)."""
    lang = deps.language(request)
    with deps.speaking(lang):
        view = services.jobs.job_view(db, viewer, job_id)
    part = request.url.path.endswith("/status")
    return render(request, lang, "_job_status.html.j2" if part else "job.html.j2", job=view)


@router.get("/plans/{plan_id}", include_in_schema=False)
def plan(
    request: Request,
    plan_id: int,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    return _plan_page(request, db, viewer, plan_id)


def _plan_page(request: Request, db: Database, viewer: Viewer, plan_id: int, **extra):
    from teamroots.report.html import texts
    from teamroots.report.plans import plans_context

    lang = deps.language(request)
    view = services.access.plan_view(db, viewer, plan_id)
    with deps.speaking(lang):
        context = plans_context({view.kind.value: localized(view.document)})[view.kind.value]
        labels = texts()
        calendar = _calendar(view.document) if view.kind.value == "training" else []
    q = request.query_params
    return render(
        request,
        lang,
        "plan.html.j2",
        status=422 if extra.get("error") else 200,
        kind=view.kind.value,
        plan=context,
        t=labels,
        plan_id=plan_id,
        calendar=calendar,
        proposed=view.approval is not None and view.approval.value == "proposed",
        may_approve=services.access.may_approve(viewer),
        done=q.get("approved") == "1",
        edited=q.get("edited") == "1",
        error=extra.get("error"),
        broken=extra.get("broken") or [],
    )


def _calendar(document: dict[str, Any]) -> list[dict[str, Any]]:
    """A training plan's batches as a calendar: one block per month, a cell per day, each
    batch on its day with how many leaders it takes."""
    import calendar as cal
    from datetime import date

    from teamroots.i18n import month as month_text

    batches: dict[date, list[dict]] = {}
    for i, b in enumerate(document.get("batches") or [], 1):
        batches.setdefault(date.fromisoformat(b["date"]), []).append(
            {"batch": b.get("batch", i), "count": len(b.get("leaders") or [])}
        )
    months = sorted({(d.year, d.month) for d in batches})
    out = []
    for year, month in months:
        weeks = []
        for week in cal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append(
                [
                    {"day": d.day, "batches": batches.get(d, [])}
                    if d.month == month
                    else {"day": None, "batches": []}  # another month's day: blank
                    for d in week
                ]
            )
        out.append({"title": month_text(date(year, month, 1)), "weeks": weeks})
    return out


@router.post("/plans/{plan_id}/edit", include_in_schema=False)
def edit_plan(
    request: Request,
    plan_id: int,
    team: str = Form(""),
    person: str = Form(""),
    core: str = Form(""),
    batch: str = Form(""),
    cadre: str = Form(""),
    advanced: str = Form(""),
    backward: str = Form(""),
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    """One change to a proposed plan: a team's new leader or core, a leader's batch, or a
    cadre's teams. The plan is checked again; what it breaks is listed and nothing changes."""
    from teamroots.errors import BrokenRules, InvalidRequest, NotAllowed, TeamrootsError
    from teamroots.services.plan_changes import parse_edits

    viewer = session.viewer
    lang = deps.language(request)
    f = {
        k: v.strip()
        for k, v in dict(
            team=team,
            person=person,
            core=core,
            batch=batch,
            cadre=cadre,
            advanced=advanced,
            backward=backward,
        ).items()
    }
    edits: dict[str, list[str]] = {"leader": [], "core": [], "batch": [], "link": []}
    if f["team"] and f["person"]:
        edits["leader"].append(f"{f['team']}={f['person']}")
    if f["team"] and f["core"]:
        edits["core"].append(f"{f['team']}={f['core']}")
    if f["person"] and f["batch"]:
        edits["batch"].append(f"{f['person']}={f['batch']}")
    if f["cadre"]:
        edits["link"].append(f"{f['cadre']}={f['advanced'] or '-'}/{f['backward'] or '-'}")
    services.access.plan_view(db, viewer, plan_id)  # a plan out of scope: 404, as ever
    try:
        if not any(edits.values()):
            raise InvalidRequest("Fill in the change to make: every field of one line.")
        services.access.edit_plan(db, viewer, plan_id, parse_edits(**edits))
    except BrokenRules as exc:
        with deps.speaking(lang):
            broken = [
                {"rule": v.constraint, "team": v.team or "—", "detail": v.detail}
                for v in exc.violations
            ]
            text = _(
                "The change breaks {n} rule(s) of the plan; nothing was changed.", n=len(broken)
            )
        return _plan_page(request, db, viewer, plan_id, error=text, broken=broken)
    except NotAllowed:
        raise
    except TeamrootsError as exc:  # a code that does not exist, a plan no longer proposed…
        return _plan_page(request, db, viewer, plan_id, error=deps.translated(exc, lang))
    return RedirectResponse(f"/plans/{plan_id}?edited=1", status_code=303)


@router.post("/plans/{plan_id}/approve", include_in_schema=False)
def approve(
    plan_id: int,
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    services.access.approve_plan(db, session.viewer, plan_id)
    return RedirectResponse(f"/plans/{plan_id}?approved=1", status_code=303)


@router.get("/reviews", include_in_schema=False)
def reviews(
    request: Request,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    """Every review (摸底排队 run), newest first, each with its report to open or download."""
    return render(
        request,
        deps.language(request),
        "reviews.html.j2",
        reviews=services.access.review_list(db, viewer),
    )


@router.get("/reviews/{review_id}/report.{fmt}", include_in_schema=False)
def report(
    request: Request,
    review_id: int,
    fmt: str,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    """A review's report, as the CLI writes it, with only the viewer's teams: HTML to read in
    the browser, or ?download=1 to save it; PDF to print or send. A large review's report is
    written by a job worker: this page offers to start it."""
    lang = deps.language(request)
    if services.reports.report_is_large(db, viewer, review_id):
        return render(request, lang, "report_job.html.j2", review=review_id, fmt=fmt)
    made = services.work.render_report(db, viewer, review_id, fmt, lang)
    return _report_response(request, made.body, made.media, made.name)


@router.post("/reviews/{review_id}/report.{fmt}", include_in_schema=False)
def start_report(
    request: Request,
    review_id: int,
    fmt: str,
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    lang = deps.language(request)
    job_id = services.reports.start_report(db, session.viewer, review_id, fmt, lang)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}/report", include_in_schema=False)
def job_report(
    request: Request,
    job_id: int,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    body, meta = services.reports.report_output(db, viewer, job_id)
    return _report_response(request, body, meta["media"], meta["name"])


def _report_response(request: Request, body: bytes, media: str, name: str) -> Response:
    pdf = media == "application/pdf"
    disposition = "attachment" if pdf or request.query_params.get("download") else "inline"
    headers = {
        "Content-Disposition": f'{disposition}; filename="{name}"',
        # the report is one self-contained file (its styles inline, no script): it may use
        # its own styles and nothing else, sandboxed
        "Content-Security-Policy": REPORT_CSP,
    }
    return Response(body, media_type=media, headers=headers)


REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox"
)
