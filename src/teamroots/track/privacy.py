"""Counts of wishes by unit and team that cannot name a small group (issue 12).

The rules, for a threshold K (``MIN_GROUP`` = 5 for counts; ``MIN_GROUP_TEXT`` = 10 wherever
free text would be shown — the aggregate page shows none):

1. **Groups are formed on the unfiltered counts.** A team with at least K wishes is a group
   of its own; smaller teams of a unit are pooled into a labelled roll-up ("3 other teams of
   unit X"). When that roll-up holds fewer than K, the smallest team shown alone joins it,
   until it holds K or every team is in it — then the unit itself is too small and is pooled
   the same way at plant level ("2 other units"), its teams not shown. The plant is shown
   only if it holds K. No figure below K is shown, not even 0.
2. **A filtered figure** (one category, say) of a group is shown only when the group's
   unfiltered figure is shown, the filtered one holds at least K, and the *rest* (unfiltered
   − filtered) is 0 or at least K — so the two cannot be subtracted into a group of 1 … K − 1.
3. **Complementary suppression.** Under a shown parent, the figures hidden among its
   children add up to 0 or to K or more — in a filtered view both the filtered figures and
   their rests, since a parent's rest minus its shown children's rests is the hidden
   children's rest: if not, the smallest shown child that helps is hidden too. Under a
   hidden parent every child is hidden (they would add up to it).

Every shown figure is then ≥ K, children partition their parent, and no figure derived from
the shown ones by subtraction — a difference of nested groups, a parent less its shown
children, within a view or between the unfiltered view and a filtered one — names 1 … K − 1
people. ``leaks`` states that in plain code; property tests hold it for generated plants and
filters. One filter at a time: two filtered views side by side (all − safety − training)
are not guarded against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

MIN_GROUP = 5
MIN_GROUP_TEXT = 10


@dataclass(frozen=True)
class Group:
    """A group whose figure may be shown. ``label`` is a key — "plant", "unit" {unit},
    "team" {team}, "other_teams" {unit, teams}, "other_units" {units} — and its parameters,
    translated by the page."""

    key: str  # "plant", "unit:CODE", "units:rest", "team:CODE", "teams:UNIT"
    parent: str | None
    teams: frozenset[str]
    label: tuple[str, dict]

    @property
    def pooled(self) -> bool:
        """A roll-up of several teams or units rather than one."""
        return self.label[0] in ("other_teams", "other_units")


def groups(units: dict[str, dict[str, int]], k: int = MIN_GROUP) -> list[Group]:
    """The groups shown for a plant: ``units`` maps unit → team → unfiltered count (each
    team in one unit). Sorted: plant, then each unit shown alone followed by its teams and
    roll-up, then the roll-up of units."""
    if any(n < 0 for teams in units.values() for n in teams.values()):
        raise ValueError("counts cannot be negative")
    every = frozenset(t for teams in units.values() for t in teams)
    out = [Group("plant", None, every, ("plant", {}))]
    totals = {u: sum(teams.values()) for u, teams in units.items()}
    alone, pooled = _split(totals, k)
    for unit in alone:
        label = ("unit", {"unit": unit})
        out.append(Group(f"unit:{unit}", "plant", frozenset(units[unit]), label))
        teams_alone, teams_pooled = _split(units[unit], k)
        for team in teams_alone:
            out.append(
                Group(f"team:{team}", f"unit:{unit}", frozenset([team]), ("team", {"team": team}))
            )
        if teams_pooled:
            label = ("other_teams", {"unit": unit, "teams": len(teams_pooled)})
            out.append(Group(f"teams:{unit}", f"unit:{unit}", frozenset(teams_pooled), label))
    if pooled:
        rest = frozenset(t for u in pooled for t in units[u])
        out.append(Group("units:rest", "plant", rest, ("other_units", {"units": len(pooled)})))
    return out


def _split(counts: dict[str, int], k: int) -> tuple[list[str], list[str]]:
    """(shown alone, pooled), sorted: the pool reaches k by taking the smallest of the rest,
    or takes everything."""
    alone = sorted((c for c in counts if counts[c] >= k), key=lambda c: (counts[c], c))
    pooled = sorted(c for c in counts if counts[c] < k)
    while 0 < sum(counts[c] for c in pooled) < k and alone:
        pooled.append(alone.pop(0))
    if 0 < sum(counts[c] for c in pooled) < k:
        return [], sorted(counts)
    return sorted(alone), sorted(pooled)


@dataclass(frozen=True)
class Cell:
    """A group's figure in one view; ``count`` None: hidden."""

    group: Group
    count: int | None


