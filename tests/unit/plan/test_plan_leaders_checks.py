"""The leadership plan's spec: scores, and every constraint of the checker alone, in a feasible
and an infeasible case."""

from __future__ import annotations

import dataclasses
import math

import pytest

from teamroots.plan.leaders import checks
from teamroots.plan.leaders.checks import check_leaders, leaders_objective
from teamroots.plan.leaders.facts import clears_margin
from teamroots.plan.leaders.model import (
    Assignment,
    LeadersInput,
    Person,
    TeamNeed,
    Weights,
    weights_doc,
)
from teamroots.plan.leaders.scores import candidate_score, core_score, leader_score, skill_match


def person(pid: int, team: int, **kw) -> Person:
    return Person(pid, f"E{pid}", team, **kw)


def small_plant(**options) -> LeadersInput:
    """Unit 1: A (tier 1, incumbent 11, 12 deputy), B (incumbent 21, 23 safety), C (no
    incumbent);
    unit 2: D. k_core 2, one transfer per unit, margin 0.05."""
    teams = [
        TeamNeed(1, "A", 1, "W1", tier=1, incumbent=11),
        TeamNeed(2, "B", 1, "W1", tier=2, incumbent=21),
        TeamNeed(3, "C", 1, "W1", tier=3),
        TeamNeed(4, "D", 2, "W2", tier=2, incumbent=41),
    ]
    people = [
        person(11, 1, trust_share=0.8),
        person(12, 1, core_role="deputy", trust_share=0.5),
        person(13, 1, trust_share=0.2),
        person(14, 1, trust_share=0.85),
        person(21, 2, trust_share=0.3),
        person(22, 2, trust_share=0.9),
        person(23, 2, core_role="safety", trust_share=0.32),
        person(31, 3, trust_share=0.4),
        person(32, 3, trust_share=0.1),
        person(41, 4, trust_share=0.6),
        person(42, 4, trust_share=0.2),
    ]
    options = {"k_core": 2, "max_transfers": 1, "keep_margin": 0.05, **options}
    return LeadersInput(teams, people, **options)


def valid_plan() -> Assignment:
    return Assignment(
        {1: 11, 2: 21, 3: 31, 4: 41},
        {
            1: [(12, "deputy"), (13, "safety")],
            2: [(22, "deputy"), (23, "safety")],
            3: [(32, "deputy")],
            4: [(42, "deputy")],
        },
    )


def changed(leaders=None, core=None) -> Assignment:
    plan = valid_plan()
    plan.leaders.update(leaders or {})
    plan.core.update(core or {})
    return plan


def test_the_valid_plan_passes_every_check():
    assert check_leaders(small_plant(), valid_plan()) == []


BROKEN = {
    "one_leader_per_team": lambda: Assignment({1: 11, 3: 31, 4: 41}, valid_plan().core),
    "one_role_per_person": lambda: changed({3: 32}),
    "transfer_in_unit": lambda: changed({3: 42}),
    "max_transfers": lambda: changed({3: 23, 2: 14}),
    "tier1_kept": lambda: changed({1: 14}),
    "incumbent_margin": lambda: changed({2: 23}, {2: [(22, "deputy"), (21, "safety")]}),
    "supported_leader": lambda: changed({3: 32}, {3: [(31, "deputy")]}),
    "max_changes": lambda: changed({2: 22}, {2: [(21, "deputy"), (23, "safety")]}),
    "core_held": lambda: changed(core={2: [(22, "deputy"), (24, "safety")]}),
    "core_size": lambda: changed(core={3: []}),
    "core_roles": lambda: changed(core={2: [(22, "deputy"), (23, "deputy")]}),
    "core_own_team": lambda: changed(core={2: [(22, "deputy"), (31, "safety")]}),
}


OPTIONS = {"max_changes": {"max_changes": 1}}  # the valid plan makes one change (team C)


