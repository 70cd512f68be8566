"""Accounts, sessions and the audit log; and the codes a user's scope resolves to."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, func, insert, select, update

from teamroots.store.people_repo import active_on, as_date
from teamroots.store.tables import Base

T = Base.metadata.tables


def add_user(conn: Connection, row: dict) -> int:
    return conn.execute(
        insert(T["app_user"]).values(**row).returning(T["app_user"].c.id)
    ).scalar_one()


def user_by_name(conn: Connection, name: str) -> dict | None:
    u = T["app_user"]
    row = conn.execute(select(u).where(func.lower(u.c.name) == name.lower())).mappings().first()
    return dict(row) if row else None


def user_by_id(conn: Connection, user_id: int) -> dict | None:
    u = T["app_user"]
    row = conn.execute(select(u).where(u.c.id == user_id)).mappings().first()
    return dict(row) if row else None


def list_users(conn: Connection) -> list[dict]:
    u = T["app_user"]
    return [dict(r) for r in conn.execute(select(u).order_by(u.c.name)).mappings()]


def set_user(conn: Connection, user_id: int, **values) -> None:
    u = T["app_user"]
    conn.execute(update(u).where(u.c.id == user_id).values(**values))


def add_session(conn: Connection, row: dict) -> None:
    conn.execute(insert(T["user_session"]).values(**row))


def session(conn: Connection, digest: str) -> dict | None:
    s = T["user_session"]
    row = conn.execute(select(s).where(s.c.id == digest)).mappings().first()
    return dict(row) if row else None


def session_and_user(conn: Connection, digest: str) -> tuple[dict | None, dict | None]:
    """A session and its account, in one query (every request asks)."""
    s, u = T["user_session"], T["app_user"]
    row = (
        conn.execute(
            select(s.c.user_id, s.c.csrf, s.c.created_at, s.c.seen_at, s.c.ended_at, u)
            .join(u, u.c.id == s.c.user_id)
            .where(s.c.id == digest)
        )
        .mappings()
        .first()
    )
    if row is None:
        return None, None
    keys = ("user_id", "csrf", "created_at", "seen_at", "ended_at")
    return {k: row[k] for k in keys}, {c.name: row[c.name] for c in u.c}


def touch_session(conn: Connection, digest: str, at: datetime) -> None:
    s = T["user_session"]
    conn.execute(update(s).where(s.c.id == digest).values(seen_at=at))


def end_sessions(
    conn: Connection, at: datetime, *, digest: str | None = None, user_id: int | None = None
) -> None:
    s = T["user_session"]
    stmt = update(s).where(s.c.ended_at.is_(None)).values(ended_at=at)
    if digest is not None:
        stmt = stmt.where(s.c.id == digest)
    if user_id is not None:
        stmt = stmt.where(s.c.user_id == user_id)
    conn.execute(stmt)


def audit(
    conn: Connection, at: datetime, actor: str, action: str, target: str, outcome: str
) -> None:
    conn.execute(
        insert(T["audit_log"]).values(
            at=at, actor=actor[:100], action=action, target=target[:200], outcome=outcome
        )
    )


def failures_since(conn: Connection, name: str, since: datetime) -> int:
    a = T["audit_log"]
    return conn.execute(
        select(func.count()).where(
            func.lower(a.c.actor) == name.lower(),
            a.c.action == "sign_in",
            a.c.outcome == "failed",
            a.c.at >= since,
        )
    ).scalar_one()


def audit_entries(conn: Connection, limit: int = 200) -> list[dict]:
    a = T["audit_log"]
    rows = conn.execute(select(a).order_by(a.c.id.desc()).limit(limit)).mappings()
    return [dict(r) for r in rows]


def unit_subtree_team_codes(conn: Connection, unit_code: str) -> set[str]:
    """Codes of the teams in a unit and every unit under it."""
    u, t = T["org_unit"], T["team"]
    found = conn.execute(select(u.c.id).where(u.c.code == unit_code)).scalar()
    if found is None:
        found = conn.execute(
            select(u.c.id).where(func.lower(u.c.code) == unit_code.lower())
        ).scalar()
    if found is None:
        return set()
    root = select(u.c.id).where(u.c.id == found).cte(recursive=True)
    tree = root.union_all(select(u.c.id).where(u.c.parent_id == root.c.id))
    return set(conn.execute(select(t.c.code).where(t.c.unit_id.in_(select(tree.c.id)))).scalars())


_TEAM = "SELECT id, code, name FROM team WHERE {}"


class TeamRef(NamedTuple):
    id: int
    code: str  # as stored
    name: str


def team_ref(conn: Connection, code: str) -> TeamRef | None:
    """A team's id, name and the stored spelling of its code, the code compared without
    regard to case (the exact spelling first: that lookup uses the index)."""
    from sqlalchemy import text

    row = conn.execute(text(_TEAM.format("code = :c")), {"c": code}).first()
    if row is None:
        row = conn.execute(text(_TEAM.format("lower(code) = lower(:c)")), {"c": code}).first()
    return TeamRef(*row) if row else None


def team_code(conn: Connection, code: str) -> str | None:
    found = team_ref(conn, code)
    return found.code if found else None


def person_team_codes(conn: Connection, employee_no: str, day) -> set[str]:
    """Codes of the teams a person is a member of on ``day``."""
    from sqlalchemy import text

    sql = text(
        "SELECT DISTINCT t.code FROM membership m JOIN team t ON t.id = m.team_id "
        "JOIN person p ON p.id = m.person_id "
        f"WHERE lower(p.employee_no) = lower(:no) AND {active_on('m')}"
    )
    return set(conn.execute(sql, {"no": employee_no, "d": day}).scalars())


def person_id(conn: Connection, employee_no: str) -> int | None:
    """A person's id by employee number: the exact spelling first (that lookup uses the
    index), then without regard to case."""
    p = T["person"]
    found = conn.execute(select(p.c.id).where(p.c.employee_no == employee_no)).scalar()
    if found is not None:
        return found
    return conn.execute(
        select(p.c.id).where(func.lower(p.c.employee_no) == employee_no.lower())
    ).scalar()


_ROLE_ORDER = (
    "CASE m.role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 WHEN 'member' THEN 9 ELSE 5 END"
)


def team_members(conn: Connection, team: str, day, personal: bool) -> list[dict]:
    """A team's members on ``day``: name, employee number and roles (leader first); with
    ``personal`` also their designations."""
    from sqlalchemy import text

    sql = text(
        f"SELECT p.id, p.employee_no, p.name, m.role FROM membership m "
        f"JOIN team t ON t.id = m.team_id JOIN person p ON p.id = m.person_id "
        f"WHERE t.code = :team AND {active_on('m')} ORDER BY {_ROLE_ORDER}, p.name"
    )
    people: dict[int, dict] = {}
    for pid, number, name, role in conn.execute(sql, {"team": team, "d": day}):
        entry = people.setdefault(pid, {"employee_no": number, "name": name, "roles": []})
        entry["roles"].append(role)
    for entry in people.values():  # "member" says nothing beside a role in the core
        if len(entry["roles"]) > 1:
            entry["roles"] = [r for r in entry["roles"] if r != "member"]
    if personal and people:
        tags = text(
            "SELECT person_id, tag FROM person_designation WHERE person_id IN "
            f"({', '.join(str(i) for i in people)}) ORDER BY tag"
        )
        for pid, tag in conn.execute(tags):
            people[pid].setdefault("designations", []).append(tag)
    return list(people.values())


def person_memberships(conn: Connection, employee_no: str, day) -> list[dict]:
    from sqlalchemy import text

    sql = text(
        "SELECT t.code, t.name, m.role FROM membership m JOIN team t ON t.id = m.team_id "
        "JOIN person p ON p.id = m.person_id "
        f"WHERE lower(p.employee_no) = lower(:no) AND {active_on('m')} ORDER BY t.code"
    )
    return [
        {"team": code, "name": name, "role": role}
        for code, name, role in conn.execute(sql, {"no": employee_no, "d": day})
    ]


def demo_ties(conn: Connection) -> dict:
    """What the sample plant's demo accounts are tied to: the first workshop, the team ranked
    lowest in the newest review (else the first team), one of its plain members, a cadre of the
    newest link plan (else the first cadre), and the number of teams."""
    from sqlalchemy import text

    unit = conn.execute(
        text("SELECT code FROM org_unit WHERE kind = 'workshop' ORDER BY code LIMIT 1")
    ).scalar()
    team = (
        conn.execute(
            text(
                "SELECT t.code FROM review_team r JOIN team t ON t.id = r.team_id "
                "WHERE r.review_id = (SELECT MAX(id) FROM review) AND r.score IS NOT NULL "
                "ORDER BY r.score, t.code LIMIT 1"
            )
        ).scalar()
        or conn.execute(text("SELECT code FROM team ORDER BY code LIMIT 1")).scalar()
    )
    member = conn.execute(
        text(
            "SELECT p.employee_no FROM membership m JOIN person p ON p.id = m.person_id "
            "JOIN team t ON t.id = m.team_id WHERE t.code = :t AND m.role = 'member' "
            "AND m.end_date IS NULL AND p.id NOT IN (SELECT person_id FROM membership "
            "WHERE role <> 'member' AND end_date IS NULL) ORDER BY p.employee_no LIMIT 1"
        ),
        {"t": team},
    ).scalar()
    cadre = conn.execute(
        text(
            "SELECT p.employee_no FROM cadre c JOIN person p ON p.id = c.person_id "
            "ORDER BY p.employee_no LIMIT 1"
        )
    ).scalar()
    from teamroots.domain.choices import PlanKind
    from teamroots.store.plan_repo import latest_approved_document

    links = (latest_approved_document(conn, PlanKind.LINKS) or {}).get("links") or []
    if links:
        cadre = links[0]["cadre"]
    teams = conn.execute(text("SELECT COUNT(*) FROM team")).scalar_one()
    return {"unit": unit, "team": team, "member": member, "cadre": cadre, "teams": teams}


def leader_history(conn: Connection, team: str) -> list[dict]:
    """Who has led the team and when (every leader period kept, newest first)."""
    from sqlalchemy import text

    sql = text(
        "SELECT p.name, p.employee_no, m.start_date, m.end_date FROM membership m "
        "JOIN team t ON t.id = m.team_id JOIN person p ON p.id = m.person_id "
        "WHERE t.code = :team AND m.role = 'leader' ORDER BY m.start_date DESC, p.name"
    )
    return [
        {"name": name, "employee_no": no, "start": as_date(start), "end": as_date(end)}
        for name, no, start, end in conn.execute(sql, {"team": team})
    ]


def unit(conn: Connection, code: str) -> dict | None:
    """A unit by code (exact spelling first, then without regard to case), with its parent."""
    from sqlalchemy import text

    sql = (
        "SELECT u.code, u.name, p.code, p.name FROM org_unit u "
        "LEFT JOIN org_unit p ON p.id = u.parent_id WHERE {}"
    )
    row = conn.execute(text(sql.format("u.code = :c")), {"c": code}).first()
    if row is None:
        row = conn.execute(text(sql.format("lower(u.code) = lower(:c)")), {"c": code}).first()
    if row is None:
        return None
    return {"code": row[0], "name": row[1], "parent_code": row[2], "parent_name": row[3]}