def figures(
    found: list[Group], view: dict[str, int], unfiltered: dict[str, int], k: int = MIN_GROUP
) -> list[Cell]:
    """The figure of each group in a view (team → count, each at most the team's unfiltered
    count; the unfiltered view itself is ``view`` = ``unfiltered``), hidden where the rules
    say. The groups are those of ``groups``: children partition their parent."""
    if any(not 0 <= n <= unfiltered.get(t, 0) for t, n in view.items()):
        raise ValueError("a filtered count must lie between 0 and the team's unfiltered count")
    whole = {g.key: sum(unfiltered.get(t, 0) for t in g.teams) for g in found}
    part = {g.key: sum(view.get(t, 0) for t in g.teams) for g in found}
    rest = {key: whole[key] - part[key] for key in whole}
    children: dict[str | None, list[Group]] = {}
    for g in found:
        children.setdefault(g.parent, []).append(g)
    shown = {key: n >= k for key, n in whole.items()}
    _suppress(children, None, shown, whole, dict.fromkeys(whole, 0), k)
    shown = {key: shown[key] and part[key] >= k and _safe(rest[key], k) for key in shown}
    _suppress(children, None, shown, part, rest, k)
    return [Cell(g, part[g.key] if shown[g.key] else None) for g in found]


def _safe(n: int, k: int) -> bool:
    """A count that names no small group: none, or at least k."""
    return n == 0 or n >= k


def _suppress(
    children: dict[str | None, list[Group]],
    parent: str | None,
    shown: dict[str, bool],
    part: dict[str, int],
    rest: dict[str, int],
    k: int,
) -> None:
    """Rule 3, from ``parent`` down: hide children until what is hidden under each shown
    parent is safe, both in ``part`` and in ``rest``; hide everything under a hidden one."""
    mine = children.get(parent, [])
    if parent is not None and not shown[parent]:
        for g in mine:
            shown[g.key] = False
    elif parent is not None:
        _hide_until_safe(mine, shown, part, rest, k)
    for g in mine:
        _suppress(children, g.key, shown, part, rest, k)


def _hide_until_safe(
    mine: list[Group], shown: dict[str, bool], part: dict[str, int], rest: dict[str, int], k: int
) -> None:
    """Hide the smallest shown sibling that helps until the hidden ones add up to a safe
    figure and a safe rest. Such a sibling exists while they do not, as the parent is safe."""
    while True:
        hidden = [g.key for g in mine if not shown[g.key]]
        bad_part = not _safe(sum(part[key] for key in hidden), k)
        bad_rest = not _safe(sum(rest[key] for key in hidden), k)
        if not (bad_part or bad_rest):
            return
        helps = [
            g.key
            for g in mine
            if shown[g.key] and ((bad_part and part[g.key] > 0) or (bad_rest and rest[g.key] > 0))
        ]
        if not helps:
            raise ValueError("the children of a group do not add up to it")
        shown[min(helps, key=lambda key: (part[key], key))] = False


class Leak(NamedTuple):
    """A shown figure, or one derived from shown figures, that names 1 … k − 1 people."""

    rule: str  # "small", "difference", "rest_of_parent", "whole_hidden"
    where: str  # "view:key", "view:key - view:key", or "0-view:key" for a rest
    size: int


def leaks(views: list[list[Cell]], k: int = MIN_GROUP) -> list[Leak]:
    """What the rules forbid, checked on the figures alone: views after the first are
    filtered views of it. A figure below k; two shown figures of nested groups (one's teams
    within the other's) in one view, or the unfiltered one around a filtered one, that differ
    by 1 … k − 1; a shown parent less its shown children, in any view and in the rests
    (unfiltered − filtered, where both are shown), of 1 … k − 1; a filtered figure shown
    where the unfiltered one is not."""
    found = {c.group.key: c.group for view in views for c in view}
    shown = [{c.group.key: c.count for c in view if c.count is not None} for view in views]
    out = []
    for i, figs in enumerate(shown):
        out += [Leak("small", f"{i}:{key}", n) for key, n in figs.items() if n < k]
        out += _differences(found, (0, shown[0]), (i, figs), k)
        out += _rests_of_parents(found, str(i), figs, k)
        if i == 0:
            continue
        hidden = [key for key in figs if key not in shown[0]]
        out += [Leak("whole_hidden", f"{i}:{key}", figs[key]) for key in hidden]
        out += _differences(found, (i, figs), (i, figs), k)
        rests = {key: shown[0][key] - n for key, n in figs.items() if key in shown[0]}
        out += _rests_of_parents(found, f"0-{i}", rests, k)
    return out


def _differences(
    found: dict[str, Group], outer: tuple[int, dict], inner: tuple[int, dict], k: int
) -> list[Leak]:
    """Shown figures of ``outer`` less shown figures of nested groups in ``inner``."""
    (i, big), (j, small) = outer, inner
    out = []
    for p, a in big.items():
        for c, b in small.items():
            nested = found[c].teams <= found[p].teams and (i, p) != (j, c)
            if nested and 0 < a - b < k:
                out.append(Leak("difference", f"{i}:{p} - {j}:{c}", a - b))
    return out


def _rests_of_parents(found: dict[str, Group], view: str, figs: dict, k: int) -> list[Leak]:
    """Each shown parent less the sum of its shown children."""
    below: dict[str, int] = {}
    for key, n in figs.items():
        parent = found[key].parent
        if parent in figs:
            below[parent] = below.get(parent, 0) + n
    return [
        Leak("rest_of_parent", f"{view}:{p}", figs[p] - n)
        for p, n in below.items()
        if 0 < figs[p] - n < k
    ]
