"""Interventions and the weekly KPI panel their effects are measured on (issue 12)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, text

from teamroots.store import rollup_repo
from teamroots.store.people_repo import as_date


def add(conn: Connection, rows: list[tuple[int, str, date]], source: str) -> int:
    """Write (team id, kind, day) interventions, each once; how many were new."""
    if not rows:
        return 0
    sql = text(
        "INSERT INTO intervention (team_id, kind, started_on, source) VALUES (:t, :k, :d, :s) "
        "ON CONFLICT DO NOTHING"
    )
    before = conn.execute(text("SELECT COUNT(*) FROM intervention")).scalar_one()
    conn.execute(sql, [{"t": t, "k": k, "d": d, "s": source} for t, k, d in rows])
    return conn.execute(text("SELECT COUNT(*) FROM intervention")).scalar_one() - before


def interventions(conn: Connection, kind: str) -> list[tuple[str, date]]:
    """(team code, first day) of every team's first intervention of a kind."""
    sql = text(
        "SELECT t.code, MIN(i.started_on) FROM intervention i JOIN team t ON t.id = i.team_id "
        "WHERE i.kind = :k GROUP BY t.code"
    )
    return [(code, as_date(day)) for code, day in conn.execute(sql, {"k": kind})]


def weekly_completion(conn: Connection, start: date, end: date) -> list[tuple[str, int, float]]:
    """(team code, week number from ``start``, completion) for every team and week with
    planned output between the two days."""
    week = (
        "CAST((r.day - CAST(:start AS DATE)) / 7 AS INTEGER)"
        if conn.dialect.name == "postgresql"
        else "CAST((julianday(r.day) - julianday(:start)) / 7 AS INTEGER)"
    )
    sql = text(
        f"SELECT t.code, {week} AS w, SUM(r.actual), SUM(r.planned) FROM team_record r "
        "JOIN team t ON t.id = r.team_id WHERE r.day BETWEEN :start AND :end "
        "AND r.actual IS NOT NULL AND r.planned > 0 GROUP BY t.code, w"
    )
    params = {"start": start, "end": end}
    return [(c, int(w), a / p) for c, w, a, p in conn.execute(sql, params) if p]


def record_span(conn: Connection) -> tuple[date | None, date | None]:
    return rollup_repo.first_record_day(conn), rollup_repo.last_record_day(conn)


def team_interventions(conn: Connection, team_id: int) -> list[tuple[str, date, str]]:
    """(kind, day, source) of every intervention on a team."""
    sql = text(
        "SELECT kind, started_on, source FROM intervention WHERE team_id = :t ORDER BY started_on"
    )
    return [(k, as_date(d), s) for k, d, s in conn.execute(sql, {"t": team_id})]
