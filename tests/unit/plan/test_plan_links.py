"""The cadre links plan: valid and optimal on small plants, worst teams covered first, every
cadre and uncovered team explained, never worse than the greedy baseline."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamroots.errors import NoFeasiblePlan
from teamroots.i18n import localized
from teamroots.plan.links.checks import check_links, links_objective
from teamroots.plan.links.greedy import greedy_links
from teamroots.plan.links.model import Cadre, Links, LinksInput, LinkTeam
from teamroots.plan.links.solve import plan_links
from teamroots.plan.links.synthetic import synthetic_links
from tests.unit.plan.test_plan_links_checks import K1, K2, K3, plant

LIMIT = 10


def at_least(a: tuple, b: tuple, tol: float = 1e-6) -> bool:
    """a ≥ b lexicographically; coverage and links exact, the match within ``tol``."""
    if a[:2] != b[:2]:
        return a[:2] > b[:2]
    return a[2] >= b[2] - tol


def match_tol(*plans: Links) -> float:
    """The models hold matches × 1000 rounded: half a thousandth per link either side."""
    return 5e-4 * sum(len(p.advanced) + len(p.backward) for p in plans) + 1e-6


def codes(plan, tier: str = "3") -> set[str]:
    side = plan.plan.backward if tier == "3" else plan.plan.advanced
    return {plan.inp.team[t].code for t in side.values()}


def entry(doc: dict, cadre: str) -> dict:
    (found,) = [x for x in doc["links"] if x["cadre"] == cadre]
    return found


def ladder() -> LinksInput:
    """Two cadres in workshop 2 and four tier-3 teams there (scores 0.4, 0.1, 0.3, 0.2; the
    cadres are experts for the best one); workshop 3's tier-3 team (0.05) is out of reach."""
    teams = [
        LinkTeam(1, "A1", 2, "1", 0.9),
        LinkTeam(2, "S40", 2, "3", 0.4, {"crane": 1}),
        LinkTeam(3, "S10", 2, "3", 0.1),
        LinkTeam(4, "S30", 2, "3", 0.3, {"crane": 1}),
        LinkTeam(5, "S20", 2, "3", 0.2),
        LinkTeam(6, "W05", 3, "3", 0.05),
        LinkTeam(7, "W2", 3, "2", 0.01),
    ]
    cadres = [Cadre(10, "C10", 2, {"crane": 5}), Cadre(11, "C11", 2, {"crane": 5})]
    return LinksInput(cadres, teams, {1: None, 2: 1, 3: 1}, {1: "P", 2: "W2", 3: "W3"})


def crowded(max_cadres: int = 2) -> LinksInput:
    """Three cadres in one workshop with one tier-1 and one tier-3 team."""
    teams = [LinkTeam(1, "T1", 2, "1", 0.9), LinkTeam(3, "T3", 2, "3", 0.1, {"crane": 1})]
    cadres = [
        Cadre(10, "C10", 2, {"crane": 1}),
        Cadre(11, "C11", 2),
        Cadre(12, "C12", 2, {"crane": 5}),
    ]
    return LinksInput(cadres, teams, {1: None, 2: 1}, max_cadres=max_cadres)


def trap() -> LinksInput:
    """The plant cadre P matches the worst team A (workshop 2) best, and is the only one who
    reaches B (workshop 3); W reaches A alone. Greedy gives A to P and leaves B out."""
    teams = [
        LinkTeam(1, "A", 2, "3", 0.1, {"crane": 1}),
        LinkTeam(2, "B", 3, "3", 0.2),
        LinkTeam(3, "T", 2, "1", 0.9),
    ]
    cadres = [Cadre(10, "P", 1, {"crane": 5}), Cadre(11, "W", 2)]
    return LinksInput(cadres, teams, {1: None, 2: 1, 3: 1})


def test_small_plant_is_planned_and_optimal():
    inp = plant()
    plan = plan_links(inp, time_limit=LIMIT)
    assert check_links(inp, plan.plan) == []
    assert plan.status == "OPTIMAL" and plan.gap == 0
    assert plan.objective == links_objective(inp, plan.plan)
    # all three tier-3 teams covered; K2 takes A3, their best match (1.0), K1 the worse A4
    assert plan.plan.backward == {K1: 14, K2: 13, K3: 23}
    assert plan.plan.advanced[K2] == 11 and plan.plan.advanced[K3] == 21
    assert plan.objective[:2] == (6, 6)
    assert plan.objective[2] == pytest.approx(0.25 + 0.9375 + 0.5 + 0.25 + 1.0 + 0.5)
    assert plan.uncovered == []
    assert plan.bound["coverage"] == 6


