"""What an assessment reads, as columnar frames: the heavy part (daily records) is read from
the weekly rollup and summed per team over the window inside the database, so one row a team
leaves it.

Every function takes a Connection and returns a polars DataFrame; nothing here computes a KPI.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from sqlalchemy import Connection, text

from teamroots.store.frames import frame, text_params
from teamroots.store.people_repo import active_on
from teamroots.store.rollup_repo import EPOCH_MONDAY, RUNNING, SUMS, WEEKLY, monday

_WEEK = {
    "sqlite": "CAST((julianday(day) - julianday(:start)) / 7 AS INTEGER)",
    "postgresql": "((day - CAST(:start AS date)) / 7)",
}

# a team's weeks summed from its days, as the rollup sums them (rollup_repo.SUMS)
_WEEKLY = (
    "SELECT team_id, {week} AS week, "
    + SUMS.replace("{", "{{").replace("}", "}}")
    + " FROM team_record WHERE day BETWEEN :first AND :end{team} GROUP BY team_id, {week}"
)

WEEKLY_SCHEMA = {
    "team_id": pl.Int64,
    "week": pl.Int64,
    "days": pl.Int64,
    "planned": pl.Float64,
    "actual": pl.Float64,
    "target_days": pl.Int64,
    "on_target": pl.Int64,
    "scheduled": pl.Float64,
    "present_when_due": pl.Float64,
    "member_days": pl.Float64,
    "incidents": pl.Float64,
    "incident_days": pl.Int64,
    "defects": pl.Float64,
    "defect_days": pl.Int64,
}


def window(as_of: date, days: int) -> tuple[date, date]:
    """An assessment's window: ``ceil(days / 7)`` calendar weeks (Monday to Sunday), the last
    one holding ``as_of``; it ends on ``as_of``. Weeks are the rollup's (team_week), so the
    window is read from it; week 0 is the first."""
    return monday(as_of) - timedelta(weeks=-(-days // 7) - 1), as_of


_ROLLED = """
SELECT team_id, {week} AS week, days, planned, actual, target_days, on_target, scheduled,
  present_when_due, member_days, incidents, incident_days, defects, defect_days
FROM team_week
WHERE week BETWEEN :start AND :last{team}
"""
# one team's rows, through the (team, week) and (team, day) keys; the whole window has no
# condition on the team: with one, SQLite's planner took the (team, week) index for the whole
# window and read it 1.8x slower than through the week-first primary key
ONE_TEAM = " AND team_id = :team"
_ROLLED_WEEK = {
    "sqlite": "CAST((julianday(week) - julianday(:start)) / 7 AS INTEGER)",
    "postgresql": "((week - CAST(:start AS date)) / 7)",
}


def _weekly_query(
    conn: Connection, as_of: date, days: int, team: int | None = None
) -> tuple[str, dict]:
    """The SQL of the window's rows, one per team and week (of one ``team`` only, when
    given), and its parameters: the rollup's weeks, and the week of ``as_of`` summed from its
    daily rows instead when it holds records after ``as_of`` (an assessment of a past day)."""
    start, end = window(as_of, days)
    last = monday(as_of)
    one = "" if team is None else ONE_TEAM
    params = {"start": start, "last": last} | ({} if team is None else {"team": team})
    rolled = _ROLLED.format(week=_ROLLED_WEEK[conn.dialect.name], team=one)
    if not _records_after(conn, as_of, team):
        return rolled, params
    tail = _WEEKLY.format(week=_WEEK[conn.dialect.name], team=one)
    return f"{rolled} AND week < :last UNION ALL {tail}", {**params, "first": last, "end": end}


def _records_after(conn: Connection, as_of: date, team: int | None = None) -> bool:
    """Whether the week of ``as_of`` holds records after it (of ``team``, when given): an
    assessment of a past day, whose last week is summed from its days."""
    one = "" if team is None else ONE_TEAM
    later = text(f"SELECT 1 FROM team_week WHERE week = :last AND last_day > :d{one} LIMIT 1")
    params = {"last": monday(as_of), "d": as_of} | ({} if team is None else {"team": team})
    return conn.execute(later, text_params(params)).first() is not None


def weekly_records(conn: Connection, as_of: date, days: int) -> pl.DataFrame:
    """One row per team and week of the window, read from the weekly rollup (the week of a
    past ``as_of`` summed from its days)."""
    sql, params = _weekly_query(conn, as_of, days)
    return frame(conn, sql, WEEKLY_SCHEMA, **params)


_SUMS = """
SELECT team_id, {totals},
  COUNT(y) AS n,
  COALESCE(SUM(CASE WHEN y IS NOT NULL THEN week END), 0) AS sx,
  COALESCE(SUM(y), 0) AS sy,
  COALESCE(SUM(CASE WHEN y IS NOT NULL THEN week * week END), 0) AS sxx,
  COALESCE(SUM(week * y), 0) AS sxy,
  COALESCE(SUM(y * y), 0) AS syy
