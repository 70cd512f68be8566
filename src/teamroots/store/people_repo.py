"""People in teams: who holds which role on a day, the latest peer survey, and membership
history written when a leadership plan is approved (rows ended and started, never
overwritten)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, insert, text

from teamroots.domain.choices import Role
from teamroots.domain.rows import PersonRef
from teamroots.store.tables import Membership


def active_on(alias: str = "") -> str:
    """The SQL condition "this membership row is active on day :d" (the one place it is
    written); ``alias`` is the membership table's alias in the query, if any."""
    p = f"{alias}." if alias else ""
    return f"{p}start_date <= :d AND ({p}end_date IS NULL OR {p}end_date >= :d)"


def as_date(value) -> date | None:
    """A date as the driver gives it (SQLite: ISO text) as a ``date``."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def latest_survey_date(
    conn: Connection, as_of: date, max_age_days: int | None = None
) -> date | None:
    """The day of the latest peer survey on or before ``as_of`` and not older than allowed
    (any age when ``max_age_days`` is None)."""
    oldest = date.min if max_age_days is None else as_of - timedelta(days=max_age_days)
    found = conn.execute(
        text("SELECT MAX(survey_date) FROM nomination WHERE survey_date BETWEEN :a AND :b"),
        {"a": oldest, "b": as_of},
    ).scalar()
    return as_date(found)


def latest_change(conn: Connection, today: date) -> date | None:
    """The latest day a leadership role (leader or core) started, up to ``today``: the day an
    approved leadership plan took effect, or a change imported since."""
    found = conn.execute(
        text("SELECT MAX(start_date) FROM membership WHERE start_date <= :d AND role <> 'member'"),
        {"d": today},
    ).scalar()
    return as_date(found)


def person_refs(conn: Connection) -> list[PersonRef]:
    """(employee number, id) of every person."""
    return [PersonRef(*r) for r in conn.execute(text("SELECT employee_no, id FROM person"))]


def team_ids(conn: Connection) -> dict[str, int]:
    return {code: i for code, i in conn.execute(text("SELECT code, id FROM team"))}


def _end(conn: Connection, row_id: int, start, day: date) -> None:
    end = max(as_date(start), day - timedelta(days=1))
    conn.execute(text("UPDATE membership SET end_date = :e WHERE id = :i"), {"e": end, "i": row_id})


def _leave_other_teams(conn: Connection, person: int, team: int, day: date) -> int:
    """A person moved to lead or serve in ``team`` leaves the teams they were in."""
    rows = conn.execute(
        text(
            f"SELECT id, start_date FROM membership WHERE person_id = :p AND team_id <> :t AND "
            f"{active_on()}"
        ),
        {"p": person, "t": team, "d": day},
    ).all()
    for row_id, start in rows:
        _end(conn, row_id, start, day)
    return len(rows)


def set_team_roles(
    conn: Connection, team: int, want: set[tuple[int, Role]], day: date
) -> tuple[int, int]:
    """Make ``want`` (person id, role) the team's leadership from ``day`` on: leadership rows
    not wanted end the day before; the people wanted leave their other teams and join this one
    as members if they were not in it; new roles start on ``day``. Returns (ended, started)."""
    rows = conn.execute(
        text(
            f"SELECT id, person_id, role, start_date FROM membership WHERE team_id = :t AND "
            f"{active_on()}"
        ),
        {"t": team, "d": day},
    ).all()
    have = {(r.person_id, Role(r.role)) for r in rows}
    ended = started = 0
    for r in rows:
        if Role(r.role) != Role.MEMBER and (r.person_id, Role(r.role)) not in want:
            _end(conn, r.id, r.start_date, day)
            ended += 1
    want = set(want)
    for person in {p for p, _ in want}:
        ended += _leave_other_teams(conn, person, team, day)
        if not any(p == person for p, _ in have):
            want.add((person, Role.MEMBER))
    for person, role in sorted(want - have):
        conn.execute(
            insert(Membership).values(
                person_id=person, team_id=team, role=role.value, start_date=day, end_date=None
            )
        )
        started += 1
    return ended, started
