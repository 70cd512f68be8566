"""Directives down, wishes up and the inbox (issue 12). Scope and roles are checked in the
services, as for every other page; an id outside the scope answers 404."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from teamroots import services
from teamroots.domain.rows import Viewer
from teamroots.errors import NotAllowed, NotFound, TeamrootsError
from teamroots.i18n import N_
from teamroots.services import Database
from teamroots.track.directives import ACK_WAY_NAMES
from teamroots.track.wishes import CATEGORY_NAMES, STATUS_NAMES, Category
from teamroots.web import deps
from teamroots.web.render import render

router = APIRouter()


async def _values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(v).strip() for k, v in form.items() if k != "csrf"}


def _error(exc: TeamrootsError, request: Request) -> str:
    if isinstance(exc, NotFound | NotAllowed):
        raise exc
    return deps.translated(exc, deps.language(request))


def _directives(request, db, viewer, status=200, error=None, values=None):
    return render(
        request,
        deps.language(request),
        "directives.html.j2",
        status=status,
        directives=services.directives.listed(db, viewer),
        issues=viewer.role in services.directives.ISSUERS,
        error=error,
        values=values or {},
        issued=request.query_params.get("issued"),
    )


@router.get("/directives", include_in_schema=False)
def directives(
    request: Request, viewer: Viewer = Depends(deps.viewer), db: Database = Depends(deps.database)
):
    return _directives(request, db, viewer)


@router.post("/directives", include_in_schema=False)
async def issue(
    request: Request, session=Depends(deps.checked_form), db: Database = Depends(deps.database)
):
    values = await _values(request)
    try:
        directive, reached = services.directives.issue(
            db, session.viewer, values.get("unit") or None, values.get("title", ""),
            values.get("body", ""),
        )  # fmt: skip
    except TeamrootsError as exc:
        return _directives(request, db, session.viewer, 422, _error(exc, request), values)
    return RedirectResponse(f"/directives/{directive}?reached={reached}", status_code=303)


def _reach(request, db, viewer, directive, status=200, error=None, done=None):
    page = services.directives.reach_page(db, viewer, directive)
    roll, members = services.directives.roll_call_team(db, viewer) or (None, [])
    return render(
        request,
        deps.language(request),
        "directive.html.j2",
        status=status,
        page=page,
        way_names=ACK_WAY_NAMES,
        edits=viewer.role in services.directives.ISSUERS,
        roll=roll,
        members=members,
        error=error,
        done=done or request.query_params.get("done"),
        reached=request.query_params.get("reached"),
    )


@router.get("/directives/{directive}", include_in_schema=False)
def directive_page(
    request: Request,
    directive: int,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    return _reach(request, db, viewer, directive)


@router.post("/directives/{directive}/ack", include_in_schema=False)
async def acknowledge(
    request: Request,
    directive: int,
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    services.directives.acknowledge(db, session.viewer, directive)
    return RedirectResponse(f"/directives/{directive}?done=ack", status_code=303)


@router.post("/directives/{directive}/roll-call", include_in_schema=False)
async def roll_call(
    request: Request,
    directive: int,
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    form = await request.form()
    present = [str(v) for v in form.getlist("present")]
    try:
        services.directives.roll_call(
            db, session.viewer, directive, str(form.get("team", "")), present
        )
    except TeamrootsError as exc:
        return _reach(request, db, session.viewer, directive, 422, _error(exc, request))
    return RedirectResponse(f"/directives/{directive}?done=roll", status_code=303)


@router.post("/directives/{directive}/edit", include_in_schema=False)
async def edit(
    request: Request,
    directive: int,
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    values = await _values(request)
    try:
        services.directives.edit(
            db, session.viewer, directive, values.get("title", ""), values.get("body", "")
        )
    except TeamrootsError as exc:
        return _reach(request, db, session.viewer, directive, 422, _error(exc, request))
    return RedirectResponse(f"/directives/{directive}?done=edit", status_code=303)


GROUP_LABELS = {
    "plant": N_("The whole plant"),
    "unit": N_("Unit {unit}"),
    "team": N_("Team {team}"),
    "other_teams": N_("{teams} other teams of unit {unit} (pooled)"),
    "other_units": N_("{units} other units (pooled)"),
}


SHOW_NAMES = {
    "open": N_("waiting for an answer"),
    "late": N_("late"),
    "answered": N_("answered"),
    "closed": N_("closed"),
    "all": N_("all"),
}


def _wishes(request, db, viewer, status=200, error=None, values=None, **extra):
    answers = viewer.role in services.wishes.ANSWERERS
    q = request.query_params
    show = q.get("show") if q.get("show") in services.wishes.STATUS_FILTERS else "open"
    category = q.get("category") if q.get("category") in set(Category) else None
    after = int(q["after"]) if q.get("after", "").isdigit() else None
    rows, more = (
        services.wishes.listed(db, viewer, show=show, category=category, after=after)
        if answers
        else ([], None)
    )
    counted = None
    if viewer.role in services.wishes.AGGREGATE_VIEWERS:
        counted = services.wishes.aggregates(db, viewer, category)
    return render(
        request,
        deps.language(request),
        "wishes.html.j2",
        status=status,
        wishes=rows,
        more=more,
        show=show,
        shows=services.wishes.STATUS_FILTERS,
        category=category,
        counted=counted,
        group_labels=GROUP_LABELS,
        show_names=SHOW_NAMES,
        answers=answers,
        raises=bool(viewer.employee_no),
        categories=list(Category),
        category_names=CATEGORY_NAMES,
        status_names=STATUS_NAMES,
        error=error,
        values=values or {},
        **extra,
    )


@router.get("/wishes", include_in_schema=False)
def wishes(
    request: Request, viewer: Viewer = Depends(deps.viewer), db: Database = Depends(deps.database)
):
    return _wishes(request, db, viewer)


@router.post("/wishes", include_in_schema=False)
async def raise_wish(
    request: Request, session=Depends(deps.checked_form), db: Database = Depends(deps.database)
):
    values = await _values(request)
    anonymous = values.get("anonymous") == "yes"
    try:
        raised = services.wishes.raise_wish(
            db, session.viewer, values.get("body", ""), values.get("category", ""), anonymous
        )
    except TeamrootsError as exc:
        return _wishes(request, db, session.viewer, 422, _error(exc, request), values)
    return _wishes(request, db, session.viewer, 201, raised=raised, anonymous=anonymous)


@router.post("/wishes/follow", include_in_schema=False)
async def follow(
    request: Request, session=Depends(deps.checked_form), db: Database = Depends(deps.database)
):
    """By POST: a receipt code in a URL would stay in the browser's history."""
    values = await _values(request)
    try:
        found = services.wishes.follow(db, values.get("code", ""))
    except NotFound as exc:
        return _wishes(
            request, db, session.viewer, 404, deps.translated(exc, deps.language(request))
        )
    return _wishes(request, db, session.viewer, followed=found)


