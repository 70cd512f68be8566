"""The whole assessment as one pure function: inputs and a rubric in, the document that
`teamroots assess --json` prints out (schema in the README)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from teamroots.assess import diagnosis, explain, kpis, tiers
from teamroots.assess.rubric import Rubric


def assess(
    inputs: kpis.Inputs, rubric: Rubric, as_of: date, survey_date: date | None
) -> tuple[dict[str, Any], pl.DataFrame]:
    """The assessment document, and the evaluated frame (one row per team) it was built from."""
    frame = evaluate(inputs, rubric)
    return document(frame, rubric, as_of, survey_date), frame


def evaluate(inputs: kpis.Inputs, rubric: Rubric) -> pl.DataFrame:
    """The evaluated frame: one row per team with its KPIs, criteria, tier, score, ranks and
    diagnosis — everything the document says, as columns."""
    return diagnosis.diagnose(tiers.evaluate(kpis.compute(inputs), rubric), rubric)


def document(
    frame: pl.DataFrame, rubric: Rubric, as_of: date, survey_date: date | None
) -> dict[str, Any]:
    """The document `teamroots assess --json` prints, built from the evaluated frame."""
    teams = explain.results(frame, rubric, survey=survey_date is not None)
    return {
        "review_id": None,
        "as_of": as_of.isoformat(),
        "window_days": rubric.window_days,
        "survey_date": survey_date.isoformat() if survey_date else None,
        "rubric": {"name": rubric.name, "version": rubric.version, "sha256": rubric.sha256},
        "summary": explain.summary(teams),
        "teams": teams,
    }
