"""The training plan's spec: every rule of the checker alone, in a passing and a failing case;
the objective by hand; the derived rules of the input (away limit, default class size,
conflicts)."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import pytest

from teamroots.plan.training import checks
from teamroots.plan.training.checks import check_training, training_objective
from teamroots.plan.training.model import Trainee, TrainingInput


def trainee(
    pid: int,
    team: int,
    *,
    role: str = "leader",
    workshop: str = "W1",
    shift: str | None = "day",
    line: str | None = None,
    tier: str | None = "2",
    code: str | None = None,
) -> Trainee:
    return Trainee(pid, f"E{pid}", team, code or f"T{team}", role, workshop, shift, line, tier)


def dates(k: int) -> list[date]:
    return [date(2027, 1, 4) + timedelta(weeks=w) for w in range(k)]


def small(**options) -> TrainingInput:
    """W1, shift day: A (tier 3: leader 1, deputy 2, line L1), B (tier 1: leader 3, line L1),
    D (tier 2: leader 5, no line); W2, shift night: C (tier 2: leader 4). Two batches,
    max_away 0.7, so at most 2 of W1/day's 4 away per batch; class size ceil(1.2 × 5 / 2) = 3."""
    trainees = [
        trainee(1, 1, line="L1", tier="3", code="A"),
        trainee(2, 1, role="deputy", line="L1", tier="3", code="A"),
        trainee(3, 2, line="L1", tier="1", code="B"),
        trainee(4, 3, workshop="W2", shift="night", tier="2", code="C"),
        trainee(5, 4, tier="2", code="D"),
    ]
    options = {"max_away": 0.7, **options}
    return TrainingInput(trainees, dates(options.pop("batches", 2)), **options)


VALID = {1: 0, 5: 0, 4: 0, 2: 1, 3: 1}


def test_the_small_input_is_as_documented():
    inp = small()
    assert inp.batches == 2
    assert inp.capacity == 3
    assert inp.groups == {("W1", "day"): [1, 2, 3, 5], ("W2", "night"): [4]}
    assert inp.away_limit(("W1", "day")) == 2
    assert inp.away_limit(("W2", "night")) == 1
    assert sorted(inp.conflicts) == [(1, 2, "deputy"), (1, 3, "linked")]
    assert inp.workshops == {"W1": [1, 2, 3, 5], "W2": [4]}


def test_the_valid_plan_passes_every_check():
    inp = small()
    assert check_training(inp, VALID) == []
    for check in checks.CHECKS:
        assert check(inp, VALID) == []


