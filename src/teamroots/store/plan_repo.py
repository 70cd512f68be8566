"""What a plan reads (people, teams, survey shares, latest tiers) and how plans are stored.

Plans are proposals: stored as JSON with their kind and status, applied only by
``approve`` (which writes membership history and who approved when)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, text, update

from teamroots.errors import ConfigError, NotFound
from teamroots.store.tables import Plan


def _rows(conn: Connection, sql: str, **params) -> list[tuple]:
    return [tuple(r) for r in conn.execute(text(sql), params)]


def leader_facts(conn: Connection, as_of: date, survey_max_age_days: int) -> dict[str, Any]:
    """Plain rows for the leadership plan, as of ``as_of``."""
    active = "start_date <= :d AND (end_date IS NULL OR end_date >= :d)"
    survey = conn.execute(
        text("SELECT MAX(survey_date) FROM nomination WHERE survey_date BETWEEN :a AND :d"),
        {"a": as_of - timedelta(days=survey_max_age_days), "d": as_of},
    ).scalar()
    return {
        "teams": _rows(
            conn,
            "SELECT t.id, t.code, u.id, u.code FROM team t "
            "JOIN org_unit u ON u.id = t.unit_id ORDER BY t.id",
        ),
        "members": _rows(
            conn,
            f"SELECT m.person_id, m.team_id, m.role, p.employee_no, "
            f"p.hire_date FROM membership m JOIN person p ON p.id = m.person_id "
            f"WHERE {active} AND m.person_id NOT IN (SELECT person_id FROM cadre)",
            d=as_of,
        ),
        "tags": _rows(conn, "SELECT person_id, tag FROM person_designation"),
        "skills": _rows(conn, "SELECT person_id, skill, level FROM person_skill"),
        "posts": _rows(conn, "SELECT team_id, post, headcount FROM team_post"),
        "votes": _rows(
            conn,
            "SELECT nominator_id, nominee_id, question FROM nomination WHERE survey_date = :s",
            s=survey,
        )
        if survey
        else [],
        "tiers": _rows(
            conn,
            "SELECT team_id, tier FROM review_team WHERE review_id = (SELECT MAX(id) FROM review)",
        ),
    }


def units(conn: Connection) -> list[tuple]:
    """(id, code, kind, parent id) of every org unit."""
    return _rows(conn, "SELECT id, code, kind, parent_id FROM org_unit")


def latest_review(conn: Connection) -> list[tuple]:
    """(team id, tier, score) of the newest review (empty before any)."""
    return _rows(
        conn,
        "SELECT team_id, tier, score FROM review_team "
        "WHERE review_id = (SELECT MAX(id) FROM review)",
    )


def training_facts(conn: Connection, day: date) -> dict[str, Any]:
    """Plain rows for the training plan: leaders and deputies in office on ``day``."""
    return {
        "units": units(conn),
        "teams": _rows(conn, "SELECT id, code, unit_id, line, shift FROM team"),
        "roles": _rows(
            conn,
            "SELECT m.person_id, p.employee_no, m.team_id, m.role FROM membership m "
            "JOIN person p ON p.id = m.person_id WHERE m.role IN ('leader', 'deputy') AND "
            "m.start_date <= :d AND (m.end_date IS NULL OR m.end_date >= :d) "
            "ORDER BY m.role DESC, m.team_id, m.person_id",
            d=day,
        ),
        "review": latest_review(conn),
    }


def links_facts(conn: Connection) -> dict[str, Any]:
    """Plain rows for the cadre links plan."""
    return {
        "units": units(conn),
        "cadres": _rows(
            conn,
            "SELECT c.person_id, p.employee_no, c.unit_id FROM cadre c "
            "JOIN person p ON p.id = c.person_id ORDER BY p.employee_no",
        ),
        "skills": _rows(
            conn,
            "SELECT s.person_id, s.skill, s.level FROM person_skill s "
            "JOIN cadre c ON c.person_id = s.person_id",
        ),
        "teams": _rows(conn, "SELECT id, code, unit_id FROM team ORDER BY code"),
        "posts": _rows(conn, "SELECT team_id, post, headcount FROM team_post"),
        "review": latest_review(conn),
    }


def latest_plan(conn: Connection, kind: str) -> tuple[int, str] | None:
    """(id, status) of the newest plan of a kind."""
    row = conn.execute(
        select(Plan.id, Plan.status).where(Plan.kind == kind).order_by(Plan.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def person_ids(conn: Connection) -> list[tuple]:
    return _rows(conn, "SELECT employee_no, id FROM person")


def upsert_results(conn: Connection, plan_id: int, rows: list[tuple]) -> dict[str, int]:
    """Write (person id, attended, before, after) rows of a plan; only changed rows."""
    have = {
        r[0]: tuple(r[1:])
        for r in _rows(
            conn,
            "SELECT person_id, attended, score_before, score_after FROM training_result "
            "WHERE plan_id = :p",
            p=plan_id,
        )
    }
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    for person, attended, before, after in rows:
        values = {"p": plan_id, "q": person, "a": attended, "b": before, "f": after}
        old = have.get(person)
        if old is None:
            conn.execute(
                text(
                    "INSERT INTO training_result (plan_id, person_id, attended, score_before, "
                    "score_after) VALUES (:p, :q, :a, :b, :f)"
                ),
                values,
            )
            counts["new"] += 1
        elif (None if old[0] is None else bool(old[0]), old[1], old[2]) != (
            attended,
            before,
            after,
        ):
            conn.execute(
                text(
                    "UPDATE training_result SET attended = :a, score_before = :b, "
                    "score_after = :f WHERE plan_id = :p AND person_id = :q"
                ),
                values,
            )
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def results(conn: Connection, plan_id: int) -> list[tuple]:
    """(employee no, attended, before, after) recorded for a training plan."""
    return _rows(
        conn,
        "SELECT p.employee_no, r.attended, r.score_before, r.score_after FROM training_result r "
        "JOIN person p ON p.id = r.person_id WHERE r.plan_id = :p",
        p=plan_id,
    )


def update_plan(conn: Connection, plan_id: int, document: dict[str, Any]) -> None:
    conn.execute(
        update(Plan)
        .where(Plan.id == plan_id)
        .values(payload=json.dumps(document, ensure_ascii=False))
    )


def save_plan(conn: Connection, kind: str, document: dict[str, Any]) -> int:
    plan_id = conn.execute(
        insert(Plan)
        .values(kind=kind, status="proposed", created_at=datetime.now(UTC), payload="{}")
        .returning(Plan.id)
    ).scalar_one()
    document["plan_id"] = plan_id
    conn.execute(
        update(Plan)
        .where(Plan.id == plan_id)
        .values(payload=json.dumps(document, ensure_ascii=False))
    )
    return plan_id


def load_plan(conn: Connection, plan_id: int) -> tuple[str, str, dict[str, Any]]:
    """(kind, status, document) of a stored plan."""
    row = conn.execute(
        select(Plan.kind, Plan.status, Plan.payload).where(Plan.id == plan_id)
    ).first()
    if row is None:
        raise NotFound("There is no plan {plan}.", plan=plan_id)
    return row[0], row[1], json.loads(row[2])


def load_proposed(conn: Connection, plan_id: int, refusal: str) -> tuple[str, dict[str, Any]]:
    """(kind, document) of a plan that is still a proposal; otherwise ConfigError with the
    ``refusal`` msgid (params ``plan``, ``status``)."""
    kind, status, document = load_plan(conn, plan_id)
    if status != "proposed":
        raise ConfigError(refusal, plan=plan_id, status=status)
    return kind, document


def mark_approved(conn: Connection, plan_id: int, by: str) -> None:
    conn.execute(
        update(Plan)
        .where(Plan.id == plan_id)
        .values(status="approved", approved_by=by, approved_at=datetime.now(UTC))
    )