FROM (SELECT w.*, CASE WHEN planned > 0 THEN actual * 1.0 / planned END AS y FROM ({weeks}) w) v
GROUP BY team_id
"""
SUMS_SCHEMA = {
    "team_id": pl.Int64,
    **{k: v for k, v in WEEKLY_SCHEMA.items() if k not in ("team_id", "week")},
    "n": pl.Int64,
    "sx": pl.Float64,
    "sy": pl.Float64,
    "sxx": pl.Float64,
    "sxy": pl.Float64,
    "syy": pl.Float64,
}


# Each team's running sums at its latest week on or before {d}, a Monday (rollup_repo.RUNNING):
# the teams with that very week through the primary key (one range), the others (a team
# without records that week) one lookup each through the (team, week) key. On SQLite CROSS
# JOIN keeps team the outer table: left to itself the planner scanned the whole rollup
# (1.1 s against 0.02 s at 10,000 teams); PostgreSQL 0.06 s against 0.17 s for lookups only.
_RUNNING_AT = """SELECT c.team_id, {columns} FROM team_week c WHERE c.week = {d}
UNION ALL
SELECT t.id, {columns} FROM team t {join} team_week c ON c.team_id = t.id
  AND c.week = (SELECT MAX(x.week) FROM team_week x WHERE x.team_id = t.id AND x.week <= {d})
