"""What an assessment reads, summed per team (the window's weeks and the checklists in the
database: store/assess_repo.py), equals what assess/kpis.py's polars functions make of the rows
themselves, for generated plants and days, on SQLite and PostgreSQL; and so do the KPIs
computed from each."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamroots import services
from teamroots.assess import kpis
from teamroots.assess.rubric import load_rubric
from teamroots.census.demo import DemoSpec
from teamroots.domain.choices import Question
from teamroots.store import assess_repo
from teamroots.store.people_repo import latest_survey_date


def _rows(conn, as_of, rubric) -> kpis.Inputs:
    start, end = assess_repo.window(as_of, rubric.window_days)
    survey = latest_survey_date(conn, as_of, rubric.survey_max_age_days)
    nominations = assess_repo.nominations(conn, survey, Question.TRUST_TO_LEAD.value)
    return kpis.Inputs.from_rows(
        teams=assess_repo.teams(conn),
        weekly=assess_repo.weekly_from_days(conn, start, start, end),
        members=assess_repo.memberships(conn, as_of),
        posts=assess_repo.posts(conn),
        skills=assess_repo.skills(conn),
        nominations=nominations,
        checks=assess_repo.latest_checks(conn, as_of, rubric.checklist_max_age_days),
    )


def _same(a: pl.DataFrame, b: pl.DataFrame, what: str) -> None:
    a, b = a.sort("team_id"), b.select(a.columns).sort("team_id")
    assert a.height == b.height, what
    for column in a.columns:
        for p, q in zip(a[column].to_list(), b[column].to_list(), strict=True):
            same = p == q or (p is not None and q is not None and abs(p - q) < 1e-9)
            assert same, (what, column, p, q)


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 10_000), teams=st.integers(2, 14), back=st.integers(0, 60))
def test_the_databases_sums_equal_the_rows_own(db, seed, teams, back):
    spec = DemoSpec(seed=seed, teams=teams, days=90)
    services.census.build_demo(db, spec, replace=True)
    rubric = load_rubric()
    as_of = spec.end - timedelta(days=back)
    summed, _survey, _kept = services.assess.load_inputs(db, as_of, rubric)
    with db.read() as conn:
        rows = _rows(conn, as_of, rubric)
    for name in ("sums", "labour", "leadership", "checks"):
        _same(getattr(summed, name), getattr(rows, name), name)
    _same(kpis.compute(summed).drop("team", "name", "unit", "unit_name", "line", "shift"),
          kpis.compute(rows), "kpis")  # fmt: skip
