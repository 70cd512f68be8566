"""The greedy baseline (and the solver's starting hint): per unit, weakest team first.

Tier-1 teams keep their incumbent and core. The other teams — first those with no candidate of
their own (only a transfer can lead them), then in the order of their best candidate's score,
lowest first — take their best candidate still free: a transfer only while the unit's budget
lasts, never the incumbent of a team still without a leader, and only while the home team
keeps enough free members for its core (and for its own leader, if it has none yet). Then each
team's core is its best free members by core score. A team left without a leader stays
without one: the checker then says so.
"""

from __future__ import annotations

from collections import Counter

from teamroots.plan.leaders.arcs import TOP_N, UnitArcs, unit_arcs
from teamroots.plan.leaders.facts import Facts, assign_roles
from teamroots.plan.leaders.model import Assignment, LeadersInput


def greedy_leaders(inp: LeadersInput, top_n: int | None = TOP_N) -> Assignment:
    """The greedy plan of the whole plant (units are independent)."""
    out = Assignment()
    for unit_id in sorted(inp.facts.units):
        part = greedy_unit(inp, unit_arcs(inp, unit_id, top_n))
        out.leaders.update(part.leaders)
        out.core.update(part.core)
    return out


class _State:
    def __init__(self, f: Facts, ua: UnitArcs) -> None:
        self.f, self.ua = f, ua
        self.used = set(ua.fixed_core) | set(ua.fixed_leader.values())
        self.leaders = dict(ua.fixed_leader)
        self.transfers = sum(f.is_transfer(p, t) for t, p in ua.fixed_leader.items())
        self.free = Counter(t for t in ua.teams for p in f.members.get(t, []) if p not in self.used)
        self.fixed = Counter(f.person[p].team_id for p in ua.fixed_core)
        self.own_arcs = {t for p, t in ua.arcs if not f.is_transfer(p, t)}

    def can_take(self, pid: int, tid: int) -> bool:
        f = self.f
        if pid in self.used or f.held_in.get(pid, tid) != tid:
            return False
        led = self.f.incumbent_of.get(pid)
        if led not in (None, tid) and led not in self.leaders:
            return False  # the team they lead now may have no one else clearing the margin
        moving = f.is_transfer(pid, tid)
        if moving and self.transfers >= f.inp.max_transfers:
            return False
        home = f.person[pid].team_id
        need = f.core_size(home) - self.fixed[home]
        reserve = int(moving and home not in self.leaders and home in self.own_arcs)
        return self.free[home] - 1 - reserve >= need

    def take(self, pid: int, tid: int) -> None:
        self.used.add(pid)
        self.leaders[tid] = pid
        self.free[self.f.person[pid].team_id] -= 1
        self.transfers += self.f.is_transfer(pid, tid)


def greedy_unit(inp: LeadersInput, ua: UnitArcs) -> Assignment:
    f = inp.facts
    st = _State(f, ua)
    options: dict[int, list[tuple[float, int]]] = {t: [] for t in ua.teams}
    for p, t in ua.arcs:
        options[t].append((f.score(p, t), p))
    for t in options:
        options[t].sort(key=lambda x: (-x[0], x[1]))
    todo = [t for t in ua.teams if t not in st.leaders]
    todo.sort(key=lambda t: (t in st.own_arcs, options[t][0][0] if options[t] else -1.0, t))
    for tid in todo:
        pick = next((p for _, p in options[tid] if st.can_take(p, tid)), None)
        if pick is not None:
            st.take(pick, tid)
    return Assignment(st.leaders, _greedy_core(f, ua, st.used))


def _greedy_core(f: Facts, ua: UnitArcs, used: set[int]) -> dict[int, list[tuple[int, str]]]:
    fixed = set(ua.fixed_core) | {p for t in ua.teams for p, _ in f.held_core[t] if p not in used}
    core: dict[int, list[tuple[int, str]]] = {}
    candidates = [p for p in ua.core if p not in used or p in fixed]
    candidates.sort(key=lambda p: (p not in fixed, -f.core_score(p), p))
    chosen: dict[int, list[int]] = {t: [] for t in ua.teams}
    for p in candidates:
        t = f.person[p].team_id
        if len(chosen[t]) < f.core_size(t):
            chosen[t].append(p)
    for t, people in chosen.items():
        core[t] = assign_roles(f, t, people)
    return core
