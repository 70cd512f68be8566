"""What people see of an assessment: the self-contained HTML report (``html.render_report``),
its charts drawn server-side as inline SVG (``charts``), and here how a KPI is shown: its
name, and its value as a percentage (shares and rates), a count, yes/no, or two decimals.
"""

from __future__ import annotations

from typing import Any

from teamroots.i18n import N_, number, percent
from teamroots.i18n import gettext as _

KPI_LABELS = {
    "days_reported": N_("days reported"),
    "attendance_rate": N_("attendance rate"),
    "completion": N_("task completion"),
    "on_target_share": N_("share of days on target"),
    "weekly_volatility": N_("weekly volatility of completion"),
    "weekly_trend": N_("weekly trend of completion"),
    "incidents_per_100": N_("incidents per 100 member-days"),
    "defects_per_100": N_("defects per 100 member-days"),
    "post_coverage": N_("post coverage"),
    "staffing_ratio": N_("staffing ratio"),
    "leader_in_post": N_("leader in post"),
    "leader_support": N_("support for the leader"),
    "survey_response": N_("survey response"),
    "core_members": N_("core members"),
    "leader_role_share": N_("share of roles held by the leader"),
    "checklist_share": N_("checklist in place"),
}
COUNT_KPIS = frozenset({"days_reported", "core_members"})
PERCENT_KPIS = (
    frozenset(KPI_LABELS)
    - COUNT_KPIS
    - {"incidents_per_100", "defects_per_100", "staffing_ratio", "leader_in_post"}
)
OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "=", "!=": "≠"}


def kpi_name(kpi: str) -> str:
    """A KPI's name in the current language (an unknown KPI keeps its key)."""
    return _(KPI_LABELS[kpi]) if kpi in KPI_LABELS else kpi


def fmt(kpi: str, value: Any) -> str:
    """A KPI value (or threshold) for people: shares as percentages, else two decimals."""
    if value is None:
        return "—"
    if isinstance(value, bool) or kpi == "leader_in_post":
        return _("yes") if value else _("no")
    if not isinstance(value, int | float):
        return str(value)
    if kpi in PERCENT_KPIS:
        return percent(value, 1)
    if kpi in COUNT_KPIS and float(value).is_integer():
        return number(int(value), 0)
    return number(value, 2)
