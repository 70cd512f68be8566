"""The staggered difference-in-differences estimator on panels made here: a planted effect is
found, too few teams is "not enough data", a planted pre-trend is caught, and the estimate
does not depend on the order of the rows."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from teamroots.track.effects import estimate


def panel(seed: int, teams: int = 40, periods: int = 30, effect: float = 3.0, pre: float = 0.0):
    """Team and period effects, noise, four cohorts and never-treated teams; ``pre`` adds a
    trend before treatment to the treated teams only (parallel trends broken)."""
    rng = np.random.default_rng(seed)
    level = rng.normal(80, 5, teams)
    season = rng.normal(0, 1, periods).cumsum()
    cohorts = [8, 12, 16, 20, None]
    first = {f"T{i}": cohorts[i % len(cohorts)] for i in range(teams)}
    rows = []
    for i in range(teams):
        g = first[f"T{i}"]
        for t in range(periods):
            y = level[i] + season[t] + rng.normal(0, 1.5)
            if g is not None and t >= g:
                y += effect
            if g is not None and t < g:
                y += pre * (t - g)
            rows.append((f"T{i}", t, y))
    return rows, first


def test_a_planted_effect_is_covered_in_17_of_20_panels_and_parallel_trends_pass():
    found = [estimate(*panel(seed)) for seed in range(20)]
    assert sum(e.low <= 3.0 <= e.high for e in found) >= 17
    assert abs(np.mean([e.estimate for e in found]) - 3.0) < 0.3  # unbiased
    assert sum(e.pre_trend_p < 0.05 for e in found) <= 3  # the test's size, about 5 %
    got = found[0]
    assert {p.e for p in got.events} >= {-3, -1, 0, 5}
    assert next(p for p in got.events if p.e == -1).estimate == 0.0


def test_too_few_teams_is_not_enough_data():
    rows, first = panel(2, teams=5)
    got = estimate(rows, first)
    assert not got.enough and got.reason in ("few_treated", "few_control")
    assert got.estimate is None
    never = {team: None for team in first}
    assert estimate(rows, never).reason == "few_treated"


def test_a_broken_parallel_trend_is_caught():
    rows, first = panel(3, pre=1.5)
    assert estimate(rows, first).pre_trend_p < 0.01


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000))
def test_the_estimate_does_not_depend_on_the_order_of_rows(seed):
    rows, first = panel(seed % 7, teams=25, periods=20)
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    a, b = estimate(rows, first), estimate(shuffled, first)
    assert a.estimate == b.estimate and a.se == b.se
