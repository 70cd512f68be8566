"""The census as counts: per unit and for the plant as a whole; and rows per table."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, func, select, text

from teamroots.domain.rows import Census, UnitCensus
from teamroots.store.import_repo import count_rows
from teamroots.store.people_repo import active_on, as_date, latest_survey_date
from teamroots.store.tables import FILL_ORDER, Membership, Nomination, OrgUnit, Team, TeamRecord


def census_summary(conn: Connection) -> Census:
    """Counts for the census, as of today: per unit, and for the plant as a whole."""
    today = date.today()
    current = text(active_on("membership")).bindparams(d=today)
    units = conn.execute(
        select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.kind, OrgUnit.parent_id).order_by(
            OrgUnit.id
        )
    ).all()
    teams = dict(conn.execute(select(Team.unit_id, func.count()).group_by(Team.unit_id)).all())
    members = dict(
        conn.execute(
            select(Team.unit_id, func.count(func.distinct(Membership.person_id)))
            .join(Team, Membership.team_id == Team.id)
            .where(current)
            .group_by(Team.unit_id)
        ).all()
    )
    survey = latest_survey_date(conn, today)
    responded: dict[int, int] = {}
    if survey is not None:
        q = (
            select(Team.unit_id, func.count(func.distinct(Nomination.nominator_id)))
            .join(Membership, Membership.person_id == Nomination.nominator_id)
            .join(Team, Membership.team_id == Team.id)
            .where(Nomination.survey_date == survey, current)
            .group_by(Team.unit_id)
        )
        responded = dict(conn.execute(q).all())
    rec = conn.execute(
        select(func.count(), func.min(TeamRecord.day), func.max(TeamRecord.day))
    ).one()
    return Census(
        units=[
            UnitCensus(*r, teams.get(r.id, 0), members.get(r.id, 0), responded.get(r.id, 0))
            for r in units
        ],
        people=count_rows(conn, "person"),
        cadres=count_rows(conn, "cadre"),
        records=rec[0],
        first_day=as_date(rec[1]),
        last_day=as_date(rec[2]),
        survey_date=survey,
        nominations=count_rows(conn, "nomination"),
        checks=count_rows(conn, "checklist_check"),
    )


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows in every table: what tests compare before and after a failed import."""
    return {t.__tablename__: count_rows(conn, t.__tablename__) for t in FILL_ORDER}


def unit_exists(conn: Connection, code: str) -> bool:
    from sqlalchemy import func, select

    from teamroots.store.tables import OrgUnit

    found = conn.execute(select(OrgUnit.id).where(func.lower(OrgUnit.code) == code.lower()))
    return found.first() is not None