def with_a_spare_member(**options) -> LeadersInput:
    """The small plant with a fourth member in B (24), who could take 23's place in the core."""
    inp = small_plant(**options)
    return dataclasses.replace(inp, people=[*inp.people, person(24, 2, trust_share=0.1)])


PLANTS = {"core_held": with_a_spare_member}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_constraint_alone(name):
    plant = PLANTS.get(name, small_plant)
    inp, check = plant(**OPTIONS.get(name, {})), getattr(checks, name)
    assert check(inp.facts, valid_plan()) == []
    found = check(inp.facts, BROKEN[name]())
    assert found and {v.constraint for v in found} == {name}


def test_every_constraint_has_a_broken_case():
    assert {c.__name__ for c in checks.CHECKS} == set(BROKEN)


def test_transfers_need_permission():
    inp = small_plant(allow_transfers=False)
    moved = changed({3: 23}, {2: [(22, "deputy"), (21, "safety")]})
    assert checks.transfer_in_unit(small_plant().facts, moved) == []
    assert [v.constraint for v in checks.transfer_in_unit(inp.facts, moved)] == ["transfer_in_unit"]


def test_a_tier1_team_keeps_its_core():
    plan = changed(core={1: [(13, "deputy"), (14, "safety")]})
    assert [v.detail for v in checks.tier1_kept(small_plant().facts, plan)] == [
        "core member E12 not kept"
    ]


def test_an_incumbent_goes_for_a_clear_gain():
    f = small_plant().facts
    assert clears_margin(f.score(22, 2), f.score(21, 2), 0.05)
    assert not clears_margin(f.score(23, 2), f.score(21, 2), 0.05)
    plan = changed({2: 22}, {2: [(21, "deputy"), (23, "safety")]})
    assert checks.incumbent_margin(f, plan) == []


def test_core_size_leaves_one_member_for_leader():
    f = small_plant(k_core=3).facts
    assert [f.core_size(t) for t in (1, 2, 3, 4)] == [3, 2, 1, 1]
    assert small_plant(k_core=0).facts.core_size(1) == 1  # tier 1 keeps its deputy


def test_objective_by_hand():
    w = Weights()
    inp = LeadersInput(
        [TeamNeed(1, "A", 1)],
        [person(1, 1, trust_share=1.0), person(2, 1, designations=frozenset({"activist"}))],
        k_core=1,
    )
    plan = Assignment({1: 1}, {1: [(2, "deputy")]})
    lead, core = 0.4 / w.total, 0.15 / w.total + 0.1
    low, total = leaders_objective(inp, plan)
    assert math.isclose(low, lead + 0.5 * core) and math.isclose(total, low)


def test_scores():
    team = TeamNeed(1, "A", 1, posts={"a": 3, "b": 1})
    p = person(1, 1, skills={"a": 5, "b": 2.5}, tenure_years=25, training=0.5)
    assert skill_match(p, team) == pytest.approx(17.5 / 20)
    w = Weights()
    expected = (0.1 * 0.875 + 0.1 + 0.1 * 0.5) / w.total
    score, evidence = candidate_score(p, team, w)
    assert score == pytest.approx(expected) == leader_score(p, team, w)
    assert evidence["skills"] == 0.875 and evidence["training"] == 0.5
    assert core_score(p, team, w) == score
    assert 0 <= leader_score(person(2, 1, trust_share=7.0), team, w) <= 1


def test_facts_score_is_the_spec_score():
    inp = small_plant()
    f = inp.facts
    for pid, p in f.person.items():
        for tid, team in f.team.items():
            assert f.score(pid, tid) == leader_score(p, team, inp.weights)
        assert f.core_score(pid) == core_score(p, f.team[p.team_id], inp.weights)


def test_every_weight_is_documented():
    names = {row["name"] for row in weights_doc()}
    fields = {f.name for f in dataclasses.fields(Weights)} - {"designations"}
    assert fields <= names
    assert {f"designation:{t}" for t in Weights().designations} <= names
    assert all(row["meaning"] for row in weights_doc())
