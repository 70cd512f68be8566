"""Editing a proposed cadre links plan: a cadre's teams changed, re-checked by the spec. Hard
rules refuse the edit; the best-plan rules only warn ("not the plan's best")."""

from __future__ import annotations

from typing import Any

from teamroots.i18n import N_
from teamroots.plan.edits import lookup, refuse
from teamroots.plan.links.checks import CHECKS, HARD, links_objective
from teamroots.plan.links.explain import LinksPlan, explain
from teamroots.plan.links.model import Links, LinksInput
from teamroots.plan.violations import Violation


def stored_links(inp: LinksInput, doc: dict[str, Any]) -> Links:
    cadre = {c.employee_no: c.id for c in inp.cadres}
    team = {t.code: t.id for t in inp.teams}
    plan = Links()
    for x in doc["links"]:
        if x["cadre"] in cadre:
            for key, side in (("advanced_team", plan.advanced), ("backward_team", plan.backward)):
                if x[key]:
                    side[cadre[x["cadre"]]] = team[x[key]]
    return plan


def edit(inp: LinksInput, doc: dict[str, Any], changes: dict) -> tuple[LinksPlan, list[Violation]]:
    """The plan with ``changes`` ({"link": {cadre: (advanced team, backward team)}}) applied,
    and the best-plan rules it no longer keeps; BrokenRules when it breaks a hard rule."""
    cadre = {c.employee_no: c.id for c in inp.cadres}
    team = {t.code: t.id for t in inp.teams}
    plan = stored_links(inp, doc)
    for number, (advanced, backward) in changes.get("link", {}).items():
        c = lookup(cadre, number, N_("Cadre"))
        for code, side in ((advanced, plan.advanced), (backward, plan.backward)):
            side.pop(c, None)
            if code:
                side[c] = lookup(team, code, N_("Team"))
    refuse([v for check in HARD for v in check(inp, plan)])
    notes = [v for check in CHECKS if check not in HARD for v in check(inp, plan)]
    objective = links_objective(inp, plan)
    out = explain(inp, plan, status="EDITED", objective=objective, bound=doc["bound"], gap=None)
    return out, notes
