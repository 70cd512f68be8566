"""Tiers, scores and ranks, column-wise over the KPI frame.

A criterion is assessed when its KPI is not null; it passes when ``kpi op threshold``.
A team passes a gate when no more than the gate's ``max_failed`` assessed criteria fail
(0 by default) and at least its ``min_assessed`` are assessed. Tier 1 (advanced) = passes
the tier2 and tier1 gates; tier 2 (intermediate) = passes the tier2 gate; tier 3 (backward) =
fails the tier2 gate *by failing criteria*. A tier claims only what was measured:

- a team that fails the tier2 gate only for want of data is *not assessed* (tier null), not
  backward;
- a team whose leadership (leader in post, the team's trust in the leader, the core) was not
  measured cannot be advanced ("core formed"): it is tier 2 at most, and its tier is
  *provisional* until what is missing is collected.

Ranking: by tier (not assessed last), then by composite score (higher first), then by code.
"""

from __future__ import annotations

import polars as pl

from teamroots.assess.kpis import PRODUCTION_KPIS
from teamroots.assess.rubric import GATES, Condition, Rubric

BORDERLINE = 0.02  # a value within 2% of its threshold is flagged
# KPIs are compared with thresholds, and scores ordered, at 9 decimal places: a completion of
# exactly 98% is 0.98 whichever order its days were summed in (0.9800000000000001 by one,
# 0.9799999999999998 by another), so that the last bit of floating point decides no tier.
DECIMALS = 9


def condition_expr(c: Condition) -> pl.Expr:
    value = pl.col(c.kpi).cast(pl.Float64).round(DECIMALS)
    return {
        ">=": value >= c.threshold,
        ">": value > c.threshold,
        "<=": value <= c.threshold,
        "<": value < c.threshold,
    }[c.op]


YES_NO_KPIS = ("leader_in_post",)
LEADERSHIP_KPIS = ("leader_in_post", "leader_support", "core_members")


def borderline_expr(c: Condition) -> pl.Expr:
    """Within 2% of the threshold; never for a yes/no KPI (it is on one side or the other)."""
    if c.kpi in YES_NO_KPIS:
        return pl.lit(False)
    value = pl.col(c.kpi).cast(pl.Float64)
    return (value - c.threshold).abs() <= BORDERLINE * max(abs(c.threshold), 1e-9)


def mask_thin_records(kpis: pl.DataFrame, min_days: int) -> pl.DataFrame:
    """Production KPIs from fewer than ``min_days`` records are not assessed (null)."""
    thin = pl.col("days_reported") < min_days
    return kpis.with_columns(
        [pl.when(thin).then(None).otherwise(pl.col(k)).alias(k) for k in PRODUCTION_KPIS]
    )


def score_expr(rubric: Rubric) -> pl.Expr:
    parts, weights = [], []
    for s in rubric.score:
        scaled = ((pl.col(s.kpi).cast(pl.Float64) - s.worst) / (s.best - s.worst)).clip(0, 1)
        parts.append((scaled * s.weight).fill_null(0))
        weights.append(pl.when(pl.col(s.kpi).is_not_null()).then(s.weight).otherwise(0.0))
    total = pl.sum_horizontal(weights)
    return pl.when(total > 0).then(100 * pl.sum_horizontal(parts) / total).otherwise(None)


def leadership_unmeasured() -> pl.Expr:
    """No members on record, or a leader in post whose support no survey measured, or no
    roles on record: nothing says whether the core is formed. (A team with no leader in post
    is measured: it has none.)"""
    in_post = pl.col("leader_in_post").cast(pl.Float64)
    return (
        in_post.is_null()
        | ((in_post >= 1) & pl.col("leader_support").is_null())
        | pl.col("core_members").is_null()
    ).fill_null(True)


def evaluate(kpis: pl.DataFrame, rubric: Rubric) -> pl.DataFrame:
    """Adds per criterion ``pass:NAME`` (null = not assessed) and ``near:NAME``, then
    ``tier``, ``score``, ``rank_in_plant`` and ``rank_in_unit``."""
    frame = mask_thin_records(kpis, rubric.min_days).with_columns(
        [condition_expr(c).alias(f"pass:{c.name}") for c in rubric.criteria]
        + [borderline_expr(c).fill_null(False).alias(f"near:{c.name}") for c in rubric.criteria]
    )
    gate_pass, gate_failed = {}, {}
    for gate in GATES:
        cols = [f"pass:{c.name}" for c in rubric.criteria if c.gate == gate]
        if not cols:
            gate_pass[gate], gate_failed[gate] = pl.lit(True), pl.lit(False)
            continue
        failed = pl.sum_horizontal([(pl.col(c) == False).fill_null(False) for c in cols])  # noqa: E712
        assessed = pl.sum_horizontal([pl.col(c).is_not_null() for c in cols])
        gate_failed[gate] = failed > rubric.max_failed[gate]
        gate_pass[gate] = ~gate_failed[gate] & (assessed >= rubric.min_assessed[gate])
    unmeasured = leadership_unmeasured()
    frame = frame.with_columns(
        tier=pl.when(gate_pass["tier2"] & gate_pass["tier1"] & ~unmeasured)
        .then(1)
        .when(gate_pass["tier2"])
        .then(2)
        .when(gate_failed["tier2"])
        .then(3)
        .otherwise(None)
        .cast(pl.Int64),
        provisional=unmeasured,
        score=score_expr(rubric),
    )
    return rank(frame)


def rank(frame: pl.DataFrame) -> pl.DataFrame:
    ordered = frame.sort(
        [pl.col("tier"), pl.col("score").round(DECIMALS), pl.col("team")],
        descending=[False, True, False],
        nulls_last=True,
    ).with_row_index("rank_in_plant", offset=1)
    return ordered.with_columns(
        rank_in_unit=pl.col("rank_in_plant").rank("ordinal").over("unit_id")
    ).with_columns(pl.col("rank_in_plant").cast(pl.Int64), pl.col("rank_in_unit").cast(pl.Int64))
