"""One workshop's training model in CP-SAT.

Variables x[t, b]: trainee t goes in batch b. Rules inside the workshop: one batch each, the
share away per shift, linked leaders and leader/deputy apart, and optional per-batch caps (set
by ``training`` when the plant's class size binds). Objective, lexicographic in one number:
(n + 1) × lateness + the workshop's largest batch, where lateness is the plan's objective
restricted to the workshop and n its trainee count (the largest batch is at most n, so lateness
always comes first; the second term spreads the workshop evenly, which keeps the plant's
classes within their size more often).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from teamroots.plan._solve import solve
from teamroots.plan.training.model import TrainingInput


@dataclass
class UnitSolution:
    status: str
    batches: dict[int, int]  # trainee → batch
    lateness: int | None
    lateness_bound: int  # proven lower bound of the workshop's lateness
    wall: float


def solve_unit(
    inp: TrainingInput,
    members: Sequence[int],
    *,
    caps: Mapping[int, int] | None = None,
    time_limit: float = 10.0,
    seed: int = 0,
) -> UnitSolution:
    inside = set(members)
    k, n = inp.batches, len(members)
    model = cp_model.CpModel()
    x = {(t, b): model.new_bool_var(f"x{t}_{b}") for t in members for b in range(k)}
    for t in members:
        model.add_exactly_one(x[t, b] for b in range(k))
    for group, ids in inp.groups.items():
        if ids and ids[0] in inside:
            limit = inp.away_limit(group)
            for b in range(k):
                model.add(sum(x[t, b] for t in ids) <= limit)
    for a, c, _ in inp.conflicts:
        if a in inside:
            for b in range(k):
                model.add_at_most_one(x[a, b], x[c, b])
    largest = model.new_int_var(math.ceil(n / k), n, "largest")
    for b in range(k):
        load = sum(x[t, b] for t in members)
        model.add(load <= largest)
        if caps is not None:
            model.add(load <= caps.get(b, n))
    late = [(inp.late_weight(t) * b, x[t, b]) for t in members for b in range(1, k)]
    lateness = sum(w * v for w, v in late if w)
    model.minimize((n + 1) * lateness + largest)
    solver, res = solve(
        model, time_limit=time_limit, seed=seed, num_workers=1, linearization_level=2
    )
    if not res.has_solution:
        return UnitSolution(res.status, {}, None, 0, res.wall)
    batches = {t: next(b for b in range(k) if solver.boolean_value(x[t, b])) for t in members}
    value = sum(inp.late_weight(t) * b for t, b in batches.items())
    bound = value if res.status == "OPTIMAL" else max(0, math.ceil((res.bound - n) / (n + 1)))
    return UnitSolution(res.status, batches, value, min(bound, value), res.wall)
