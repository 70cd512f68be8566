"""The cadre links plan's spec: scope and depth, match, priority, every rule of the checker in a
passing and a failing case, and the objective by hand."""

from __future__ import annotations

import pytest

from teamroots.plan.links import checks as links_checks
from teamroots.plan.links.checks import check_links, links_objective
from teamroots.plan.links.model import Cadre, Links, LinksInput, LinkTeam

K1, K2, K3 = 101, 102, 103  # cadres: plant, workshop 2, workshop 3

TEAMS = (
    LinkTeam(11, "A1", 2, "1", 0.90, {"crane": 3, "fitter": 1}),
    LinkTeam(12, "A2", 2, "2", 0.50),
    LinkTeam(13, "A3", 2, "3", 0.30, {"crane": 1}),
    LinkTeam(14, "A4", 2, "3", 0.10),
    LinkTeam(21, "B1", 3, "1", 0.80),
    LinkTeam(22, "B2", 3, "2", 0.60),
    LinkTeam(23, "B3", 3, "3", 0.20),
)
CADRES = (
    Cadre(K1, "K1", 1),
    Cadre(K2, "K2", 2, {"crane": 5, "fitter": 2.5}),
    Cadre(K3, "K3", 3),
)


def plant(*cadres: int, drop: tuple[int, ...] = (), **options) -> LinksInput:
    """Plant unit 1 over workshops 2 and 3. Workshop 2: A1 (tier 1), A2 (tier 2), A3 (tier 3,
    score 0.30), A4 (tier 3, 0.10); workshop 3: B1 (tier 1), B2 (tier 2), B3 (tier 3, 0.20).
    Cadres K1 at the plant, K2 in workshop 2 (skilled for A1's and A3's posts), K3 in
    workshop 3; ``cadres`` picks some of them (all by default), ``drop`` leaves teams out."""
    return LinksInput(
        [c for c in CADRES if not cadres or c.id in cadres],
        [t for t in TEAMS if t.id not in drop],
        {1: None, 2: 1, 3: 1},
        {1: "P", 2: "W2", 3: "W3"},
        **options,
    )


def valid_plan() -> Links:
    return Links(advanced={K1: 11, K2: 11, K3: 21}, backward={K1: 13, K2: 14, K3: 23})


def changed(advanced=None, backward=None) -> Links:
    plan = valid_plan()
    plan.advanced.update(advanced or {})
    plan.backward.update(backward or {})
    return plan


# rule → (input, a plan that passes every rule, a plan that breaks this rule and no other)
CASES = {
    "right_tier": (plant, valid_plan, lambda: changed(advanced={K2: 12})),
    "in_scope": (plant, valid_plan, lambda: changed(advanced={K2: 21})),
    "max_cadres": (
        lambda: plant(max_cadres=1),
        lambda: Links({K1: 21, K2: 11}, {K1: 13, K2: 14, K3: 23}),
        valid_plan,  # A1 has K1 and K2
    ),
    "linked_when_possible": (
        plant,
        valid_plan,
        lambda: Links({K2: 11, K3: 21}, valid_plan().backward),  # K1: A1 and B1 have room
    ),
    "cover_when_possible": (
        plant,
        valid_plan,
        lambda: changed(backward={K1: 14}),  # A3 uncovered; K1 shares A4 with K2
    ),
    "worst_first": (
        lambda: plant(K2, K3),
        lambda: Links({K2: 11, K3: 21}, {K2: 14, K3: 23}),  # A3 (0.30) left out
        lambda: Links({K2: 11, K3: 21}, {K2: 13, K3: 23}),  # A4 (0.10) left out for A3
    ),
}


def test_every_rule_has_a_case():
    assert {c.__name__ for c in links_checks.CHECKS} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_rule_alone(name):
    make, good, bad = CASES[name]
    inp, check = make(), getattr(links_checks, name)
    assert check(inp, good()) == []
    found = check(inp, bad())
    assert found and {v.constraint for v in found} == {name}


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_links_finds_exactly_the_broken_rule(name):
    make, good, bad = CASES[name]
    inp = make()
    assert check_links(inp, good()) == []
    assert {v.constraint for v in check_links(inp, bad())} == {name}


def test_violations_name_the_team():
    inp = plant()
    assert [(v.constraint, v.team) for v in links_checks.right_tier(inp, changed({K2: 12}))] == [
        ("right_tier", "A2")
    ]
    assert [v.team for v in links_checks.in_scope(inp, changed({K2: 21}))] == ["B1"]
    assert [v.team for v in links_checks.max_cadres(plant(max_cadres=1), valid_plan())] == ["A1"]
    found = links_checks.cover_when_possible(inp, changed(backward={K1: 14}))
    assert [v.team for v in found] == ["A3"]
    bad = Links({K2: 11, K3: 21}, {K2: 13, K3: 23})
    assert [v.team for v in links_checks.worst_first(plant(K2, K3), bad)] == ["A4"]