def test_fewer_cadres_cover_the_worst_reachable_teams():
    inp = ladder()
    plan = plan_links(inp, time_limit=LIMIT)
    assert check_links(inp, plan.plan) == []
    assert plan.status == "OPTIMAL"
    # coverage first: the two worst the cadres reach, though both are experts for S40 and S30
    assert codes(plan) == {"S10", "S20"}
    assert sorted(plan.plan.backward) == [10, 11]
    doc = localized(plan.to_json())
    uncovered = [
        (u["team"], u["score"], [r["code"] for r in u["reasons"]]) for u in doc["uncovered"]
    ]
    assert uncovered == [
        ("W05", 0.05, ["no_cadre_in_scope"]),
        ("S30", 0.3, ["cadres_needed_elsewhere"]),
        ("S40", 0.4, ["cadres_needed_elsewhere"]),
    ]
    reasons = {u["team"]: u["reasons"][0] for u in doc["uncovered"]}
    assert reasons["S30"]["params"] == {"team": "S30", "n": 2}
    assert reasons["W05"]["params"] == {"team": "W05"}
    assert all(r["text"] and "{" not in r["text"] for r in reasons.values())
    assert [t for t, _ in plan.uncovered] == [6, 4, 2]


def test_every_tier_3_team_is_covered_or_listed_once():
    for inp in (plant(), ladder(), crowded(), trap(), plant(K2)):
        plan = plan_links(inp, time_limit=LIMIT)
        covered = set(plan.plan.backward.values())
        listed = [t for t, _ in plan.uncovered]
        assert len(listed) == len(set(listed))
        assert covered.isdisjoint(listed)
        assert covered | set(listed) == set(inp.backward_rank)


def test_a_cadre_without_a_tier_1_team_in_scope():
    inp = plant(drop=(21,))  # workshop 3 has no advanced team
    plan = plan_links(inp, time_limit=LIMIT)
    assert check_links(inp, plan.plan) == [] and plan.status == "OPTIMAL"
    k3 = entry(localized(plan.to_json()), "K3")
    assert k3["advanced_team"] is None and k3["backward_team"] == "B3"
    assert [r["code"] for r in k3["reasons"]] == ["backward", "none_in_scope_1"]
    missing = k3["reasons"][1]
    assert missing["params"] == {"cadre": "K3", "unit": "W3"}
    assert "K3" in missing["text"] and "W3" in missing["text"]
    # the plant cadre still reaches workshop 2's advanced team
    assert entry(localized(plan.to_json()), "K1")["advanced_team"] == "A1"


def test_a_cadre_without_a_tier_3_team_in_scope():
    inp = plant(drop=(23,))
    plan = plan_links(inp, time_limit=LIMIT)
    assert check_links(inp, plan.plan) == []
    k3 = entry(localized(plan.to_json()), "K3")
    assert k3["backward_team"] is None and k3["advanced_team"] == "B1"
    assert [r["code"] for r in k3["reasons"]] == ["none_in_scope_3", "advanced"]


def test_max_cadres_is_respected():
    inp = crowded(max_cadres=2)
    plan = plan_links(inp, time_limit=LIMIT)
    assert check_links(inp, plan.plan) == [] and plan.status == "OPTIMAL"
    assert list(plan.plan.backward.values()) == [3, 3]
    assert list(plan.plan.advanced.values()) == [1, 1]
    (left,) = set(inp.cadre) - set(plan.plan.backward)
    assert left == 11  # the one without expertise for T3's posts
    doc = localized(plan.to_json())
    assert doc["rules"] == {"max_cadres": 2}
    out = [x for x in doc["links"] if x["backward_team"] is None]
    assert len(out) == 1
    full = [r for r in out[0]["reasons"] if r["code"] == "full_3"]
    assert full and full[0]["params"]["max"] == 2 and full[0]["params"]["tier"] == "3"
    assert doc["uncovered"] == []


def test_max_cadres_one_and_three():
    one = plan_links(crowded(max_cadres=1), time_limit=LIMIT)
    assert check_links(one.inp, one.plan) == []
    assert len(one.plan.backward) == len(one.plan.advanced) == 1
    three = plan_links(crowded(max_cadres=3), time_limit=LIMIT)
    assert check_links(three.inp, three.plan) == []
    assert len(three.plan.backward) == len(three.plan.advanced) == 3


def test_link_reasons_say_why():
    plan = plan_links(plant(), time_limit=LIMIT)
    doc = localized(plan.to_json())
    k1, k2 = entry(doc, "K1"), entry(doc, "K2")
    assert [r["code"] for r in k1["reasons"]] == ["backward", "advanced"]
    back = k1["reasons"][0]["params"]
    assert back["team"] == "A4" and back["rank"] == 1 and back["levels"] == 1
    assert back["score"] == 0.1 and back["expertise"] == 0.0 and back["others"] == 0
    back2 = k2["reasons"][0]["params"]
    assert back2["team"] == "A3" and back2["rank"] == 3 and back2["levels"] == 0
    assert back2["expertise"] == pytest.approx(1.0)
    adv = k2["reasons"][1]["params"]
    assert adv["team"] == "A1" and adv["expertise"] == pytest.approx(0.875)
    if plan.plan.advanced[K1] == 11:  # A1 shared by K1 and K2
        assert adv["others"] == 1
    assert all(r["text"] and "{" not in r["text"] for x in doc["links"] for r in x["reasons"])