def _wish(request, db, viewer, wish, status=200, error=None):
    return render(
        request,
        deps.language(request),
        "wish.html.j2",
        status=status,
        wish=services.wishes.detail(db, viewer, wish),
        category_names=CATEGORY_NAMES,
        status_names=STATUS_NAMES,
        error=error,
    )


@router.get("/wishes/{wish}", include_in_schema=False)
def wish_page(
    request: Request,
    wish: int,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    return _wish(request, db, viewer, wish)


@router.post("/wishes/{wish}/reply", include_in_schema=False)
async def reply(
    request: Request,
    wish: int,
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    values = await _values(request)
    try:
        services.wishes.reply(
            db, session.viewer, wish, values.get("body", ""), values.get("close") == "yes"
        )
    except TeamrootsError as exc:
        return _wish(request, db, session.viewer, wish, 422, _error(exc, request))
    return RedirectResponse(f"/wishes/{wish}", status_code=303)


@router.get("/inbox", include_in_schema=False)
def inbox(
    request: Request, viewer: Viewer = Depends(deps.viewer), db: Database = Depends(deps.database)
):
    return render(
        request, deps.language(request), "inbox.html.j2", notices=services.notices.inbox(db, viewer)
    )


@router.post("/inbox/seen", include_in_schema=False)
async def seen(
    request: Request, session=Depends(deps.checked_form), db: Database = Depends(deps.database)
):
    form = await request.form()
    ids = [int(v) for v in form.getlist("notice") if str(v).isdigit()]
    services.notices.mark_seen(db, session.viewer, ids)
    return RedirectResponse("/inbox", status_code=303)
