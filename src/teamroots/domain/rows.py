"""Rows as the store hands them to the rest of teamroots: named, with real dates and enums.

A column's position is never a contract between files: ``store/`` fills these, ``plan/`` and
``services/`` read them by name. The facts bundles are what each plan reads from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from teamroots.domain.choices import AccessRole, Question, Role, Tier


class UnitRow(NamedTuple):
    id: int
    code: str
    kind: str
    parent_id: int | None


class TeamRow(NamedTuple):
    id: int
    code: str
    unit_id: int
    unit_code: str
    line: str | None
    shift: str | None
    name: str = ""


class MemberRow(NamedTuple):
    """One role a person holds in a team on the day asked for."""

    person_id: int
    team_id: int
    role: Role
    employee_no: str
    hire_date: date | None
    since: date | None = None  # when this role started
    name: str = ""


class TagRow(NamedTuple):
    person_id: int
    tag: str


class SkillRow(NamedTuple):
    person_id: int
    skill: str
    level: float


class PostRow(NamedTuple):
    team_id: int
    post: str
    headcount: float


class VoteRow(NamedTuple):
    nominator_id: int
    nominee_id: int
    question: Question


class TierRow(NamedTuple):
    """A team's tier and score in the newest review."""

    team_id: int
    tier: Tier
    score: float | None


class CadreRow(NamedTuple):
    person_id: int
    employee_no: str
    unit_id: int
    name: str = ""


class PersonRef(NamedTuple):
    employee_no: str
    id: int


class ResultRow(NamedTuple):
    """A trainee's training result: by person id when written, by employee number when read."""

    person: int | str
    attended: bool | None
    score_before: float | None
    score_after: float | None


@dataclass(frozen=True)
class LeaderFacts:
    """What the leadership plan reads, as of one day."""

    teams: list[TeamRow]
    members: list[MemberRow]  # cadres are not candidates and are left out
    tags: list[TagRow]
    skills: list[SkillRow]
    posts: list[PostRow]
    votes: list[VoteRow]  # of the latest survey in the allowed age, [] without one
    tiers: list[TierRow]
    survey_date: date | None = None
    survey_teams: list[MemberRow] = field(default_factory=list)  # who was where on that day


@dataclass(frozen=True)
class TrainingFacts:
    """What the training plan reads: leaders and deputies in office on the first batch's day."""

    units: list[UnitRow]
    teams: list[TeamRow]
    roles: list[MemberRow]  # leaders first, then deputies, by team and person
    tiers: list[TierRow]


@dataclass(frozen=True)
class LinksFacts:
    """What the cadre links plan reads."""

    units: list[UnitRow]
    cadres: list[CadreRow]
    teams: list[TeamRow]
    skills: list[SkillRow]  # of cadres
    posts: list[PostRow]
    tiers: list[TierRow]


class UnitCensus(NamedTuple):
    """A unit in the census, with its own teams' counts (not its children's)."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    teams: int
    members: int  # people in its teams now
    responded: int  # of them, who answered the latest peer survey


@dataclass(frozen=True)
class Census:
    units: list[UnitCensus]
    people: int
    cadres: int
    records: int
    first_day: date | None
    last_day: date | None
    survey_date: date | None
    nominations: int
    checks: int


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the signed-in user (or a CLI operator acting as one)."""

    user_id: int
    name: str
    role: AccessRole
    unit_code: str | None = None
    team_code: str | None = None
    employee_no: str | None = None
