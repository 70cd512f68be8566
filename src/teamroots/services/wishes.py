"""Wishes up (issue 12): a member raises a wish or problem, named or anonymous, for their
team; the team leader answers, or it goes up the line. An anonymous wish stores no person,
no address and no time of day, and is not written to the audit log (its time there would
name its author); its receipt code is shown once and only a hash is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotAllowed, NotFound
from teamroots.services.access import team_scope
from teamroots.services.text import plain
from teamroots.store import users_repo
from teamroots.store import wishes_repo as repo
from teamroots.store.db import Database
from teamroots.track.wishes import (
    LEVELS,
    Category,
    new_receipt,
    receipt_hash,
    respond_by,
    status,
    wish_level,
)

MAX_CHARS = 4000
ANSWERERS = {
    AccessRole.ADMIN,
    AccessRole.PLANT_MANAGER,
    AccessRole.UNIT_HEAD,
    AccessRole.TEAM_LEADER,
}


@dataclass(frozen=True)
class Raised:
    id: int
    receipt: str  # shown once to the member; only its hash is kept


def raise_wish(
    db: Database,
    viewer: Viewer,
    body: str,
    category: str,
    anonymous: bool,
    today: date | None = None,
) -> Raised:
    """A member's wish for the team they are in today."""
    plain(body)
    body = body.strip()
    if not body:
        raise InvalidRequest("Write what you wish for or what the problem is.")
    if len(body) > MAX_CHARS:
        raise InvalidRequest(
            "The text is {n} characters long; at most {max}.", n=len(body), max=MAX_CHARS
        )
    if category not in set(Category):
        raise InvalidRequest(
            "Unknown category {value}; use one of: {known}.",
            value=category,
            known=", ".join(Category),
        )
    if not viewer.employee_no:
        raise NotAllowed("Wishes are raised by members signed in with their employee number.")
    now = datetime.now(UTC)
    day = today or now.date()
    code = new_receipt()
    with db.write(serialize=False) as conn:
        teams = sorted(users_repo.person_team_codes(conn, viewer.employee_no, day))
        person = users_repo.person_id(conn, viewer.employee_no)
        if not teams or person is None:
            raise NotFound("You are not in a team today, so there is no team leader to ask.")
        team = users_repo.team_ref(conn, teams[0])
        wish = repo.add_wish(
            conn,
            team.id,
            None if anonymous else person,
            receipt_hash(code),
            category,
            body,
            day,
            None if anonymous else now,
        )
        if not anonymous:
            users_repo.audit(conn, now, viewer.name, "wish", f"wish {wish}", "ok")
    return Raised(wish, code)


def _with_state(wish: dict, today: date, respond_days: int) -> dict:
    level = wish_level(wish["raised"], wish["answered"], today, respond_days)
    return {
        **wish,
        "status": status(wish["answered"], wish["closed"]).value,
        "respond_by": respond_by(wish["raised"], respond_days),
        "level": LEVELS[level],
        "late": wish["answered"] is None and today > respond_by(wish["raised"], respond_days),
    }


def follow(db: Database, code: str, today: date | None = None) -> dict:
    """A wish and its replies, by its receipt code; NotFound for a code that fits none."""
    with db.read() as conn:
        found = repo.by_receipt(conn, receipt_hash(code))
        if found is None:
            raise NotFound(
                "No wish has the receipt code {code}; check it and try again.", code=code
            )
        found["replies"] = [
            {k: v for k, v in r.items() if k != "by_name"} for r in repo.replies(conn, found["id"])
        ]
    found.pop("author", None), found.pop("author_name", None)
    return _with_state(found, today or date.today(), db.settings.wish_respond_days)


STATUS_FILTERS = ("open", "late", "answered", "closed", "all")


def listed(
    db: Database,
    viewer: Viewer,
    today: date | None = None,
    *,
    show: str = "all",
    category: str | None = None,
    after: int | None = None,
    limit: int = 100,
) -> tuple[list[dict], int | None]:
    """The wishes of the teams in the viewer's scope, newest first, for those who answer them:
    ``show`` open, late (open past their first-answer day), answered, closed or all; a page of
    ``limit`` after the wish ``after``; and the id to pass as ``after`` for the next page."""
    if viewer.role not in ANSWERERS:
        raise NotAllowed("Only team leaders, unit heads and plant managers read the teams' wishes.")
    with db.read() as conn:
        rows = repo.listed(conn, team_scope(conn, viewer))
    day = today or date.today()
    found = [_with_state(w, day, db.settings.wish_respond_days) for w in rows]
    keep = {
        "open": lambda w: w["status"] == "open",
        "late": lambda w: w["late"],
        "answered": lambda w: w["status"] == "answered",
        "closed": lambda w: w["status"] == "closed",
    }.get(show, lambda w: True)
    found = [w for w in found if keep(w) and (not category or w["category"] == category)]
    found.sort(key=lambda w: -w["id"])
    if after is not None:
        found = [w for w in found if w["id"] < after]
    page = found[:limit]
    return page, (page[-1]["id"] if len(found) > limit else None)


