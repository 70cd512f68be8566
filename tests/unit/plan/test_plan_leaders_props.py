"""Generated instances: every plan passes its checker and is as good as exhaustive search;
no plan only when none exists; the assignment part matches scipy's bipartite matching."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from teamroots.errors import NoFeasiblePlan
from teamroots.plan.leaders.arcs import unit_arcs
from teamroots.plan.leaders.checks import check_leaders, leaders_objective
from teamroots.plan.leaders.facts import assign_roles
from teamroots.plan.leaders.greedy import greedy_leaders
from teamroots.plan.leaders.model import ROLES, Assignment, LeadersInput, Person, TeamNeed
from teamroots.plan.leaders.solve import plan_leaders
from teamroots.plan.leaders.synthetic import synthetic_input
from tests.unit.plan.test_plan_leaders import lexi_at_least

TAGS = ("party_member", "activist", "league_member")
share = st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def instances(draw, max_teams: int = 3, max_members: int = 3) -> LeadersInput:
    n_teams = draw(st.integers(1, max_teams))
    teams, people = [], []
    for tid in range(1, n_teams + 1):
        unit = draw(st.integers(1, 2))
        size = draw(st.sampled_from([0, *range(1, max_members + 1), *range(1, max_members + 1)]))
        members = list(range(len(people) + 1, len(people) + size + 1))
        for pid in members:
            people.append(
                Person(
                    pid,
                    f"E{pid}",
                    tid,
                    frozenset(draw(st.sets(st.sampled_from(TAGS), max_size=2))),
                    trust_share=draw(share),
                    helps_share=draw(share),
                    core_role=draw(st.sampled_from([None, None, *ROLES[:3]])),
                )
            )
        incumbent = draw(st.sampled_from([None, *members]))
        tier = draw(st.sampled_from([None, 1, 2, 3]))
        teams.append(TeamNeed(tid, f"T{tid}", unit, f"U{unit}", tier, incumbent))
    return LeadersInput(
        teams,
        people,
        k_core=draw(st.integers(0, 2)),
        allow_transfers=draw(st.booleans()),
        max_transfers=draw(st.integers(0, 2)),
        keep_margin=draw(st.sampled_from([0.0, 0.05, 0.2])),
    )


def exhaustive(inp: LeadersInput) -> tuple[float, float] | None:
    """The lexicographic best objective over every leader choice (none, for a team without an
    incumbent; the best core given the leaders is each team's kept core plus its best free
    members), by the checker alone."""
    f = inp.facts
    teams, best = sorted(f.team), None
    # a team without an incumbent may stay without a leader (None)
    options = [sorted(f.person) + ([None] if f.incumbent[t] is None else []) for t in teams]
    for combo in product(*options):
        chosen = [p for p in combo if p is not None]
        if len(set(chosen)) < len(chosen):
            continue
        core = {}
        for t in teams:
            held = [p for p, _ in f.held_core[t] if p not in chosen]  # held core stays
            kept = [p for p, _ in f.kept_core[t]] + held
            free = [p for p in f.members.get(t, []) if p not in combo and p not in kept]
            free.sort(key=lambda p: (-f.core_score(p), p))
            core[t] = assign_roles(f, t, kept + free[: max(f.core_size(t) - len(kept), 0)])
        leaders = {t: p for t, p in zip(teams, combo, strict=True) if p is not None}
        plan = Assignment(leaders, core)
        if check_leaders(inp, plan):
            continue
        value = leaders_objective(inp, plan)
        if best is None or (lexi_at_least(value, best, tol=0) and value != best):
            best = value
    return best


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances())
def test_plan_is_valid_and_as_good_as_exhaustive_search(inp):
    best = exhaustive(inp)
    if best is None:
        with pytest.raises(NoFeasiblePlan) as info:
            plan_leaders(inp, time_limit=5, top_n=None)
        assert any(w in info.value.message() for w in ("Unit", "Team", "tier-1"))
        return
    plan = plan_leaders(inp, time_limit=5, top_n=None)
    assert check_leaders(inp, plan) == []
    assert plan.objective == leaders_objective(inp, plan)
    assert lexi_at_least(plan.objective, best) and lexi_at_least(best, plan.objective)
    assert all(d.reasons for d in plan.decisions)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_teams=4, max_members=4))
def test_pruned_plan_is_valid_and_beats_greedy(inp):
    try:
        plan = plan_leaders(inp, time_limit=5, top_n=1)
    except NoFeasiblePlan:
        assert exhaustive(inp) is None
        return
    assert check_leaders(inp, plan) == []
    greedy = greedy_leaders(inp, top_n=1)
    if not check_leaders(inp, greedy):
        assert lexi_at_least(plan.objective, leaders_objective(inp, greedy))


def matching_total(inp: LeadersInput) -> float:
    """Best sum of leader scores over the same candidate arcs, by scipy's sparse matching."""
    f = inp.facts
    arcs = [a for u in sorted(f.units) for a in unit_arcs(inp, u).arcs]
    teams = sorted({t for _, t in arcs})
    people = sorted({p for p, _ in arcs})
    ti, pi = {t: i for i, t in enumerate(teams)}, {p: i for i, p in enumerate(people)}
    weights = [f.score(p, t) + 1.0 for p, t in arcs]  # + 1: zero would mean "no arc"
    graph = csr_matrix(
        (weights, ([ti[t] for _, t in arcs], [pi[p] for p, _ in arcs])),
        shape=(len(teams), len(people)),
    )
    rows, cols = min_weight_full_bipartite_matching(graph, maximize=True)
    return float(np.asarray(graph[rows, cols]).sum()) - len(teams)


def test_assignment_part_matches_scipy_matching():
    """k_core=0, the total alone and a budget that never binds: a bipartite matching."""
    inp = synthetic_input(300, seed=5, k_core=0, max_transfers=1000)
    plan = plan_leaders(inp, time_limit=20, maxmin=False)
    assert check_leaders(inp, plan) == [] and plan.status == "OPTIMAL"
    f = inp.facts
    leaders = sum(f.score(p, t) for t, p in plan.leaders.items())
    assert leaders == pytest.approx(matching_total(inp), abs=1e-4)
