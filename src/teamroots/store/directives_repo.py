"""Directives, their versions and who each version reached (issue 12): rows in, rows out.
Delivering and acknowledging are set-based (one INSERT … SELECT, one UPDATE), so a directive
to a hundred thousand members is a handful of statements."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import Connection, insert, text

from teamroots.store.people_repo import active_on
from teamroots.store.tables import Directive, DirectiveVersion

_SUBTREE = (
    "WITH RECURSIVE sub(id) AS (SELECT id FROM org_unit WHERE id = :unit "
    "UNION ALL SELECT o.id FROM org_unit o JOIN sub ON o.parent_id = sub.id) "
)


def add_directive(conn: Connection, unit_id: int | None, by: str, at: datetime) -> int:
    return conn.execute(
        insert(Directive)
        .values(unit_id=unit_id, version=1, issued_by=by, created_at=at)
        .returning(Directive.id)
    ).scalar_one()


def add_version(
    conn: Connection, directive: int, version: int, title: str, body: str, by: str, at: datetime
) -> int:
    conn.execute(
        text("UPDATE directive SET version = :v WHERE id = :d"), {"v": version, "d": directive}
    )
    return conn.execute(
        insert(DirectiveVersion)
        .values(
            directive_id=directive,
            version=version,
            title=title,
            body=body,
            issued_by=by,
            issued_at=at,
        )
        .returning(DirectiveVersion.id)
    ).scalar_one()


def deliver(conn: Connection, version_id: int, unit_id: int | None, day: date) -> int:
    """Deliver a version to every member on ``day`` of the teams under ``unit_id`` (the whole
    plant for None): one row per person, in the first of their teams."""
    where = f"WHERE {active_on('m')}"
    head = ""
    if unit_id is not None:
        head = _SUBTREE
        where += " AND m.team_id IN (SELECT t.id FROM team t JOIN sub ON t.unit_id = sub.id)"
    sql = text(
        "INSERT INTO directive_delivery (version_id, person_id, team_id) "
        f"{head}SELECT :v, m.person_id, MIN(m.team_id) FROM membership m {where} "
        "GROUP BY m.person_id"
    )
    return conn.execute(sql, {"v": version_id, "unit": unit_id, "d": day}).rowcount


class VersionRow(NamedTuple):
    directive: int
    version_id: int
    version: int
    title: str
    body: str
    issued_by: str
    issued_at: datetime
    unit: str | None  # the unit it was issued to; None for the whole plant


_VERSION = (
    "SELECT d.id, v.id, v.version, v.title, v.body, v.issued_by, v.issued_at, u.code "
    "FROM directive d JOIN directive_version v ON v.directive_id = d.id "
    "LEFT JOIN org_unit u ON u.id = d.unit_id "
)


def _version(row) -> VersionRow:
    at = row[6]
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return VersionRow(*row[:6], at, row[7])


def current(conn: Connection, directive: int) -> VersionRow | None:
    row = conn.execute(
        text(_VERSION + "WHERE d.id = :d AND v.version = d.version"), {"d": directive}
    ).first()
    return _version(row) if row else None


def versions(conn: Connection, directive: int) -> list[VersionRow]:
    sql = text(_VERSION + "WHERE d.id = :d ORDER BY v.version")
    return [_version(r) for r in conn.execute(sql, {"d": directive})]


def listed(conn: Connection, team_ids: list[int] | None, person: int | None) -> list[dict]:
    """Current versions with their delivered and acknowledged counts: among the teams given
    (all for None), or only the one person's own delivery."""
    if person is not None:
        cond, params = "dd.person_id = :p", {"p": person}
    elif team_ids is None:
        cond, params = "1 = 1", {}
    else:
        cond, params = f"dd.team_id IN ({','.join(str(int(t)) for t in team_ids) or 'NULL'})", {}
    sql = text(
        "SELECT d.id, v.version, v.title, v.issued_at, v.issued_by, u.code, "
        "COUNT(*), COUNT(dd.acked_at) FROM directive d "
        "JOIN directive_version v ON v.directive_id = d.id AND v.version = d.version "
        "LEFT JOIN org_unit u ON u.id = d.unit_id "
        f"JOIN directive_delivery dd ON dd.version_id = v.id WHERE {cond} "
        "GROUP BY d.id, v.version, v.title, v.issued_at, v.issued_by, u.code ORDER BY d.id DESC"
    )
    keys = ("id", "version", "title", "issued_at", "issued_by", "unit", "delivered", "acked")
    return [dict(zip(keys, r, strict=True)) for r in conn.execute(sql, params)]


