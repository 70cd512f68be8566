"""The training plan: solved plans pass their checker, their objective is the checker's and
never below the proven bound; conflicts visible without a solver are refused saying where;
tier-3 teams go first; the greedy baseline; the JSON document and its reasons; generated
instances."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamroots.errors import NoFeasiblePlan
from teamroots.i18n import localized
from teamroots.plan.training.checks import check_training, training_objective
from teamroots.plan.training.explain import LECTURES, TrainingPlan, study_lists
from teamroots.plan.training.greedy import greedy_training
from teamroots.plan.training.model import Trainee, TrainingInput
from teamroots.plan.training.solve import plan_training, precheck
from teamroots.plan.training.synthetic import synthetic_training

TIME_LIMIT = 10


def trainee(
    pid: int,
    team: int,
    *,
    role: str = "leader",
    workshop: str = "W1",
    shift: str | None = "day",
    line: str | None = None,
    tier: str | None = "2",
) -> Trainee:
    return Trainee(pid, f"E{pid}", team, f"T{team}", role, workshop, shift, line, tier)


def dates(k: int) -> list[date]:
    return [date(2027, 1, 4) + timedelta(weeks=w) for w in range(k)]


def make(trainees: list[Trainee], k: int, **options) -> TrainingInput:
    return TrainingInput(trainees, dates(k), **options)


def tier_mix() -> TrainingInput:
    """Four leaders of W1/day: teams 1, 2 tier 3, teams 3, 4 tier 1; two batches, at most
    two away per batch (max_away 0.5), class size 3."""
    trainees = [
        trainee(1, 1, tier="1"),
        trainee(2, 2, tier="3"),
        trainee(3, 3, tier="1"),
        trainee(4, 4, tier="3"),
    ]
    return make(trainees, 2, max_away=0.5)


def mixed() -> TrainingInput:
    """Two workshops with lines, deputies, shifts and all tiers; three batches."""
    trainees = [
        trainee(1, 1, line="L1", tier="3"),
        trainee(2, 1, role="deputy", line="L1", tier="3"),
        trainee(3, 2, line="L1", tier="3"),
        trainee(4, 2, role="deputy", line="L1", tier="3"),
        trainee(5, 3, line="L1", tier="1"),
        trainee(6, 4, shift="night", line="L2", tier="3"),
        trainee(7, 4, role="deputy", shift="night", line="L2", tier="3"),
        trainee(8, 5, shift="night", line="L2", tier=None),
        trainee(9, 6, shift="night", tier="2"),
        trainee(11, 11, workshop="W2", shift=None, tier="3"),
        trainee(12, 11, workshop="W2", shift=None, role="deputy", tier="3"),
        trainee(13, 12, workshop="W2", shift=None, tier="1"),
        trainee(14, 13, workshop="W2", shift="day", tier="2"),
    ]
    advanced = [("T3", "W1", 0.9), ("T12", "W2", 0.8), ("X", "W3", 0.99), ("Y", "W1", 0.1)]
    return make(trainees, 3, max_away=0.5, advanced=advanced)


def exhaustive(inp: TrainingInput) -> int | None:
    """The least objective over every assignment the checker accepts (None: no plan)."""
    ids = [t.id for t in inp.trainees]
    best = None
    for combo in product(range(inp.batches), repeat=len(ids)):
        plan = dict(zip(ids, combo, strict=True))
        if not check_training(inp, plan):
            value = training_objective(inp, plan)
            best = value if best is None else min(best, value)
    return best


def assert_sound(inp: TrainingInput, plan: TrainingPlan) -> None:
    assert check_training(inp, plan.batches) == []
    assert set(plan.batches) == {t.id for t in inp.trainees}
    assert plan.objective == training_objective(inp, plan.batches)
    assert plan.objective >= plan.bound >= 0
    assert plan.status == ("OPTIMAL" if plan.objective == plan.bound else "FEASIBLE")


# ---- solved plans


@pytest.mark.parametrize("build", [tier_mix, mixed], ids=["tier_mix", "mixed"])
def test_plan_passes_its_checker_and_meets_its_bound(build):
    inp = build()
    plan = plan_training(inp, TIME_LIMIT)
    assert_sound(inp, plan)
    assert plan.status == "OPTIMAL"
    assert plan.objective == plan.bound
    assert plan.gap == 0
    assert plan.stats["workshops"] == len(inp.workshops)
    assert plan.stats["solves"] >= len(inp.workshops)


def test_plan_is_as_good_as_exhaustive_search():
    inp = tier_mix()
    plan = plan_training(inp, TIME_LIMIT)
    assert plan.objective == exhaustive(inp) == 0


def test_tier3_leaders_go_first():
    inp = tier_mix()
    plan = plan_training(inp, TIME_LIMIT)
    assert plan.batches[2] == plan.batches[4] == 0
    assert plan.batches[1] == plan.batches[3] == 1
    assert plan.objective == 0


def test_tier3_go_first_only_as_far_as_the_rules_allow():
    """Three tier-3 leaders on one line: they may not be away together, so one each batch."""
    trainees = [trainee(i, i, line="L1", tier="3") for i in (1, 2, 3)]
    trainees.append(trainee(4, 4, tier="1"))
    inp = make(trainees, 3, max_away=1.0)
    plan = plan_training(inp, TIME_LIMIT)
    assert_sound(inp, plan)
    assert sorted(plan.batches[i] for i in (1, 2, 3)) == [0, 1, 2]
    assert plan.objective == 3 == exhaustive(inp)
    assert plan.status == "OPTIMAL"


def test_class_size_that_binds_still_gives_a_valid_optimal_plan():
    """W1 puts its three tier-3 leaders in batch 1, W2 alone would put 2 there; the class size
    is exactly half (4), so W2 is solved again with a cap, losing no lateness."""
    trainees = [
        trainee(1, 1, tier="3"),
        trainee(2, 2, tier="3"),
        trainee(3, 3, tier="3"),
        trainee(4, 4, tier="1"),
        trainee(11, 11, workshop="W2", tier="3"),
        trainee(12, 12, workshop="W2", tier="1"),
        trainee(13, 13, workshop="W2", tier="1"),
        trainee(14, 14, workshop="W2", tier="1"),
    ]
    inp = make(trainees, 2, max_away=1.0, class_size=4)
    plan = plan_training(inp, TIME_LIMIT)
    assert_sound(inp, plan)
    assert sorted(Counter(plan.batches.values()).values()) == [4, 4]
    assert plan.status == "OPTIMAL" and plan.objective == 0
    assert plan.stats["solves"] > len(inp.workshops)  # the rebalance re-solved


def test_class_size_that_binds_and_costs_lateness():
    """Eight tier-3 leaders in two workshops, at most three away per workshop, classes of
    four: four must wait, lateness 4; the bound (each workshop alone: 1 + 1) is below it."""
    trainees = [trainee(i, i, tier="3") for i in range(4)]
    trainees += [trainee(10 + i, 10 + i, workshop="W2", tier="3") for i in range(4)]
    inp = make(trainees, 2, max_away=0.75, class_size=4)
    plan = plan_training(inp, TIME_LIMIT)
    assert_sound(inp, plan)
    assert sorted(Counter(plan.batches.values()).values()) == [4, 4]
    assert plan.objective == 4 == exhaustive(inp)
    assert plan.bound == 2
    assert plan.status == "FEASIBLE"
    assert plan.gap == pytest.approx(0.5)


@pytest.mark.parametrize("k", [3, 4])
def test_exact_even_share_with_every_rule(k):
    """``mixed`` with classes of ceil(13 / k): lines, deputies, shifts and the class size."""
    inp = mixed()
    size = -(-len(inp.trainees) // k)
    inp = TrainingInput(inp.trainees, dates(k), class_size=size, max_away=0.5)
    plan = plan_training(inp, TIME_LIMIT)
    assert_sound(inp, plan)
    assert max(Counter(plan.batches.values()).values()) <= size
    assert localized(plan.to_json())["rules"]["class_size"] == size


def test_one_batch_without_deputies():
    inp = make([trainee(1, 1, tier="3"), trainee(2, 2, tier="1")], 1, max_away=1.0)
    plan = plan_training(inp, TIME_LIMIT)
    assert_sound(inp, plan)
    assert plan.batches == {1: 0, 2: 0}
    assert plan.status == "OPTIMAL"


def test_the_same_seed_gives_the_same_plan():
    inp = synthetic_training(24, teams_per_workshop=8, batches=4, seed=3)
    first = plan_training(inp, TIME_LIMIT, seed=1)
    again = plan_training(inp, TIME_LIMIT, seed=1)
    assert first.batches == again.batches


# ---- precheck: refused before any solver, saying where


def test_too_few_batches_for_the_class_size():
    inp = make([trainee(i, i) for i in range(5)], 2, class_size=2, max_away=1.0)
    with pytest.raises(NoFeasiblePlan) as exc:
        plan_training(inp, TIME_LIMIT)
    text = exc.value.message()
    assert "5 trainees do not fit in 2 batches of at most 2" in text
    assert exc.value.params == {"n": 5, "batches": 2, "size": 2}


def test_no_batches_at_all():
    with pytest.raises(NoFeasiblePlan, match="at least one batch"):
        precheck(make([trainee(1, 1)], 0))


def test_a_shift_that_cannot_all_go():
    """W2/night: 3 leaders, at most 1 away (floor(0.5 × 3)), 2 batches: 2 < 3; W1/day (4, at
    most 2 away) and W2/day (2, at most 1 away) fit."""
    trainees = [trainee(i, i, shift="day") for i in range(1, 5)]
    trainees += [trainee(10 + i, 10 + i, workshop="W2", shift="night") for i in range(3)]
    trainees += [trainee(20 + i, 20 + i, workshop="W2", shift="day") for i in range(2)]
    inp = make(trainees, 2, max_away=0.5)
    with pytest.raises(NoFeasiblePlan) as exc:
        plan_training(inp, TIME_LIMIT)
    text = exc.value.message()
    assert "W2" in text and "night" in text
    assert text.startswith(
        "Workshop W2, shift night: 3 leaders, at most 1 away per batch, 2 batches"
    )
    assert exc.value.params["workshop"] == "W2" and exc.value.params["shift"] == "night"
    assert str(exc.value) == text


def test_a_team_without_shift_is_named_as_shift_dash():
    inp = make([trainee(i, i, shift=None) for i in range(3)], 2)
    with pytest.raises(NoFeasiblePlan) as exc:
        precheck(inp)
    assert exc.value.message().startswith("Workshop W1, shift -: 3 leaders")


def test_a_line_with_more_linked_leaders_than_batches():
    trainees = [trainee(i, i, line="L7", workshop="W3") for i in range(3)]
    trainees += [trainee(10 + i, 10 + i, line="L1") for i in range(2)]
    inp = make(trainees, 2, max_away=1.0)
    with pytest.raises(NoFeasiblePlan) as exc:
        plan_training(inp, TIME_LIMIT)
    text = exc.value.message()
    assert "W3" in text and "L7" in text
    assert exc.value.params["n"] == 3 and exc.value.params["batches"] == 2


def test_deputies_on_the_line_do_not_count_as_linked():
    trainees = [trainee(1, 1, line="L1"), trainee(2, 2, line="L1")]
    trainees += [trainee(3, 1, role="deputy", line="L1"), trainee(4, 2, role="deputy", line="L1")]
    inp = make(trainees, 2, max_away=1.0)
    precheck(inp)
    assert_sound(inp, plan_training(inp, TIME_LIMIT))


def test_one_batch_with_deputies():
    inp = make([trainee(1, 1), trainee(2, 1, role="deputy")], 1, max_away=1.0)
    with pytest.raises(NoFeasiblePlan) as exc:
        plan_training(inp, TIME_LIMIT)
    assert "deputy" in exc.value.message()
    assert "--no-deputies" in exc.value.message()


def test_a_workshop_with_no_plan_past_the_precheck_is_named():
    """Two linked leaders with their deputies, in two shifts of two with one away each: the
    precheck passes, the solver proves there is no plan."""
    trainees = [
        trainee(1, 1, shift="x", line="L", workshop="W9"),
        trainee(2, 1, role="deputy", shift="y", line="L", workshop="W9"),
        trainee(3, 2, shift="y", line="L", workshop="W9"),
        trainee(4, 2, role="deputy", shift="x", line="L", workshop="W9"),
    ]
    inp = make(trainees, 2, max_away=0.5)
    precheck(inp)
    assert exhaustive(inp) is None
    with pytest.raises(NoFeasiblePlan) as exc:
        plan_training(inp, TIME_LIMIT)
    assert exc.value.message().startswith("Workshop W9:")
    assert "INFEASIBLE" in exc.value.message()


# ---- greedy baseline


@pytest.mark.parametrize(
    "inp",
    [
        tier_mix(),
        mixed(),
        synthetic_training(30, teams_per_workshop=10, batches=4, seed=1),
        synthetic_training(45, teams_per_workshop=15, batches=5, seed=7, class_size=20),
    ],
    ids=["tier_mix", "mixed", "synthetic30", "synthetic45"],
)
def test_greedy_keeps_every_rule_for_whom_it_places(inp):
    placed, left = greedy_training(inp)
    assert set(placed).isdisjoint(left)
    assert set(placed) | set(left) == {t.id for t in inp.trainees}
    found = check_training(inp, placed)
    assert all(v.constraint == "one_batch_each" for v in found)
    assert len(found) == len(left)
    if not left:
        plan = plan_training(inp, TIME_LIMIT)
        assert training_objective(inp, placed) >= plan.objective


def test_greedy_places_tier3_first():
    placed, left = greedy_training(tier_mix())
    assert left == []
    assert placed == {2: 0, 4: 0, 1: 1, 3: 1}


def test_greedy_can_leave_someone_out_where_the_solver_does_not():
    """Greedy puts tier-3 leaders 1 and 2 (lines A and B) into batch 1; their linked leaders
    3 and 4 then both need batch 2, but their shift lets only one away per batch: 4 is left.
    The solver sends one tier-3 leader later instead (lateness 1)."""
    trainees = [
        trainee(1, 1, line="A", tier="3", shift="s1"),
        trainee(2, 2, line="B", tier="3", shift="s2"),
        trainee(3, 3, line="A", tier="1", shift="s3"),
        trainee(4, 4, line="B", tier="1", shift="s3"),
    ]
    inp = make(trainees, 2, max_away=0.5)
    placed, left = greedy_training(inp)
    plan = plan_training(inp, TIME_LIMIT)
    assert_sound(inp, plan)
    assert placed == {1: 0, 2: 0, 3: 1} and left == [4]
    assert [v.constraint for v in check_training(inp, placed)] == ["one_batch_each"]
    assert plan.objective == plan.bound == 1 == exhaustive(inp)


# ---- the document


def test_to_json():
    inp = mixed()
    plan = plan_training(inp, TIME_LIMIT)
    doc = localized(plan.to_json())
    json.dumps(doc)  # plain data
    assert doc["plan_id"] is None
    assert doc["kind"] == "training"
    assert doc["status"] == plan.status
    assert doc["objective"] == {"lateness": plan.objective}
    assert doc["bound"] == {"lateness": plan.bound}
    assert doc["gap"] == round(plan.gap, 6)
    assert doc["rules"] == {"class_size": inp.capacity, "max_away": 0.5}
    assert [b["batch"] for b in doc["batches"]] == [1, 2, 3]
    assert [b["date"] for b in doc["batches"]] == ["2027-01-04", "2027-01-11", "2027-01-18"]
    everyone = [e for b in doc["batches"] for e in b["leaders"]]
    assert sorted(everyone) == sorted(t.employee_no for t in inp.trainees)
    assert len(everyone) == len(set(everyone))
    by_no = {t.employee_no: t for t in inp.trainees}
    for b in doc["batches"]:
        assert b["leaders"] == sorted(b["leaders"])
        assert all(plan.batches[by_no[e].id] == b["batch"] - 1 for e in b["leaders"])
        assert b["tier3"] == sum(1 for e in b["leaders"] if by_no[e].tier == "3")
        assert len(b["curriculum"]["lectures"]) == len(LECTURES)
        assert len(b["curriculum"]["study"]) <= 3
    rows = doc["trainees"]
    assert sorted(r["person"] for r in rows) == sorted(by_no)
    for r in rows:
        t = by_no[r["person"]]
        assert (r["team"], r["role"], r["tier"]) == (t.team_code, t.role, t.tier)
        assert r["batch"] == plan.batches[t.id] + 1
        assert r["reasons"] and all({"code", "text", "params"} <= set(x) for x in r["reasons"])
    assert doc["stats"] == plan.stats


def test_gap_in_json_when_the_bound_is_not_met():
    trainees = [trainee(i, i, tier="3") for i in range(4)]
    trainees += [trainee(10 + i, 10 + i, workshop="W2", tier="3") for i in range(4)]
    plan = plan_training(make(trainees, 2, max_away=0.75, class_size=4), TIME_LIMIT)
    doc = localized(plan.to_json())
    assert doc["status"] == "FEASIBLE"
    assert doc["objective"] == {"lateness": 4} and doc["bound"] == {"lateness": 2}
    assert doc["gap"] == 0.5


@pytest.mark.parametrize(
    "build",
    [
        tier_mix,
        mixed,
        lambda: synthetic_training(30, teams_per_workshop=10, batches=4, seed=1),
        lambda: make(
            [trainee(i, i, tier="3") for i in range(4)]
            + [trainee(10 + i, 10 + i, workshop="W2", tier="3") for i in range(4)],
            2,
            max_away=0.75,
            class_size=4,
        ),
    ],
    ids=["tier_mix", "mixed", "synthetic30", "class_size"],
)
def test_every_late_tier3_trainee_is_told_why(build):
    inp = build()
    plan = plan_training(inp, TIME_LIMIT)
    late = 0
    for t in inp.trainees:
        codes = [r.code for r in plan.reasons[t.id]]
        if t.tier != "3":
            assert codes == ["no_priority"]
            continue
        assert codes[0] == "tier3_first"
        if plan.batches[t.id] == 0:
            assert codes == ["tier3_first"]
        else:
            late += 1
            assert len(codes) == 2 and codes[1] != "tier3_first"
            assert codes[1] in {
                "share_away",
                "linked_apart",
                "deputy_apart",
                "class_size",
                "trade_off",
            }
            assert plan.reasons[t.id][1].params["batch"] == plan.batches[t.id]
            assert plan.reasons[t.id][1].text()
    if build is not tier_mix:
        assert late  # each of these cases has a tier-3 trainee who waits


def test_reasons_name_the_rule_that_closed_the_earlier_batch():
    # four tier-3 leaders, two away per batch: the late two hear about the share away
    inp = make([trainee(i, i, tier="3") for i in range(4)], 2, max_away=0.5)
    plan = plan_training(inp, TIME_LIMIT)
    late = [t for t in inp.trainees if plan.batches[t.id] == 1]
    assert len(late) == 2
    for t in late:
        (_, why) = plan.reasons[t.id]
        assert why.code == "share_away"
        assert why.params == {"batch": 1, "n": 2, "limit": 2, "workshop": "W1", "shift": "day"}
    # a tier-3 leader and deputy, everything else open: the later one hears about the other
    inp = make([trainee(1, 1, tier="3"), trainee(2, 1, role="deputy", tier="3")], 2, max_away=1.0)
    plan = plan_training(inp, TIME_LIMIT)
    (later,) = [t for t in inp.trainees if plan.batches[t.id] == 1]
    (_, why) = plan.reasons[later.id]
    assert why.code == "deputy_apart"
    assert why.params["batch"] == 1 and why.params["person"] in ("E1", "E2")
    assert why.params["person"] != later.employee_no
    # two tier-3 leaders on one line
    inp = make(
        [trainee(1, 1, line="L", tier="3"), trainee(2, 2, line="L", tier="3")], 2, max_away=1.0
    )
    plan = plan_training(inp, TIME_LIMIT)
    (later,) = [t for t in inp.trainees if plan.batches[t.id] == 1]
    assert plan.reasons[later.id][1].code == "linked_apart"


def test_study_lists():
    """Per batch, up to three advanced teams, from the batch's own workshops first, the
    highest score first, each team once while any is unused."""
    trainees = [trainee(1, 1), trainee(2, 2), trainee(3, 3, workshop="W2")]
    advanced = [("A", "W1", 0.5), ("B", "W1", 0.9), ("C", "W2", 0.7), ("D", "W3", 0.99)]
    inp = make(trainees, 3, advanced=advanced)
    batches = {1: 0, 2: 0, 3: 1}
    lists = study_lists(inp, batches)
    assert lists[0] == ["B", "A", "D"]  # W1's teams first, best first; then the best other
    assert lists[1] == ["C", "D", "B"]  # C unused first; then the used ones, best first
    assert lists[2] == ["C", "A", "D"]  # no trainees: the least used (once), best first
    for pick in lists:
        assert len(pick) == len(set(pick)) == 3
    assert study_lists(make(trainees, 2), {1: 0, 2: 0, 3: 1}) == [[], []]


def test_the_plan_carries_its_study_lists():
    inp = mixed()
    plan = plan_training(inp, TIME_LIMIT)
    assert plan.study == study_lists(inp, plan.batches)
    assert [b["curriculum"]["study"] for b in localized(plan.to_json())["batches"]] == plan.study
    assert all(len(s) == 3 for s in plan.study)


def test_members_are_sorted_by_employee_no():
    inp = mixed()
    plan = plan_training(inp, TIME_LIMIT)
    for b in range(inp.batches):
        members = plan.members(b)
        assert [t.employee_no for t in members] == sorted(t.employee_no for t in members)
        assert {t.id for t in members} == {t for t, x in plan.batches.items() if x == b}


# ---- the synthetic generator


def test_synthetic_training_is_seeded_and_shaped():
    a = synthetic_training(10, teams_per_workshop=4, batches=3, seed=5)
    b = synthetic_training(10, teams_per_workshop=4, batches=3, seed=5)
    assert a.trainees == b.trainees and a.dates == b.dates
    assert len(a.trainees) == 20 and a.batches == 3
    assert {t.workshop for t in a.trainees} == {"W0000", "W0001", "W0002"}
    assert {t.role for t in a.trainees} == {"leader", "deputy"}
    assert all(t.tier in {"1", "2", "3"} for t in a.trainees)
    assert len({t.employee_no for t in a.trainees}) == 20
    solo = synthetic_training(10, deputies=False, class_size=3, max_away=0.5)
    assert len(solo.trainees) == 10 and solo.capacity == 3 and solo.max_away == 0.5


# ---- generated instances


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    teams=st.integers(6, 60),
    per_workshop=st.integers(3, 20),
    batches=st.integers(2, 5),
    deputies=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_synthetic_plans_are_valid_or_refused(teams, per_workshop, batches, deputies, seed):
    inp = synthetic_training(
        teams, teams_per_workshop=per_workshop, batches=batches, deputies=deputies, seed=seed
    )
    try:
        plan = plan_training(inp, TIME_LIMIT)
    except NoFeasiblePlan as exc:
        assert exc.message()
        return
    assert_sound(inp, plan)
    doc = localized(plan.to_json())
    everyone = [e for b in doc["batches"] for e in b["leaders"]]
    assert sorted(everyone) == sorted(t.employee_no for t in inp.trainees)


@st.composite
def tiny(draw) -> TrainingInput:
    n_teams = draw(st.integers(1, 4))
    trainees = []
    for team in range(1, n_teams + 1):
        shop = draw(st.sampled_from(["W1", "W2"]))
        shift = draw(st.sampled_from(["day", "night", None]))
        line = draw(st.sampled_from(["L1", "L2", None]))
        tier = draw(st.sampled_from(["1", "2", "3", "3", None]))
        roles = ["leader", "deputy"] if draw(st.booleans()) else ["leader"]
        for role in roles:
            pid = len(trainees) + 1
            trainees.append(
                Trainee(pid, f"E{pid}", team, f"T{team}", role, shop, shift, line, tier)
            )
    k = draw(st.integers(1, 3))
    class_size = draw(st.sampled_from([None, None, 1, 2, 3]))
    max_away = draw(st.sampled_from([0.0, 0.35, 0.5, 1.0]))
    return make(trainees, k, class_size=class_size, max_away=max_away)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(inp=tiny())
def test_tiny_plans_match_exhaustive_search(inp):
    best = exhaustive(inp)
    try:
        plan = plan_training(inp, TIME_LIMIT)
    except NoFeasiblePlan:
        assert best is None
        return
    assert best is not None
    assert_sound(inp, plan)
    assert plan.bound <= best <= plan.objective
    if plan.status == "OPTIMAL":
        assert plan.objective == best
