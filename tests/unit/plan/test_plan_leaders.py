"""The leadership plan's solver: valid plans, explanations, JSON, and infeasibility named."""

from __future__ import annotations

import pytest

from teamroots.errors import NoFeasiblePlan
from teamroots.i18n import localized, set_language
from teamroots.plan.leaders.checks import check_leaders, leaders_objective
from teamroots.plan.leaders.greedy import greedy_leaders
from teamroots.plan.leaders.model import LeadersInput, TeamNeed, Weights
from teamroots.plan.leaders.solve import plan_leaders
from teamroots.plan.leaders.synthetic import synthetic_input
from tests.unit.plan.test_plan_leaders_checks import person, small_plant


def lexi_at_least(a: tuple[float, float], b: tuple[float, float], tol: float = 1e-5) -> bool:
    if a[0] > b[0] + tol:
        return True
    return a[0] >= b[0] - tol and a[1] >= b[1] - tol


def test_small_plant_is_planned_and_explained():
    inp = small_plant()
    plan = plan_leaders(inp, time_limit=10)
    assert check_leaders(inp, plan) == []
    assert plan.status == "OPTIMAL" and plan.gap == 0
    assert plan.objective == leaders_objective(inp, plan)
    assert plan.leaders[1] == 11  # tier 1 keeps its leader
    assert plan.leaders[2] == 22  # a clear gain over the incumbent 21
    assert 12 in {p for p, _ in plan.core[1]}
    codes = {d.team_id: [r.code for r in d.reasons] for d in plan.decisions}
    assert codes[1][:2] == ["evidence", "tier1_kept"]
    assert "incumbent_replaced" in codes[2]
    assert all("evidence" in c and "team_score" in c for c in codes.values())


def test_json_uses_codes_and_employee_numbers():
    data = localized(plan_leaders(small_plant(), time_limit=10).to_json())
    assert data["plan_id"] is None and data["kind"] == "leaders"
    assert {"status", "objective", "bound", "gap", "decisions"} <= set(data)
    first = data["decisions"][0]
    assert first["team"] == "A" and first["leader"] == "E11" and first["incumbent"] == "E11"
    assert {"person": "E12", "name": None, "role": "deputy"} in first["core"]
    assert all(r["text"] and r["code"] for d in data["decisions"] for r in d["reasons"])


def test_reasons_are_translated_when_rendered():
    plan = plan_leaders(small_plant(), time_limit=10)
    reason = plan.decisions[0].reasons[1]
    english = reason.text()
    set_language("zh-CN")
    try:
        assert reason.to_json()["params"] == {} and reason.text()
    finally:
        set_language("en")
    assert english == "Tier-1 team: its leader and core are kept."


def test_solver_beats_or_matches_greedy_on_a_sample_sized_plant():
    inp = synthetic_input(150, seed=3)
    plan, greedy = plan_leaders(inp, time_limit=20), greedy_leaders(inp)
    assert check_leaders(inp, plan) == [] and check_leaders(inp, greedy) == []
    assert plan.status == "OPTIMAL"
    assert lexi_at_least(plan.objective, leaders_objective(inp, greedy))
    assert len(plan.decisions) == 150
    moved = [d for d in plan.decisions if any(r.code == "transfer" for r in d.reasons)]
    assert moved, "the synthetic plant has teams without members"


def test_weakest_team_is_lifted_first():
    """Scores are the skill match alone: E1 adds most to A (0.9 against E2's 0.3), but the
    max-min plan gives E1 to the weaker B (0.4 against 0.1); the total-only plan does not."""
    w = Weights(designations={}, trust=0, helps=0, training=0, skills=1, tenure=0)
    teams = [TeamNeed(1, "A", 1, "W", posts={"a": 1}), TeamNeed(2, "B", 1, "W", posts={"b": 1})]
    people = [
        person(1, 1, skills={"a": 4.5, "b": 2}, trust_share=0.5),
        person(2, 1, skills={"a": 1.5, "b": 0.5}, trust_share=0.5),
    ]
    inp = LeadersInput(teams, people, weights=w, k_core=0, max_transfers=1)
    plan = plan_leaders(inp, time_limit=10)
    assert check_leaders(inp, plan) == [] and plan.leaders == {1: 2, 2: 1}
    assert plan.objective == pytest.approx((0.3, 0.7))
    assert any(r.code == "plant_minimum" for r in plan.decisions[0].reasons)
    total_only = plan_leaders(inp, time_limit=10, maxmin=False)
    assert total_only.leaders == {1: 1, 2: 2}
    assert total_only.objective == pytest.approx((0.1, 1.0))


