"""Counts of wishes that cannot name a small group: every shown figure holds at least 5,
and no two shown figures of nested groups — in one view, or unfiltered against filtered —
differ by 1 … 4, for generated plants and filters."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from teamroots.track.privacy import MIN_GROUP, figures, groups, leaks

K = MIN_GROUP
PLANTS = st.dictionaries(
    st.sampled_from([f"U{i}" for i in range(6)]),
    st.dictionaries(st.sampled_from([f"T{i}" for i in range(12)]), st.integers(0, 14), max_size=6),
    max_size=5,
).map(lambda units: _distinct(units))


def _distinct(units: dict) -> dict:
    """Each team in one unit only."""
    return {u: {f"{u}-{t}": n for t, n in teams.items()} for u, teams in units.items()}


def _flat(units: dict) -> dict[str, int]:
    return {t: n for teams in units.values() for t, n in teams.items()}


@settings(max_examples=300, deadline=None)
@given(PLANTS, st.lists(st.integers(0, 10_000), min_size=1, max_size=3))
def test_no_shown_figure_or_difference_names_a_small_group(units, seeds):
    found = groups(units, K)
    everything = _flat(units)
    views = [figures(found, everything, everything, K)]
    for seed in seeds:  # filters: a random part of each team's wishes (one category, say)
        rng = random.Random(seed)
        part = {t: rng.randint(0, n) for t, n in everything.items()}
        views.append(figures(found, part, everything, K))
    assert leaks(views, K) == []


@settings(max_examples=200, deadline=None)
@given(PLANTS)
def test_groups_partition_their_parent_and_nothing_is_invented(units):
    found = groups(units, K)
    by_key = {g.key: g for g in found}
    for g in found:
        if g.parent is not None:
            siblings = [c.teams for c in found if c.parent == g.parent]
            assert set().union(*siblings) == by_key[g.parent].teams or g.parent != "plant"
            assert g.teams <= by_key[g.parent].teams
    everything = _flat(units)
    for cell in figures(found, everything, everything, K):
        if cell.count is not None:
            assert cell.count == sum(everything[t] for t in cell.group.teams)


@given(PLANTS, st.randoms())
def test_the_figures_do_not_depend_on_the_order_of_teams(units, rnd):
    shuffled = {
        u: dict(rnd.sample(list(t.items()), len(t)))
        for u, t in rnd.sample(list(units.items()), len(units))
    }
    a = {(c.group.key, c.count) for c in figures(groups(units), _flat(units), _flat(units))}
    b = {
        (c.group.key, c.count) for c in figures(groups(shuffled), _flat(shuffled), _flat(shuffled))
    }
    assert a == b


def test_small_teams_are_pooled_into_a_labelled_roll_up():
    units = {
        "U1": {"A": 12, "B": 3, "C": 2, "D": 8},
        "U2": {"E": 6, "F": 4},
        "U3": {"G": 2},
        "U4": {"H": 5},
    }
    keys = {g.key: g for g in groups(units)}
    assert keys["teams:U1"].teams == {"B", "C"} and keys["teams:U1"].label[1]["teams"] == 2
    assert "team:A" in keys and "team:D" in keys
    # U2: the roll-up of F (4) is too small, so E (6) joins it: one roll-up of 10, no team alone
    assert keys["teams:U2"].teams == {"E", "F"} and "team:E" not in keys
    # U3 holds 2: pooled at plant level with the smallest unit (U4), their teams not shown
    assert keys["units:rest"].teams == {"G", "H"} and "unit:U3" not in keys
    shown = {c.group.key: c.count for c in figures(list(keys.values()), _flat(units), _flat(units))}
    assert shown == {
        "plant": 42, "unit:U1": 25, "team:A": 12, "team:D": 8, "teams:U1": 5, "unit:U2": 10,
        "teams:U2": 10, "units:rest": 7,
    }  # fmt: skip


def test_a_filtered_figure_close_to_its_whole_is_hidden_with_its_complement():
    units = {"U1": {"A": 12, "B": 9, "C": 10}}
    found = groups(units)
    safety = {"A": 10, "B": 9, "C": 0}  # A: 12 − 10 = 2 other wishes would be named
    shown = {c.group.key: c.count for c in figures(found, safety, _flat(units))}
    assert shown["team:A"] is None and shown["team:C"] is None and shown["team:B"] == 9
    assert shown["unit:U1"] == 19  # hidden under it: 10 + 0, not 1 … 4
    tight = {"A": 12, "B": 9, "C": 3}  # C alone would be hidden (3 < 5), A shown…
    shown = {c.group.key: c.count for c in figures(found, tight, _flat(units))}
    assert shown["team:C"] is None and shown["team:B"] is None  # …so the next smallest goes
    assert shown["team:A"] == 12 and shown["unit:U1"] == 24