WHERE NOT EXISTS (SELECT 1 FROM team_week e WHERE e.week = {d} AND e.team_id = t.id)"""
_COUNTS = ("days", "target_days", "on_target", "incident_days", "defect_days", "n")


# The window's part of each team's running sums: those at its last week minus those before
# its first, in the database (a row a team with records in the window leaves it, not two).
_BETWEEN = """WITH hi AS ({hi}), lo AS ({lo})
SELECT hi.team_id, {diffs} FROM hi LEFT JOIN lo ON lo.team_id = hi.team_id
WHERE hi.c_days - COALESCE(lo.c_days, 0) > 0"""


def _running_between(conn: Connection, before: date, last: date) -> pl.DataFrame:
    """Per team with records in the weeks after ``before`` up to ``last`` (Mondays), the
    difference of its running sums."""
    join = "CROSS JOIN" if conn.dialect.name == "sqlite" else "JOIN"
    columns = ", ".join(f"c.{c}" for c in RUNNING)
    sql = _BETWEEN.format(
        hi=_RUNNING_AT.format(columns=columns, join=join, d=":hi"),
        lo=_RUNNING_AT.format(columns=columns, join=join, d=":lo"),
        diffs=", ".join(f"hi.{c} - COALESCE(lo.{c}, 0) AS {c}" for c in RUNNING),
    )
    schema = {"team_id": pl.Int64, **dict.fromkeys(RUNNING, pl.Float64)}
    return frame(conn, sql, schema, hi=last, lo=before)


def window_sums(conn: Connection, as_of: date, days: int) -> pl.DataFrame:
    """Per team, the window's totals and the sums of its weekly completion series
    (assess/kpis.py's ``window_sums``): the difference of the team's running sums at the
    window's last week and before its first — two rows a team, whatever the window's length
    — plus, when ``as_of`` is a past day inside a week with later records, that week summed
    from its days."""
    start, end = window(as_of, days)
    last = monday(as_of)
    tail = _records_after(conn, as_of)
    upto = last - timedelta(weeks=1) if tail else last
    diff = _running_between(conn, start - timedelta(weeks=1), upto)
    w0 = (start - EPOCH_MONDAY).days // 7  # the window's first week, as the running sums count
    n, sw = pl.col("c_n"), pl.col("c_w")
    sums = diff.select(
        "team_id",
        *(pl.col(f"c_{k}").alias(k) for k in WEEKLY),
        n=n,
        sx=sw - n * w0,
        sy=pl.col("c_y"),
        sxx=pl.col("c_ww") - 2 * w0 * sw + n * w0 * w0,
        sxy=pl.col("c_wy") - w0 * pl.col("c_y"),
        syy=pl.col("c_yy"),
    )
    if tail:
        weeks = _WEEKLY.format(week=_WEEK[conn.dialect.name], team="")
        summed = ", ".join(f"COALESCE(SUM({k}), 0) AS {k}" for k in WEEKLY)
        sql = _SUMS.format(totals=summed, weeks=weeks)
        part = frame(conn, sql, SUMS_SCHEMA, start=start, first=last, end=end)
        columns = [c for c in SUMS_SCHEMA if c != "team_id"]
        sums = (
            pl.concat([sums, part.select(sums.columns).cast(sums.schema)])
            .group_by("team_id")
            .agg(pl.col(columns).sum())
        )
    return (
        sums.with_columns(pl.col(_COUNTS).round().cast(pl.Int64))
        .filter(pl.col("days") > 0)
        .select(list(SUMS_SCHEMA))
        .cast(SUMS_SCHEMA)
    )


def weekly_from_days(
    conn: Connection, start: date, first: date, end: date, team: int | None = None
) -> pl.DataFrame:
    """The same rows summed from the daily records of ``first`` … ``end``, weeks counted from
    ``start`` (the rollup's sums, for a part of a week, and the reference in tests); of one
    ``team`` only, when given."""
    sql = _WEEKLY.format(week=_WEEK[conn.dialect.name], team="" if team is None else ONE_TEAM)
    params = {} if team is None else {"team": team}
    return frame(conn, sql, WEEKLY_SCHEMA, start=start, first=first, end=end, **params)


def teams(conn: Connection) -> pl.DataFrame:
    sql = """SELECT t.id, t.code, t.name, u.id, u.code, u.name, t.line, t.shift
             FROM team t JOIN org_unit u ON u.id = t.unit_id"""
    schema = {
        "team_id": pl.Int64,
        "team": pl.Utf8,
        "name": pl.Utf8,
        "unit_id": pl.Int64,
        "unit": pl.Utf8,
        "unit_name": pl.Utf8,
        "line": pl.Utf8,
        "shift": pl.Utf8,
    }
    return frame(conn, sql, schema)


def among(column: str, teams: list[int] | None) -> str:
    """The SQL condition "``column`` is one of ``teams``" (always true for None)."""
    if teams is None:
        return "1 = 1"
    return f"{column} IN ({','.join(str(int(t)) for t in teams) or 'NULL'})"


def _people_of(column: str, teams: list[int] | None) -> str:
    """The SQL condition "``column`` is a person of ``teams``", in any role on any day
    (always true for None)."""
    if teams is None:
        return "1 = 1"
    return f"{column} IN (SELECT person_id FROM membership WHERE {among('team_id', teams)})"


def memberships(conn: Connection, as_of: date, teams: list[int] | None = None) -> pl.DataFrame:
    """Who is in which team with which role on ``as_of`` (one row per role held; of
    ``teams`` only, when given)."""
    sql = (
        "SELECT team_id, person_id, role FROM membership "
        f"WHERE {active_on()} AND {among('team_id', teams)}"
    )
    schema = {"team_id": pl.Int64, "person_id": pl.Int64, "role": pl.Utf8}
    return frame(conn, sql, schema, d=as_of)


def posts(conn: Connection, teams: list[int] | None = None) -> pl.DataFrame:
    schema = {"team_id": pl.Int64, "post": pl.Utf8, "headcount": pl.Float64}
    sql = f"SELECT team_id, post, headcount FROM team_post WHERE {among('team_id', teams)}"
    return frame(conn, sql, schema)


def skills(
    conn: Connection, min_level: float = 0.0, teams: list[int] | None = None
) -> pl.DataFrame:
    """Everyone's skills at ``min_level`` or above (of the people of ``teams`` only, when
    given)."""
    schema = {"person_id": pl.Int64, "skill": pl.Utf8, "level": pl.Float64}
    sql = (
        "SELECT person_id, skill, level FROM person_skill "
        f"WHERE level >= :q AND {_people_of('person_id', teams)}"
    )
    return frame(conn, sql, schema, q=min_level)


def nominations(
    conn: Connection, survey: date | None, question: str, teams: list[int] | None = None
) -> pl.DataFrame:
    """The answers to ``question`` of the survey of ``survey`` (none for None; of the people
    of ``teams`` only, when given)."""
    schema = {"nominator_id": pl.Int64, "nominee_id": pl.Int64, "question": pl.Utf8}
    if survey is None:
        return pl.DataFrame(schema=schema)
    sql = f"""SELECT nominator_id, nominee_id, question FROM nomination
              WHERE survey_date = :d AND question = :q AND {_people_of("nominator_id", teams)}"""
    return frame(conn, sql, schema, d=survey, q=question)


_LATEST_CHECKS = """SELECT c.team_id, c.item, c.in_place FROM checklist_check c
  JOIN (SELECT team_id, item, MAX(checked_on) AS last FROM checklist_check
        WHERE checked_on BETWEEN :a AND :b GROUP BY team_id, item) m
    ON m.team_id = c.team_id AND m.item = c.item AND m.last = c.checked_on"""


def latest_checks(conn: Connection, as_of: date, max_age_days: int) -> pl.DataFrame:
    """Each team's latest check of each checklist item, on or before ``as_of``."""
    schema = {"team_id": pl.Int64, "item": pl.Utf8, "in_place": pl.Boolean}
    a = as_of - timedelta(days=max_age_days)
    return frame(conn, _LATEST_CHECKS, schema, a=a, b=as_of)


# Each team's latest check of each item in one ordered pass over the key (team, item, day):
# SQLite takes a bare column from the row holding MAX(), PostgreSQL has DISTINCT ON (0.85 s
# and 0.53 s at 100,000 teams, against 1.1 s and 1.2 s for the join of _LATEST_CHECKS).
_LATEST_IN_PLACE = {
    "sqlite": """SELECT team_id, in_place, MAX(checked_on) FROM checklist_check
      WHERE checked_on BETWEEN :a AND :b GROUP BY team_id, item""",
    "postgresql": """SELECT DISTINCT ON (team_id, item) team_id, in_place FROM checklist_check
      WHERE checked_on BETWEEN :a AND :b ORDER BY team_id, item, checked_on DESC""",
}


def checklist_sums(conn: Connection, as_of: date, max_age_days: int) -> pl.DataFrame:
    """Per team: the share of its latest item checks in place (assess/kpis.py's
    ``checklist_sums``)."""
    sql = (
        "SELECT team_id, AVG(CASE WHEN in_place THEN 1.0 ELSE 0.0 END) AS checklist_share "
        f"FROM ({_LATEST_IN_PLACE[conn.dialect.name]}) x GROUP BY team_id"
    )
    schema = {"team_id": pl.Int64, "checklist_share": pl.Float64}
    a = as_of - timedelta(days=max_age_days)
    return frame(conn, sql, schema, a=a, b=as_of)


def team_weekly(conn: Connection, team_id: int, as_of: date, days: int) -> list[dict]:
    """One team's weeks of the window (the same rows as ``weekly_records``): its sparklines.
    Plain rows, no frame: a team page reads a dozen of them."""
    sql, params = _weekly_query(conn, as_of, days, team_id)
    return [dict(r) for r in conn.execute(text(sql), text_params(params)).mappings()]


def period_weeks(conn: Connection, team_id: int, first: date, end: date) -> list[dict]:
    """One team's records of ``first`` … ``end`` summed per week from ``first`` (any period:
    a case study's before and after)."""
    return weekly_from_days(conn, first, first, end, team_id).to_dicts()
