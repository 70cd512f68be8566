"""The cadre links plan (``teamroots plan links``): each cadre one advanced and one backward team.

Rules and scores: ``links.model``; the spec: ``links.checks``. Nothing ties a cadre's advanced
team to their backward one, so the two sides are solved apart, each a CP-SAT model over the
candidate pairs:

- backward, in two stages: first the coverage (Σ over covered tier-3 teams of their priority,
  worst highest; covering sets form a matroid, so the best of these is also the largest and the
  worst-first one), then, with the coverage held, the links made and their match;
- advanced: the links made, then their match, in one objective (a link outweighs any match).

Matches enter the models as integers (× 1000); the plan's objective is the checker's.
"""

from __future__ import annotations

import time
from typing import Any

from ortools.sat.python import cp_model

from teamroots.domain.choices import Tier
from teamroots.errors import NoFeasiblePlan
from teamroots.plan._solve import SolveResult, solve
from teamroots.plan.links.checks import links_objective
from teamroots.plan.links.explain import LinksPlan, explain
from teamroots.plan.links.model import Links, LinksInput

SCALE = 1000


class _Side:
    """One side's model: x[c, t] for each candidate pair of the tier."""

    def __init__(self, inp: LinksInput, tier: str):
        self.inp, self.tier = inp, tier
        self.model = cp_model.CpModel()
        self.x = {
            (c.id, t): self.model.new_bool_var(f"x{c.id}_{t}")
            for c in inp.cadres
            for t in inp.candidates[c.id][tier]
        }
        per_cadre: dict[int, list] = {}
        per_team: dict[int, list] = {}
        for (c, t), v in self.x.items():
            per_cadre.setdefault(c, []).append(v)
            per_team.setdefault(t, []).append(v)
        for vs in per_cadre.values():
            self.model.add_at_most_one(vs)
        for vs in per_team.values():
            self.model.add(sum(vs) <= inp.max_cadres)
        self.per_team = per_team

    def links_term(self):
        inp = self.inp
        weight = SCALE * len(self.x) + 1  # one more link outweighs every match together
        return sum(
            (weight + round(SCALE * inp.match(inp.cadre[c], inp.team[t]))) * v
            for (c, t), v in self.x.items()
        )

    def chosen(self, solver: cp_model.CpSolver) -> dict[int, int]:
        return {c: t for (c, t), v in self.x.items() if solver.boolean_value(v)}


def _coverage(inp: LinksInput, limit: float, seed: int):
    """Stage 1: the best covered set, as a matching of cadres to distinct tier-3 teams
    (a team needs one cadre to count as covered) maximising Σ priority; its LP is integral."""
    model = cp_model.CpModel()
    m = {
        (c.id, t): model.new_bool_var(f"m{c.id}_{t}")
        for c in inp.cadres
        for t in inp.candidates[c.id][Tier.BACKWARD]
    }
    per_cadre: dict[int, list] = {}
    per_team: dict[int, list] = {}
    for (c, t), v in m.items():
        per_cadre.setdefault(c, []).append(v)
        per_team.setdefault(t, []).append(v)
    for vs in (*per_cadre.values(), *per_team.values()):
        model.add_at_most_one(vs)
    model.maximize(sum(inp.priority(t) * v for (_, t), v in m.items()))
    solver, res = solve(model, time_limit=limit, seed=seed, num_workers=1, linearization_level=2)
    chosen = {k for k, v in m.items() if res.has_solution and solver.boolean_value(v)}
    return chosen, res


def _solve_backward(inp: LinksInput, limit: float, seed: int):
    """Stage 2 holds stage 1's covered set (unique: priorities are distinct, so the best
    set is) and maximises the links made and their match."""
    start = time.perf_counter()
    matched, first = _coverage(inp, limit * 0.5, seed)
    if not first.has_solution:
        return {}, [first]
    side = _Side(inp, Tier.BACKWARD)
    for _, t in matched:
        side.model.add(sum(side.per_team[t]) >= 1)
    for key, v in side.x.items():
        side.model.add_hint(v, key in matched)
    side.model.maximize(side.links_term())
    left = max(limit - (time.perf_counter() - start), 0.5)
    solver, second = solve(
        side.model, time_limit=left, seed=seed, num_workers=1, linearization_level=2
    )
    if not second.has_solution:
        return dict(matched), [first, second]
    return side.chosen(solver), [first, second]


def _solve_advanced(inp: LinksInput, limit: float, seed: int):
    side = _Side(inp, Tier.ADVANCED)
    side.model.maximize(side.links_term())
    solver, res = solve(
        side.model, time_limit=limit, seed=seed, num_workers=1, linearization_level=2
    )
    return (side.chosen(solver) if res.has_solution else {}), [res]


def plan_links(inp: LinksInput, time_limit: float = 30.0, *, seed: int = 0) -> LinksPlan:
    if inp.max_cadres < 1:
        raise NoFeasiblePlan(
            "With at most {max} cadres per team no link is possible; give --max-cadres 1 or more.",
            max=inp.max_cadres,
        )
    start = time.perf_counter()
    backward, stages = _solve_backward(inp, time_limit * 0.7, seed)
    left = max(time_limit - (time.perf_counter() - start), 1.0)
    advanced, adv = _solve_advanced(inp, left, seed)
    stages += adv
    plan = Links(advanced=advanced, backward=backward)
    return explain(
        inp,
        plan,
        status=_status(stages),
        objective=links_objective(inp, plan),
        bound=_bounds(stages),
        gap=max((s.gap or 0.0) for s in stages) if all(s.has_solution for s in stages) else None,
        stats=_stats(stages, time.perf_counter() - start),
    )


def _status(stages: list[SolveResult]) -> str:
    names = {s.status for s in stages}
    if names == {"OPTIMAL"}:
        return "OPTIMAL"
    return "FEASIBLE" if all(s.has_solution for s in stages) else "UNKNOWN"


def _bounds(stages: list[SolveResult]) -> dict[str, Any]:
    """The coverage's proven bound (links and match are bounded in the model's own units;
    their part of the plan's gap is ``gap``)."""
    return {"coverage": stages[0].bound}


def _stats(stages: list[SolveResult], wall: float) -> dict[str, Any]:
    return {"seconds": round(wall, 3), "stages": [[s.status, round(s.wall, 3)] for s in stages]}
