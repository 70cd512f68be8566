"""The CP-SAT model of one unit's leadership plan.

Variables: ``y[p, t]`` — p leads t (one per candidate arc); ``z[p]`` — p sits in their own
team's core. Constraints: one leader per team (see below); at most one of leading or core per
person; exactly ``core_size`` core members per team; at most ``max_transfers`` arcs from other
teams; fixed arcs and core members of tier-1 teams. A team's score in integers is
``round(SCALE × leader score)`` per leader arc plus ``round(SCALE × core_factor × core score /
core_size)`` per core member; ``m ≤ score[t]`` for every team in the minimum
(``Facts.in_minimum``).

Stage 1 maximises ``m``; stage 2 raises ``m``'s lower bound to a floor and maximises the sum of
the scores, plus one unit (a millionth of a score) per incumbent and core member kept, so that
among equal plans the one that changes least wins (planning again after an approval changes
nothing).
A team with an incumbent has exactly one leader; a team without one at most one. The same
model serves both stages (only the objective and the floor change).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ortools.sat.python import cp_model

from teamroots.plan._solve import SolveResult, solve
from teamroots.plan.leaders.arcs import UnitArcs
from teamroots.plan.leaders.model import Assignment, LeadersInput

SCALE = 1_000_000


class UnitModel:
    """One unit's model; ``solve_stage`` runs either stage and keeps the last solution."""

    def __init__(self, inp: LeadersInput, ua: UnitArcs) -> None:
        self.inp, self.ua, f = inp, ua, inp.facts
        self.model = m = cp_model.CpModel()
        self.y = {a: m.new_bool_var(f"y{a[0]}_{a[1]}") for a in ua.arcs}
        self.z = {p: m.new_bool_var(f"z{p}") for p in ua.core}
        self._lead_index = {var.index for var in self.y.values()}
        self.coef: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
        self._leaders(f)
        self._core(f)
        self._budget(f)
        self.open = [t for t in ua.teams if f.in_minimum(t)]
        self.ub = max(min((self._upper(t) for t in self.open), default=0), 0)
        self.total_ub = sum(self._upper(t) for t in ua.teams)
        self.m = m.new_int_var(0, self.ub, "min_team")
        for t in self.open:
            m.add(self.m <= self._expr(t))
        self.solution: Assignment | None = None

    def _leaders(self, f) -> None:
        per_person: dict[int, list] = defaultdict(list)
        per_team: dict[int, list] = defaultdict(list)
        for (p, t), var in self.y.items():
            per_person[p].append(var)
            per_team[t].append(var)
            self.coef[t].append((var, round(SCALE * f.score(p, t))))
        for t in self.ua.teams:
            if f.incumbent[t] is not None:
                self.model.add_exactly_one(per_team[t])
            elif per_team[t]:
                self.model.add_at_most_one(per_team[t])
        for p, var in self.z.items():
            per_person[p].append(var)
        for vars_ in per_person.values():
            if len(vars_) > 1:
                self.model.add_at_most_one(vars_)
        for t, p in self.ua.fixed_leader.items():
            self.model.add(self.y[p, t] == 1)

    def _core(self, f) -> None:
        per_team: dict[int, list] = defaultdict(list)
        factor = self.inp.weights.core_factor
        for p, var in self.z.items():
            t = f.person[p].team_id
            per_team[t].append(var)
            self.coef[t].append((var, round(SCALE * factor * f.core_score(p) / f.core_size(t))))
        if self.ua.relax.core:
            return
        for t in self.ua.teams:
            self.model.add(cp_model.LinearExpr.sum(per_team[t]) == f.core_size(t))
        for p in self.ua.fixed_core:
            self.model.add(self.z[p] == 1)
        for t in self.ua.teams:  # a held core member stays in the core, or leads the team
            for p, _ in f.held_core[t]:
                if p not in self.z:
                    continue
                lead = self.y.get((p, t))
                self.model.add(self.z[p] + lead == 1 if lead is not None else self.z[p] == 1)

    def _budget(self, f) -> None:
        moved = [var for (p, t), var in self.y.items() if f.is_transfer(p, t)]
        if moved and not self.ua.relax.budget:
            self.model.add(sum(moved) <= self.inp.max_transfers)

    def _expr(self, t: int) -> cp_model.LinearExpr:
        terms = self.coef[t]
        return cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])

    def _upper(self, t: int) -> int:
        """A bound on team t's integer score: its best arc plus its best core coefficients."""
        size = self.inp.facts.core_size(t)
        lead = [c for v, c in self.coef[t] if v.index in self._lead_index]
        core = sorted((c for v, c in self.coef[t] if v.index not in self._lead_index), reverse=True)
        return max(lead, default=0) + sum(core[:size])

    def int_scores(self, a: Assignment) -> dict[int, int]:
        """The model's integer team scores of an assignment (for hints and lower bounds)."""
        chosen = {self.y[p, t].index for t, p in a.leaders.items() if (p, t) in self.y}
        chosen |= {self.z[p].index for core in a.core.values() for p, _ in core if p in self.z}
        return {t: sum(c for v, c in self.coef[t] if v.index in chosen) for t in self.ua.teams}

    def total(self, a: Assignment) -> int:
        return sum(self.int_scores(a).values())

    def lowest(self, a: Assignment) -> int | None:
        """The lowest integer score of the unit's teams in the minimum (None: none are)."""
        scores = self.int_scores(a)
        return min((scores[t] for t in self.open), default=None)

    def hint(self, a: Assignment) -> None:
        self.model.clear_hints()
        lead = {(p, t) for t, p in a.leaders.items()}
        core = {p for c in a.core.values() for p, _ in c}
        for arc, var in self.y.items():
            self.model.add_hint(var, arc in lead)
        for p, var in self.z.items():
            self.model.add_hint(var, p in core)

    def solve_stage(self, floor: int | None, cap: int | None = None, **kw) -> SolveResult:
        """Stage 1 (``floor`` None): maximise the minimum, up to ``cap`` when given (the lowest
        minimum found in other units: no need to prove more); stage 2: maximise the total with
        every team at least ``floor``."""
        if floor is None:
            if cap is not None:
                self.model.add(self.m <= cap)
            self.model.maximize(self.m)
        else:
            if self.open:
                self.model.add(self.m >= floor)
            # One model unit (a millionth of a score) per incumbent kept: among plans of equal
            # scores, the one that changes least — planning again after approval changes nothing.
            f = self.inp.facts
            kept = [v for (p, t), v in self.y.items() if p == f.incumbent[t]]
            kept += [v for p, v in self.z.items() if f.person[p].core_role is not None]
            total = [self._expr(t) for t in self.ua.teams]
            self.model.maximize(cp_model.LinearExpr.sum([*total, *kept]))
        solver, res = solve(self.model, **kw)
        if res.has_solution:
            self.solution = self._read(solver)
            self.hint(self.solution)
            if floor is not None and res.status == "OPTIMAL":  # the bound without the tie-break
                value = float(self.total(self.solution))
                res = replace(res, objective=value, bound=value, gap=0.0)
        return res

    def _read(self, solver: cp_model.CpSolver) -> Assignment:
        out = Assignment()
        for (p, t), var in self.y.items():
            if solver.boolean_value(var):
                out.leaders[t] = p
        for p, var in self.z.items():
            if solver.boolean_value(var):
                out.core.setdefault(self.inp.facts.person[p].team_id, []).append((p, ""))
        return out
