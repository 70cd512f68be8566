"""Notices — reminders and escalations — and who has seen them. Each notice has a key that
says what it is about and for whom; writing one twice writes it once (ON CONFLICT DO
NOTHING, on SQLite and PostgreSQL alike), so the reminder pass is idempotent."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, text

_COLUMNS = "key, kind, subject, audience, person_id, team_id, level, message, link, created_at"


_NAMES = ("key", "kind", "subject", "audience", "person_id", "team_id", "level", "message", "link")
_CHUNK = 500  # rows a statement (10 parameters each; SQLite allows 32,766)


def add(conn: Connection, notices: list[dict], at: datetime) -> list[int]:
    """Write the notices not written before; the ids of those new (RETURNING: a pass running
    at the same time in another process gets none of them, so nothing is mailed twice)."""
    rows = [
        {
            **{k: n.get(k) for k in _NAMES},
            "message": json.dumps(n["message"], ensure_ascii=False),
            "at": n.get("at", at),
        }
        for n in notices
    ]
    made: list[int] = []
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        values = ", ".join(
            "(" + ", ".join(f":{k}{i}" for k in (*_NAMES, "at")) + ")" for i in range(len(chunk))
        )
        params = {f"{k}{i}": v for i, row in enumerate(chunk) for k, v in row.items()}
        sql = text(
            f"INSERT INTO notice ({_COLUMNS}) VALUES {values} "
            "ON CONFLICT (key) DO NOTHING RETURNING id"
        )
        made += conn.execute(sql, params).scalars().all()
    return made


def add_to_behind(
    conn: Connection, version_id: int, message: dict, link: str, at: datetime
) -> list[int]:
    """A reminder to every member who has not acknowledged a version yet, in one statement;
    the ids of those new."""
    subject = "CAST(dd.version_id AS VARCHAR(20))"
    sql = text(
        f"INSERT INTO notice ({_COLUMNS}) SELECT "
        f":head || {subject} || :mid || CAST(dd.person_id AS VARCHAR(20)) || :tail, "
        f"'directive', {subject}, 'person', dd.person_id, dd.team_id, 0, :message, :link, :at "
        "FROM directive_delivery dd WHERE dd.version_id = :v AND dd.acked_at IS NULL "
        "ON CONFLICT (key) DO NOTHING RETURNING id"
    )
    params = {"v": version_id, "message": json.dumps(message, ensure_ascii=False)}
    keys = {"head": "directive:", "mid": ":person:", "tail": ":0"}
    return conn.execute(sql, {**params, **keys, "link": link, "at": at}).scalars().all()


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


def new_ones(conn: Connection, ids: list[int]) -> list[dict]:
    """The notices ``ids`` (one pass's new ones): audience, person, team code, message, link."""
    if not ids:
        return []
    sql = text(
        "SELECT n.id, n.audience, n.person_id, t.code, n.message, n.link FROM notice n "
        "LEFT JOIN team t ON t.id = n.team_id WHERE n.id BETWEEN :lo AND :hi ORDER BY n.id"
    )
    wanted = set(ids)
    keys = ("audience", "person_id", "team", "message", "link")
    out = [
        dict(zip(keys, r[1:], strict=True))
        for r in conn.execute(sql, {"lo": min(ids), "hi": max(ids)})
        if r[0] in wanted
    ]
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
