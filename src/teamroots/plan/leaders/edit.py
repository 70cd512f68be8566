"""Editing a proposed leadership plan: new leaders and cores by code, re-checked by the spec."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from teamroots.i18n import N_
from teamroots.plan.edits import lookup, refuse
from teamroots.plan.leaders.checks import check_leaders
from teamroots.plan.leaders.model import Assignment, LeadersInput
from teamroots.plan.leaders.solve import LeadersPlan, result


def stored_assignment(inp: LeadersInput, doc: dict[str, Any], people: Mapping[str, int]):
    """The stored plan's leaders and cores, by id."""
    team = {t.code: t.team_id for t in inp.teams}
    return Assignment(
        {team[d["team"]]: people[d["leader"]] for d in doc["decisions"] if d["leader"]},
        {
            team[d["team"]]: [(people[c["person"]], c["role"]) for c in d["core"]]
            for d in doc["decisions"]
        },
    )


def edit(
    inp: LeadersInput, doc: dict[str, Any], changes: dict, people: Mapping[str, int]
) -> LeadersPlan:
    """The plan with ``changes`` ({"leader": {team: person}, "core": {team: [(person, role)]}})
    applied, if it keeps every rule; BrokenRules otherwise."""
    team = {t.code: t.team_id for t in inp.teams}
    plan = stored_assignment(inp, doc, people)
    for code, number in changes.get("leader", {}).items():
        plan.leaders[lookup(team, code, N_("Team"))] = lookup(people, number, N_("Person"))
    for code, core in changes.get("core", {}).items():
        plan.core[lookup(team, code, N_("Team"))] = [
            (lookup(people, number, N_("Person")), role) for number, role in core
        ]
    refuse(check_leaders(inp, plan))
    bound = (doc["bound"]["min_team"], doc["bound"]["total"])
    return result(inp, plan, {}, "EDITED", bound)
