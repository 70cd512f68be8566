"""Exports: every kind's rows in the format ``teamroots import`` reads back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from teamroots.store.tables import (
    Cadre,
    ChecklistCheck,
    Membership,
    Nomination,
    OrgUnit,
    Person,
    PersonDesignation,
    PersonSkill,
    Team,
    TeamPost,
    TeamRecord,
)


def _pairs(conn: Connection, table, fk, name, value) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    cols = [fk, name] + ([value] if value is not None else [])
    for row in conn.execute(select(*cols).order_by(fk, name)):
        text = row[1] if value is None else f"{row[1]}: {_num(row[2])}"
        out.setdefault(row[0], []).append(text)
    return {k: "; ".join(v) for k, v in out.items()}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def export_rows(conn: Connection, kind: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The columns and rows of ``kind`` exactly as ``teamroots import KIND`` reads them."""
    return _EXPORTS[kind](conn)


def _units(conn):
    parent = aliased(OrgUnit)
    q = (
        select(OrgUnit.code, OrgUnit.name, OrgUnit.kind, parent.code)
        .outerjoin(parent, OrgUnit.parent_id == parent.id)
        .order_by(OrgUnit.id)
    )
    return ["code", "name", "kind", "parent"], iter(conn.execute(q))


def _teams(conn):
    posts = _pairs(conn, TeamPost, TeamPost.team_id, TeamPost.post, TeamPost.headcount)
    q = (
        select(Team.id, Team.code, Team.name, OrgUnit.code, Team.line, Team.shift)
        .join(OrgUnit, Team.unit_id == OrgUnit.id)
        .order_by(Team.id)
    )
    rows = ((*r[1:], posts.get(r[0])) for r in conn.execute(q))
    return ["code", "name", "unit", "line", "shift", "posts"], rows


def _people(conn):
    skills = _pairs(conn, PersonSkill, PersonSkill.person_id, PersonSkill.skill, PersonSkill.level)
    tags = _pairs(conn, PersonDesignation, PersonDesignation.person_id, PersonDesignation.tag, None)
    q = select(Person.id, Person.employee_no, Person.name, Person.hire_date).order_by(Person.id)
    rows = ((*r[1:], skills.get(r[0]), tags.get(r[0])) for r in conn.execute(q))
    return ["employee_no", "name", "hire_date", "skills", "designations"], rows


def _memberships(conn):
    q = (
        select(
            Person.employee_no,
            Team.code,
            Membership.role,
            Membership.start_date,
            Membership.end_date,
        )
        .join(Person, Membership.person_id == Person.id)
        .join(Team, Membership.team_id == Team.id)
        .order_by(Membership.id)
    )
    return ["person", "team", "role", "start_date", "end_date"], iter(conn.execute(q))


def _cadres(conn):
    q = (
        select(Person.employee_no, Cadre.level, OrgUnit.code)
        .join(Person, Cadre.person_id == Person.id)
        .join(OrgUnit, Cadre.unit_id == OrgUnit.id)
        .order_by(Cadre.id)
    )
    return ["person", "level", "unit"], iter(conn.execute(q))


def _records(conn):
    q = (
        select(
            Team.code,
            TeamRecord.day,
            TeamRecord.planned,
            TeamRecord.actual,
            TeamRecord.members_scheduled,
            TeamRecord.members_present,
            TeamRecord.incidents,
            TeamRecord.defects,
        )
        .join(Team, TeamRecord.team_id == Team.id)
        .order_by(TeamRecord.team_id, TeamRecord.day)
    )
    cols = [
        "team",
        "date",
        "planned",
        "actual",
        "members_scheduled",
        "members_present",
        "incidents",
        "defects",
    ]
    return cols, iter(conn.execution_options(yield_per=10_000).execute(q))


def _nominations(conn):
    nominee = aliased(Person)
    q = (
        select(Nomination.survey_date, Person.employee_no, nominee.employee_no, Nomination.question)
        .join(Person, Nomination.nominator_id == Person.id)
        .join(nominee, Nomination.nominee_id == nominee.id)
        .order_by(Nomination.survey_date, Person.employee_no, nominee.employee_no)
    )
    return ["survey_date", "nominator", "nominee", "question"], iter(conn.execute(q))


def _checklists(conn):
    q = (
        select(Team.code, ChecklistCheck.item, ChecklistCheck.in_place, ChecklistCheck.checked_on)
        .join(Team, ChecklistCheck.team_id == Team.id)
        .order_by(Team.code, ChecklistCheck.checked_on, ChecklistCheck.item)
    )
    return ["team", "item", "in_place", "checked_on"], iter(conn.execute(q))


_EXPORTS = {
    "units": _units,
    "teams": _teams,
    "people": _people,
    "memberships": _memberships,
    "cadres": _cadres,
    "records": _records,
    "nominations": _nominations,
    "checklists": _checklists,
}
