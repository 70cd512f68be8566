"""Follow-through pages: the board of visits and actions, and logging a visit to a team.
Scope and roles are checked in services.track, as for every other page."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from teamroots import services
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotAllowed, NotFound, TeamrootsError
from teamroots.i18n import N_, gettext
from teamroots.services import Database
from teamroots.services.track import NewAction
from teamroots.track.visits import FINDING_AREAS
from teamroots.web import deps
from teamroots.web.render import render

router = APIRouter()
DURING_NAMES = {
    "day": N_("during the day shift"),
    "middle": N_("during the middle shift"),
    "night": N_("during the night shift"),
    "meeting": N_("at the shift meeting"),
}
ACTION_ROWS = 3  # action lines on the form


@router.get("/visits", include_in_schema=False)
def visits(
    request: Request,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    got = services.track.plant_board(db, viewer, date.today())
    return render(
        request,
        deps.language(request),
        "visits.html.j2",
        board=got,
        logged=request.query_params.get("logged"),
    )


def _form(request, db, viewer, code, status=200, error=None, values=None):
    team = services.access.visible_team(db, viewer, code)  # 404 out of scope, as ever
    if viewer.role not in services.track.VISITORS:
        raise NotFound("There is no team {code}.", code=code)
    return render(
        request,
        deps.language(request),
        "visit_new.html.j2",
        status=status,
        team=team,
        areas=FINDING_AREAS,
        rows=range(ACTION_ROWS),
        ask_cadre=viewer.role.value != "cadre",
        durings=services.track.DURING,
        during_names=DURING_NAMES,
        quiet=", ".join(gettext(DURING_NAMES.get(q, q)) for q in db.settings.visit_quiet_shifts)
        or "—",
        error=error,
        values=values or {},
        today=date.today().isoformat(),
    )


@router.get("/teams/{code}/visit", include_in_schema=False)
def new_visit(
    request: Request,
    code: str,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    return _form(request, db, viewer, code)


@router.post("/teams/{code}/visit", include_in_schema=False)
async def log_visit(
    request: Request,
    code: str,
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if k != "csrf"}
    lang = deps.language(request)
    try:
        day = date.fromisoformat(values.get("day") or date.today().isoformat())
        findings = {a: values[f"found_{a}"] for a in FINDING_AREAS if values.get(f"found_{a}")}
        actions = []
        for i in range(ACTION_ROWS):
            what = values.get(f"what_{i}")
            if not what:
                continue
            due = values.get(f"due_{i}")
            if not due:
                raise InvalidRequest("The action '{what}' needs a due day.", what=what)
            owner = values.get(f"owner_{i}") or None
            actions.append(NewAction(what, owner, date.fromisoformat(due)))
        visit = services.track.log_visit_as(
            db, session.viewer, code, values.get("cadre"), day, findings, actions,
            values.get("during") or None,
        )  # fmt: skip
    except (NotFound, NotAllowed):
        raise
    except ValueError:
        with deps.speaking(lang):
            text = deps.translated(InvalidRequest("A date like 2026-03-05, please."), lang)
        return _form(request, db, session.viewer, code, 422, text, values)
    except TeamrootsError as exc:
        text = deps.translated(exc, lang)
        return _form(request, db, session.viewer, code, 422, text, values)
    return RedirectResponse(f"/visits?logged={visit}", status_code=303)