def detail(db: Database, viewer: Viewer, wish: int, today: date | None = None) -> dict:
    if viewer.role not in ANSWERERS:
        raise NotFound("There is no wish {id}.", id=wish)
    with db.read() as conn:
        found = repo.by_id(conn, wish)
        scope = team_scope(conn, viewer)
        if found is None or (scope is not None and found["team"] not in scope):
            raise NotFound("There is no wish {id}.", id=wish)
        found["replies"] = repo.replies(conn, wish)
    return _with_state(found, today or date.today(), db.settings.wish_respond_days)


def reply(db: Database, viewer: Viewer, wish: int, body: str, close: bool = False) -> None:
    """An answer to a wish in the viewer's scope; the first answer stops its escalation."""
    plain(body)
    body = body.strip()
    if not body:
        raise InvalidRequest("Write the answer first.")
    detail(db, viewer, wish)  # the scope check
    now = datetime.now(UTC)
    with db.write(serialize=False) as conn:
        repo.add_reply(conn, wish, body, viewer.name, viewer.role.value, now, close)
        users_repo.audit(conn, now, viewer.name, "reply", f"wish {wish}", "ok")


AGGREGATE_VIEWERS = {AccessRole.ADMIN, AccessRole.PLANT_MANAGER, AccessRole.UNIT_HEAD}


def aggregates(db: Database, viewer: Viewer, category: str | None = None) -> list[dict]:
    """Wishes counted by unit and team in the viewer's scope — all of them and, with
    ``category``, that category — with every figure that could name a group of fewer than
    five hidden (track/privacy). A wish counts as one respondent: an anonymous wish cannot be
    told apart by person."""
    from teamroots.track.privacy import MIN_GROUP, figures, groups

    if viewer.role not in AGGREGATE_VIEWERS:
        raise NotAllowed("Only unit heads and plant managers see wishes counted by unit and team.")
    if category and category not in set(Category):
        raise InvalidRequest(
            "Unknown category {value}; use one of: {known}.",
            value=category,
            known=", ".join(Category),
        )
    with db.read() as conn:
        scope = team_scope(conn, viewer)
        every = [r for r in repo.counts(conn, None) if scope is None or r[1] in scope]
        part = repo.counts(conn, category) if category else every
        mixes = [_team_mix(conn, c) for c in Category] if category else []
    units: dict[str, dict[str, int]] = {}
    for unit, team, n in every:
        units.setdefault(unit, {})[team] = n
    total = {team: n for _u, team, n in every}
    view = {team: n for _u, team, n in part if team in total}
    found = groups(units, MIN_GROUP)
    whole = figures(found, total, total, MIN_GROUP)
    chosen = figures(found, view, total, MIN_GROUP) if category else whole
    if category:
        chosen = _across_categories(chosen, view, mixes, MIN_GROUP)
    return [
        {"key": a.group.key, "parent": a.group.parent, "label": a.group.label,
         "all": a.count, "chosen": b.count}
        for a, b in zip(whole, chosen, strict=True)
    ]  # fmt: skip


def _team_mix(conn, category: str) -> dict[str, int]:
    return {team: n for _u, team, n in repo.counts(conn, category)}


def _across_categories(cells, view: dict[str, int], mixes: list[dict[str, int]], k: int):
    """One category's figures, guarded against the other categories' pages: a group's figure
    is shown only when each category of the group holds 0 or at least k wishes (so that no
    set of category pages, subtracted from the whole, leaves 1 … k − 1); a parent whose
    hidden children would then add up to 1 … k − 1 is hidden too, and under a hidden parent
    everything is hidden."""
    from teamroots.track.privacy import Cell

    shown = {c.group.key: c.count is not None for c in cells}
    by_key = {c.group.key: c for c in cells}
    for c in cells:
        counts = [sum(m.get(t, 0) for t in c.group.teams) for m in mixes]
        if any(0 < n < k for n in counts):
            shown[c.group.key] = False
    changed = True
    while changed:
        changed = False
        for c in cells:
            kids = [d for d in cells if d.group.parent == c.group.key]
            hidden = sum(sum(view.get(t, 0) for t in d.group.teams) for d in kids
                         if not shown[d.group.key])  # fmt: skip
            if shown[c.group.key] and kids and 0 < hidden < k:
                shown[c.group.key], changed = False, True
    for c in cells:  # under a hidden parent, nothing
        parent = c.group.parent
        while parent is not None:
            if not shown[parent]:
                shown[c.group.key] = False
            parent = by_key[parent].group.parent
    return [Cell(c.group, c.count if shown[c.group.key] else None) for c in cells]
