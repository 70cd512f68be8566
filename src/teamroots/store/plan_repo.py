"""What the plans read (people, teams, survey votes, latest tiers) and how plans are stored.

Plans are proposals: stored as JSON with their kind and status, applied only by approval
(``people_repo.set_team_roles`` writes the membership history; this module who approved when).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, insert, select, text, update

from teamroots.domain.choices import PlanKind, PlanStatus, Question, Role, Tier
from teamroots.domain.rows import (
    CadreRow,
    LeaderFacts,
    LinksFacts,
    MemberRow,
    PostRow,
    ResultRow,
    SkillRow,
    TagRow,
    TeamRow,
    TierRow,
    TrainingFacts,
    UnitRow,
    VoteRow,
)
from teamroots.errors import NotFound
from teamroots.store.people_repo import active_on, as_date, latest_survey_date
from teamroots.store.tables import Plan

_TEAMS = (
    "SELECT t.id, t.code, t.unit_id, u.code, t.line, t.shift, t.name FROM team t "
    "JOIN org_unit u ON u.id = t.unit_id"
)


def _rows(conn: Connection, sql: str, **params) -> list[tuple]:
    return [tuple(r) for r in conn.execute(text(sql), params)]


def teams(conn: Connection, order: str = "t.id") -> list[TeamRow]:
    return [TeamRow(*r) for r in _rows(conn, f"{_TEAMS} ORDER BY {order}")]


def units(conn: Connection) -> list[UnitRow]:
    return [UnitRow(*r) for r in _rows(conn, "SELECT id, code, kind, parent_id FROM org_unit")]


def posts(conn: Connection) -> list[PostRow]:
    return [PostRow(*r) for r in _rows(conn, "SELECT team_id, post, headcount FROM team_post")]


def latest_tiers(conn: Connection) -> list[TierRow]:
    """Each team's tier and score in the newest review (empty before any)."""
    rows = _rows(
        conn,
        "SELECT team_id, tier, score FROM review_team "
        "WHERE review_id = (SELECT MAX(id) FROM review)",
    )
    return [TierRow(team, Tier.of(tier), score) for team, tier, score in rows]


def _members(conn: Connection, where: str, order: str, **params) -> list[MemberRow]:
    rows = _rows(
        conn,
        "SELECT m.person_id, m.team_id, m.role, p.employee_no, p.hire_date, m.start_date, "
        f"p.name FROM membership m JOIN person p ON p.id = m.person_id "
        f"WHERE {active_on('m')} AND {where} ORDER BY {order}",
        **params,
    )
    return [
        MemberRow(p, t, Role(r), no, as_date(h), as_date(s), name or "")
        for p, t, r, no, h, s, name in rows
    ]


def leader_facts(conn: Connection, as_of: date, survey_max_age_days: int) -> LeaderFacts:
    """What the leadership plan reads, as of ``as_of``."""
    survey = latest_survey_date(conn, as_of, survey_max_age_days)
    votes = (
        _rows(
            conn,
            "SELECT nominator_id, nominee_id, question FROM nomination WHERE survey_date = :s",
            s=survey,
        )
        if survey
        else []
    )
    return LeaderFacts(
        teams=teams(conn),
        members=_members(conn, "m.person_id NOT IN (SELECT person_id FROM cadre)", "m.id", d=as_of),
        tags=[TagRow(*r) for r in _rows(conn, "SELECT person_id, tag FROM person_designation")],
        skills=[
            SkillRow(*r) for r in _rows(conn, "SELECT person_id, skill, level FROM person_skill")
        ],
        posts=posts(conn),
        votes=[VoteRow(a, b, Question(q)) for a, b, q in votes],
        tiers=latest_tiers(conn),
        survey_date=survey,
        survey_teams=_members(conn, "1 = 1", "m.id", d=survey) if survey else [],
    )


def training_facts(conn: Connection, day: date) -> TrainingFacts:
    """What the training plan reads: leaders and deputies in office on ``day``."""
    return TrainingFacts(
        units=units(conn),
        teams=teams(conn),
        roles=_members(
            conn,
            "m.role IN ('leader', 'deputy')",
            "m.role DESC, m.team_id, m.person_id",
            d=day,
        ),
        tiers=latest_tiers(conn),
    )


def links_facts(conn: Connection) -> LinksFacts:
    """What the cadre links plan reads."""
    cadres = _rows(
        conn,
        "SELECT c.person_id, p.employee_no, c.unit_id, p.name FROM cadre c "
        "JOIN person p ON p.id = c.person_id ORDER BY p.employee_no",
    )
    skills = _rows(
        conn,
        "SELECT s.person_id, s.skill, s.level FROM person_skill s "
        "JOIN cadre c ON c.person_id = s.person_id",
    )
    return LinksFacts(
        units=units(conn),
        cadres=[CadreRow(*r) for r in cadres],
        teams=teams(conn, "t.code"),
        skills=[SkillRow(*r) for r in skills],
        posts=posts(conn),
        tiers=latest_tiers(conn),
    )


class StoredPlan(NamedTuple):
    id: int
    kind: PlanKind
    status: PlanStatus
    document: dict[str, Any]
    approved_by: str | None
    approved_at: datetime | None = None
    created_at: datetime | None = None


