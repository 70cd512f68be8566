"""Counts of wishes that cannot name a small group: every shown figure holds at least K, and
no figure derived from shown ones by subtraction — nested groups in one view, a parent less
its shown children, unfiltered against filtered — names 1 … K − 1 people, for generated
plants and filters (K = 5 and K = 10)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamroots.track.privacy import (
    MIN_GROUP,
    MIN_GROUP_TEXT,
    Cell,
    figures,
    groups,
    leaks,
)

K = MIN_GROUP
COUNTS = st.one_of(st.integers(0, 4), st.integers(0, 25))  # many tiny teams and zeros
PLANTS = st.dictionaries(
    st.sampled_from([f"U{i}" for i in range(6)]),
    st.dictionaries(st.sampled_from([f"T{i}" for i in range(12)]), COUNTS, max_size=6),
    max_size=5,
).map(lambda units: _distinct(units))
KS = st.sampled_from([MIN_GROUP, MIN_GROUP_TEXT])
SEEDS = st.lists(st.integers(0, 2**32), min_size=1, max_size=3)


def _distinct(units: dict) -> dict:
    """Each team in one unit only."""
    return {u: {f"{u}-{t}": n for t, n in teams.items()} for u, teams in units.items()}


def _flat(units: dict) -> dict[str, int]:
    return {t: n for teams in units.values() for t, n in teams.items()}


def _filters(everything: dict[str, int], seeds: list[int]) -> list[dict[str, int]]:
    """Filtered views: a random part of each team's wishes (one category, one status)."""
    out = []
    for seed in seeds:
        rng = random.Random(seed)
        out.append({t: _part(rng, n) for t, n in sorted(everything.items())})
    return out


def _part(rng: random.Random, n: int) -> int:
    """None, all, any, or all but a few (the edge of the filter rule) of ``n`` wishes."""
    return rng.choice([0, n, rng.randint(0, n), max(0, n - rng.randint(1, 9))])


def _views(units: dict, seeds: list[int], k: int) -> list[list[Cell]]:
    found = groups(units, k)
    everything = _flat(units)
    views = [figures(found, everything, everything, k)]
    views += [figures(found, part, everything, k) for part in _filters(everything, seeds)]
    return views


@settings(max_examples=400, deadline=None)
@given(PLANTS, SEEDS, KS)
def test_no_shown_or_derived_figure_names_a_small_group(units, seeds, k):
    views = _views(units, seeds, k)
    assert leaks(views, k) == []
    assert all(c.count >= k for view in views for c in view if c.count is not None)


@settings(max_examples=200, deadline=None)
@given(PLANTS, SEEDS, KS)
def test_every_wish_is_in_one_shown_figure_or_a_hidden_remainder(units, seeds, k):
    found = groups(units, k)
    everything = _flat(units)
    leaves = [g for g in found if not any(c.parent == g.key for c in found)]
    assert sorted(t for g in leaves for t in g.teams) == sorted(everything)
    for part in [everything, *_filters(everything, seeds)]:
        cells = {c.group.key: c for c in figures(found, part, everything, k)}
        for key, cell in cells.items():
            true = sum(part[t] for t in cell.group.teams)
            assert cell.count in (None, true)
            kids = [c for c in cells.values() if c.group.parent == key]
            if kids:
                assert frozenset().union(*(c.group.teams for c in kids)) == cell.group.teams
                assert sum(len(c.group.teams) for c in kids) == len(cell.group.teams)
            hidden = sum(sum(part[t] for t in c.group.teams) for c in kids if c.count is None)
            if cell.count is not None and kids:  # the shown children and the hidden rest
                assert cell.count == sum(c.count or 0 for c in kids) + hidden
        assert cells["plant"].count in (None, sum(part.values()))


@settings(max_examples=150, deadline=None)
@given(PLANTS, SEEDS, KS, st.randoms(use_true_random=False))
def test_the_figures_do_not_depend_on_the_order_of_the_input(units, seeds, k, rnd):
    shuffled = {
        u: dict(rnd.sample(list(t.items()), len(t)))
        for u, t in rnd.sample(list(units.items()), len(units))
    }
    everything = _flat(units)
    found, again = groups(units, k), groups(shuffled, k)
    assert found == again
    rnd.shuffle(again)
    for part in [everything, *_filters(everything, seeds)]:
        mixed = dict(rnd.sample(list(part.items()), len(part)))
        a = {(c.group.key, c.count) for c in figures(found, part, everything, k)}
        b = {(c.group.key, c.count) for c in figures(again, mixed, _flat(shuffled), k)}
        assert a == b


