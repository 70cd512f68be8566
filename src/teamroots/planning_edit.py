"""Editing a proposed plan before approval (``teamroots plan edit``).

The change is applied to the stored plan, the whole plan is re-checked by its spec (the
checker) on the current data, and stored again with its objective and reasons recomputed and
the edit logged — or refused, naming every broken rule, and nothing is changed. An edited plan's
``status`` is ``EDITED``; what the solver said is kept under ``solver``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

from teamroots.config import Settings
from teamroots.errors import ConfigError
from teamroots.i18n import N_, gettext
from teamroots.store import plan_repo


def _refuse(violations: list) -> None:
    if violations:
        raise ConfigError(
            "The edit breaks {n} rule(s) of the plan; nothing was changed: {rules}",
            n=len(violations),
            rules="; ".join(f"{v.constraint} ({v.team or '-'}): {v.detail}" for v in violations),
        )


def _lookup(mapping: dict, key: str, what: str) -> Any:
    if key not in mapping:
        raise ConfigError("{what} {value} is not in this plan.", what=gettext(what), value=key)
    return mapping[key]


def _edit_leaders(conn: Connection, doc: dict, changes: dict) -> dict:
    from teamroots.plan.leaders.checks import check_leaders
    from teamroots.plan.leaders.model import Assignment
    from teamroots.plan.leaders.solve import _result
    from teamroots.planning import leaders_input

    as_of = date.fromisoformat(doc["as_of"])
    inp = leaders_input(plan_repo.leader_facts(conn, as_of, 365), as_of)
    team = {t.code: t.team_id for t in inp.teams}
    person = dict(plan_repo.person_ids(conn))
    plan = Assignment(
        {team[d["team"]]: person[d["leader"]] for d in doc["decisions"] if d["leader"]},
        {
            team[d["team"]]: [(person[c["person"]], c["role"]) for c in d["core"]]
            for d in doc["decisions"]
        },
    )
    for code, number in changes.get("leader", {}).items():
        plan.leaders[_lookup(team, code, N_("Team"))] = _lookup(person, number, N_("Person"))
    for code, core in changes.get("core", {}).items():
        plan.core[_lookup(team, code, N_("Team"))] = [
            (_lookup(person, number, N_("Person")), role) for number, role in core
        ]
    _refuse(check_leaders(inp, plan))
    bound = (doc["bound"]["min_team"], doc["bound"]["total"])
    out = _result(inp, plan, {}, "EDITED", bound).to_json()
    out["as_of"] = doc["as_of"]
    return out


def _edit_training(conn: Connection, doc: dict, changes: dict) -> dict:
    from teamroots.plan.training.checks import check_training, training_objective
    from teamroots.plan.training.explain import explain
    from teamroots.planning_training import training_input

    rules = doc["rules"]
    dates = [date.fromisoformat(b["date"]) for b in doc["batches"]]
    facts = plan_repo.training_facts(conn, dates[0])
    inp = training_input(
        facts,
        dates,
        deputies=rules.get("deputies", True),
        class_size=rules["class_size"],
        max_away=rules["max_away"],
    )
    person = {t.employee_no: t.id for t in inp.trainees}
    batches = {
        person[t["person"]]: t["batch"] - 1 for t in doc["trainees"] if t["person"] in person
    }
    for number, batch in changes.get("batch", {}).items():
        batches[_lookup(person, number, N_("Trainee"))] = batch - 1
    _refuse(check_training(inp, batches))
    value = training_objective(inp, batches)
    bound = doc["bound"]["lateness"]
    out = explain(inp, batches, status="EDITED", objective=value, bound=bound).to_json()
    out["rules"] = rules
    return out


def _edit_links(conn: Connection, doc: dict, changes: dict) -> dict:
    from teamroots.plan.links.checks import CHECKS, HARD, links_objective
    from teamroots.plan.links.explain import explain
    from teamroots.plan.links.model import Links
    from teamroots.planning_links import links_input

    inp = links_input(plan_repo.links_facts(conn), max_cadres=doc["rules"]["max_cadres"])
    cadre = {c.employee_no: c.id for c in inp.cadres}
    team = {t.code: t.id for t in inp.teams}
    plan = Links()
    for x in doc["links"]:
        if x["cadre"] in cadre:
            for key, side in (("advanced_team", plan.advanced), ("backward_team", plan.backward)):
                if x[key]:
                    side[cadre[x["cadre"]]] = team[x[key]]
    for number, (advanced, backward) in changes.get("link", {}).items():
        c = _lookup(cadre, number, N_("Cadre"))
        for code, side in ((advanced, plan.advanced), (backward, plan.backward)):
            side.pop(c, None)
            if code:
                side[c] = _lookup(team, code, N_("Team"))
    _refuse([v for check in HARD for v in check(inp, plan)])
    notes = [v for check in CHECKS if check not in HARD for v in check(inp, plan)]
    out = explain(
        inp,
        plan,
        status="EDITED",
        objective=links_objective(inp, plan),
        bound=doc["bound"],
        gap=None,
    ).to_json()
    out["warnings"] = [
        gettext(
            "Not the plan's best: {rule} ({team}): {detail}",
            rule=v.constraint,
            team=v.team or "-",
            detail=v.detail,
        )
        for v in notes
    ]
    return out


EDITORS = {"leaders": _edit_leaders, "training": _edit_training, "links": _edit_links}


def edit_plan(settings: Settings, plan_id: int, changes: dict[str, dict]) -> dict[str, Any]:
    """Apply ``changes`` ({"leader": {team: person}, "core": {team: [(person, role)]},
    "batch": {person: batch}, "link": {cadre: (advanced team, backward team)}}, by codes and
    employee numbers) to a proposed plan, re-check it and store it."""
    from teamroots.services import open_db

    if not any(changes.values()):
        raise ConfigError("Say what to change, e.g. --leader T00012=E000345.")
    with open_db(settings) as engine, engine.begin() as conn:
        kind, doc = plan_repo.load_proposed(
            conn, plan_id, N_("Plan {plan} is {status}; only a proposed plan can be edited.")
        )
        out = EDITORS[kind](conn, doc, changes)
        out["plan_id"] = plan_id
        out["solver"] = doc.get("solver") or {"status": doc["status"], "gap": doc.get("gap")}
        logged = {k: {key: str(v) for key, v in c.items()} for k, c in changes.items() if c}
        out["edits"] = [*doc.get("edits", []), {"at": datetime.now(UTC).isoformat(), **logged}]
        plan_repo.update_plan(conn, plan_id, out)
        return out
