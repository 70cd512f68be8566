"""The leadership plan's spec, without a solver: one small function per constraint, and the
objective.

Leadership plan (``check_leaders``), over an Assignment-like object with ``leaders``
(team id → person id) and ``core`` (team id → [(person id, role)]):

    one_leader_per_team   a team with an incumbent has a leader (a team without one has at
                          most one); every leader is an eligible person
    one_role_per_person   nobody leads or sits in a core more than once in the whole plant
    transfer_in_unit      a leader from another team comes from the same unit, and only
                          when transfers are allowed
    max_transfers         at most ``max_transfers`` leaders from other teams per unit
    tier1_kept            a team that keeps its leader (``Facts.kept_leader``: tier 1, appointed
                          after the survey, the change budget) keeps them; tier 1 its core too
    incumbent_margin      an incumbent is replaced only by a candidate scoring at least the
                          team's margin more (``keep_margin`` tier 3, ``large_gain`` others)
    core_held             a team neither tier 1 nor tier 3 keeps its core members (in the core,
                          or as its leader)
    supported_leader      a new leader is supported by their team (``Facts.supported``) and
                          trusted by at least as large a share as the incumbent
    max_changes           at most ``max_changes`` new leaders in the plan (when set)
    core_size             a team's core has exactly ``Facts.core_size`` members
    core_roles            core roles are distinct and among the configured roles
    core_own_team         core members are eligible members of that team

``leaders_objective`` = (the lowest team leadership score, the sum of them), maximised in that
order; a team's score is ``Facts.team_score``; the lowest is over the teams whose leader the
plan can choose (``Facts.in_minimum``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from teamroots.plan.leaders.facts import EPS, Facts, clears_margin
from teamroots.plan.leaders.model import LeadersInput
from teamroots.plan.violations import Violation


def _v(f: Facts, name: str, tid: int | None, detail: str) -> Violation:
    return Violation(name, f.team[tid].code if tid in f.team else None, detail)


def one_leader_per_team(f: Facts, plan: Any) -> list[Violation]:
    """A team with an incumbent has a leader; every leader is an eligible person."""
    out = [
        _v(f, "one_leader_per_team", t, "no leader")
        for t in f.team
        if t not in plan.leaders and f.incumbent[t] is not None
    ]
    for tid, pid in plan.leaders.items():
        if tid not in f.team:
            out.append(_v(f, "one_leader_per_team", None, f"unknown team {tid}"))
        elif pid not in f.person:
            out.append(_v(f, "one_leader_per_team", tid, f"leader {pid} is not eligible"))
    return out


def one_role_per_person(f: Facts, plan: Any) -> list[Violation]:
    seen = Counter(plan.leaders.values())
    seen.update(pid for core in plan.core.values() for pid, _ in core)
    return [
        _v(f, "one_role_per_person", None, f"{f.label(pid)} holds {n} roles")
        for pid, n in seen.items()
        if n > 1
    ]


def transfer_in_unit(f: Facts, plan: Any) -> list[Violation]:
    out = []
    for tid, pid in plan.leaders.items():
        if tid not in f.team or pid not in f.person or not f.is_transfer(pid, tid):
            continue
        home = f.team[f.person[pid].team_id]
        if not f.inp.allow_transfers:
            out.append(_v(f, "transfer_in_unit", tid, "transfers are not allowed"))
        elif home.unit_id != f.team[tid].unit_id:
            out.append(_v(f, "transfer_in_unit", tid, f"leader from unit {home.unit_id}"))
    return out


def max_transfers(f: Facts, plan: Any) -> list[Violation]:
    per_unit: Counter[int] = Counter()
    for tid, pid in plan.leaders.items():
        if tid in f.team and pid in f.person and f.is_transfer(pid, tid):
            per_unit[f.team[tid].unit_id] += 1
    return [
        Violation("max_transfers", None, f"unit {u}: {n} > {f.inp.max_transfers}")
        for u, n in per_unit.items()
        if n > f.inp.max_transfers
    ]


def tier1_kept(f: Facts, plan: Any) -> list[Violation]:
    """A team that keeps its leader (tier 1, appointed after the survey, or the change budget's
    choice) keeps them — or stays without one; a tier-1 team keeps its core too."""
    out = []
    for tid in f.team:
        inc = f.incumbent[tid]
        if f.kept_leader(tid) and plan.leaders.get(tid) != inc:
            out.append(_v(f, "tier1_kept", tid, f"incumbent {f.label(inc)} not kept"))
        core = {pid for pid, _ in plan.core.get(tid, [])}
        out += [
            _v(f, "tier1_kept", tid, f"core member {f.label(pid)} not kept")
            for pid, _ in f.kept_core[tid]
            if pid not in core
        ]
    return out


def core_held(f: Facts, plan: Any) -> list[Violation]:
    """A team that holds its core (``Facts.held_core``) keeps each core member in the core, or
    as its leader."""
    out = []
    for tid, held in f.held_core.items():
        core = {pid for pid, _ in plan.core.get(tid, [])}
        out += [
            _v(f, "core_held", tid, f"core member {f.label(pid)} not kept")
            for pid, _ in held
            if pid not in core and plan.leaders.get(tid) != pid
        ]
    return out


def incumbent_margin(f: Facts, plan: Any) -> list[Violation]:
    """A new leader gains at least the team's margin over the incumbent."""
    out = []
    for tid, pid in plan.leaders.items():
        inc = f.incumbent.get(tid)
        if inc is None or pid == inc or pid not in f.person or f.kept_leader(tid):
            continue
        new, old = f.score(pid, tid), f.score(inc, tid)
        if not clears_margin(new, old, f.margin(tid)):
            out.append(_v(f, "incumbent_margin", tid, f"gain {new - old:.4f} below margin"))
    return out