def _shown(units: dict, part: dict | None = None, k: int = K) -> dict[str, int | None]:
    everything = _flat(units)
    cells = figures(groups(units, k), everything if part is None else part, everything, k)
    return {c.group.key: c.count for c in cells}


def test_small_teams_are_pooled_into_a_labelled_roll_up():
    units = {
        "U1": {"A": 12, "B": 3, "C": 2, "D": 8},
        "U2": {"E": 6, "F": 4},
        "U3": {"G": 2},
        "U4": {"H": 5},
    }
    keys = {g.key: g for g in groups(units)}
    assert keys["teams:U1"].teams == {"B", "C"}
    assert keys["teams:U1"].label == ("other_teams", {"unit": "U1", "teams": 2})
    assert keys["teams:U1"].pooled and not keys["team:A"].pooled
    assert "team:A" in keys and "team:D" in keys
    # U2: the roll-up of F (4) is too small, so E (6) joins it: one roll-up of 10, no team alone
    assert keys["teams:U2"].teams == {"E", "F"} and "team:E" not in keys
    # U3 holds 2: pooled at plant level with the smallest unit (U4), their teams not shown
    assert keys["units:rest"].teams == {"G", "H"} and "unit:U3" not in keys
    assert keys["units:rest"].label == ("other_units", {"units": 2})
    assert _shown(units) == {
        "plant": 42, "unit:U1": 25, "team:A": 12, "team:D": 8, "teams:U1": 5, "unit:U2": 10,
        "teams:U2": 10, "units:rest": 7,
    }  # fmt: skip


def test_a_plant_below_k_shows_nothing_and_text_needs_ten():
    assert set(_shown({"U1": {"A": 2, "B": 1}}).values()) == {None}
    units = {"U1": {"A": 12, "B": 6, "C": 9}}
    assert _shown(units, k=MIN_GROUP_TEXT) == {
        "plant": 27, "unit:U1": 27, "team:A": 12, "teams:U1": 15,
    }  # fmt: skip


def test_a_filtered_figure_close_to_its_whole_is_hidden_with_its_complement():
    units = {"U1": {"A": 12, "B": 9, "C": 10}}
    shown = _shown(units, {"A": 10, "B": 9, "C": 0})  # A: 12 − 10 = 2 other wishes
    assert shown["team:A"] is None and shown["team:C"] is None and shown["team:B"] == 9
    assert shown["unit:U1"] == 19  # hidden under it: 10 + 0 filtered, 2 + 10 rest
    shown = _shown(units, {"A": 12, "B": 9, "C": 3})  # C alone would be hidden (3 < 5)…
    assert shown["team:C"] is None and shown["team:B"] is None  # …so the next smallest goes
    assert shown["team:A"] == 12 and shown["unit:U1"] == 24


def test_the_rest_of_the_hidden_children_is_guarded_too():
    # B's 7 of 10 is hidden (its rest is 3); were A's 5 shown, the unit's 12 − 5 would give
    # B's 7 and so B's 3 other wishes: A is hidden too, the unit's 12 stays
    units = {"U1": {"A": 10, "B": 10}}
    shown = _shown(units, {"A": 5, "B": 7})
    assert shown == {"plant": 12, "unit:U1": 12, "team:A": None, "team:B": None}


def _cells(units: dict, counts: list[int | None]) -> list[Cell]:
    return [Cell(g, n) for g, n in zip(groups(units), counts, strict=True)]


@pytest.mark.parametrize(
    ("whole", "filtered", "rule"),
    [
        ([20, 20, 10, 10], [12, 12, 5, None], "rest_of_parent"),  # 8 − 5: B's 3 other wishes
        ([20, 20, 10, 10], [12, 12, 7, 5], "difference"),  # A: 10 − 7
        ([20, 20, 10, 10], [12, 12, None, 3], "small"),
        ([20, 20, 10, None], [12, 12, 5, 7], "whole_hidden"),
        ([23, 23, 20, None], None, "rest_of_parent"),  # the unit less A: 3
    ],
)
def test_the_checker_finds_each_kind_of_leak(whole, filtered, rule):
    units = {"U1": {"A": 10, "B": 10}}
    views = [_cells(units, whole)] + ([_cells(units, filtered)] if filtered else [])
    assert rule in {leak.rule for leak in leaks(views)}
    assert leaks([_cells(units, [20, 20, 10, 10]), _cells(units, [12, 12, None, None])]) == []