# name → (input options, a plan breaking that rule and no other)
BROKEN = {
    "one_batch_each": ({}, {1: 0, 5: 0, 2: 1, 3: 1}),
    "class_size": ({"class_size": 2}, VALID),
    "share_away": ({}, {1: 0, 4: 0, 5: 1, 2: 1, 3: 1}),
    "linked_apart": ({}, {1: 0, 3: 0, 2: 1, 5: 1, 4: 1}),
    "deputy_apart": ({}, {1: 0, 2: 0, 3: 1, 5: 1, 4: 1}),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_rule_alone(name):
    options, plan = BROKEN[name]
    inp = small(**options)
    check = getattr(checks, name)
    if name == "class_size":  # the valid plan passes a class size of 3, fails one of 2
        assert check(small(), plan) == []
    else:
        assert check(inp, VALID) == []
    found = check(inp, plan)
    assert found and {v.constraint for v in found} == {name}
    assert {v.constraint for v in check_training(inp, plan)} == {name}
    for other in checks.CHECKS:
        if other.__name__ != name:
            assert other(inp, plan) == [], other.__name__


def test_every_rule_has_a_broken_case():
    assert {c.__name__ for c in checks.CHECKS} == set(BROKEN)


def test_a_trainee_in_no_batch_is_named():
    (v,) = checks.one_batch_each(small(), {1: 0, 5: 0, 2: 1, 3: 1})
    assert (v.constraint, v.team, v.detail) == ("one_batch_each", "C", "E4 is in no batch")


def test_a_batch_that_does_not_exist():
    plan = {**VALID, 4: 2}
    (v,) = checks.one_batch_each(small(), plan)
    assert (v.constraint, v.team, v.detail) == ("one_batch_each", "C", "batch 2 does not exist")
    (v,) = checks.one_batch_each(small(), {**VALID, 4: -1})
    assert v.detail == "batch -1 does not exist"
    assert checks.one_batch_each(small(batches=3), plan) == []


def test_a_stranger_in_the_plan():
    (v,) = checks.one_batch_each(small(), {**VALID, 99: 1})
    assert (v.constraint, v.team, v.detail) == (
        "one_batch_each",
        None,
        "person 99 is not a trainee",
    )


def test_class_size_names_the_batch():
    (v,) = checks.class_size(small(class_size=2), VALID)
    assert v.detail == "batch 1: 3 > 2"
    found = checks.class_size(small(class_size=1), VALID)
    assert [v.detail for v in found] == ["batch 1: 3 > 1", "batch 2: 2 > 1"]


def test_share_away_names_workshop_shift_and_batch():
    (v,) = checks.share_away(small(), BROKEN["share_away"][1])
    assert v.detail == "W1, shift day, batch 2: 3 > 2"


def test_share_away_ignores_trainees_in_no_batch():
    assert checks.share_away(small(), {1: 0}) == []


def test_apart_names_both_and_the_batch():
    (v,) = checks.linked_apart(small(), BROKEN["linked_apart"][1])
    assert (v.team, v.detail) == ("A", "E1, E3: batch 1")
    (v,) = checks.deputy_apart(small(), BROKEN["deputy_apart"][1])
    assert (v.team, v.detail) == ("A", "E1, E2: batch 1")


def test_apart_rules_skip_pairs_with_someone_unplaced():
    assert checks.linked_apart(small(), {1: 0, 2: 1}) == []
    assert checks.deputy_apart(small(), {1: 0, 3: 1}) == []


def test_every_broken_rule_is_reported_together():
    plan = {1: 0, 2: 0, 3: 0, 5: 0}  # 4 in no batch; batch 1 over every rule
    found = {v.constraint for v in check_training(small(), plan)}
    assert found == set(BROKEN)


# ---- objective


def test_objective_by_hand():
    inp = small(batches=3)
    # tier-3 trainees are 1 and 2 (team A): batches 0 and 1 → 0 + 1
    assert training_objective(inp, VALID) == 1
    assert training_objective(inp, {1: 2, 2: 1, 3: 2, 4: 2, 5: 2}) == 3
    assert training_objective(inp, {1: 0, 2: 0, 3: 2, 4: 2, 5: 2}) == 0
    # only tier-3 trainees count; strangers are ignored
    assert training_objective(inp, {3: 2, 4: 2, 5: 2, 99: 2}) == 0


def test_objective_counts_only_tier_3():
    trainees = [
        trainee(1, 1, tier="3"),
        trainee(2, 2, tier="1"),
        trainee(3, 3, tier=None),
        trainee(4, 4, tier="2"),
        trainee(5, 5, tier="3", role="deputy"),
    ]
    inp = TrainingInput(trainees, dates(4))
    assert [inp.late_weight(t.id) for t in trainees] == [1, 0, 0, 0, 1]
    assert training_objective(inp, {1: 3, 2: 3, 3: 3, 4: 3, 5: 2}) == 5


# ---- derived rules


def group_of(n: int, **options) -> TrainingInput:
    return TrainingInput([trainee(i, i) for i in range(n)], dates(2), **options)


@pytest.mark.parametrize(
    ("n", "share", "limit"),
    [
        (1, 0.35, 1),
        (2, 0.35, 1),  # floor(0.7) = 0, raised to 1
        (3, 0.35, 1),
        (6, 0.35, 2),
        (20, 0.35, 7),
        (10, 0.7, 7),
        (10, 0.3, 3),
        (100, 0.29, 29),  # 0.29 × 100 is 28.999… in floating point
        (5, 0.0, 1),
        (4, 1.0, 4),
        (7, 0.5, 3),
    ],
)
def test_away_limit(n, share, limit):
    inp = group_of(n, max_away=share)
    assert inp.away_limit(("W1", "day")) == limit == max(1, math.floor(round(share * n, 6)))


def test_away_limit_is_per_workshop_and_shift():
    trainees = [
        *(trainee(i, i, shift="day") for i in range(6)),
        *(trainee(10 + i, 10 + i, shift="night") for i in range(3)),
        *(trainee(20 + i, 20 + i, workshop="W2", shift="day") for i in range(10)),
        *(trainee(40 + i, 40 + i, shift=None) for i in range(4)),
    ]
    inp = TrainingInput(trainees, dates(3), max_away=0.5)
    assert {g: len(ids) for g, ids in inp.groups.items()} == {
        ("W1", "day"): 6,
        ("W1", "night"): 3,
        ("W2", "day"): 10,
        ("W1", "-"): 4,  # no shift: counted as a shift of its own
    }
    assert inp.away_limit(("W1", "day")) == 3
    assert inp.away_limit(("W1", "night")) == 1
    assert inp.away_limit(("W2", "day")) == 5
    assert inp.away_limit(("W1", "-")) == 2


@pytest.mark.parametrize(
    ("n", "k", "size"),
    [(5, 2, 3), (10, 3, 4), (10, 4, 3), (7, 5, 2), (5, 3, 2), (100, 5, 24), (1, 1, 2), (0, 3, 0)],
)
def test_default_capacity(n, k, size):
    inp = TrainingInput([trainee(i, i) for i in range(n)], dates(k))
    assert inp.capacity == size == math.ceil(6 * n / (5 * k))


def test_class_size_overrides_the_default():
    assert group_of(10, class_size=7).capacity == 7
    assert group_of(10, class_size=1).capacity == 1


def test_no_batches_does_not_divide_by_zero():
    assert TrainingInput([trainee(1, 1)], []).capacity == 2


def test_linked_are_leaders_of_different_teams_on_one_workshop_line():
    trainees = [
        trainee(1, 1, line="L1"),
        trainee(2, 2, line="L1"),
        trainee(3, 3, line="L1"),
        trainee(4, 1, line="L1", role="deputy"),  # a deputy: not linked
        trainee(5, 5, line="L1", workshop="W2"),  # same line name, other workshop
        trainee(6, 6, line="L2"),
        trainee(7, 7, line=None),
        trainee(8, 8, line=None),  # no line: never linked
        trainee(9, 9, line="L2", workshop="W2"),
    ]
    inp = TrainingInput(trainees, dates(3))
    linked = sorted((a, b) for a, b, why in inp.conflicts if why == "linked")
    assert linked == [(1, 2), (1, 3), (2, 3)]


def test_two_leaders_of_one_team_on_a_line_are_not_linked():
    trainees = [trainee(1, 1, line="L1"), trainee(2, 1, line="L1"), trainee(3, 2, line="L1")]
    inp = TrainingInput(trainees, dates(3))
    assert sorted((a, b) for a, b, why in inp.conflicts if why == "linked") == [(1, 3), (2, 3)]


def test_deputy_is_a_teams_leader_and_deputy():
    trainees = [
        trainee(1, 1),
        trainee(2, 1, role="deputy"),
        trainee(3, 2),  # a leader without deputy
        trainee(4, 3, role="deputy"),  # a deputy without leader
        trainee(5, 4, role="deputy"),
        trainee(6, 4),  # deputy listed first
    ]
    inp = TrainingInput(trainees, dates(2))
    deputy = sorted((a, b) for a, b, why in inp.conflicts if why == "deputy")
    assert deputy == [(1, 2), (6, 5)]
    assert all(why in ("linked", "deputy") for *_, why in inp.conflicts)


def test_conflicts_of_leader_deputy_and_line_together():
    inp = small()
    assert checks.linked_apart(inp, {1: 0, 2: 0, 3: 1}) == []
    assert checks.deputy_apart(inp, {1: 0, 3: 0, 2: 1}) == []


def test_input_is_a_plain_dataclass():
    inp = small()
    again = dataclasses.replace(inp, class_size=4)
    assert again.capacity == 4 and inp.capacity == 3
