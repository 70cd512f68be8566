"""Panels with a known, planted effect, for the tests and the benchmark of track/effects.

A panel is a KPI (points, around 80) of ``n_teams`` teams over ``n_periods`` weeks: a level of
its own per team, a trend common to all teams (a drift and a random walk), noise that carries
over from week to week within a team (AR(1)), and staggered adoption — the treated teams fall
into cohorts first treated at different weeks inside the panel, a share is never treated.
From its first treated week on, a team's KPI rises by the planted effect.

``growth`` makes the effect grow with the weeks since treatment (heterogeneous and dynamic
effects, where a two-way fixed-effects regression is biased); ``truth`` is then the average
planted effect over the treated (cohort, week) cells, weighted by cohort size — what the
estimator's overall figure targets. ``pre_trend`` breaks parallel trends the way selection
does (a team is trained because it slipped): over the ``pre_weeks`` weeks before its
treatment a treated team's KPI moves by ``pre_trend`` points a week, and the others' does not;
the spell ends at treatment (with ``pre_trend`` < 0, Ashenfelter's dip).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PlantedPanel:
    rows: list[tuple[str, int, float]]  # (team, week, KPI)
    treated: dict[str, int | None]  # each team's first treated week; None: never
    truth: float  # the planted overall effect (``effect`` when it does not grow)


def planted_panel(
    seed: int,
    n_teams: int = 60,
    n_periods: int = 52,
    effect: float = 4.0,
    *,
    n_cohorts: int = 4,
    never_share: float = 0.25,
    noise: float = 2.0,
    rho: float = 0.3,
    growth: float = 0.0,
    pre_trend: float = 0.0,
    pre_weeks: int = 6,
    missing: float = 0.0,
) -> PlantedPanel:
    """A staggered-adoption panel with ``effect`` points added from each team's first treated
    week (times ``1 + growth · weeks since``); ``missing`` drops that share of rows at random."""
    rng = np.random.default_rng(seed)
    first = _cohorts(rng, n_teams, n_periods, n_cohorts, never_share)
    level = rng.normal(80.0, 5.0, n_teams)
    trend = 0.05 * np.arange(n_periods) + rng.normal(0.0, 0.5, n_periods).cumsum()
    y = level[:, None] + trend[None, :] + _shocks(rng, (n_teams, n_periods), noise, rho)
    since = np.arange(n_periods)[None, :] - first[:, None]  # NaN for never treated
    with np.errstate(invalid="ignore"):
        post = since >= 0
        pre = since < 0
    tau = np.where(post, effect * (1.0 + growth * np.nan_to_num(since)), 0.0)
    lead = np.clip(np.nan_to_num(since), -pre_weeks, 0) + pre_weeks
    y += tau + np.where(pre, pre_trend * lead, 0.0)
    keep = rng.random((n_teams, n_periods)) >= missing
    teams = [f"T{i:04d}" for i in range(n_teams)]
    rows = [
        (teams[i], t, float(y[i, t]))
        for i in range(n_teams)
        for t in range(n_periods)
        if keep[i, t]
    ]
    treated = {teams[i]: None if np.isnan(first[i]) else int(first[i]) for i in range(n_teams)}
    truth = float(tau[post].mean()) if post.any() else effect
    return PlantedPanel(rows, treated, truth)


def _shocks(
    rng: np.random.Generator, shape: tuple[int, int], noise: float, rho: float
) -> np.ndarray:
    """Noise of standard deviation ``noise`` that carries over from week to week: AR(1) with
    coefficient ``rho``, stationary from the first week."""
    shock = rng.normal(0.0, noise * np.sqrt(1 - rho**2), shape)
    shock[:, 0] = rng.normal(0.0, noise, shape[0])
    for t in range(1, shape[1]):
        shock[:, t] += rho * shock[:, t - 1]
    return shock


def _cohorts(
    rng: np.random.Generator, n_teams: int, n_periods: int, n_cohorts: int, never_share: float
) -> np.ndarray:
    """Each team's first treated week (NaN: never): cohorts spread evenly over the middle
    half of the panel, teams dealt to them at random."""
    weeks = np.unique(np.linspace(n_periods // 4, 3 * n_periods // 4, n_cohorts).round())
    never = round(never_share * n_teams)
    first = np.concatenate([np.full(never, np.nan), np.resize(weeks, n_teams - never)])
    return rng.permutation(first)
