"""Calibrating a rubric to a plant's own figures (``teamroots rubric calibrate``).

Absolute thresholds suit one plant and not another. Each criterion's threshold is proposed from
the distribution of its KPI over the plant's teams: a tier-2 (base) criterion so that the
bottom ``bottom`` share of the teams fails it (e.g. tier 3 = the bottom fifth on completion), a
tier-1 criterion so that only the best ``top`` share passes. Yes/no KPIs keep their threshold.
The result is the rubric's own text with the thresholds replaced, so a person can read it, edit
it and pass it to ``--rubric``.
"""

from __future__ import annotations

import re

import polars as pl

from teamroots.assess.rubric import Criterion, Rubric
from teamroots.assess.tiers import YES_NO_KPIS, mask_thin_records

COUNT_KPIS = ("core_members",)  # whole numbers


def propose(kpis: pl.DataFrame, rubric: Rubric, bottom: float, top: float) -> dict[str, float]:
    """Criterion name → proposed threshold (criteria whose KPI nobody has are left out)."""
    frame = mask_thin_records(kpis, rubric.min_days)
    out = {}
    for c in rubric.criteria:
        if c.kpi in YES_NO_KPIS:
            continue
        values = frame[c.kpi].drop_nulls().cast(pl.Float64)
        if values.is_empty():
            continue
        out[c.name] = _threshold(values, c, bottom if c.gate == "tier2" else 1 - top)
    return out


def _threshold(values: pl.Series, c: Criterion, fail_share: float) -> float:
    """The value below which (for ``>=``; above which for ``<=``) ``fail_share`` of the teams
    fall."""
    q = fail_share if c.op in (">=", ">") else 1 - fail_share
    value = float(values.quantile(min(max(q, 0.0), 1.0), interpolation="linear"))
    if c.kpi in COUNT_KPIS:
        return float(round(value))
    return round(value, 3)


_CRITERION = re.compile(r"\[\[criteria\]\](.*?)(?=\n\[|\Z)", re.S)


def rewrite(text: str, thresholds: dict[str, float], note: str) -> str:
    """The rubric's text with each named criterion's ``threshold`` replaced, and ``note`` as a
    comment at the top."""

    def one(match: re.Match) -> str:
        block = match.group(0)
        name = re.search(r'^name\s*=\s*"([^"]+)"', block, re.M)
        if not name or name.group(1) not in thresholds:
            return block
        value = thresholds[name.group(1)]
        return re.sub(r"^threshold\s*=\s*[-+0-9.eE]+", f"threshold = {value:g}", block, flags=re.M)

    body = _CRITERION.sub(one, text)
    header = "".join(f"# {line}\n" for line in note.splitlines())
    return header + body