def supported_leader(f: Facts, plan: Any) -> list[Violation]:
    """A new leader is supported by their team and trusted at least as much as the incumbent."""
    out = []
    for tid, pid in plan.leaders.items():
        inc = f.incumbent.get(tid)
        if tid not in f.team or pid == inc or pid not in f.person:
            continue
        if not f.supported(pid):
            out.append(_v(f, "supported_leader", tid, f"{f.label(pid)} is not supported"))
        elif inc is not None and f.person[pid].trust_share < f.person[inc].trust_share - EPS:
            out.append(
                _v(f, "supported_leader", tid, f"{f.label(pid)} is trusted less than the incumbent")
            )
    return out


def changes(f: Facts, plan: Any) -> list[int]:
    """The teams whose leader the plan changes (a new leader, or one where there was none)."""
    return [t for t, p in plan.leaders.items() if t in f.team and p != f.incumbent[t]]


def max_changes(f: Facts, plan: Any) -> list[Violation]:
    n, budget = len(changes(f, plan)), f.inp.max_changes
    if budget is None or n <= budget:
        return []
    return [Violation("max_changes", None, f"{n} new leaders > {budget}")]


def core_size(f: Facts, plan: Any) -> list[Violation]:
    out = []
    for tid in f.team:
        n, want = len(plan.core.get(tid, [])), f.core_size(tid)
        if n != want:
            out.append(_v(f, "core_size", tid, f"{n} core members, expected {want}"))
    return out


def core_roles(f: Facts, plan: Any) -> list[Violation]:
    out = []
    for tid, core in plan.core.items():
        roles = [role for _, role in core]
        if len(set(roles)) != len(roles) or not set(roles) <= set(f.inp.roles):
            out.append(_v(f, "core_roles", tid, f"roles {roles}"))
    return out


def core_own_team(f: Facts, plan: Any) -> list[Violation]:
    return [
        _v(f, "core_own_team", tid, f"{f.label(pid)} is not an eligible member")
        for tid, core in plan.core.items()
        for pid, _ in core
        if pid not in f.person or f.person[pid].team_id != tid
    ]


CHECKS = (
    one_leader_per_team,
    one_role_per_person,
    transfer_in_unit,
    max_transfers,
    tier1_kept,
    core_held,
    incumbent_margin,
    supported_leader,
    max_changes,
    core_size,
    core_roles,
    core_own_team,
)


def check_leaders(inp: LeadersInput, plan: Any) -> list[Violation]:
    """Every violated constraint of a leadership plan (empty when the plan is valid)."""
    return [v for check in CHECKS for v in check(inp.facts, plan)]


def team_scores(inp: LeadersInput, plan: Any) -> dict[int, float]:
    f = inp.facts
    return {
        tid: f.team_score(tid, plan.leaders.get(tid), [pid for pid, _ in plan.core.get(tid, [])])
        for tid in f.team
    }


def leaders_objective(inp: LeadersInput, plan: Any) -> tuple[float, float]:
    """(lowest team leadership score, total): maximised lexicographically. The lowest is over
    the teams ``Facts.in_minimum`` (all teams when there are none such)."""
    scores = team_scores(inp, plan)
    if not scores:
        return 0.0, 0.0
    f = inp.facts
    open_ = [s for t, s in scores.items() if f.in_minimum(t)] or list(scores.values())
    return min(open_), sum(scores.values())
