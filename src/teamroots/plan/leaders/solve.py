"""The leadership plan (``teamroots plan leaders``): one leader and a core per team, plant-wide.

Constraints (their spec is ``checks.check_leaders``): one leader per team; a person holds at
most one leadership or core role; transfers only inside a unit and at most ``max_transfers``
per unit (per unit, because the unit's head approves them, and so that units can be solved
apart); a tier-1 team keeps its leader and core; an incumbent stays unless the gain passes
``keep_margin``; a core of ``core_size`` members of the team, one distinct role each.

Objective, lexicographic: first the lowest team leadership score (lift the weakest first), then
the sum. The two stages are solved unit by unit (see ``leaders.stages``, which says why that is
exact). Roles are given after solving (``assign_roles``): scores do not depend on the role, so
the model needs no role variables. The plan's objective is computed by the checker, not taken
from the solver; bounds are the solver's, and ``gap`` is the larger relative gap of the two
stages (``Stages.gap``).

A plan is a proposal: every decision carries its reasons (``leaders.explain``); when no plan
exists, ``NoFeasiblePlan`` names the team or unit and the constraint.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from typing import Any

from teamroots.domain.choices import PlanKind, Tier
from teamroots.plan.leaders.arcs import TOP_N
from teamroots.plan.leaders.checks import changes, leaders_objective, team_scores
from teamroots.plan.leaders.explain import Explainer, Reason
from teamroots.plan.leaders.facts import assign_roles
from teamroots.plan.leaders.infeasible import precheck
from teamroots.plan.leaders.model import Assignment, LeadersInput
from teamroots.plan.leaders.stages import Stages


@dataclass
class Decision:
    """One team's proposal: its leader, incumbent (if eligible), core [(person, role)], team
    score and the reasons, all by id (``LeadersPlan.to_json`` turns them into codes)."""

    team_id: int
    leader: int | None
    incumbent: int | None
    core: list[tuple[int, str]]
    score: float
    reasons: list[Reason]
    incumbent_goes: dict[str, Any] | None = None  # a replaced incumbent's place, as a message


@dataclass
class LeadersPlan:
    """A proposed leadership plan. ``status`` OPTIMAL means proved optimal over the candidate
    arcs (``leaders.arcs``: own members and the best ``top_n`` transfers per team); ``bound``
    and ``gap`` are over the same arcs. ``stats`` has the solve counts and seconds per step."""

    decisions: list[Decision]
    status: str
    objective: tuple[float, float]  # (lowest team score, total), from the checker
    bound: tuple[float | None, float | None]
    gap: float | None
    wall: float
    stats: dict[str, Any] = field(default_factory=dict)
    team_codes: dict[int, str] = field(default_factory=dict, repr=False)
    employee_nos: dict[int, str] = field(default_factory=dict, repr=False)
    names: dict[str, str] = field(default_factory=dict, repr=False)  # code or number → name
    rules: dict[str, Any] = field(default_factory=dict)  # what an edit must keep (``rules_of``)

    @property
    def leaders(self) -> dict[int, int]:
        return {d.team_id: d.leader for d in self.decisions if d.leader is not None}

    @property
    def core(self) -> dict[int, list[tuple[int, str]]]:
        return {d.team_id: d.core for d in self.decisions}

    def to_json(self) -> dict[str, Any]:
        """Teams by code, people by employee number (with their names); reasons as data."""
        no, name = self.employee_nos.get, self.names.get
        return {
            "plan_id": None,
            "kind": PlanKind.LEADERS,
            "status": self.status,
            "rules": self.rules,
            "objective": {"min_team": self.objective[0], "total": self.objective[1]},
            "bound": {"min_team": self.bound[0], "total": self.bound[1]},
            "gap": self.gap,
            "decisions": [
                {
                    "team": self.team_codes[d.team_id],
                    "team_name": name(self.team_codes[d.team_id]),
                    "leader": no(d.leader),
                    "leader_name": name(no(d.leader)),
                    "incumbent": no(d.incumbent) if d.incumbent is not None else None,
                    "incumbent_name": name(no(d.incumbent)) if d.incumbent is not None else None,
                    "incumbent_goes": d.incumbent_goes,
                    "score": round(d.score, 4),
                    "core": [
                        {"person": no(p), "name": name(no(p)), "role": role} for p, role in d.core
                    ],
                    "reasons": [r.to_json() for r in d.reasons],
                }
                for d in self.decisions
            ],
        }


def plan_leaders(
    inp: LeadersInput,
    time_limit: float = 30.0,
    *,
    seed: int = 0,
    num_workers: int = 1,
    threads: int | None = None,
    top_n: int | None = TOP_N,
    rel_gap: float = 0.0,
    maxmin: bool = True,
) -> LeadersPlan:
    """Solve the leadership plan; ``maxmin=False`` maximises the total only.

    ``threads`` units are solved at once (default: the CPU count), each by ``num_workers``
    CP-SAT workers at linearization level 2. The advice of eight workers (measured 2026-11) was
    for one plant-wide model; these unit models are small. Measured on unit models of ~50 teams
    (~1,100 leader arcs, ~550 core variables) on two cores: the total of stage 2 is proved in
    ~0.03 s by one worker at level 2, in 0.05-0.11 s by eight, and not in 5 s by 1, 2 or 4
    workers at the default level; the 152 capped stage-1 solves of a 10,000-team plant took
    6.8 s of solver time with one worker at level 2, 7.0 s with four, 8.8 s with eight.
    """
    start = time.perf_counter()
    precheck(inp)
    stages = Stages(
        inp,
        start + time_limit,
        seed=seed,
        rel_gap=rel_gap,
        top_n=top_n,
        threads=threads or os.cpu_count() or 1,
        first={"num_workers": num_workers, "linearization_level": 2},
        second={"num_workers": num_workers, "linearization_level": 2},
    )
    stages.seconds["precheck"] = time.perf_counter() - start
    stages.run(maxmin)
    explained = time.perf_counter()
    plan = with_roles(inp, stages.assignment())
    ranked = {t: r for m in stages.models.values() for t, r in m.ua.ranked.items()}
    out = result(inp, plan, ranked, stages.status(), stages.bounds())
    out.gap = stages.gap(maxmin)
    out.wall = time.perf_counter() - start
    stages.seconds["explain"] = time.perf_counter() - explained
    out.stats = stages.stats()
    over = over_budget(inp, plan)
    if over is not None:  # solve again with only the most needed changes allowed
        left = max(start + time_limit - time.perf_counter(), 1.0)
        again = replace(inp, keep=over)
        options = dict(seed=seed, num_workers=num_workers, threads=threads, top_n=top_n)
        out = plan_leaders(again, left, rel_gap=rel_gap, maxmin=maxmin, **options)
        out.wall = time.perf_counter() - start
    return out


def over_budget(inp: LeadersInput, plan: Assignment) -> frozenset[int] | None:
    """When the plan changes more leaders than ``max_changes``, the teams that must keep theirs:
    all but the most needed changes — teams without a leader first, then backward (tier-3)
    teams, then the others, each by the largest gain."""
    f, budget = inp.facts, inp.max_changes
    changed = changes(f, plan)
    if budget is None or len(changed) <= budget:
        return None

    def need(tid: int) -> tuple[int, float]:
        inc, new = f.incumbent[tid], f.score(plan.leaders[tid], tid)
        gain = new - (f.score(inc, tid) if inc is not None else 0.0)
        rank = 0 if inc is None else 1 if f.team[tid].tier == Tier.BACKWARD else 2
        return rank, -gain

    chosen = set(sorted(changed, key=lambda t: (*need(t), f.team[t].code))[:budget])
    return frozenset(t for t in f.team if t not in chosen)


def with_roles(inp: LeadersInput, plan: Assignment) -> Assignment:
    """The same leaders and core members, with core roles given by ``assign_roles``."""
    f = inp.facts
    core = {t: assign_roles(f, t, [p for p, _ in plan.core.get(t, [])]) for t in f.team}
    return Assignment(dict(plan.leaders), core)


def result(inp, plan: Assignment, ranked, status, bounds) -> LeadersPlan:
    f = inp.facts
    low, total = leaders_objective(inp, plan)
    scores = team_scores(inp, plan)
    why = Explainer(f, plan, ranked)
    decisions = [
        Decision(
            t,
            plan.leaders.get(t),
            f.incumbent[t],
            plan.core.get(t, []),
            scores[t],
            why.reasons(t, scores[t], low),
            _goes(why, f, plan, t),
        )
        for t in sorted(f.team, key=lambda t: f.team[t].code)
    ]
    return LeadersPlan(
        decisions,
        status,
        (low, total),
        bounds,
        None,
        0.0,
        team_codes={t: f.team[t].code for t in f.team},
        employee_nos={p: f.person[p].employee_no for p in f.person},
        names={
            **{t.code: t.name for t in f.team.values() if t.name},
            **{p.employee_no: p.name for p in f.person.values() if p.name},
        },
        rules=rules_of(inp),
    )


def rules_of(inp: LeadersInput) -> dict[str, Any]:
    """The input's rules, as the plan stores them: an edit is checked against the same."""
    return {
        "support_min": inp.support_min,
        "keep_margin": inp.keep_margin,
        "large_gain": inp.large_gain,
        "k_core": inp.k_core,
        "allow_transfers": inp.allow_transfers,
        "max_transfers": inp.max_transfers,
        "max_changes": inp.max_changes,
        "keep": sorted(inp.facts.team[t].code for t in inp.keep if t in inp.facts.team),
    }


def _goes(why: Explainer, f, plan: Assignment, tid: int) -> dict[str, Any] | None:
    inc = f.incumbent[tid]
    if inc is None or plan.leaders.get(tid) == inc:
        return None
    return why.goes(inc)
