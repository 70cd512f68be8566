"""The diagnosis: which of the seed practice's named problems hold for a team, with evidence.

Each problem names rubric criteria; it holds when one of them failed (never when they passed or
were not assessed), and its evidence is every failed criterion with its value and threshold.

no_core               no core formed (no leader, little trust in the leader, few core members)
labour_unreasonable   labour organisation unreasonable (required posts not covered by qualified
                      members)
low_attendance        low attendance
tasks_not_completed   tasks often not completed
gains_not_solid       gains not solid (volatile or declining weekly completion)
load_on_leader        the load rests on the leader (千斤担子一人挑)
"""

from __future__ import annotations

import polars as pl

from teamroots.assess.rubric import Rubric
from teamroots.i18n import N_

LABELS = {
    "no_core": N_("no core formed"),
    "labour_unreasonable": N_("labour organisation unreasonable"),
    "low_attendance": N_("low attendance"),
    "tasks_not_completed": N_("tasks often not completed"),
    "gains_not_solid": N_("gains not solid"),
    "load_on_leader": N_("load rests on the leader"),
}


def diagnose(frame: pl.DataFrame, rubric: Rubric) -> pl.DataFrame:
    """Adds a boolean ``diag:CODE`` per problem: true when one of its criteria failed."""
    return frame.with_columns(
        [
            pl.any_horizontal(
                [(pl.col(f"pass:{n}") == False).fill_null(False) for n in names]  # noqa: E712
            ).alias(f"diag:{code}")
            for code, names in rubric.diagnosis.items()
        ]
    )


def evidence(row: dict, rubric: Rubric, code: str) -> list[dict]:
    """The failed criteria behind a problem: name, KPI, the team's value, op and threshold."""
    by_name = {c.name: c for c in rubric.criteria}
    return [
        {
            "criterion": name,
            "kpi": by_name[name].kpi,
            "value": row.get(by_name[name].kpi),
            "op": by_name[name].op,
            "threshold": by_name[name].threshold,
        }
        for name in rubric.diagnosis[code]
        if row.get(f"pass:{name}") is False
    ]
