"""Notices — reminders and escalations — and who has seen them. Each notice has a key that
says what it is about and for whom; writing one twice writes it once (ON CONFLICT DO
NOTHING, on SQLite and PostgreSQL alike), so the reminder pass is idempotent."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, text

_COLUMNS = "key, kind, subject, audience, person_id, team_id, level, message, link, created_at"


def add(conn: Connection, notices: list[dict], at: datetime) -> int:
    """Write the notices not written before; how many were new."""
    if not notices:
        return 0
    sql = text(
        f"INSERT INTO notice ({_COLUMNS}) VALUES (:key, :kind, :subject, :audience, :person_id, "
        ":team_id, :level, :message, :link, :at) ON CONFLICT (key) DO NOTHING"
    )
    before = count(conn)
    rows = [
        {**n, "message": json.dumps(n["message"], ensure_ascii=False), "at": n.get("at", at)}
        for n in notices
    ]
    conn.execute(sql, rows)
    return count(conn) - before


def add_to_behind(conn: Connection, version_id: int, message: dict, link: str, at: datetime) -> int:
    """A reminder to every member who has not acknowledged a version yet, in one statement."""
    subject = "CAST(dd.version_id AS VARCHAR(20))"
    sql = text(
        f"INSERT INTO notice ({_COLUMNS}) SELECT "
        f":head || {subject} || :mid || CAST(dd.person_id AS VARCHAR(20)) || :tail, "
        f"'directive', {subject}, 'person', dd.person_id, dd.team_id, 0, :message, :link, :at "
        "FROM directive_delivery dd WHERE dd.version_id = :v AND dd.acked_at IS NULL "
        "ON CONFLICT (key) DO NOTHING"
    )
    params = {"v": version_id, "message": json.dumps(message, ensure_ascii=False)}
    keys = {"head": "directive:", "mid": ":person:", "tail": ":0"}
    return conn.execute(sql, {**params, **keys, "link": link, "at": at}).rowcount


def count(conn: Connection) -> int:
    return conn.execute(text("SELECT COUNT(*) FROM notice")).scalar_one()


def inbox(
    conn: Connection,
    user: int,
    person: int | None,
    teams: list[int] | None,
    audiences: tuple[str, ...],
    limit: int = 200,
) -> list[dict]:
    """The newest notices for a user: their own (as a person), and those to the audiences
    their role answers for, among the teams given (all for None)."""
    conds = []
    if person is not None:
        conds.append(f"(n.audience = 'person' AND n.person_id = {int(person)})")
    if audiences:
        among = "" if teams is None else f" AND n.team_id IN ({_ids(teams)})"
        names = ", ".join(f"'{a}'" for a in audiences)
        conds.append(f"(n.audience IN ({names}){among})")
    if not conds:
        return []
    sql = text(
        "SELECT n.id, n.kind, n.audience, n.level, n.message, n.link, n.created_at, "
        "s.user_id IS NOT NULL, t.code FROM notice n LEFT JOIN team t ON t.id = n.team_id "
        "LEFT JOIN notice_seen s ON s.notice_id = n.id AND s.user_id = :u "
        f"WHERE {' OR '.join(conds)} ORDER BY n.id DESC LIMIT :limit"
    )
    keys = ("id", "kind", "audience", "level", "message", "link", "at", "seen", "team")
    out = [dict(zip(keys, r, strict=True)) for r in conn.execute(sql, {"u": user, "limit": limit})]
    for n in out:
        n["message"] = json.loads(n["message"])
        n["seen"] = bool(n["seen"])
    return out


def _ids(ids: list[int]) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"


def mark_seen(conn: Connection, user: int, notices: list[int]) -> None:
    if notices:
        conn.execute(
            text(
                "INSERT INTO notice_seen (notice_id, user_id) VALUES (:n, :u) "
                "ON CONFLICT DO NOTHING"
            ),
            [{"n": n, "u": user} for n in notices],
        )


def last_id(conn: Connection) -> int:
    return conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM notice")).scalar_one()


def since(conn: Connection, notice_id: int) -> list[dict]:
    """The notices written after ``notice_id``: audience, person, team code, message, link."""
    sql = text(
        "SELECT n.audience, n.person_id, t.code, n.message, n.link FROM notice n "
        "LEFT JOIN team t ON t.id = n.team_id WHERE n.id > :i ORDER BY n.id"
    )
    keys = ("audience", "person_id", "team", "message", "link")
    out = [dict(zip(keys, r, strict=True)) for r in conn.execute(sql, {"i": notice_id})]
    for n in out:
        n["message"] = json.loads(n["message"])
    return out


def mail_users(conn: Connection) -> list[dict]:
    """Enabled accounts with an email address."""
    sql = text(
        "SELECT u.role, u.unit_code, u.team_code, p.id, u.email FROM app_user u "
        "LEFT JOIN person p ON p.employee_no = u.employee_no "
        "WHERE u.email IS NOT NULL AND NOT u.disabled"
    )
    keys = ("role", "unit_code", "team_code", "person_id", "email")
    return [dict(zip(keys, r, strict=True)) for r in conn.execute(sql)]
