"""The weekly rollup of daily records (team_week), kept up to date from team_record in the
same transaction as every write to it. A refresh is two SQL statements: the affected teams'
calendar weeks from the first day written on are deleted and summed again from their daily
rows, each with the team's running sums up to it (so a window's sums are the difference of
two rows: store/assess_repo.window_sums)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, text

from teamroots.store.people_repo import as_date

# A day's calendar week, to group by, and its Monday, from that group. On SQLite the week is
# the Julian day number divided by 7 (day number 0 was a Monday): half the time of strftime.
WEEK = {
    "sqlite": "CAST(julianday(day) + 0.5 AS INTEGER) / 7",
    "postgresql": "CAST(date_trunc('week', day) AS date)",
}
MONDAY = {
    "sqlite": "date(CAST(julianday(day) + 0.5 AS INTEGER) / 7 * 7 - 0.5)",
    "postgresql": "CAST(date_trunc('week', day) AS date)",
}
SUMS = """COUNT(*) AS days,
  SUM(CASE WHEN actual IS NOT NULL THEN planned END) AS planned,
  SUM(CASE WHEN planned IS NOT NULL THEN actual END) AS actual,
  COUNT(CASE WHEN planned > 0 AND actual IS NOT NULL THEN 1 END) AS target_days,
  SUM(CASE WHEN planned > 0 AND actual >= planned THEN 1 ELSE 0 END) AS on_target,
  SUM(CASE WHEN members_present IS NOT NULL THEN members_scheduled END) AS scheduled,
  SUM(CASE WHEN members_scheduled IS NOT NULL THEN members_present END) AS present_when_due,
  SUM(members_present) AS member_days,
  SUM(incidents) AS incidents, COUNT(incidents) AS incident_days,
  SUM(defects) AS defects, COUNT(defects) AS defect_days"""
WEEKLY = (
    "days", "planned", "actual", "target_days", "on_target", "scheduled", "present_when_due",
    "member_days", "incidents", "incident_days", "defects", "defect_days",
)  # fmt: skip
# A week's completion y (actual / planned, when planned) and its number w counted from the
# week of 2000-01-03: the running sums of a team's weekly completion series are kept as
# n, Σw, Σy, Σw², Σwy, Σy², so that any window's are two rows' difference.
SERIES = ("n", "w", "y", "ww", "wy", "yy")
RUNNING = tuple(f"c_{k}" for k in (*WEEKLY, *SERIES))
_W = {
    "sqlite": "(CAST(julianday(day) + 0.5 AS INTEGER) / 7 - 350221)",
    # as a double: its square overflows PostgreSQL's integer for a date before about 1112
    "postgresql": "CAST((CAST(date_trunc('week', day) AS date) - DATE '2000-01-03') / 7 "
    "AS double precision)",
}
EPOCH_MONDAY = date(2000, 1, 3)
_Y = "CASE WHEN g.planned > 0 THEN g.actual * 1.0 / g.planned END"
_TERMS = {
    **{f"c_{k}": f"COALESCE(g.{k}, 0)" for k in WEEKLY},
    "c_n": "CASE WHEN g.planned > 0 THEN 1 ELSE 0 END",
    "c_w": "CASE WHEN g.planned > 0 THEN g.wk ELSE 0 END",
    "c_y": f"COALESCE({_Y}, 0)",
    "c_ww": "CASE WHEN g.planned > 0 THEN g.wk * g.wk ELSE 0 END",
    "c_wy": f"COALESCE(g.wk * ({_Y}), 0)",
    "c_yy": f"COALESCE(({_Y}) * ({_Y}), 0)",
}
COLUMNS = ("team_id", "week", *WEEKLY, "last_day", *RUNNING)
MANY_TEAMS = 2000  # above this, a refresh covers every team of the days touched

# A team's weeks from :lo on, summed from its days, each with its running sums: those of the
# team's last week before :lo (the base, kept) plus the weeks' own so far.
_FILL = """INSERT INTO team_week ({columns})
SELECT g.team_id, g.week, {weekly}, g.last_day, {running}
FROM (SELECT team_id, {monday} AS week, MIN({wk}) AS wk, {sums}, MAX(day) AS last_day
      FROM team_record WHERE day >= :lo{among} GROUP BY team_id, {week}) g
LEFT JOIN team_week b ON b.team_id = g.team_id AND b.week = (
  SELECT MAX(x.week) FROM team_week x WHERE x.team_id = g.team_id AND x.week < :lo)
WINDOW t AS (PARTITION BY g.team_id ORDER BY g.week ROWS UNBOUNDED PRECEDING)
ORDER BY g.week, g.team_id"""  # a week's rows together: on PostgreSQL's heap too


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _fill(conn: Connection, among: str) -> str:
    name = conn.dialect.name
    return _FILL.format(
        columns=", ".join(COLUMNS),
        weekly=", ".join(f"g.{k}" for k in WEEKLY),
        running=", ".join(f"COALESCE(b.{c}, 0) + SUM({_TERMS[c]}) OVER t" for c in RUNNING),
        monday=MONDAY[name],
        wk=_W[name],
        sums=SUMS,
        among=among,
        week=WEEK[name],
    )


def refresh(conn: Connection, teams: set[int] | None, first: date) -> None:
    """Sum again the calendar weeks from ``first``'s on, for ``teams`` (all for None, or
    when there are many): every later week too, whose running sums change with it."""
    among = ""
    if teams is not None and len(teams) <= MANY_TEAMS:
        among = f" AND team_id IN ({','.join(str(int(t)) for t in sorted(teams)) or 'NULL'})"
    lo = monday(first)
    conn.execute(text(f"DELETE FROM team_week WHERE week >= :lo{among}"), {"lo": lo})
    conn.execute(text(_fill(conn, among)), {"lo": lo})


def rebuild(conn: Connection) -> int:
    """Sum every week again from every daily record; how many weeks were written."""
    conn.execute(text("DELETE FROM team_week"))
    return conn.execute(text(_fill(conn, "")), {"lo": date(1, 1, 1)}).rowcount


# Both through the rollup's week-first key: the newest week's latest day, and the days of the
# oldest week (read from the daily records' (team, day) key for the teams of that week only).
# MIN/MAX(day) over team_record read all of it: 0.15 s on PostgreSQL, 0.1 s on SQLite at
# 10,000 teams x 365 days, against about a millisecond.
_LAST_DAY = """SELECT MAX(last_day) FROM team_week
  WHERE week = (SELECT MAX(week) FROM team_week)"""
_FIRST_DAY = """SELECT MIN((SELECT MIN(r.day) FROM team_record r WHERE r.team_id = w.team_id))
  FROM team_week w WHERE w.week = (SELECT MIN(week) FROM team_week)"""


def last_record_day(conn: Connection) -> date | None:
    """The last day with a daily record."""
    return as_date(conn.execute(text(_LAST_DAY)).scalar())


def first_record_day(conn: Connection) -> date | None:
    """The first day with a daily record."""
    return as_date(conn.execute(text(_FIRST_DAY)).scalar())
