"""Counts of wishes by unit and team that cannot name a small group (issue 12).

The rules, for a threshold K (5 for counts; 10 wherever free text would be shown — the
aggregate page shows none):

1. **Groups are formed on the unfiltered counts.** A team with at least K wishes is a group
   of its own; smaller teams of a unit are pooled into a labelled roll-up ("3 other teams of
   unit X"). When that roll-up holds fewer than K, the smallest team shown alone joins it,
   until it holds K or every team is in it — then the unit itself is too small and is pooled
   the same way at plant level ("2 other units"), its teams not shown. The plant is shown
   only if it holds K.
2. **A filtered figure** (one category, say) of a group is shown only when it holds at least
   K and the group's unfiltered figure exceeds it by 0 or by K or more — so the two cannot be
   subtracted into a group of 1 … K − 1.
3. **Complementary suppression.** Under a shown parent, the figures hidden among its
   children add up to 0 or to K or more: if not, the smallest shown child is hidden too.
   Under a hidden parent every child is hidden (they would add up to it).

Every shown figure is then ≥ K, children partition their parent, and the difference of any
two shown figures of nested groups — within a view or between the unfiltered view and a
filtered one — is 0 or at least K (``leaks`` states that in plain code; property tests hold
it for generated plants and filters).
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_GROUP = 5
MIN_GROUP_TEXT = 10


@dataclass(frozen=True)
class Group:
    key: str  # "plant", "unit:CODE", "units:rest", "team:CODE", "teams:UNIT"
    parent: str | None
    teams: frozenset[str]
    label: tuple[str, dict]  # a label key and its parameters, translated by the page


def groups(units: dict[str, dict[str, int]], k: int = MIN_GROUP) -> list[Group]:
    """The groups shown for a plant: ``units`` maps unit → team → unfiltered count."""
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
    group: Group
    count: int | None  # None: hidden


def figures(
    found: list[Group], view: dict[str, int], unfiltered: dict[str, int], k: int = MIN_GROUP
) -> list[Cell]:
    """The figure of each group in a view (team → count; the unfiltered view is ``view`` =
    ``unfiltered``), hidden where rules 2 and 3 say."""
    f = {g.key: sum(view.get(t, 0) for t in g.teams) for g in found}
    a = {g.key: sum(unfiltered.get(t, 0) for t in g.teams) for g in found}
    shown = {key: f[key] >= k and (a[key] == f[key] or a[key] - f[key] >= k) for key in f}
    children: dict[str | None, list[Group]] = {}
    for g in found:
        children.setdefault(g.parent, []).append(g)
    _top_down(children, None, shown, f, k)
    return [Cell(g, f[g.key] if shown[g.key] else None) for g in found]


def _top_down(children, parent: str | None, shown: dict, f: dict, k: int) -> None:
    mine = children.get(parent, [])
    if parent is not None and not shown[parent]:
        for g in mine:
            shown[g.key] = False
    else:
        visible = sorted((g for g in mine if shown[g.key]), key=lambda g: (f[g.key], g.key))
        while visible and 0 < sum(f[g.key] for g in mine if not shown[g.key]) < k:
            shown[visible.pop(0).key] = False
    for g in mine:
        _top_down(children, g.key, shown, f, k)


def leaks(cells: list[list[Cell]], k: int = MIN_GROUP) -> list[tuple[str, str, int]]:
    """Pairs of shown figures of nested groups (one group's teams within the other's), in any
    of the views, whose difference is a group of 1 … k − 1 people; or a shown figure below k.
    Views after the first are filtered views of it (their figures are never larger)."""
    out = []
    every = [(i, c) for i, view in enumerate(cells) for c in view if c.count is not None]
    for i, c in every:
        if c.count < k:
            out.append((c.group.key, "", c.count))
        for j, d in every:
            nested = d.group.teams <= c.group.teams and (i, c.group.key) != (j, d.group.key)
            if nested and (i == j or i == 0) and 0 < c.count - d.count < k:
                out.append((f"{i}:{c.group.key}", f"{j}:{d.group.key}", c.count - d.count))
    return out
