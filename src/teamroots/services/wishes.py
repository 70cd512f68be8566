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


def listed(db: Database, viewer: Viewer, today: date | None = None) -> list[dict]:
    """The wishes of the teams in the viewer's scope, for those who answer them."""
    if viewer.role not in ANSWERERS:
        raise NotAllowed("Only team leaders, unit heads and plant managers read the teams' wishes.")
    with db.read() as conn:
        rows = repo.listed(conn, team_scope(conn, viewer))
    day = today or date.today()
    return [_with_state(w, day, db.settings.wish_respond_days) for w in rows]


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
    body = body.strip()
    if not body:
        raise InvalidRequest("Write the answer first.")
    detail(db, viewer, wish)  # the scope check
    now = datetime.now(UTC)
    with db.write(serialize=False) as conn:
        repo.add_reply(conn, wish, body, viewer.name, viewer.role.value, now, close)
        users_repo.audit(conn, now, viewer.name, "reply", f"wish {wish}", "ok")
