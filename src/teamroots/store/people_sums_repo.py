"""Each team's people-side sums kept between assessments (team_people, migration 0020): read
those that hold for a day and a survey, and store those an assessment made, stamped with the
``gen`` its snapshot saw — a write after that snapshot has raised ``gen`` (the triggers), so
what it stored is not trusted."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Column, Connection, MetaData, Table

from teamroots.store.assess_repo import among
from teamroots.store.bulk import insert_rows
from teamroots.store.frames import frame
from teamroots.store.tables import TeamPeople

LABOUR = {"required": pl.Float64, "covered": pl.Float64, "members": pl.Int64}
LEADERSHIP = {
    "size": pl.Int64, "core_members": pl.Int64, "roles": pl.Int64, "leader_roles": pl.Int64,
    "leader_id": pl.Int64, "responded": pl.Int64, "for_leader": pl.Int64,
}  # fmt: skip
SCHEMA = {"team_id": pl.Int64, "labour": pl.Boolean, **LABOUR, "leadership": pl.Boolean,
          **LEADERSHIP}  # fmt: skip

_VALID = """SELECT {columns} FROM team_people
WHERE computed_gen = gen AND version = :v AND valid_from <= :d AND valid_to > :d
  AND {survey}"""


def valid(conn: Connection, as_of: date, survey: date | None, version: int) -> pl.DataFrame:
    """The kept sums that hold on ``as_of`` with the survey of ``survey`` (None: no survey),
    made by ``version`` of the sums: a row a team (SCHEMA; ``split`` parts it)."""
    which = "survey_date IS NULL" if survey is None else "survey_date = :s"
    sql = _VALID.format(columns=", ".join(SCHEMA), survey=which)
    params = {"v": version, "d": as_of} | ({} if survey is None else {"s": survey})
    return frame(conn, sql, SCHEMA, **params)


def split(kept: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Kept sums as kpis.labour_sums and leadership_sums give them: (labour, leadership)."""
    labour = kept.filter(pl.col("labour")).select("team_id", *LABOUR)
    leadership = kept.filter(pl.col("leadership")).select("team_id", *LEADERSHIP)
    return labour, leadership


# Above this share of teams whose kept sums do not hold, every team's are read and made
# again (reading a few teams' rows through their ids is the faster only for a few).
STALE_SHARE = 0.3


def stale(teams: pl.DataFrame, kept: pl.DataFrame) -> list[int] | None:
    """The teams whose kept sums do not hold (a team without members or posts has a row
    too): their ids, or None when they are many (all are made again)."""
    stale = teams.filter(~pl.col("team_id").is_in(kept["team_id"]))["team_id"]
    if teams.height == 0 or stale.len() > STALE_SHARE * teams.height:
        return None
    return stale.to_list()


def gens(conn: Connection, teams: list[int] | None = None) -> pl.DataFrame:
    """Every kept row's ``gen`` (of ``teams`` only, when given; a team without a row is at
    0)."""
    schema = {"team_id": pl.Int64, "gen": pl.Int64}
    sql = f"SELECT team_id, gen FROM team_people WHERE {among('team_id', teams)}"
    return frame(conn, sql, schema)


_SPANS = """SELECT team_id,
  MAX(CASE WHEN start_date <= :d THEN start_date END),
  MAX(CASE WHEN end_date < :d THEN end_date END),
  MIN(CASE WHEN start_date > :d THEN start_date END),
  MIN(CASE WHEN end_date >= :d THEN end_date END)
FROM membership WHERE {among} GROUP BY team_id"""
FIRST, LAST = date(1, 1, 1), date(9999, 12, 31)


def spans(conn: Connection, as_of: date, teams: list[int] | None = None) -> pl.DataFrame:
    """Per team with memberships, the days around ``as_of`` on which none of them starts or
    ends: [valid_from, valid_to). A membership is active from its start to its end day, so
    it changes the team on its start and on the day after its end."""
    ends = ("s_lo", "e_lo", "s_hi", "e_hi")
    schema = {"team_id": pl.Int64, **dict.fromkeys(ends, pl.Utf8)}  # ISO text on either engine
    sql = _SPANS.format(among=among("team_id", teams))
    found = frame(conn, sql, schema, d=as_of).with_columns(pl.col(ends).str.to_date())
    day = pl.duration(days=1)
    return found.select(
        "team_id",
        valid_from=pl.max_horizontal("s_lo", pl.col("e_lo") + day).fill_null(FIRST),
        # an end on 9999-12-31 ("no end") would hold until 10000-01-01, past any date
        valid_to=pl.min_horizontal("s_hi", pl.col("e_hi") + day)
        .clip(upper_bound=LAST)
        .fill_null(LAST),
    )


COLUMNS = ("team_id", "computed_gen", "version", "valid_from", "valid_to", "survey_date",
           *(c for c in SCHEMA if c != "team_id"))  # fmt: skip


def keep(conn: Connection, sums: pl.DataFrame) -> None:
    """Store ``sums`` (one row per team, COLUMNS), over what was kept for those teams; never
    ``gen``, which only the triggers raise. Staged in a temporary table by the bulk writer
    (COPY on PostgreSQL): 100,000 rows in a fraction of the 1.6 s of a row-by-row upsert."""
    staged = Table(
        "team_people_new",
        MetaData(),
        *(Column(c.name, c.type) for c in TeamPeople.__table__.columns if c.name in COLUMNS),
        prefixes=["TEMPORARY"],
    )
    staged.create(conn)  # on an error the transaction's rollback takes it away too
    insert_rows(conn, staged, COLUMNS, sums.select(COLUMNS).rows())
    names = ", ".join(COLUMNS)
    sets = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
    conn.exec_driver_sql(
        f"INSERT INTO team_people ({names}) SELECT {names} FROM team_people_new WHERE true "
        f"ON CONFLICT (team_id) DO UPDATE SET {sets}"
    )
    staged.drop(conn)


def stamped(
    teams: pl.DataFrame,
    labour: pl.DataFrame,
    leadership: pl.DataFrame,
    gens: pl.DataFrame,
    spans: pl.DataFrame,
    survey: date | None,
    version: int,
) -> pl.DataFrame:
    """Every team's sums as ``keep`` stores them: with the ``gen`` the snapshot saw, the days
    they hold, the survey and the version they were made with."""
    return (
        teams.select("team_id")
        .join(labour.with_columns(labour=pl.lit(True)), on="team_id", how="left")
        .join(leadership.with_columns(leadership=pl.lit(True)), on="team_id", how="left")
        .join(gens, on="team_id", how="left")
        .join(spans, on="team_id", how="left")
        .with_columns(
            pl.col("labour", "leadership").fill_null(False),
            computed_gen=pl.col("gen").fill_null(0),
            version=pl.lit(version),
            valid_from=pl.col("valid_from").fill_null(FIRST),
            valid_to=pl.col("valid_to").fill_null(LAST),
            survey_date=pl.lit(survey, dtype=pl.Date),
        )
        .select(COLUMNS)
    )