def acknowledge(conn: Connection, version_id: int, person: int, at: datetime) -> int:
    """The member's own acknowledgement on the web; 0 when already acknowledged or not
    delivered to them."""
    sql = text(
        "UPDATE directive_delivery SET acked_at = :at, how = 'web', recorded_by = NULL "
        "WHERE version_id = :v AND person_id = :p AND acked_at IS NULL"
    )
    return conn.execute(sql, {"at": at, "v": version_id, "p": person}).rowcount


def roll_call(conn: Connection, version_id: int, people: list[int], at: datetime, by: str) -> int:
    """A shift meeting's roll-call: the members present (the caller has checked they are in
    the meeting's team) acknowledge, as recorded by ``by``. A member of two teams has one
    delivery, filed under one of them; either team's roll-call records it."""
    if not people:
        return 0
    sql = text(
        "UPDATE directive_delivery SET acked_at = :at, how = 'meeting', recorded_by = :by "
        f"WHERE version_id = :v AND acked_at IS NULL "
        f"AND person_id IN ({','.join(str(int(p)) for p in people)})"
    )
    return conn.execute(sql, {"at": at, "by": by, "v": version_id}).rowcount


def delivery(conn: Connection, version_id: int, person: int) -> tuple | None:
    """(acknowledged at, how) of one member's delivery, or None when it did not reach them."""
    sql = text(
        "SELECT acked_at, how FROM directive_delivery WHERE version_id = :v AND person_id = :p"
    )
    return conn.execute(sql, {"v": version_id, "p": person}).first()


def _hours(conn: Connection) -> str:
    if conn.dialect.name == "postgresql":
        return "CAST(EXTRACT(EPOCH FROM (dd.acked_at - v.issued_at)) AS FLOAT) / 3600.0"
    return "(julianday(dd.acked_at) - julianday(v.issued_at)) * 24.0"


def reach_rows(conn: Connection, version_id: int) -> list[tuple]:
    """(unit code, team code, hours to acknowledge or None, how) for every delivery."""
    sql = text(
        f"SELECT u.code, t.code, {_hours(conn)}, dd.how FROM directive_delivery dd "
        "JOIN directive_version v ON v.id = dd.version_id "
        "JOIN team t ON t.id = dd.team_id JOIN org_unit u ON u.id = t.unit_id "
        "WHERE dd.version_id = :v"
    )
    return conn.execute(sql, {"v": version_id}).all()


def behind(conn: Connection) -> list[tuple]:
    """Every delivery of a current version not yet acknowledged: (version id, directive id,
    title, issued at, person id, team id)."""
    sql = text(
        "SELECT v.id, d.id, v.title, v.issued_at, dd.person_id, dd.team_id "
        "FROM directive_delivery dd JOIN directive_version v ON v.id = dd.version_id "
        "JOIN directive d ON d.id = v.directive_id AND d.version = v.version "
        "WHERE dd.acked_at IS NULL"
    )
    return conn.execute(sql).all()


def unit_ids(conn: Connection, code: str) -> tuple[int, set[int]] | None:
    """A unit's id and the ids of every unit under it (itself included), by code."""
    found = conn.execute(
        text(
            "SELECT id FROM org_unit WHERE code = :c OR lower(code) = lower(:c) "
            "ORDER BY code = :c DESC"
        ),
        {"c": code},
    ).scalar()
    if found is None:
        return None
    sql = text(_SUBTREE + "SELECT id FROM sub")
    return found, set(conn.execute(sql, {"unit": found}).scalars())


def team_versions(conn: Connection, team_id: int) -> list[tuple]:
    """(title, version, issued at, delivered, acknowledged) of every version that reached a
    team's members."""
    sql = text(
        "SELECT v.title, v.version, v.issued_at, COUNT(*), COUNT(dd.acked_at) "
        "FROM directive_delivery dd JOIN directive_version v ON v.id = dd.version_id "
        "WHERE dd.team_id = :t GROUP BY v.id, v.title, v.version, v.issued_at ORDER BY v.id"
    )
    return conn.execute(sql, {"t": team_id}).all()


def reaches(conn: Connection, version_id: int, team_ids: list[int]) -> bool:
    """Whether a version was delivered to anyone in the teams given."""
    if not team_ids:
        return False
    sql = text(
        "SELECT 1 FROM directive_delivery WHERE version_id = :v AND team_id IN "
        f"({','.join(str(int(t)) for t in team_ids)}) LIMIT 1"
    )
    return conn.execute(sql, {"v": version_id}).first() is not None