def latest_plan_id(conn: Connection, kind: PlanKind) -> int | None:
    """The id of the newest plan of a kind."""
    return conn.execute(
        select(Plan.id).where(Plan.kind == kind.value).order_by(Plan.id.desc()).limit(1)
    ).scalar()


def load_plan(conn: Connection, plan_id: int) -> StoredPlan:
    row = conn.execute(
        select(
            Plan.kind,
            Plan.status,
            Plan.payload,
            Plan.approved_by,
            Plan.approved_at,
            Plan.created_at,
        ).where(Plan.id == plan_id)
    ).first()
    if row is None:
        raise NotFound("There is no plan {plan}.", plan=plan_id)
    return StoredPlan(
        plan_id,
        PlanKind(row.kind),
        PlanStatus(row.status),
        json.loads(row.payload),
        row.approved_by,
        row.approved_at,
        row.created_at,
    )


def plan_list(conn: Connection) -> list[StoredPlan]:
    """Every stored plan, newest first, without its document."""
    rows = conn.execute(
        select(
            Plan.id, Plan.kind, Plan.status, Plan.approved_by, Plan.approved_at, Plan.created_at
        ).order_by(Plan.id.desc())
    ).all()
    return [
        StoredPlan(
            r.id,
            PlanKind(r.kind),
            PlanStatus(r.status),
            {},
            r.approved_by,
            r.approved_at,
            r.created_at,
        )
        for r in rows
    ]


def save_plan(conn: Connection, kind: PlanKind, document: dict[str, Any]) -> int:
    """Store a new proposal; its id is written into the document too."""
    plan_id = conn.execute(
        insert(Plan)
        .values(
            kind=kind.value,
            status=PlanStatus.PROPOSED.value,
            created_at=datetime.now(UTC),
            payload="{}",
        )
        .returning(Plan.id)
    ).scalar_one()
    document["plan_id"] = plan_id
    update_plan(conn, plan_id, document)
    return plan_id


def update_plan(conn: Connection, plan_id: int, document: dict[str, Any]) -> None:
    conn.execute(
        update(Plan)
        .where(Plan.id == plan_id)
        .values(payload=json.dumps(document, ensure_ascii=False))
    )


def mark_approved(conn: Connection, plan_id: int, by: str) -> bool:
    """Mark a proposal approved; False when it was no longer a proposal (another approval got
    there first), so that the caller rolls back what it applied."""
    done = conn.execute(
        update(Plan)
        .where(Plan.id == plan_id, Plan.status == PlanStatus.PROPOSED.value)
        .values(status=PlanStatus.APPROVED.value, approved_by=by, approved_at=datetime.now(UTC))
    )
    return done.rowcount == 1


RESULT_FIELDS = ("attended", "score_before", "score_after")


def upsert_results(
    conn: Connection, plan_id: int, rows: list[ResultRow], fields: frozenset[str]
) -> dict[str, int]:
    """Write a training plan's results (person ids); only new or changed rows, and of a stored
    row only ``fields`` (what the file has: a column it lacks keeps what is stored)."""
    have = {
        r[0]: ResultRow(r[0], None if r[1] is None else bool(r[1]), r[2], r[3])
        for r in _rows(
            conn,
            "SELECT person_id, attended, score_before, score_after FROM training_result "
            "WHERE plan_id = :p",
            p=plan_id,
        )
    }
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    for row in rows:
        values = {
            "p": plan_id,
            "q": row.person,
            "a": row.attended,
            "b": row.score_before,
            "f": row.score_after,
        }
        old = have.get(row.person)
        if old is not None:  # keep what the file does not say
            row = row._replace(**{f: getattr(old, f) for f in RESULT_FIELDS if f not in fields})
            values.update(a=row.attended, b=row.score_before, f=row.score_after)
        if old is None:
            sql = (
                "INSERT INTO training_result (plan_id, person_id, attended, score_before, "
                "score_after) VALUES (:p, :q, :a, :b, :f)"
            )
            counts["new"] += 1
        elif old != row:
            sql = (
                "UPDATE training_result SET attended = :a, score_before = :b, "
                "score_after = :f WHERE plan_id = :p AND person_id = :q"
            )
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
            continue
        conn.execute(text(sql), values)
    return counts


def results(conn: Connection, plan_id: int) -> list[ResultRow]:
    """The results recorded for a training plan, by employee number."""
    rows = _rows(
        conn,
        "SELECT p.employee_no, r.attended, r.score_before, r.score_after FROM training_result r "
        "JOIN person p ON p.id = r.person_id WHERE r.plan_id = :p",
        p=plan_id,
    )
    return [ResultRow(no, None if a is None else bool(a), b, f) for no, a, b, f in rows]


def latest_approved_document(conn: Connection, kind: PlanKind) -> dict | None:
    """The document of the newest approved plan of a kind (None before any)."""
    payload = conn.execute(
        select(Plan.payload)
        .where(Plan.kind == kind.value, Plan.status == PlanStatus.APPROVED.value)
        .order_by(Plan.id.desc())
        .limit(1)
    ).scalar()
    return json.loads(payload) if payload else None
