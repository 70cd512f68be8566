"""The two-stage, unit-by-unit solve of the leadership plan.

Why solving unit by unit is exact. Transfers stay inside a unit and the transfer budget counts
per unit, so no constraint links two units: a plant plan is any combination of unit plans.

- Stage 1, the best plant-wide minimum ``m*`` (over the teams ``in_minimum``): the plant's
  minimum is the minimum over units of each unit's minimum, and units are chosen
  independently, so ``m* = min_u m*_u``. Units are visited by their upper bound, lowest
  first. A unit whose greedy plan already reaches the lowest minimum found so far, ``c``,
  cannot lower it and is skipped; the others maximise their minimum capped at ``c``, since
  ``min(m*_u, c)`` is all the plant's minimum needs (a capped solve stops as soon as it
  reaches ``c``). Every solver bound is then still an upper bound on ``m*``.
- Stage 2, the best total with every team at least ``m*``: the floor is one constraint per
  team, the total is a sum over units, so each unit maximises its own total above the floor,
  and the sum of unit optima is the plant optimum. Every unit can meet the floor: ``m*_u ≥ m*``.

Time: a stage-1 solve may take a quarter of the time left; a stage-2 solve up to four times
its fair share of the time left (``threads`` at once), never past the deadline. A unit whose
solve finds nothing in time falls back on its stage-1 or greedy plan, whichever is better,
when it meets the floor; otherwise NoFeasiblePlan asks for more time.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from teamroots.errors import NoFeasiblePlan
from teamroots.i18n import N_
from teamroots.plan._solve import SolveResult, relative_gap
from teamroots.plan.leaders.arcs import TOP_N, unit_arcs
from teamroots.plan.leaders.cpsat import SCALE, UnitModel
from teamroots.plan.leaders.greedy import greedy_unit
from teamroots.plan.leaders.infeasible import explain_unit
from teamroots.plan.leaders.model import Assignment, LeadersInput


class Stages:
    """``first`` holds the stage-1 parameters (CP-SAT by name: num_workers, …), ``second``
    those of stage 2; ``threads`` solves run at once."""

    def __init__(self, inp: LeadersInput, deadline: float, **options) -> None:
        self.inp, self.deadline = inp, deadline
        self.top_n = options.pop("top_n", TOP_N)
        self.threads = max(1, options.pop("threads", 1))
        self.params = {1: options.pop("first", {}), 2: options.pop("second", {})}
        self.options = options  # seed, rel_gap
        self.models: dict[int, UnitModel] = {}
        self.greedy: dict[int, Assignment] = {}
        self.lower: dict[int, int | None] = {}
        self.whole: dict[int, bool] = {}
        self.first: dict[int, SolveResult] = {}
        self.second: dict[int, SolveResult] = {}
        self.seconds: dict[str, float] = {}
        self.floor = 0
        self._left = 0
        self._lock = threading.Lock()

    def run(self, maxmin: bool = True) -> None:
        """Build every unit's model, then stage 1 (when ``maxmin``) and stage 2, timed."""
        clock = [time.perf_counter()]
        self.build()
        clock.append(time.perf_counter())
        self.floor = self.stage_one() if maxmin else 0
        clock.append(time.perf_counter())
        self.stage_two(self.floor)
        clock.append(time.perf_counter())
        for name, a, b in zip(("build", "stage1", "stage2"), clock, clock[1:], strict=False):
            self.seconds[name] = b - a

    def stats(self) -> dict:
        return {
            "units": len(self.models),
            "stage1_solves": len(self.first),
            "stage2_solves": len(self.second),
            "floor": self.floor / SCALE,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }

    def build(self) -> None:
        for unit_id in sorted(self.inp.facts.units):
            self._build_unit(unit_id, self.top_n)

    def _build_unit(self, unit_id: int, top_n: int | None) -> None:
        ua = unit_arcs(self.inp, unit_id, top_n)
        model, plan = UnitModel(self.inp, ua), greedy_unit(self.inp, ua)
        f = self.inp.facts
        whole = all(
            (t in plan.leaders or f.incumbent[t] is None)
            and len(plan.core.get(t, [])) == f.core_size(t)
            for t in ua.teams
        )
        self.models[unit_id], self.greedy[unit_id] = model, plan
        self.whole[unit_id] = whole
        self.lower[unit_id] = model.lowest(plan) if whole else None
        if whole:
            model.hint(plan)

    def stage_one(self) -> int:
        """The plant-wide best minimum team score, in the models' integers. Units go lowest
        upper bound first, ``threads`` at a time; a unit whose greedy minimum already reaches
        the lowest minimum found so far is skipped, and the others maximise their minimum only
        up to it (``min(m*_u, cap)`` is all the plant's minimum needs). A solve may take up to
        a quarter of the time left."""
        models = self.models
        todo = sorted((u for u in models if models[u].open), key=lambda u: (-models[u].ub, -u))
        floor: int | None = None
        while todo:
            batch: list[int] = []
            while todo and len(batch) < self.threads:
                u = todo.pop()
                if floor is None or self.lower[u] is None or self.lower[u] < floor:
                    batch.append(u)
            limit, cap = 0.25 * self._left_time(), floor
            results = self._map(lambda u, c=cap, t=limit: self._solve(u, None, t, cap=c), batch)
            for u, res in zip(batch, results, strict=True):
                self.first[u] = res
                value = models[u].lowest(models[u].solution) if models[u].solution else None
                if value is not None:
                    floor = value if floor is None else min(floor, value)
        return floor or 0

    def stage_two(self, floor: int) -> None:
        """Every unit's best total above the floor, ``threads`` units at once, each solve
        given the time left shared among the solves left."""
        units = sorted(self.models)
        self._left = len(units)
        results = self._map(lambda u: self._solve(u, floor, self._share()), units)
        self.second.update(zip(units, results, strict=True))

    def _map(self, solve, units: list[int]) -> list[SolveResult]:
        if self.threads == 1 or len(units) <= 1:
            return [solve(u) for u in units]
        with ThreadPoolExecutor(self.threads) as pool:
            return list(pool.map(solve, units))

    def _left_time(self) -> float:
        return max(self.deadline - time.perf_counter(), 0.0)

    def _share(self) -> float:
        """Up to four times a fair share of the time left (most solves take far less than
        their share, and a slow one should not stop at its share), never past the deadline."""
        with self._lock:
            left, self._left = max(self._left, 1), self._left - 1
        time_left = self._left_time()
        return min(time_left, 4 * time_left * self.threads / left)

    def _solve(self, u: int, floor: int | None, limit: float, cap: int | None = None):
        stage = 1 if floor is None else 2
        kw = dict(self.options, **self.params[stage], time_limit=max(limit, 0.05))
        if cap is not None:
            kw["cap"] = cap
        res = self.models[u].solve_stage(floor, **kw)
        if res.status == "INFEASIBLE" and self.top_n is not None:
            self._build_unit(u, None)  # pruning may have cut the only plans: retry in full
            res = self.models[u].solve_stage(floor, **kw)
        if res.status == "INFEASIBLE":
            explain_unit(self.inp, u, kw["time_limit"])
        if not res.has_solution:
            res = self._fallback(u, floor, res)
        elif floor is not None and res.status != "OPTIMAL":
            self._keep_better(u, floor)
        return res

    def _keep_better(self, u: int, floor: int) -> None:
        """A stage-2 solve stopped by time keeps the greedy plan if that is better and fits."""
        model, greedy = self.models[u], self.greedy[u]
        if not self.whole[u] or model.solution is None:
            return
        fits = not model.open or (model.lowest(greedy) or 0) >= floor
        if fits and model.total(greedy) > model.total(model.solution):
            model.solution = greedy

    def _fallback(self, u: int, floor: int | None, res: SolveResult) -> SolveResult:
        """Keep the better (by the stage's objective) of the unit's stage-1 solution and its
        greedy plan among those meeting the floor; its bound is then the model's static one
        (each team's best arc and core)."""
        model = self.models[u]
        plans = [p for p in (model.solution, self.greedy[u] if self.whole[u] else None) if p]
        fits = [
            p for p in plans if floor is None or (model.lowest(p) or 0) >= floor or not model.open
        ]
        if fits:
            value = (lambda p: model.lowest(p) or 0) if floor is None else model.total
            model.solution = max(fits, key=value)
            bound = model.ub if floor is None else model.total_ub
            return SolveResult("FEASIBLE", None, bound, None, res.wall)
        team = self.inp.facts.team[model.ua.teams[0]]
        raise NoFeasiblePlan(
            N_("Unit {unit}: no plan found within the time limit; allow more time."),
            unit=team.unit_code or team.unit_id,
        )

    def assignment(self) -> Assignment:
        out = Assignment()
        for model in self.models.values():
            if model.solution is not None:
                out.leaders.update(model.solution.leaders)
                out.core.update(model.solution.core)
        return out

    def status(self) -> str:
        results = [*self.first.values(), *self.second.values()]
        return "OPTIMAL" if all(r.status == "OPTIMAL" for r in results) else "FEASIBLE"

    def bounds(self) -> tuple[float | None, float | None]:
        """Upper bounds on (plant minimum, total), scaled back to scores."""
        low, total = self._int_bounds()
        return (None if low is None else low / SCALE, None if total is None else total / SCALE)

    def _int_bounds(self) -> tuple[int | None, int | None]:
        firsts = [r.bound for r in self.first.values()]
        seconds = [r.bound for r in self.second.values()]
        low = round(min(firsts)) if firsts and None not in firsts else None
        total = round(sum(seconds)) if seconds and None not in seconds else None
        return low, total

    def gap(self, maxmin: bool) -> float | None:
        """The larger relative gap of the two stages, in the models' integers (so an optimal
        plan has gap 0), between the bounds and the solutions' own integer scores."""
        solved = [m for m in self.models.values() if m.solution]
        total = sum(sum(m.int_scores(m.solution).values()) for m in solved)
        lows = [x for m in solved if (x := m.lowest(m.solution)) is not None]
        low_bound, total_bound = self._int_bounds()
        if total_bound is None:
            return None
        gaps = [relative_gap(total, total_bound)]
        if maxmin and low_bound is not None and lows:
            gaps.append(relative_gap(min(lows), low_bound))
        return max(gaps)
