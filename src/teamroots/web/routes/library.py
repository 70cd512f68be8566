"""The experience library on the web: search (live with htmx, a permalink without), an entry
with its KPIs before and after, publishing a case study of a team, and a team taking one up."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from teamroots import services
from teamroots.assess.diagnosis import LABELS as DIAGNOSES
from teamroots.domain.rows import Viewer
from teamroots.errors import NotAllowed, NotFound, TeamrootsError
from teamroots.services import Database
from teamroots.track.experience import KIND_NAMES, PERIOD_WEEKS, Kind
from teamroots.web import deps
from teamroots.web.render import render

router = APIRouter()
SHOWN_KPIS = ("completion", "attendance_rate", "on_target_share", "incidents_per_100")


@router.get("/library", include_in_schema=False)
def library(
    request: Request,
    q: str = "",
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    return render(
        request,
        deps.language(request),
        "library.html.j2",
        q=q,
        entries=services.experience.search(db, q),
        kind_names=KIND_NAMES,
        publishes=viewer.role in services.experience.PUBLISHERS,
    )


def _form(request, db, viewer, code, status=200, error=None, values=None):
    team = services.access.visible_team(db, viewer, code)
    if viewer.role not in services.experience.PUBLISHERS:
        raise NotFound("There is no team {code}.", code=code)
    started = (date.today() - timedelta(weeks=PERIOD_WEEKS)).isoformat()
    return render(
        request,
        deps.language(request),
        "library_new.html.j2",
        status=status,
        team=team,
        kinds=list(Kind),
        kind_names=KIND_NAMES,
        diagnoses=DIAGNOSES,
        error=error,
        values=values or {},
        started=started,
    )


@router.get("/teams/{code}/experience", include_in_schema=False)
def new_entry(
    request: Request,
    code: str,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    return _form(request, db, viewer, code)


@router.post("/teams/{code}/experience", include_in_schema=False)
async def publish(
    request: Request,
    code: str,
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if k not in ("csrf", "diagnosis")}
    diagnosis = [str(v) for v in form.getlist("diagnosis")]
    lang = deps.language(request)
    try:
        started = date.fromisoformat(values.get("started", ""))
        entry = services.experience.publish(
            db, session.viewer, code, values.get("kind", "case"), values.get("title", ""),
            values, diagnosis, started,
        )  # fmt: skip
    except ValueError:
        with deps.speaking(lang):
            from teamroots.errors import InvalidRequest

            text = deps.translated(InvalidRequest("A date like 2026-03-05, please."), lang)
        return _form(request, db, session.viewer, code, 422, text, values)
    except (NotFound, NotAllowed):
        raise
    except TeamrootsError as exc:
        return _form(request, db, session.viewer, code, 422, deps.translated(exc, lang), values)
    return RedirectResponse(f"/library/{entry}?published=1", status_code=303)


@router.get("/library/{entry}", include_in_schema=False)
def entry_page(
    request: Request,
    entry: int,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    found = services.experience.entry(db, entry)
    own = viewer.team_code if viewer.role.value == "team_leader" else None
    return render(
        request,
        deps.language(request),
        "library_entry.html.j2",
        entry=found,
        kind_names=KIND_NAMES,
        diagnoses=DIAGNOSES,
        kpis=SHOWN_KPIS,
        uses=viewer.role in services.experience.PUBLISHERS,
        own_team=own,
        done=request.query_params.get("used") or request.query_params.get("published"),
    )


@router.post("/library/{entry}/use", include_in_schema=False)
async def use(
    request: Request,
    entry: int,
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    form = await request.form()
    team = str(form.get("team", "")).strip()
    services.experience.use(db, session.viewer, entry, team)
    return RedirectResponse(f"/library/{entry}?used=1", status_code=303)
