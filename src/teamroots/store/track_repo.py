"""Visits and their actions (issue 12): rows in, rows out."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Connection, insert, text

from teamroots.store.people_repo import as_date
from teamroots.store.tables import Visit, VisitAction


def add_visit(
    conn: Connection,
    team_id: int,
    cadre_id: int,
    day: date,
    findings: dict[str, str],
    by: str,
    at: datetime,
    during: str | None = None,
) -> int:
    return conn.execute(
        insert(Visit)
        .values(
            team_id=team_id,
            cadre_person_id=cadre_id,
            visited_on=day,
            during=during,
            findings=json.dumps(findings, ensure_ascii=False),
            logged_by=by,
            logged_at=at,
        )
        .returning(Visit.id)
    ).scalar_one()


def add_action(
    conn: Connection,
    visit_id: int,
    team_id: int,
    what: str,
    owner_id: int | None,
    created: date,
    due: date,
) -> int:
    return conn.execute(
        insert(VisitAction)
        .values(
            visit_id=visit_id,
            team_id=team_id,
            what=what,
            owner_person_id=owner_id,
            created_on=created,
            due_on=due,
        )
        .returning(VisitAction.id)
    ).scalar_one()


def finish_action(conn: Connection, action_id: int, day: date) -> bool:
    done = conn.execute(
        text("UPDATE visit_action SET done_on = :d WHERE id = :a AND done_on IS NULL"),
        {"d": day, "a": action_id},
    )
    return done.rowcount == 1


def visit_days(
    conn: Connection, quiet: frozenset[str] = frozenset()
) -> tuple[dict[tuple[str, str], list[date]], list[dict]]:
    """(cadre's employee number, team code) → the days of their visits; and the visits made
    during a shift not to be disturbed (which count for no due day)."""
    sql = text(
        "SELECT p.employee_no, t.code, v.visited_on, v.during FROM visit v "
        "JOIN person p ON p.id = v.cadre_person_id JOIN team t ON t.id = v.team_id"
    )
    out: dict[tuple[str, str], list[date]] = {}
    disturbing = []
    for number, team, day, during in conn.execute(sql):
        if during in quiet:
            disturbing.append(
                {"cadre": number, "team": team, "day": as_date(day), "during": during}
            )
        else:
            out.setdefault((number, team), []).append(as_date(day))
    return out, disturbing


def open_actions(conn: Connection) -> list[dict]:
    """Every action not done: its team, what, owner, when written and when due."""
    sql = text(
        "SELECT a.id, t.code, a.what, p.employee_no, p.name, a.created_on, a.due_on "
        "FROM visit_action a JOIN team t ON t.id = a.team_id "
        "LEFT JOIN person p ON p.id = a.owner_person_id WHERE a.done_on IS NULL "
        "ORDER BY a.due_on, a.id"
    )
    keys = ("id", "team", "what", "owner", "owner_name", "created", "due")
    rows = [dict(zip(keys, r, strict=True)) for r in conn.execute(sql)]
    for r in rows:
        r["created"], r["due"] = as_date(r["created"]), as_date(r["due"])
    return rows


def links_since(conn: Connection) -> date | None:
    """The day the newest approved link plan was approved: its visits are due from then."""
    found = conn.execute(
        text(
            "SELECT approved_at FROM plan WHERE kind = 'links' AND status = 'approved' "
            "ORDER BY id DESC LIMIT 1"
        )
    ).scalar()
    if found is None:
        return None
    return found.date() if isinstance(found, datetime) else date.fromisoformat(str(found)[:10])


def team_visits(conn: Connection, team_id: int) -> list[dict]:
    """A team's visits: the day, the cadre, the areas with findings and the actions written."""
    sql = text(
        "SELECT v.visited_on, p.name, p.employee_no, v.findings, "
        "(SELECT COUNT(*) FROM visit_action a WHERE a.visit_id = v.id) "
        "FROM visit v JOIN person p ON p.id = v.cadre_person_id WHERE v.team_id = :t "
        "ORDER BY v.visited_on"
    )
    return [
        {"day": as_date(d), "cadre": name or no, "areas": sorted(json.loads(f)), "actions": n}
        for d, name, no, f, n in conn.execute(sql, {"t": team_id})
    ]
