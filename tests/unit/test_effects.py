"""The staggered difference-in-differences estimator (track/effects) on panels with a planted
effect (track/effects_sample): the planted effect and a planted zero are covered, too few
teams is "not enough data", a planted pre-trend is caught and parallel trends pass, and the
estimate does not depend on the order of the rows. The full sweep is bench/bench_effects.py."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamroots.track.effects import Effect, estimate
from teamroots.track.effects_sample import planted_panel

SEEDS = range(20)


def fit(seed: int, **kwargs) -> tuple[Effect, float]:
    panel = planted_panel(seed, **kwargs)
    return estimate(panel.rows, panel.treated), panel.truth


@pytest.mark.parametrize(
    ("effect", "first_seed", "extra"),
    [
        (4.0, 0, {}),
        (0.0, 100, {}),
        # effects growing with the weeks since treatment, 10 % of the rows missing
        (4.0, 200, {"growth": 0.05, "missing": 0.1}),
        # treated teams in cohorts of one or two
        (4.0, 300, {"n_teams": 40, "n_cohorts": 26}),
    ],
)
def test_the_planted_effect_is_covered_in_17_of_20_panels(effect, first_seed, extra):
    found = [fit(first_seed + s, **{"n_teams": 40, "n_periods": 30, **extra}, effect=effect)
             for s in SEEDS]  # fmt: skip
    assert all(e.enough for e, _ in found)
    covered = sum(e.low <= truth <= e.high for e, truth in found)
    assert covered >= 17, covered
    bias = np.mean([e.estimate - truth for e, truth in found])
    spread = np.mean([e.se for e, _ in found])
    assert abs(bias) < 2 * spread / np.sqrt(len(found)) + 0.05  # unbiased


def test_the_event_study_has_the_weeks_before_and_after_with_the_base_at_zero():
    got, _ = fit(1, n_teams=40, n_periods=30)
    weeks = [p.e for p in got.events]
    assert weeks == sorted(weeks) and {-8, -2, -1, 0, 5, 12} <= set(weeks)
    base = next(p for p in got.events if p.e == -1)
    assert (base.estimate, base.low, base.high) == (0.0, 0.0, 0.0)
    e, estimate_, low, high = got.events[-1]  # a named tuple: (e, estimate, low, high)
    assert low < estimate_ < high and e == 12


def test_a_two_by_two_panel_gives_the_plain_difference_in_differences():
    rows = [(f"A{i}", t, 10.0 + i + (5.0 if t == 1 else 0.0)) for i in range(6) for t in (0, 1)]
    rows += [(f"B{i}", t, 20.0 + i + (2.0 if t == 1 else 0.0)) for i in range(6) for t in (0, 1)]
    treated = {f"A{i}": 1 for i in range(6)}  # the B teams are never treated (absent: None)
    got = estimate(rows, treated)
    assert got.enough and got.estimate == pytest.approx(3.0)
    assert got.se == pytest.approx(0.0, abs=1e-12)  # no noise, no uncertainty
    assert (got.n_treated, got.n_control) == (6, 6)


def test_too_few_treated_or_control_teams_is_not_enough_data():
    few = planted_panel(2, n_teams=8, never_share=0.5)  # 4 treated teams
    got = estimate(few.rows, few.treated)
    assert (got.enough, got.reason, got.treated) == (False, "few_treated", 4)
    assert got.estimate is got.se is got.ci is got.pre_trend_p is None and got.events == ()
    assert got.summary_params()["estimate"] is None
    assert estimate(few.rows, few.treated, min_treated=4).enough
    # everyone treated the same week: nobody is left to compare with
    same = planted_panel(2, n_teams=30, n_cohorts=1, never_share=0.0)
    got = estimate(same.rows, same.treated)
    assert (got.enough, got.reason, got.control) == (False, "few_control", 0)
    never = {team: None for team in same.treated}
    assert estimate(same.rows, never).reason == "few_treated"
    assert estimate([], {}).reason == "few_treated"


def test_teams_treated_before_the_panel_starts_are_neither_treated_nor_controls():
    panel = planted_panel(4, n_teams=40, n_periods=30)
    early = {team: (-3 if first is None else first) for team, first in panel.treated.items()}
    got = estimate(panel.rows, early)
    assert got.enough and got.treated < 30  # the last cohort has no one left to compare with
    inside = [r for r in panel.rows if early[r[0]] >= 0]
    alone = estimate(inside, early)
    assert (alone.treated, alone.control) == (got.treated, got.control)
    assert (alone.estimate, alone.se) == pytest.approx((got.estimate, got.se), rel=1e-12)


def test_the_pre_trend_test_passes_parallel_trends_and_catches_a_planted_dip():
    found = [fit(seed, n_teams=40, n_periods=30)[0].pre_trend_p for seed in SEEDS]
    assert sum(p < 0.05 for p in found) <= 3, found  # a 5 % test
    dipped, _ = fit(3, n_teams=40, n_periods=30, pre_trend=-1.0)
    assert dipped.pre_trend_p < 0.01


def test_summary_params_are_the_figures_of_the_sentence():
    got, _ = fit(5, n_teams=40, n_periods=30)
    params = got.summary_params()
    assert params == {
        "estimate": round(got.estimate, 1),
        "low": round(got.low, 1),
        "high": round(got.high, 1),
        "treated": got.treated,
        "control": got.control,
    }
    assert got.ci == (got.low, got.high)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_the_estimate_does_not_depend_on_the_order_of_rows(seed):
    panel = planted_panel(seed % 7, n_teams=25, n_periods=20, missing=0.05)
    shuffled = panel.rows[:]
    random.Random(seed).shuffle(shuffled)
    assert estimate(panel.rows, panel.treated) == estimate(shuffled, panel.treated)
