"""Tiers, scores and ranks, column-wise over the KPI frame.

A criterion is assessed when its KPI is not null; it passes when ``kpi op threshold``.
A team passes a gate when no more than the gate's ``max_failed`` assessed criteria fail
(0 by default) and at least its ``min_assessed`` are assessed. Tier 1 (advanced) = passes
the tier2 and tier1 gates; tier 2 (intermediate) = passes the tier2 gate; else tier 3.
Ranking: by tier, then by composite score (higher first), then by team code.
"""

from __future__ import annotations

import polars as pl

from teamroots.assess.kpis import PRODUCTION_KPIS
from teamroots.assess.rubric import GATES, Condition, Rubric

BORDERLINE = 0.02  # a value within 2% of its threshold is flagged


def condition_expr(c: Condition) -> pl.Expr:
    value = pl.col(c.kpi).cast(pl.Float64)
    return {
        ">=": value >= c.threshold,
        ">": value > c.threshold,
        "<=": value <= c.threshold,
        "<": value < c.threshold,
    }[c.op]


YES_NO_KPIS = ("leader_in_post",)


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


def evaluate(kpis: pl.DataFrame, rubric: Rubric) -> pl.DataFrame:
    """Adds per criterion ``pass:NAME`` (null = not assessed) and ``near:NAME``, then
    ``tier``, ``score``, ``rank_in_plant`` and ``rank_in_unit``."""
    frame = mask_thin_records(kpis, rubric.min_days).with_columns(
        [condition_expr(c).alias(f"pass:{c.name}") for c in rubric.criteria]
        + [borderline_expr(c).fill_null(False).alias(f"near:{c.name}") for c in rubric.criteria]
    )
    gate_pass = {}
    for gate in GATES:
        cols = [f"pass:{c.name}" for c in rubric.criteria if c.gate == gate]
        if not cols:
            gate_pass[gate] = pl.lit(True)
            continue
        failed = pl.sum_horizontal([(pl.col(c) == False).fill_null(False) for c in cols])  # noqa: E712
        assessed = pl.sum_horizontal([pl.col(c).is_not_null() for c in cols])
        gate_pass[gate] = (failed <= rubric.max_failed[gate]) & (
            assessed >= rubric.min_assessed[gate]
        )
    frame = frame.with_columns(
        tier=pl.when(gate_pass["tier2"] & gate_pass["tier1"])
        .then(1)
        .when(gate_pass["tier2"])
        .then(2)
        .otherwise(3),
        score=score_expr(rubric),
    )
    return rank(frame)


def rank(frame: pl.DataFrame) -> pl.DataFrame:
    ordered = frame.sort(
        ["tier", "score", "team"], descending=[False, True, False], nulls_last=True
    ).with_row_index("rank_in_plant", offset=1)
    return ordered.with_columns(
        rank_in_unit=pl.col("rank_in_plant").rank("ordinal").over("unit_id")
    ).with_columns(pl.col("rank_in_plant").cast(pl.Int64), pl.col("rank_in_unit").cast(pl.Int64))
