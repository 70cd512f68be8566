"""The cadre links plan's spec, without a solver: one function per rule, and the objective.

    right_tier            a cadre's advanced team is tier 1 and their backward team tier 3
    in_scope              both teams lie in the cadre's scope (their unit and below)
    max_cadres            no team has more than ``max_cadres`` cadres
    linked_when_possible  a cadre without an advanced (backward) team has none in scope with
                          room left
    cover_when_possible   no tier-3 team is left without a cadre while a cadre who could take
                          it has no backward team or shares theirs with another cadre
    worst_first           no uncovered tier-3 team scores lower than a covered one that a
                          cadre could leave for it (the cadre is the covered team's only one)

``links_objective`` = (coverage: Σ over covered tier-3 teams of their priority, worst highest;
cadre-team links made; Σ match of the links), maximised in that order.
"""

from __future__ import annotations

from collections import Counter

from teamroots.domain.choices import Tier
from teamroots.plan.links.model import Links, LinksInput
from teamroots.plan.violations import Violation


def _code(inp: LinksInput, tid: int) -> str | None:
    return inp.team[tid].code if tid in inp.team else None


def _cadre(inp: LinksInput, c: int) -> str:
    return inp.cadre[c].employee_no if c in inp.cadre else f"#{c}"


def _pairs(plan: Links):
    yield from ((Tier.ADVANCED, c, t) for c, t in plan.advanced.items())
    yield from ((Tier.BACKWARD, c, t) for c, t in plan.backward.items())


def right_tier(inp: LinksInput, plan: Links) -> list[Violation]:
    return [
        Violation(
            "right_tier",
            _code(inp, t),
            f"cadre {_cadre(inp, c)}: tier {getattr(inp.team.get(t), 'tier', None)}",
        )
        for tier, c, t in _pairs(plan)
        if t not in inp.team or inp.team[t].tier != tier
    ]


def in_scope(inp: LinksInput, plan: Links) -> list[Violation]:
    return [
        Violation("in_scope", _code(inp, t), f"cadre {_cadre(inp, c)} out of scope")
        for _, c, t in _pairs(plan)
        if c not in inp.cadre or t not in inp.team or inp.depth(inp.cadre[c], inp.team[t]) is None
    ]


def max_cadres(inp: LinksInput, plan: Links) -> list[Violation]:
    count = Counter(t for _, _, t in _pairs(plan))
    return [
        Violation("max_cadres", _code(inp, t), f"{n} > {inp.max_cadres}")
        for t, n in count.items()
        if n > inp.max_cadres
    ]


def linked_when_possible(inp: LinksInput, plan: Links) -> list[Violation]:
    count = Counter(t for _, _, t in _pairs(plan))
    out = []
    for c in inp.cadres:
        for tier, chosen in ((Tier.ADVANCED, plan.advanced), (Tier.BACKWARD, plan.backward)):
            free = [t for t in inp.candidates[c.id][tier] if count[t] < inp.max_cadres]
            if c.id not in chosen and free:
                out.append(
                    Violation(
                        "linked_when_possible",
                        _code(inp, free[0]),
                        f"cadre {c.employee_no} has no tier-{tier} team",
                    )
                )
    return out


def _movable(inp: LinksInput, plan: Links) -> dict[int, list[int]]:
    """Uncovered tier-3 team → cadres who could take it: in scope (as candidates), with no
    backward team or one shared with another cadre."""
    count = Counter(plan.backward.values())
    out: dict[int, list[int]] = {}
    for c in inp.cadres:
        mine = plan.backward.get(c.id)
        if mine is not None and count[mine] < 2:
            continue
        for t in inp.candidates[c.id][Tier.BACKWARD]:
            if not count[t]:
                out.setdefault(t, []).append(c.id)
    return out


def cover_when_possible(inp: LinksInput, plan: Links) -> list[Violation]:
    return [
        Violation(
            "cover_when_possible",
            _code(inp, t),
            f"uncovered; cadre {inp.cadre[cs[0]].employee_no} could take it",
        )
        for t, cs in sorted(_movable(inp, plan).items())
    ]


def worst_first(inp: LinksInput, plan: Links) -> list[Violation]:
    count = Counter(plan.backward.values())
    out = []
    for c, mine in plan.backward.items():
        if count[mine] != 1 or mine not in inp.backward_rank or c not in inp.cadre:
            continue  # a wrong tier or cadre is right_tier's or in_scope's to report
        for t in inp.candidates[c][Tier.BACKWARD]:
            if not count[t] and inp.priority(t) > inp.priority(mine):
                out.append(
                    Violation(
                        "worst_first",
                        _code(inp, t),
                        f"uncovered, scores lower than {_code(inp, mine)}",
                    )
                )
                break
    return out


HARD = (right_tier, in_scope, max_cadres)  # the rules; the others say a plan is not the best
CHECKS = (right_tier, in_scope, max_cadres, linked_when_possible, cover_when_possible, worst_first)


def check_links(inp: LinksInput, plan: Links) -> list[Violation]:
    """Every violated rule of a links plan (empty when the plan is valid)."""
    return [v for check in CHECKS for v in check(inp, plan)]


def links_objective(inp: LinksInput, plan: Links) -> tuple[int, int, float]:
    covered = set(plan.backward.values()) & set(inp.backward_rank)
    coverage = sum(inp.priority(t) for t in covered)
    made = len(plan.advanced) + len(plan.backward)
    match = sum(inp.match(inp.cadre[c], inp.team[t]) for _, c, t in _pairs(plan))
    return coverage, made, round(match, 6)
