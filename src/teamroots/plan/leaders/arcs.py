"""Candidate arcs of one unit: who may lead which team, and who may sit in a core.

Models stay small: a team's leader candidates are its own members (not protected elsewhere)
plus, when transfers are allowed, the ``top_n`` best other people of its unit *by their score
for that team* (``top_n=None`` keeps everyone; so does a team with no member of its own free
to lead: it is rare, and its best few are often unable to move).
That pruning is a solver choice, not a constraint: the optimum is proved over the pruned
arcs, and an infeasible pruned model is retried without pruning before any conflict is
reported. Who may lead at all (``Facts.may_lead``: support, trust, the team's margin) removes
arcs exactly. A team that keeps its leader (``Facts.kept_leader``: tier 1, appointed after the
survey, or the change budget) has only its incumbent's arc, fixed, or none.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from teamroots.plan.leaders.facts import Facts
from teamroots.plan.leaders.model import LeadersInput

TOP_N = 15


@dataclass(frozen=True)
class Relax:
    """Constraint groups dropped to find which one makes a unit infeasible."""

    budget: bool = False
    margin: bool = False
    tier1: bool = False
    core: bool = False


@dataclass
class UnitArcs:
    unit_id: int
    teams: list[int]
    arcs: list[tuple[int, int]] = field(default_factory=list)  # (person, team)
    ranked: dict[int, list[tuple[float, int]]] = field(default_factory=dict)  # before margin
    core: list[int] = field(default_factory=list)  # may sit in their own team's core
    fixed_leader: dict[int, int] = field(default_factory=dict)
    fixed_core: list[int] = field(default_factory=list)
    relax: Relax = field(default_factory=Relax)


def _transfer_pool(f: Facts, teams: list[int], protected: set[int]) -> list[tuple[float, int]]:
    """(base score, person) for everyone of the unit who may move, best first."""
    norm = f.inp.weights.total or 1.0
    pool = [
        (f.base(pid) / norm, pid)
        for tid in teams
        for pid in f.members.get(tid, [])
        if pid not in protected
    ]
    return sorted(pool, key=lambda x: (-x[0], x[1]))


def _top_transfers(f: Facts, tid: int, pool, top_n: int | None) -> list[tuple[float, int]]:
    """The best ``top_n`` of the pool for leading ``tid``, scanning in base-score order and
    stopping once even a perfect skill match could not reach the current n-th best."""
    w = f.inp.weights
    reach = w.skills / w.total if w.total > 0 else 0.0
    best: list[tuple[float, int]] = []  # min-heap of (score, -pid)
    for base, pid in pool:
        if top_n is not None and len(best) >= top_n and base + reach < best[0][0]:
            break
        if f.person[pid].team_id == tid:
            continue
        item = (f.score(pid, tid), -pid)
        if top_n is None or len(best) < top_n:
            heapq.heappush(best, item)
        elif item > best[0]:
            heapq.heapreplace(best, item)
    return [(s, -neg) for s, neg in best]


def _ranked(f: Facts, tid: int, protected: set[int], pool, top_n) -> list[tuple[float, int]]:
    own = [(f.score(pid, tid), pid) for pid in f.members.get(tid, []) if pid not in protected]
    n = top_n if own else None  # a team only a transfer can lead keeps every candidate
    moved = _top_transfers(f, tid, pool, n) if f.inp.allow_transfers else []
    return sorted(own + moved, key=lambda x: (-x[0], x[1]))


def _allowed(f: Facts, tid: int, ranked, relax: Relax) -> list[tuple[int, int]]:
    inc = f.incumbent[tid]
    if relax.margin:
        return [(pid, tid) for _, pid in ranked if pid == inc or f.supported(pid)]
    return [(pid, tid) for _, pid in ranked if f.may_lead(pid, tid)]


def unit_arcs(
    inp: LeadersInput, unit_id: int, top_n: int | None = TOP_N, relax: Relax | None = None
) -> UnitArcs:
    """The arcs of one unit (see the module docstring)."""
    f, relax = inp.facts, relax or Relax()
    teams = sorted(f.units[unit_id])
    ua = UnitArcs(unit_id, teams, relax=relax)
    protected = set() if relax.tier1 else {p for t in teams for p in _kept(f, t)}
    held = set(f.held_in)  # a held core member stays in their team
    pool = _transfer_pool(f, teams, protected | held) if inp.allow_transfers else []
    for tid in teams:
        inc = f.incumbent[tid]
        if not relax.tier1 and f.kept_leader(tid):
            if inc is not None:
                ua.fixed_leader[tid] = inc
                ua.arcs.append((inc, tid))
                ua.ranked[tid] = [(f.score(inc, tid), inc)]
            else:
                ua.ranked[tid] = []
            continue
        ua.ranked[tid] = _ranked(f, tid, protected, pool, top_n)
        ua.arcs += _allowed(f, tid, ua.ranked[tid], relax)
    if not relax.core:
        ua.fixed_core = [] if relax.tier1 else [p for t in teams for p, _ in f.kept_core[t]]
        fixed = set(ua.fixed_core)
        ua.core = [
            p
            for t in teams
            if f.core_size(t) > 0
            for p in f.members.get(t, [])
            if p not in protected or p in fixed
        ]
    return ua


def _kept(f: Facts, tid: int) -> list[int]:
    """People a tier-1 team keeps: its eligible incumbent and its kept core."""
    kept = [pid for pid, _ in f.kept_core[tid]]
    inc = f.incumbent[tid]
    return [*kept, inc] if f.is_tier1(tid) and inc is not None else kept
