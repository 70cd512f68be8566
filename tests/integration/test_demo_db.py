"""The sample plant written to SQLite and PostgreSQL: every generated row lands, the census
reads it, rebuilding replaces it, and later inserts without an id still work."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select

from teamroots import services
from teamroots.census.demo import DemoSpec, generate
from teamroots.errors import TeamrootsError
from teamroots.store.bulk import delete_all
from teamroots.store.tables import ChecklistCheck, Membership, OrgUnit, Person

SPEC = DemoSpec(teams=20, days=40)


def expected_counts() -> dict[str, int]:
    counts: Counter[str] = Counter()
    for batch in generate(SPEC):
        counts[batch.table] += len(batch.rows)
    return dict(counts)


def by_name(written: dict) -> dict[str, int]:
    return {getattr(k, "__tablename__", k): v for k, v in written.items()}


def test_demo_builds_counts_and_rebuilds(settings, db):
    services.init_database(settings)
    expected = expected_counts()
    assert by_name(services.census.build_demo(db, SPEC)) == expected
    counts = services.census.table_counts(db)
    rolled = counts.pop("team_week")  # summed from the records, not generated
    assert {name: n for name, n in counts.items() if n} == expected
    assert counts["team"] == 20 and counts["team_record"] == 20 * 40
    days = [SPEC.end - timedelta(days=i) for i in range(SPEC.days)]
    assert rolled == 20 * len({d - timedelta(days=d.weekday()) for d in days})

    census = services.census.census(db)
    assert census.records == 800 and census.last_day == SPEC.end
    assert census.first_day == date(2026, 9, 22)
    assert census.people == counts["person"] and census.cadres == counts["cadre"]
    assert sum(u.teams for u in census.units) == 20

    with pytest.raises(TeamrootsError):
        services.census.build_demo(db, SPEC)
    services.census.build_demo(db, SPEC, replace=True)
    assert services.census.table_counts(db) == {**counts, "team_week": rolled}


def test_values_round_trip_and_ids_continue(db):
    services.census.build_demo(db, SPEC)
    with db.write() as conn:
        ended = conn.execute(
            select(Membership.start_date, Membership.end_date).where(
                Membership.end_date.is_not(None)
            )
        ).all()
        assert ended and all(isinstance(s, date) and e >= s for s, e in ended)
        in_place = set(conn.execute(select(ChecklistCheck.in_place).distinct()).scalars())
        assert in_place <= {True, False} and in_place
        top = conn.execute(select(func.max(Person.id))).scalar_one()
        new = conn.execute(
            insert(Person).values(employee_no="X1", name="New").returning(Person.id)
        ).scalar_one()
        assert new == top + 1
        unit = conn.execute(
            insert(OrgUnit).values(code="X", name="X", kind="office").returning(OrgUnit.id)
        ).scalar_one()
        assert unit > 1


def test_delete_all_empties_every_table(db):
    services.census.build_demo(db, SPEC)
    with db.write() as conn:
        delete_all(conn)
    assert not any(services.census.table_counts(db).values())
