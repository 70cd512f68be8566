"""The diagnosis: which of the seed practice's named problems hold for a team, with evidence.

no_core               no core formed (no leader, little trust in the leader, few core members)
labour_unreasonable   labour organisation unreasonable (posts uncovered, over/under-staffed)
low_attendance        low attendance
tasks_not_completed   tasks often not completed
gains_not_solid       gains not solid (volatile or declining weekly completion)
load_on_leader        the load rests on the leader (千斤担子一人挑)
"""

from __future__ import annotations

import polars as pl

from teamroots.assess.rubric import Rubric
from teamroots.assess.tiers import condition_expr
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
    """Adds a boolean ``diag:CODE`` per problem: true when any of its conditions holds."""
    return frame.with_columns(
        [
            pl.any_horizontal([condition_expr(c).fill_null(False) for c in conds]).alias(
                f"diag:{code}"
            )
            for code, conds in rubric.diagnosis.items()
        ]
    )


def evidence(row: dict, rubric: Rubric, code: str) -> dict[str, float | None]:
    """The KPI values a problem was judged on, in the order its conditions name them."""
    kpis = dict.fromkeys(c.kpi for c in rubric.diagnosis[code])
    return {k: row.get(k) for k in kpis}