def test_to_json_shape():
    plan = plan_links(ladder(), time_limit=LIMIT)
    doc = localized(plan.to_json())
    assert {"plan_id", "kind", "status", "objective", "bound", "gap", "links", "uncovered"} <= set(
        doc
    )
    assert doc["plan_id"] is None and doc["kind"] == "links"
    assert doc["status"] == plan.status == "OPTIMAL"
    coverage, made, match = plan.objective
    assert doc["objective"] == {"coverage": coverage, "links": made, "match": match}
    assert doc["gap"] == plan.gap and doc["bound"] == plan.bound
    assert [x["cadre"] for x in doc["links"]] == ["C10", "C11"]  # by employee number
    for x in doc["links"]:
        assert {"cadre", "advanced_team", "backward_team", "reasons"} <= set(x)
        assert x["advanced_team"] == "A1"
        assert len(x["reasons"]) == 2
        assert all({"code", "text", "params"} <= set(r) for r in x["reasons"])
    for u in doc["uncovered"]:
        assert {"team", "score", "reasons"} <= set(u) and len(u["reasons"]) == 1
    json.dumps(doc)  # serialisable as is


def test_an_empty_plant():
    inp = LinksInput([], [], {1: None})
    plan = plan_links(inp, time_limit=LIMIT)
    assert plan.plan == Links() and plan.objective == (0, 0, 0.0)
    assert check_links(inp, plan.plan) == []
    doc = localized(plan.to_json())
    assert doc["links"] == [] and doc["uncovered"] == []


def test_greedy_falls_in_the_trap_the_plan_does_not():
    inp = trap()
    greedy = greedy_links(inp)
    assert greedy.backward == {10: 1, 11: 1}  # B left out
    assert "cover_when_possible" in {v.constraint for v in check_links(inp, greedy)}
    plan = plan_links(inp, time_limit=LIMIT)
    assert check_links(inp, plan.plan) == [] and plan.status == "OPTIMAL"
    assert plan.plan.backward == {10: 2, 11: 1}
    assert plan.objective[0] > links_objective(inp, greedy)[0]


@pytest.mark.parametrize(
    "make",
    [
        plant,
        lambda: plant(K2, K3),
        lambda: plant(max_cadres=1),
        lambda: plant(top_n=1),
        ladder,
        crowded,
        trap,
        lambda: synthetic_links(60, 20, teams_per_workshop=15, seed=3),
        lambda: synthetic_links(40, 25, teams_per_workshop=10, seed=7, max_cadres=1),
    ],
)
def test_greedy_is_never_better(make):
    inp = make()
    plan = plan_links(inp, time_limit=LIMIT)
    greedy = greedy_links(inp)
    assert check_links(inp, plan.plan) == []
    assert at_least(plan.objective, links_objective(inp, greedy), match_tol(plan.plan, greedy))


def test_same_seed_same_plan():
    inp = synthetic_links(50, 15, teams_per_workshop=10, seed=11)
    a = plan_links(inp, time_limit=LIMIT, seed=0)
    b = plan_links(synthetic_links(50, 15, teams_per_workshop=10, seed=11), time_limit=LIMIT)
    assert a.objective == b.objective


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    teams=st.integers(10, 80),
    cadres=st.integers(1, 30),
    per_workshop=st.integers(5, 25),
    seed=st.integers(0, 2**16),
)
def test_synthetic_plans_are_valid_and_beat_greedy(teams, cadres, per_workshop, seed):
    inp = synthetic_links(teams, cadres, teams_per_workshop=per_workshop, seed=seed)
    plan = plan_links(inp, time_limit=LIMIT)
    assert check_links(inp, plan.plan) == []
    assert plan.status == "OPTIMAL"
    assert plan.objective == links_objective(inp, plan.plan)
    greedy = greedy_links(inp)
    assert at_least(plan.objective, links_objective(inp, greedy), match_tol(plan.plan, greedy))
    assert all(len(rs) == 2 for rs in plan.reasons.values())


def test_max_cadres_zero_is_refused_with_what_to_do():
    with pytest.raises(NoFeasiblePlan, match="--max-cadres 1 or more"):
        plan_links(plant(max_cadres=0), time_limit=LIMIT)


@pytest.mark.xfail(
    strict=True,
    reason="known limitation: pruned candidates (top_n) can leave a cadre without an advanced "
    "team while another team in scope has room (needs more than top_n teams in scope)",
)
def test_pruning_does_not_hide_a_free_team():
    inp = plant(K1, K2, max_cadres=1, top_n=1)
    plan = plan_links(inp, time_limit=LIMIT)
    assert plan.plan.advanced.get(K1) == 21
