"""The HTML pages: overview, ranking (sortable, filtered, paged, downloadable), units, teams
and their boards, own record. Every read goes through services.access, the one scope check."""

from __future__ import annotations

import io
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from teamroots import services
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.i18n import _, localized
from teamroots.report.html import criterion_rows, team_card, team_row, tier_name
from teamroots.services import Database
from teamroots.services.kept import Kept
from teamroots.web import deps
from teamroots.web.render import render

router = APIRouter()
UNITS_SHOWN = 60  # units listed on the overview, and offered in the ranking's filter
# Pages that read a little and render are ``async def`` and run inline on the event loop (their
# reads take well under a millisecond on SQLite); a thread hop per request costs more than the
# work under load. Downloads, unit boards and approvals, which take longer, stay ``def`` and run
# in the thread pool.
PAGE = 50


@router.get("/language", include_in_schema=False)
def switch_language(request: Request, lang: str, next: str = "/"):
    from teamroots.web.routes.auth import _safe_next

    response = RedirectResponse(_safe_next(next), status_code=303)
    deps.set_cookie(response, request, deps.LANG_COOKIE, deps.language(request), 365 * 86400)
    return response


@router.get("/", include_in_schema=False)
async def overview(
    request: Request,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    lang = deps.language(request)
    if viewer.role is AccessRole.MEMBER:
        return RedirectResponse("/me", status_code=303)
    review = services.access.scoped_review(db, viewer)
    summary = review.summary(UNITS_SHOWN)
    change = services.access.change_since_last(db, viewer, review)
    with deps.speaking(lang):
        tiers = [
            {
                "tier": t,
                "name": tier_name(t),
                "count": summary.tiers[t - 1],
                "before": change.tiers[t - 1] if change else None,
            }
            for t in (1, 2, 3)
        ]
        backward = [team_row(t) for t in summary.weakest]
    return render(
        request,
        lang,
        "overview.html.j2",
        review=review.document,
        teams=summary.teams,
        units=summary.units,
        unit_count=summary.unit_count,
        tiers=tiers,
        change=change,
        backward=backward,
        whole_plant=review.whole_plant,
    )


def keyset_page(teams, query) -> tuple[int, list]:
    """One page of ``teams`` by keyset: ``after=CODE`` starts after that team, ``before=CODE``
    ends before it (the key of a row, never an offset, so a link stays on the same rows).
    Returns the index of the page's first row and its rows."""

    def position(code: str | None) -> int | None:
        if not code:
            return None
        return next((i for i, t in enumerate(teams) if t["team"] == code), None)

    after, before = position(query.get("after")), position(query.get("before"))
    if after is not None:
        start = after + 1
    elif before is not None:
        start = max(0, before - PAGE)
    else:
        start = 0
    end = min(len(teams), start + PAGE) if before is None or after is not None else before
    return start, list(teams[start:end])


def paging(start: int, shown: list, total: int) -> dict[str, Any]:
    """What a page's navigation needs: its rows' place and the keys of the pages around it."""
    return {
        "total": total,
        "first": start + 1,
        "last": start + len(shown),
        "after": shown[-1]["team"] if start + len(shown) < total else None,
        "before": shown[0]["team"] if start > 0 and shown else None,
    }


def _ranking_view(request: Request, review) -> dict[str, Any]:
    q = request.query_params
    sort = q.get("sort") if q.get("sort") in services.access.RANKING_SORTS else "rank"
    descending = q.get("desc") == "1"
    tier, unit, text = q.get("tier") or "", q.get("unit") or "", (q.get("q") or "").strip()
    teams = review.ranked(sort, descending)
    if tier in ("1", "2", "3"):
        teams = [t for t in teams if str(t.get("tier")) == tier]
    elif tier == "none":
        teams = [t for t in teams if t.get("tier") is None]
    if unit:
        teams = [t for t in teams if t.get("unit") == unit]
    if text:
        needle = text.casefold()
        teams = [
            t
            for t in teams
            if needle in str(t.get("team")).casefold() or needle in str(t.get("name")).casefold()
        ]
    return {
        "sort": sort,
        "desc": descending,
        "tier": tier,
        "unit": unit,
        "q": text,
        "teams": teams,
    }


@router.get("/ranking", include_in_schema=False)
async def ranking(
    request: Request,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    lang = deps.language(request)
    review = services.access.scoped_review(db, viewer)
    view = _ranking_view(request, review)
    start, shown = keyset_page(view["teams"], request.query_params)
    with deps.speaking(lang):
        rows = [team_row(t) for t in shown]
    units = [(u["unit"], u["unit_name"]) for u in review.units()]
    if len(units) > UNITS_SHOWN:
        units = []  # too many for a list: the filter takes a typed unit code
    return render(
        request,
        lang,
        "ranking.html.j2",
        rows=rows,
        **paging(start, shown, len(view["teams"])),
        units=units,
        view=view,
        review=review.document,
    )


@router.get("/ranking.{fmt}", include_in_schema=False)
def ranking_download(
    request: Request,
    fmt: str,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    """Exactly the current view (filters and order of the URL), every page, as CSV or XLSX."""
    from teamroots.census.export import write_stream
    from teamroots.errors import NotFound

    if fmt not in ("csv", "xlsx"):
        raise NotFound("There is no download as {format}.", format=fmt)
    lang = deps.language(request)
    view = _ranking_view(request, services.access.scoped_review(db, viewer))
    with deps.speaking(lang):
        rows = [team_row(t) for t in view["teams"]]
    columns = ["rank", "team", "name", "unit", "tier", "score"]
    buffer = io.BytesIO()
    write_stream(buffer, fmt, columns, ([r[c] for c in columns] for r in rows))
    services.users.audit(db, viewer, "download", f"ranking.{fmt}")
    media = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[fmt]
    return Response(
        buffer.getvalue(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="ranking.{fmt}"'},
    )


@router.get("/teams/{code}", include_in_schema=False)
async def team(
    request: Request,
    code: str,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    lang = deps.language(request)
    detail = services.access.team_detail(db, viewer, code)
    with deps.speaking(lang):
        history = [{**h, "tier_name": tier_name(h["tier"])} for h in detail.history]
    return render(
        request,
        lang,
        "team.html.j2",
        review_part=_review_part(detail, lang),
        card={"name": detail.team.get("name") or "", "team": detail.team["team"]},
        core=[m for m in detail.members if m["roles"] != ["member"]],
        members=detail.members,
        history=history,
        leaders=detail.leaders,
        personal=services.access.sees_personal(viewer),
        may_visit=viewer.role in services.track.VISITORS,
        may_publish=viewer.role in services.experience.PUBLISHERS,
        suggested=services.experience.suggestions(
            db, detail.team.get("tier"), {d["code"] for d in detail.team.get("diagnosis") or []}
        ),
    )


# The review's part of team pages, rendered, by (review, team, language): a review never
# changes, and this part is most of a team page's work.
_REVIEW_PARTS: Kept[Any] = Kept(4096)


def _review_part(detail, lang: str):
    from teamroots.web.render import render_fragment

    def make():
        with deps.speaking(lang):
            entry = localized(detail.team)  # stored messages in the reader's language
            return render_fragment(
                lang,
                "_team_review.html.j2",
                card=team_card(entry, detail.count),
                unit_code=entry.get("unit") or "",
                criteria=criterion_rows(entry),
                kpis=_kpi_lines(entry, detail.series),
                as_of=detail.as_of,
            )

    return _REVIEW_PARTS.get((detail.review_key, detail.team["team"], lang), make)


def _kpi_lines(entry: dict[str, Any], series: dict[str, list[float | None]]) -> list[dict]:
    """The main KPIs over the window, each with its line week by week (an inline SVG)."""
    from markupsafe import Markup

    from teamroots.report import fmt, kpi_name
    from teamroots.report.charts import sparkline_svg

    kpis = entry.get("kpis") or {}
    lines = []
    for k, weeks in series.items():
        name = kpi_name(k)
        svg = sparkline_svg(weeks, _("{kpi}, week by week", kpi=name))
        lines.append({"name": name, "value": fmt(k, kpis.get(k)), "spark": Markup(svg)})
    return lines


@router.get("/me", include_in_schema=False)
async def me(
    request: Request,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    lang = deps.language(request)
    return render(request, lang, "me.html.j2", record=services.access.own_record(db, viewer))


def _board(request: Request, detail) -> dict[str, Any]:
    """A team's board: tier, the core with names and roles, the main KPIs, the open actions
    (what holds it back, what would move it up) and a QR code of its page, made here."""
    import segno
    from markupsafe import Markup

    from teamroots.report import fmt, kpi_name
    from teamroots.report.html import MAIN_KPIS

    entry = localized(detail.team)
    card = team_card(entry, detail.count)
    url = f"{str(request.base_url).rstrip('/')}/teams/{entry['team']}"
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=3, border=2, xmldecl=False)
    kpis = entry.get("kpis") or {}
    return {
        "card": card,
        "core": [m for m in detail.members if m["roles"] != ["member"]],
        "members": len(detail.members),
        "kpis": [(kpi_name(k), fmt(k, kpis.get(k))) for k in MAIN_KPIS],
        "qr": Markup(svg.getvalue().decode()),
        "url": url,
        "as_of": detail.as_of,
    }


@router.get("/teams/{code}/board", include_in_schema=False)
async def board(
    request: Request,
    code: str,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    lang = deps.language(request)
    detail = services.access.team_detail(db, viewer, code)
    with deps.speaking(lang):
        boards = [_board(request, detail)]
    return render(request, lang, "boards.html.j2", boards=boards, title=boards[0]["card"]["name"])


@router.get("/units/{code}/boards", include_in_schema=False)
def unit_boards(
    request: Request,
    code: str,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    lang = deps.language(request)
    details = services.access.unit_team_details(db, viewer, code)
    with deps.speaking(lang):
        boards = [_board(request, d) for d in details]
    return render(request, lang, "boards.html.j2", boards=boards, title=code)


@router.get("/units/{code}", include_in_schema=False)
async def unit(
    request: Request,
    code: str,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    """A unit: tier counts of its subtree, per unit below it, and its teams in rank order."""
    lang = deps.language(request)
    view = services.access.unit_view(db, viewer, code)
    start, shown = keyset_page(view.teams, request.query_params)
    with deps.speaking(lang):
        rows = [team_row(t) for t in shown]
        tiers = [
            {"tier": t, "name": tier_name(t), "count": sum(u[f"tier{t}"] for u in view.units)}
            for t in (1, 2, 3)
        ]
    return render(
        request,
        lang,
        "unit.html.j2",
        unit=view,
        tiers=tiers,
        rows=rows,
        **paging(start, shown, len(view.teams)),
    )
