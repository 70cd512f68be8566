"""Wishes and their replies (issue 12). An anonymous wish is written with no person and no
time of day: the row itself cannot say who raised it or when within the day. Every wish's id
is drawn at random, not from a sequence: named wishes are audited with their time, and a
sequential id would place an anonymous wish between two of them."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import Connection, exc, insert, text

from teamroots.store.people_repo import as_date
from teamroots.store.tables import Wish, WishReply


def add_wish(
    conn: Connection,
    team: int,
    person: int | None,
    receipt: str,
    category: str,
    body: str,
    day: date,
    at: datetime | None,
) -> int:
    values = dict(team_id=team, person_id=person, receipt_hash=receipt, category=category)
    values.update(body=body, raised_on=day, raised_at=at)
    for _attempt in range(8):  # a clash is one in 2^31 per wish stored: draw another id
        wish = secrets.randbelow(2**31 - 2) + 1
        try:
            with conn.begin_nested():
                conn.execute(insert(Wish).values(id=wish, **values))
            return wish
        except exc.IntegrityError:
            taken = conn.execute(text("SELECT 1 FROM wish WHERE id = :w"), {"w": wish}).first()
            if taken is None:  # not the id: the row itself is refused
                raise
    raise RuntimeError("eight random wish ids in a row were taken")


_WISH = (
    "SELECT w.id, t.code, t.name, u.code, w.category, w.body, w.raised_on, w.answered_on, "
    "w.closed_on, p.employee_no, p.name FROM wish w JOIN team t ON t.id = w.team_id "
    "JOIN org_unit u ON u.id = t.unit_id LEFT JOIN person p ON p.id = w.person_id "
)
_KEYS = (
    "id", "team", "team_name", "unit", "category", "body", "raised", "answered", "closed",
    "author", "author_name",
)  # fmt: skip


def _row(r) -> dict:
    out = dict(zip(_KEYS, r, strict=True))
    for k in ("raised", "answered", "closed"):
        out[k] = as_date(out[k])
    return out


def by_receipt(conn: Connection, digest: str) -> dict | None:
    row = conn.execute(text(_WISH + "WHERE w.receipt_hash = :h"), {"h": digest}).first()
    return _row(row) if row else None


def by_id(conn: Connection, wish: int) -> dict | None:
    row = conn.execute(text(_WISH + "WHERE w.id = :w"), {"w": wish}).first()
    return _row(row) if row else None


def listed(conn: Connection, team_codes: frozenset[str] | None) -> list[dict]:
    """Every wish of the teams given (all for None), newest first; the scope is applied in
    the database (the teams' ids), not after reading every wish."""
    where = ""
    if team_codes is not None:
        ids = [i for c, i in conn.execute(text("SELECT code, id FROM team")) if c in team_codes]
        where = f"WHERE w.team_id IN ({','.join(str(int(i)) for i in ids) or 'NULL'}) "
    sql = text(_WISH + where + "ORDER BY w.raised_on DESC, w.id DESC")
    return [_row(r) for r in conn.execute(sql)]


def replies(conn: Connection, wish: int) -> list[dict]:
    sql = text(
        "SELECT body, by_name, by_role, replied_at FROM wish_reply WHERE wish_id = :w ORDER BY id"
    )
    keys = ("body", "by_name", "by_role", "at")
    return [dict(zip(keys, r, strict=True)) for r in conn.execute(sql, {"w": wish})]


def add_reply(
    conn: Connection, wish: int, body: str, name: str, role: str, at: datetime, close: bool
) -> None:
    conn.execute(
        insert(WishReply).values(wish_id=wish, body=body, by_name=name, by_role=role, replied_at=at)
    )
    conn.execute(
        text("UPDATE wish SET answered_on = :d WHERE id = :w AND answered_on IS NULL"),
        {"d": at.date(), "w": wish},
    )
    if close:
        conn.execute(
            text("UPDATE wish SET closed_on = :d WHERE id = :w AND closed_on IS NULL"),
            {"d": at.date(), "w": wish},
        )


def open_wishes(conn: Connection) -> list[tuple]:
    """(wish id, team id, raised on) of every wish not answered yet."""
    sql = text("SELECT id, team_id, raised_on FROM wish WHERE answered_on IS NULL")
    return [(i, t, as_date(d)) for i, t, d in conn.execute(sql)]


def team_wishes(conn: Connection, team_id: int) -> list[tuple]:
    """(raised on, category, answered on, closed on) of a team's wishes — never who."""
    sql = text(
        "SELECT raised_on, category, answered_on, closed_on FROM wish WHERE team_id = :t "
        "ORDER BY raised_on"
    )
    return [
        tuple(as_date(v) if i != 1 else v for i, v in enumerate(r))
        for r in conn.execute(sql, {"t": team_id})
    ]


def counts(conn: Connection, category: str | None) -> list[tuple[str, str, int]]:
    """(unit code, team code, wishes) for every team, of one category or all."""
    cond = "AND w.category = :c" if category else ""
    sql = text(
        "SELECT u.code, t.code, COUNT(w.id) FROM team t JOIN org_unit u ON u.id = t.unit_id "
        f"LEFT JOIN wish w ON w.team_id = t.id {cond} GROUP BY u.code, t.code"
    )
    return [(u, t, n) for u, t, n in conn.execute(sql, {"c": category})]