def test_right_tier_on_the_backward_side_and_unknown_teams():
    inp = plant()
    assert [v.team for v in links_checks.right_tier(inp, changed(backward={K3: 22}))] == ["B2"]
    found = links_checks.right_tier(inp, changed(advanced={K3: 999}))
    assert [(v.constraint, v.team) for v in found] == [("right_tier", None)]
    assert [(v.constraint, v.team) for v in links_checks.in_scope(inp, changed({K3: 999}))] == [
        ("in_scope", None)
    ]


def test_a_workshop_cadre_cannot_reach_the_other_workshop():
    inp = plant()
    assert links_checks.in_scope(inp, changed(backward={K2: 23})) != []
    assert links_checks.in_scope(inp, changed(backward={K3: 13})) != []
    # the plant cadre reaches both workshops
    assert links_checks.in_scope(inp, changed({K1: 21}, {K1: 23})) == []


def test_linked_when_possible_only_while_a_team_has_room():
    inp = plant(max_cadres=1)
    plan = Links({K2: 11, K3: 21}, {K1: 13, K2: 14, K3: 23})  # K1: A1 and B1 are full
    assert links_checks.linked_when_possible(inp, plan) == []
    assert check_links(inp, plan) == []
    plan.advanced.pop(K3)  # now B1 has room for K1 (and K3)
    found = links_checks.linked_when_possible(inp, plan)
    assert [v.detail for v in found] == [
        "cadre K1 has no tier-1 team",
        "cadre K3 has no tier-1 team",
    ]


def test_linked_when_possible_on_the_backward_side():
    plan = Links(valid_plan().advanced, {K1: 13, K2: 14})
    found = links_checks.linked_when_possible(plant(), plan)
    assert [v.detail for v in found] == ["cadre K3 has no tier-3 team"]
    assert [v.team for v in found] == ["B3"]


def test_cover_when_possible_counts_a_cadre_without_a_backward_team():
    inp = plant()
    plan = Links(valid_plan().advanced, {K2: 14, K3: 23})  # A3 uncovered, K1 free
    assert [v.team for v in links_checks.cover_when_possible(inp, plan)] == ["A3"]
    # a cadre who alone covers their team is not movable: only worst_first may speak
    only = Links({K2: 11, K3: 21}, {K2: 13, K3: 23})
    assert links_checks.cover_when_possible(plant(K2, K3), only) == []


def test_worst_first_is_silent_for_a_shared_team():
    """K1 and K2 share A3 while A4 (worse) is uncovered: a cover problem, not worst_first."""
    inp = plant()
    plan = changed(backward={K1: 13, K2: 13})
    assert links_checks.worst_first(inp, plan) == []
    assert {v.constraint for v in check_links(inp, plan)} == {"cover_when_possible"}


def test_worst_first_only_within_the_cadres_reach():
    """K3 alone covers B3 (0.20); A4 (0.10) is worse but out of K3's scope."""
    inp = plant(K3)
    assert links_checks.worst_first(inp, Links({K3: 21}, {K3: 23})) == []
    assert check_links(inp, Links({K3: 21}, {K3: 23})) == []


def test_check_links_is_every_check_in_order():
    inp, plan = plant(), Links()
    expected = [v for check in links_checks.CHECKS for v in check(inp, plan)]
    assert check_links(inp, plan) == expected
    assert {v.constraint for v in expected} == {"linked_when_possible", "cover_when_possible"}


def test_depth_counts_levels_down_from_the_cadres_unit():
    inp = plant()
    team, cadre = inp.team, inp.cadre
    assert inp.depth(cadre[K2], team[11]) == 0
    assert inp.depth(cadre[K1], team[11]) == 1
    assert inp.depth(cadre[K1], team[23]) == 1
    assert inp.depth(cadre[K2], team[21]) is None
    assert inp.depth(cadre[K3], team[13]) is None
    deep = LinksInput(
        [Cadre(1, "P", 1), Cadre(2, "W", 2), Cadre(3, "S", 4)],
        [LinkTeam(7, "S7", 4, "3", 0.1), LinkTeam(8, "P8", 1, "3", 0.2)],
        {1: None, 2: 1, 4: 2},
    )
    c, t = deep.cadre, deep.team
    assert [deep.depth(c[i], t[7]) for i in (1, 2, 3)] == [2, 1, 0]
    assert [deep.depth(c[i], t[8]) for i in (1, 2, 3)] == [0, None, None]  # never upwards
    assert deep.in_scope == {
        1: {"1": [], "3": [7, 8]},
        2: {"1": [], "3": [7]},
        3: {"1": [], "3": [7]},
    }


def test_depth_survives_a_cycle_and_unknown_units():
    inp = LinksInput([Cadre(1, "C", 9)], [LinkTeam(5, "T", 2, "3", 0.1)], {2: 3, 3: 2})
    assert inp.depth(inp.cadre[1], inp.team[5]) is None
    assert inp.in_scope == {1: {"1": [], "3": []}}