def failure(inp: LeadersInput) -> str:
    with pytest.raises(NoFeasiblePlan) as info:
        plan_leaders(inp, time_limit=10)
    return info.value.message()


def codes_of(plan, team_id: int) -> list[str]:
    return next([r.code for r in d.reasons] for d in plan.decisions if d.team_id == team_id)


def test_a_team_nobody_may_lead_stays_without_a_leader_and_says_why():
    """No members and no transfers: no leader, and not a failure of the whole plan."""
    inp = LeadersInput([TeamNeed(1, "T0003", 1, "W2", respondents=0)], [], allow_transfers=False)
    plan = plan_leaders(inp, time_limit=10)
    assert check_leaders(inp, plan) == [] and plan.leaders == {}
    assert codes_of(plan, 1)[:2] == ["no_leader", "needs_survey"]


def test_more_teams_without_members_than_transfers():
    inp = small_plant(max_transfers=0)
    inp = LeadersInput([*inp.teams, TeamNeed(5, "E", 1, "W1")], inp.people, max_transfers=0)
    plan = plan_leaders(inp, time_limit=10)
    assert check_leaders(inp, plan) == [] and 5 not in plan.leaders
    assert codes_of(plan, 5)[0] == "no_leader"


def test_a_person_two_tier1_teams_keep():
    teams = [TeamNeed(1, "A", 1, "W", tier=1, incumbent=1), TeamNeed(2, "B", 1, "W", tier=1)]
    people = [person(1, 2, core_role="deputy"), person(2, 2), person(3, 1)]
    text = failure(LeadersInput(teams, people))
    assert "E1" in text and "A" in text and "B" in text and "tier-1" in text


def test_a_transfer_that_would_empty_a_core_is_not_made():
    """A could only be led by a transfer from B, but B (two members, one its leader) needs
    both for leader and core: A stays without a leader, B is staffed."""
    teams = [TeamNeed(1, "A", 1, "W"), TeamNeed(2, "B", 1, "W", incumbent=1)]
    people = [person(1, 2, trust_share=0.5), person(2, 2, trust_share=0.4)]
    inp = LeadersInput(teams, people, k_core=1)
    plan = plan_leaders(inp, time_limit=10)
    assert check_leaders(inp, plan) == [] and 1 not in plan.leaders and plan.leaders[2] == 1


def test_nobody_supported_means_no_new_leader():
    """Three teams without incumbents and one person nobody named: no leader is proposed;
    the teams need a cadre's attention (the survey had respondents)."""
    teams = [TeamNeed(t, c, 1, "W", respondents=5) for t, c in ((1, "A1"), (2, "A2"), (3, "B"))]
    inp = LeadersInput(teams, [person(1, 3)], k_core=0, max_transfers=2)
    plan = plan_leaders(inp, time_limit=10)
    assert check_leaders(inp, plan) == [] and plan.leaders == {}
    assert all(codes_of(plan, t) == ["no_leader", "needs_cadre"] for t in (1, 2, 3))


def test_pruning_never_causes_infeasibility():
    """With top_n=1, the one transfer candidate of A is needed by its own team; the plan
    retries without pruning."""
    teams = [
        TeamNeed(1, "A", 1, "W"),
        TeamNeed(2, "B", 1, "W", incumbent=3),
        TeamNeed(3, "C", 1, "W"),
    ]
    people = [
        person(3, 2, trust_share=1.0),
        person(4, 3, trust_share=0.1),
        person(5, 3, trust_share=0.05),
    ]
    inp = LeadersInput(teams, people, k_core=0, max_transfers=1)
    plan = plan_leaders(inp, time_limit=10, top_n=1)
    assert check_leaders(inp, plan) == [] and plan.leaders[2] == 3


def test_a_solver_that_finds_nothing_falls_back_on_greedy(monkeypatch):
    from teamroots.plan._solve import SolveResult
    from teamroots.plan.leaders import cpsat as leaders_cpsat

    def nothing(model, **kw):
        return None, SolveResult("UNKNOWN", None, None, None, 0.0)

    monkeypatch.setattr(leaders_cpsat, "solve", nothing)
    inp = synthetic_input(60, seed=4)
    plan = plan_leaders(inp, time_limit=5)
    assert check_leaders(inp, plan) == []
    assert plan.status == "FEASIBLE" and plan.gap > 0
    assert plan.objective == leaders_objective(inp, greedy_leaders(inp))
    assert localized(plan.to_json())["bound"]["total"] >= plan.objective[1]
