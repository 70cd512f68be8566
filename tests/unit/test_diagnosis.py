"""The diagnosis agrees with the criteria: an item only where one of its criteria failed, with
that criterion's value and threshold; every backward team gets at least one."""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamroots.assess import diagnosis, tiers
from teamroots.assess.kpis import KPI_NAMES
from teamroots.assess.rubric import load_rubric

RUBRIC = load_rubric()
VALUE = st.one_of(st.none(), st.floats(-0.2, 4, allow_nan=False))


@st.composite
def kpi_frames(draw):
    n = draw(st.integers(1, 12))
    cols = {k: [draw(VALUE) for _ in range(n)] for k in KPI_NAMES}
    cols["leader_in_post"] = [draw(st.sampled_from([None, 0.0, 1.0])) for _ in range(n)]
    return pl.DataFrame(
        {
            "team_id": list(range(n)),
            "team": [f"T{i}" for i in range(n)],
            "unit_id": [1] * n,
            "days_reported": [draw(st.integers(0, 90)) for _ in range(n)],
            **cols,
        },
        schema_overrides={k: pl.Float64 for k in KPI_NAMES},
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kpi_frames())
def test_no_item_contradicts_a_passed_criterion(frame):
    judged = diagnosis.diagnose(tiers.evaluate(frame, RUBRIC), RUBRIC)
    for row in judged.iter_rows(named=True):
        for code, names in RUBRIC.diagnosis.items():
            failed = [n for n in names if row[f"pass:{n}"] is False]
            assert row[f"diag:{code}"] == bool(failed), (code, row)
            evidence = diagnosis.evidence(row, RUBRIC, code)
            assert [e["criterion"] for e in evidence] == failed
            assert all(e["threshold"] is not None and e["op"] for e in evidence)
        if row["tier"] == 3:
            assert any(row[f"diag:{code}"] for code in RUBRIC.diagnosis), row


def test_every_tier2_criterion_has_a_diagnosis():
    """So that a backward team (it failed a tier-2 criterion) always hears why."""
    named = {n for names in RUBRIC.diagnosis.values() for n in names}
    assert {c.name for c in RUBRIC.criteria if c.gate == "tier2"} <= named


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kpi_frames())
def test_a_tier_claims_only_what_was_measured(frame):
    judged = tiers.evaluate(frame, RUBRIC)
    tier2 = [c.name for c in RUBRIC.criteria if c.gate == "tier2"]
    for row in judged.iter_rows(named=True):
        unmeasured = (
            row["leader_in_post"] is None
            or (row["leader_in_post"] >= 1 and row["leader_support"] is None)
            or row["core_members"] is None
        )
        if unmeasured:  # never "core formed"
            assert row["tier"] != 1 and row["provisional"]
        if all(row[f"pass:{n}"] is None for n in tier2):  # nothing to judge: not backward
            assert row["tier"] is None
        if row["tier"] == 3:
            assert any(row[f"pass:{n}"] is False for n in tier2)


def test_calibrated_thresholds_follow_the_plants_distribution():
    from teamroots.assess.calibrate import propose, rewrite
    from teamroots.assess.rubric import default_rubric_path, rubric_from_dict

    n = 100
    frame = pl.DataFrame(
        {
            "team_id": list(range(n)),
            "team": [f"T{i}" for i in range(n)],
            "unit_id": [1] * n,
            "days_reported": [90] * n,
            **{k: [None] * n for k in KPI_NAMES},
        },
        schema_overrides={k: pl.Float64 for k in KPI_NAMES},
    ).with_columns(completion=pl.Series([0.8 + 0.003 * i for i in range(n)]))
    got = propose(frame, RUBRIC, bottom=0.2, top=0.6)
    assert set(got) == {"completion", "completion_advanced"}
    assert abs(got["completion"] - (0.8 + 0.003 * 19.8)) < 1e-3  # a fifth below it
    assert abs(got["completion_advanced"] - (0.8 + 0.003 * 39.6)) < 1e-3  # 60% at or above
    import tomllib

    text = rewrite(default_rubric_path().read_text(encoding="utf-8"), got, "calibrated\nhere")
    assert text.startswith("# calibrated\n# here\n")
    again = rubric_from_dict(tomllib.loads(text))
    by_name = {c.name: c.threshold for c in again.criteria}
    assert by_name["completion"] == got["completion"]
    assert by_name["attendance"] == 0.88  # not proposed: kept as it was