def test_scope_holds_tier_1_and_3_teams_below_the_unit():
    inp = plant()
    assert inp.in_scope[K2] == {"1": [11], "3": [13, 14]}
    assert inp.in_scope[K3] == {"1": [21], "3": [23]}
    assert {k: sorted(v) for k, v in inp.in_scope[K1].items()} == {"1": [11, 21], "3": [13, 14, 23]}
    assert inp.candidates == inp.in_scope  # nothing pruned below top_n


def test_candidates_keep_the_best_matches_and_the_worst_teams():
    inp = plant(top_n=1)
    # K2: A3 is the best match (1.0), A4 the worst team
    assert inp.candidates[K2] == {"1": [11], "3": [13, 14]}
    assert 14 in inp.candidates[K1]["3"] and len(inp.candidates[K1]["1"]) == 1
    assert inp.candidates[K3] == inp.in_scope[K3]


def test_match_is_closeness_and_expertise():
    inp = plant()
    c, t = inp.cadre, inp.team
    # A1's posts: crane 3, fitter 1; K2: crane 5, fitter 2.5 → expertise (15 + 2.5) / 20
    assert inp.match(c[K2], t[11]) == pytest.approx(0.5 / (1 + 0) + 0.5 * 17.5 / 20)
    assert inp.match(c[K2], t[13]) == pytest.approx(0.5 + 0.5 * 1.0)
    assert inp.match(c[K2], t[14]) == pytest.approx(0.5)  # no posts: closeness alone
    assert inp.match(c[K1], t[11]) == pytest.approx(0.5 / (1 + 1))  # no skills
    assert inp.match(c[K2], t[21]) == 0.0  # out of scope
    assert inp.match(c[K3], t[13]) == 0.0
    skilled = Cadre(9, "K9", 1, {"crane": 5, "fitter": 2.5})
    assert inp.match(skilled, t[11]) == pytest.approx(0.5 / 2 + 0.5 * 0.875)
    for cadre in inp.cadres:
        for team in inp.teams:
            assert 0.0 <= inp.match(cadre, team) <= 1.0


def test_priority_worst_score_highest_and_all_positive():
    inp = plant()
    assert inp.backward_rank == {14: 0, 23: 1, 13: 2}
    assert {t: inp.priority(t) for t in inp.backward_rank} == {14: 3, 23: 2, 13: 1}
    ties = LinksInput(
        [],
        [
            LinkTeam(1, "Z", 1, "3", 0.5),
            LinkTeam(2, "Y", 1, "3", 0.5),
            LinkTeam(3, "X", 1, "3", None),  # no score counts as 0
            LinkTeam(4, "W", 1, "1", 0.0),  # not tier 3: no rank
            LinkTeam(5, "V", 1, "3", 0.2),
        ],
        {1: None},
    )
    assert ties.backward_rank == {3: 0, 5: 1, 2: 2, 1: 3}  # equal scores by code
    assert [ties.priority(t) for t in (3, 5, 2, 1)] == [4, 3, 2, 1]
    assert all(ties.priority(t) > 0 for t in ties.backward_rank)


def test_objective_by_hand():
    inp = plant()
    matches = {
        (K1, 11): 0.25,
        (K2, 11): 0.5 + 0.5 * 0.875,
        (K3, 21): 0.5,
        (K1, 13): 0.25,
        (K2, 14): 0.5,
        (K3, 23): 0.5,
    }
    coverage = 1 + 3 + 2  # A3, A4, B3
    coverage_, made, match = links_objective(inp, valid_plan())
    assert (coverage_, made) == (coverage, 6)
    assert match == pytest.approx(sum(matches.values())) == pytest.approx(2.9375)


def test_objective_counts_a_shared_team_once():
    inp = plant()
    coverage, made, match = links_objective(inp, Links(backward={K1: 13, K2: 13}))
    assert (coverage, made) == (1, 2)
    assert match == pytest.approx(0.25 + 1.0)
    assert links_objective(inp, Links()) == (0, 0, 0.0)
    # advanced links make links and match, never coverage
    assert links_objective(inp, Links(advanced={K3: 21})) == (0, 1, 0.5)


def test_objective_prefers_the_worst_team():
    inp = plant(K2, K3)
    worst = links_objective(inp, Links({K2: 11, K3: 21}, {K2: 14, K3: 23}))
    other = links_objective(inp, Links({K2: 11, K3: 21}, {K2: 13, K3: 23}))
    assert worst > other  # coverage first, though A3 is K2's better match
    assert worst[2] < other[2]


def test_a_wrong_tier_backward_team_is_reported_not_raised():
    found = check_links(plant(), changed(backward={K2: 11}))
    assert "right_tier" in {v.constraint for v in found}


def test_an_unknown_cadre_is_reported_not_raised():
    found = links_checks.in_scope(plant(), changed(advanced={999: 11}))
    assert [v.constraint for v in found] == ["in_scope"]
