"""Why no leadership plan exists: checks before the solver, and relaxations after it.

``precheck`` names the obvious conflicts (a person two tier-1 teams both keep; a team nobody may
lead; a unit whose leaderless teams outnumber its transfers). ``explain_unit`` runs after a
unit's model is infeasible even without pruning: it drops one constraint group at a time and
names the first whose removal admits a plan; failing that, it finds teams that share too few
candidates (a Hall set of the leader matching).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from teamroots.errors import NoFeasiblePlan
from teamroots.i18n import N_
from teamroots.plan._solve import solve
from teamroots.plan.leaders.arcs import Relax, UnitArcs, unit_arcs
from teamroots.plan.leaders.cpsat import UnitModel
from teamroots.plan.leaders.facts import Facts
from teamroots.plan.leaders.model import LeadersInput

RELAXATIONS = (
    (
        Relax(budget=True),
        N_(
            "Unit {unit}: no plan keeps within {max} transfers per unit; "
            "with more transfers one exists. Teams with the fewest "
            "candidates: {teams}."
        ),
    ),
    (
        Relax(margin=True),
        N_(
            "Unit {unit}: no plan keeps every incumbent unless the gain passes "
            "the margin {margin}; without that rule one exists. Teams with "
            "the fewest candidates: {teams}."
        ),
    ),
    (
        Relax(tier1=True),
        N_(
            "Unit {unit}: no plan keeps the leaders and cores of its tier-1 "
            "teams; without that rule one exists. Teams with the fewest "
            "candidates: {teams}."
        ),
    ),
    (
        Relax(core=True),
        N_(
            "Unit {unit}: no plan gives every team its core of {k}; without "
            "cores one exists. Teams with the fewest candidates: {teams}."
        ),
    ),
)


def precheck(inp: LeadersInput) -> None:
    """Raise NoFeasiblePlan for conflicts visible without a solver."""
    f = inp.facts
    for pid, places in f.protected.items():
        if len(places) > 1:
            (t1, r1), (t2, r2) = places[:2]
            raise NoFeasiblePlan(
                N_(
                    "{person} must stay {first} of {team} and {second} of {other}: tier-1 "
                    "teams keep their leader and core."
                ),
                person=f.label(pid),
                first=r1,
                team=f.team[t1].code,
                second=r2,
                other=f.team[t2].code,
            )
    # A team nobody may lead is not a conflict: it stays without a leader, and the plan says
    # what it needs instead (Explainer._needs).


def _unit(f: Facts, unit_id: int) -> str:
    team = f.team[f.units[unit_id][0]]
    return team.unit_code or str(unit_id)


def _codes(f: Facts, teams, limit: int = 10) -> str:
    codes = [f.team[t].code for t in teams]
    more = len(codes) - limit
    return ", ".join(codes[:limit]) + (f" (+{more})" if more > 0 else "")


def _weakest(f: Facts, ua: UnitArcs, n: int = 3) -> str:
    count: dict[int, int] = defaultdict(int)
    for _p, t in ua.arcs:
        count[t] += 1
    return _codes(f, sorted(ua.teams, key=lambda t: (count[t], t))[:n])


def _feasible(inp: LeadersInput, ua: UnitArcs, time_limit: float, workers: int) -> bool:
    model = UnitModel(inp, ua)
    model.model.clear_objective()
    _, res = solve(model.model, time_limit=time_limit, num_workers=workers)
    return res.has_solution


def explain_unit(inp: LeadersInput, unit_id: int, time_limit: float, workers: int = 8) -> None:
    """Raise NoFeasiblePlan naming the unit and the constraint group in conflict."""
    f = inp.facts
    full = unit_arcs(inp, unit_id, None)
    params = {
        "unit": _unit(f, unit_id),
        "teams": _weakest(f, full),
        "max": inp.max_transfers,
        "margin": inp.keep_margin,
        "k": inp.k_core,
    }
    for relax, msgid in RELAXATIONS:
        if _feasible(inp, unit_arcs(inp, unit_id, None, relax), time_limit, workers):
            raise NoFeasiblePlan(msgid, **params)
    short = _hall_set(f, full)
    if short:
        teams, people = short
        raise NoFeasiblePlan(
            N_("Unit {unit}: teams {teams} have only {count} candidates for leader between them."),
            unit=params["unit"],
            teams=_codes(f, teams),
            count=people,
        )
    raise NoFeasiblePlan(
        N_(
            "Unit {unit}: no plan satisfies all constraints together (one leader per team, one "
            "role per person, transfers, incumbents, tier-1 teams, cores)."
        ),
        unit=params["unit"],
    )


def _hall_set(f: Facts, ua: UnitArcs) -> tuple[list[int], int] | None:
    """Teams whose candidates are fewer than they are, from a maximum leader matching."""
    teams = ua.teams
    people = sorted({p for p, _ in ua.arcs})
    ti = {t: i for i, t in enumerate(teams)}
    pi = {p: j for j, p in enumerate(people)}
    rows = [ti[t] for _, t in ua.arcs]
    cols = [pi[p] for p, _ in ua.arcs]
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(teams), len(people)))
    match = maximum_bipartite_matching(graph, perm_type="column")  # team -> person or -1
    free = [i for i, j in enumerate(match) if j < 0]
    if not free:
        return None
    owner = {int(j): i for i, j in enumerate(match) if j >= 0}
    reached, stack, seen = {free[0]}, [free[0]], set()
    while stack:
        i = stack.pop()
        for j in graph.indices[graph.indptr[i] : graph.indptr[i + 1]]:
            if j not in seen:
                seen.add(int(j))
                if int(j) in owner and owner[int(j)] not in reached:
                    reached.add(owner[int(j)])
                    stack.append(owner[int(j)])
    return sorted(teams[i] for i in reached), len(seen)
