"""History on the web: tier transitions between two reviews (a matrix and a flow diagram) and
a team's timeline; the measured effects of interventions sit on the same page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from teamroots import i18n, services
from teamroots.domain.rows import Viewer
from teamroots.errors import NotFound
from teamroots.i18n import gettext
from teamroots.report.charts import flow_svg
from teamroots.services import Database
from teamroots.track.history import STATE_NAMES, STATES
from teamroots.track.wishes import CATEGORY_NAMES
from teamroots.web import deps
from teamroots.web.render import render

router = APIRouter()


@router.get("/history", include_in_schema=False)
def history(
    request: Request,
    before: int | None = None,
    after: int | None = None,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    lang = deps.language(request)
    context: dict = {"moved": None}
    try:
        moved, old, new, reviews = services.history.tier_transitions(db, viewer, before, after)
    except NotFound as exc:
        context["no_transitions"] = deps.translated(exc, lang)
    else:
        with deps.speaking(lang):
            names = {s: gettext(STATE_NAMES[s]) for s in STATES}
            title = gettext(
                "From the review of {before} to that of {after}",
                before=i18n.day(old["as_of"]),
                after=i18n.day(new["as_of"]),
            )
            svg = flow_svg(moved.counts, STATES, names, title)
        shown = [s for s in STATES if moved.total(before=s) or moved.total(after=s)]
        context.update(moved=moved, old=old, new=new, reviews=reviews, states=shown)
        context.update(names=names, svg=svg)
    return render(
        request,
        lang,
        "history.html.j2",
        effects=services.effects.plant_effects(db, viewer),
        kinds=services.effects.KINDS,
        **context,
    )


@router.get("/teams/{code}/timeline", include_in_schema=False)
def team_timeline(
    request: Request,
    code: str,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    team, events = services.history.team_timeline(db, viewer, code)
    return render(
        request,
        deps.language(request),
        "timeline.html.j2",
        team=team,
        events=events,
        category_names=CATEGORY_NAMES,
    )
