"""The JSON API under /api/v1: the same services and the same scope check as the pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from teamroots import services
from teamroots.domain.rows import Viewer
from teamroots.services import Database
from teamroots.web import deps


class Problem(BaseModel):
    """What went wrong, in the caller's language."""

    detail: str


router = APIRouter(
    prefix="/api/v1",
    tags=["teams"],
    responses={401: {"model": Problem, "description": "Not signed in"}},
)


class Me(BaseModel):
    name: str
    role: str
    unit: str | None = None
    team: str | None = None
    employee_no: str | None = None


class TeamSummary(BaseModel):
    team: str
    name: str
    unit: str
    tier: int | None
    provisional: bool
    score: float | None
    rank_in_plant: int | None


class TeamPage(BaseModel):
    items: list[TeamSummary]
    total: int
    offset: int
    limit: int
    next: str | None = None  # pass as ``after`` for the next page (keyset); None on the last


class Review(BaseModel):
    review: int
    as_of: str
    tier: int | None
    provisional: bool
    score: float | None
    rank: int
    teams: int


class Member(BaseModel):
    employee_no: str
    name: str
    roles: list[str]
    designations: list[str] | None = None


class TeamDetail(TeamSummary):
    as_of: str
    kpis: dict[str, Any]
    criteria: list[dict[str, Any]]
    diagnosis: list[dict[str, Any]]
    move_up: list[str]
    members: list[Member]
    weekly: dict[str, list[float | None]]
    history: list[Review]


def _summary(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "team": t["team"],
        "name": t.get("name") or "",
        "unit": t.get("unit") or "",
        "tier": t.get("tier"),
        "provisional": bool(t.get("provisional")),
        "score": t.get("score"),
        "rank_in_plant": t.get("rank_in_plant"),
    }


@router.get("/me", response_model=Me)
async def me(viewer: Viewer = Depends(deps.viewer)) -> Me:
    return Me(
        name=viewer.name,
        role=viewer.role.value,
        unit=viewer.unit_code,
        team=viewer.team_code,
        employee_no=viewer.employee_no,
    )


@router.get("/teams", response_model=TeamPage)
async def teams(
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
    tier: int | None = Query(None, ge=1, le=3),
    unit: str | None = Query(None, max_length=100),
    after: str | None = Query(None, max_length=100, description="the last team of the page before"),
    offset: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=1000),
) -> TeamPage:
    """The teams of the newest review in the caller's scope, in rank order. Page by keyset
    (``after`` = the previous page's ``next``) or by ``offset``."""
    found = services.access.scoped_review(db, viewer).ranked("rank", False)
    if tier is not None:
        found = [t for t in found if t.get("tier") == tier]
    if unit:
        found = [t for t in found if t.get("unit") == unit]
    if after:
        codes = [t["team"] for t in found]
        offset = codes.index(after) + 1 if after in codes else len(codes)
    page = found[offset : offset + limit]
    more = offset + len(page) < len(found)
    return TeamPage(
        items=[TeamSummary(**_summary(t)) for t in page],
        total=len(found),
        offset=offset,
        limit=limit,
        next=page[-1]["team"] if more and page else None,
    )


@router.get(
    "/teams/{code}",
    response_model=TeamDetail,
    responses={404: {"model": Problem, "description": "No such team in the caller's scope"}},
)
async def team(
    code: str,
    request: Request,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
) -> TeamDetail:
    """One team, or 404 when it does not exist or is outside the caller's scope."""
    from teamroots.i18n import localized

    detail = services.access.team_detail(db, viewer, code)
    t = detail.team
    with deps.speaking(deps.language(request)):
        diagnosis = localized(t.get("diagnosis") or [])
    return TeamDetail(
        **_summary(t),
        as_of=detail.as_of,
        kpis=t.get("kpis") or {},
        criteria=t.get("criteria") or [],
        diagnosis=diagnosis,
        move_up=t.get("move_up") or [],
        members=[Member(**m) for m in detail.members],
        weekly=detail.series,
        history=[Review(**{**h, "as_of": str(h["as_of"])}) for h in detail.history],
    )
