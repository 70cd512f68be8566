"""Per-team results as plain data: every criterion with its value, threshold and outcome (or
why it was not assessed), the diagnosis with evidence, and what would move the team up."""

from __future__ import annotations

from typing import Any

import polars as pl

from teamroots.assess import diagnosis
from teamroots.assess.kpis import KPI_NAMES, PRODUCTION_KPIS
from teamroots.assess.rubric import Rubric
from teamroots.assess.tiers import LEADERSHIP_KPIS
from teamroots.domain.choices import LABELS, Tier
from teamroots.i18n import N_, message

_NO_DATA = {
    "attendance_rate": N_("members scheduled and present were not reported"),
    "completion": N_("planned and actual output were not reported"),
    "on_target_share": N_("planned and actual output were not reported"),
    "weekly_volatility": N_("fewer than 3 weeks with planned and actual output"),
    "weekly_trend": N_("fewer than 3 weeks with planned and actual output"),
    "incidents_per_100": N_("incidents or members present were not reported"),
    "defects_per_100": N_("defects or members present were not reported"),
    "post_coverage": N_("the team has no required posts recorded"),
    "staffing_ratio": N_("the team has no required posts recorded"),
    "leader_role_share": N_("no roles are recorded for the team"),
    "leader_in_post": N_("no members are recorded for the team on the as-of date"),
    "core_members": N_("no members are recorded for the team on the as-of date"),
    "checklist_share": N_("no checklist check in the last {days} days"),
    "survey_response": N_("no peer survey in the last {days} days"),
}


def not_assessed(kpi: str, row: dict, rubric: Rubric, survey: bool) -> dict[str, Any]:
    """Why ``kpi`` has no value for this team, as a message (rendered when shown)."""
    if kpi in PRODUCTION_KPIS and row["days_reported"] < rubric.min_days:
        return message(
            N_("not assessed: only {days} daily records in the window (at least {needed} needed)"),
            days=row["days_reported"],
            needed=rubric.min_days,
        )
    if kpi == "leader_support":
        if row["leader_in_post"] is None:
            why = N_("no members are recorded for the team on the as-of date")
        elif not row["leader_in_post"]:
            why = N_("no leader in post")
        elif not survey:
            why = N_("no peer survey in the last {days} days")
        else:
            why = N_("no member of the team answered the peer survey")
    elif kpi in ("post_coverage", "staffing_ratio") and row["leader_in_post"] is None:
        why = N_("no members are recorded for the team on the as-of date")
    else:
        why = _NO_DATA.get(kpi, N_("no data"))
    days = rubric.checklist_max_age_days if kpi == "checklist_share" else rubric.survey_max_age_days
    return message(N_("not assessed: {why}"), why=message(why, days=days))


def team_result(row: dict, rubric: Rubric, survey: bool) -> dict[str, Any]:
    criteria = []
    for c in rubric.criteria:
        passed = row[f"pass:{c.name}"]
        criteria.append(
            {
                "name": c.name,
                "kpi": c.kpi,
                "gate": c.gate,
                "value": row[c.kpi],
                "threshold": c.threshold,
                "op": c.op,
                "passed": passed,
                "borderline": bool(row[f"near:{c.name}"]) and passed is not None,
                "not_assessed": None
                if passed is not None
                else not_assessed(c.kpi, row, rubric, survey),
            }
        )
    tier = row["tier"]
    next_gate = {3: "tier2", 2: "tier1"}.get(tier)
    missing = [c for c in criteria if c["not_assessed"] is not None]
    if tier is not None and row["provisional"]:
        missing = [c for c in missing if c["kpi"] in LEADERSHIP_KPIS]
    elif tier is not None:
        missing = []
    return {
        "team": row["team"],
        "name": row["name"],
        "unit": row["unit"],
        "unit_name": row["unit_name"],
        "tier": tier,
        "tier_label": tier_label(tier),
        "provisional": bool(row["provisional"]) and tier is not None,
        "to_collect": _distinct([c["not_assessed"] for c in missing]),
        "score": None if row["score"] is None else round(row["score"], 2),
        "rank_in_plant": row["rank_in_plant"],
        "rank_in_unit": row["rank_in_unit"],
        "kpis": {k: row[k] for k in KPI_NAMES},
        "criteria": criteria,
        "diagnosis": [
            {
                "code": code,
                "label": message(diagnosis.LABELS[code]),
                "evidence": diagnosis.evidence(row, rubric, code),
            }
            for code in rubric.diagnosis
            if row[f"diag:{code}"]
        ],
        "move_up": [c["name"] for c in criteria if c["gate"] == next_gate and c["passed"] is False],
    }


def tier_label(tier: int | None) -> dict[str, Any]:
    if tier is None:
        return message(N_("not assessed"))
    return message(LABELS[Tier][Tier.of(tier)])


def _distinct(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for m in messages:
        if m not in out:
            out.append(m)
    return out


def results(frame: pl.DataFrame, rubric: Rubric, survey: bool) -> list[dict[str, Any]]:
    """One result per team, in rank order; KPI values rounded to 6 decimals for reading."""
    rounded = frame.with_columns(pl.col(pl.Float64).round(6))
    return [team_result(row, rubric, survey) for row in rounded.iter_rows(named=True)]


def summary(teams: list[dict[str, Any]]) -> dict[str, Any]:
    tiers = {"1": 0, "2": 0, "3": 0}
    units: dict[str, dict[str, Any]] = {}
    blank = {"tier1": 0, "tier2": 0, "tier3": 0, "not_assessed": 0}
    for t in teams:
        key = "not_assessed" if t["tier"] is None else f"tier{t['tier']}"
        if t["tier"] is not None:
            tiers[str(t["tier"])] += 1
        u = units.setdefault(t["unit"], {"unit": t["unit"], "unit_name": t["unit_name"], **blank})
        u[key] += 1
    return {
        "teams": len(teams),
        "tiers": tiers,
        "not_assessed": sum(1 for t in teams if t["tier"] is None),
        "provisional": sum(1 for t in teams if t["provisional"]),
        "units": sorted(units.values(), key=lambda u: u["unit"]),
    }
