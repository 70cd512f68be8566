"""Facts derived from a LeadersInput that the checker, the greedy baseline and the solver share.

These are definitions, not solver choices:

- a person counts only if their home team is among the input's teams;
- a team's *incumbent* counts only if they are among the (eligible) people;
- a tier-1 team *keeps* its incumbent as leader and its core: the members who hold a core role
  now (the first holder of each role, by person id; the incumbent is not counted as core);
  these people are *protected*: they stay where they are;
- a team that is neither tier 1 nor tier 3 *holds* its core: each member who holds a core role
  now stays in the core or leads the team (``held_core``; only a backward team's core is
  re-formed), so a plan changes few roles;
- a team's *core size* is min(k_core, number of roles, eligible members − 1) — one member is
  left for the leader's post — or the kept or held core's size when that is larger;
- the plant's lowest team score is taken over the teams ``in_minimum``: all but the tier-1
  teams that keep their incumbent;
- *support is a gate, not a weight*: a person is *supported* when at least ``support_min`` of
  their team's respondents name them as someone they trust to lead, or they are the team's
  most named (named at all); a transfer's support is measured in the team they come from;
- a team's leader is *kept* (``kept_leader``) when it is a tier-1 team with an incumbent, when
  the incumbent took the post after the survey behind the shares (nobody has been asked about
  them yet), or when the input says so (``keep``: the change budget's choice);
- a *new* leader (not the incumbent) must be supported and trusted by at least as large a share
  as the incumbent, and score at least the incumbent's score plus the team's margin:
  ``keep_margin`` for a tier-3 team, ``large_gain`` for any other (``clears_margin``);
- a team with an incumbent always has a leader; a team without one gets a leader only from
  those who may lead it (it may stay without one, and the plan says what it needs instead).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from teamroots.domain.choices import Tier
from teamroots.plan.leaders.scores import ACTIVIST, base_points, skill_match
from teamroots.plan.reasons import named

if TYPE_CHECKING:
    from teamroots.plan.leaders.model import LeadersInput

EPS = 1e-9


def clears_margin(new: float, old: float, margin: float) -> bool:
    """Whether a gain of ``new - old`` is enough to replace an incumbent."""
    return new - old >= margin - EPS


class Facts:
    """Indexes and memoised scores over one input."""

    def __init__(self, inp: LeadersInput) -> None:
        self.inp = inp
        self.team = {t.team_id: t for t in inp.teams}
        self.person = {p.id: p for p in inp.people if p.team_id in self.team}
        self.members: dict[int, list[int]] = defaultdict(list)
        for p in self.person.values():
            self.members[p.team_id].append(p.id)
        self.units: dict[int, list[int]] = defaultdict(list)
        for t in inp.teams:
            self.units[t.unit_id].append(t.team_id)
        self.incumbent = {
            t.team_id: t.incumbent if t.incumbent in self.person else None for t in inp.teams
        }
        self.incumbent_of = {p: t for t, p in self.incumbent.items() if p is not None}
        self.top_trust = {
            tid: max((self.person[p].trust_share for p in ms), default=0.0)
            for tid, ms in self.members.items()
        }
        self.kept_core = {t.team_id: self._kept_core(t.team_id) for t in inp.teams}
        self.held_core = {t.team_id: self._held_core(t.team_id) for t in inp.teams}
        self.held_in = {p: t for t, core in self.held_core.items() for p, _ in core}
        self.protected = self._protected()
        self._free_supported = self._supported_per_unit()
        self._base: dict[int, float] = {}
        self._score: dict[tuple[int, int], float] = {}
        self._core: dict[int, float] = {}
        self._size: dict[int, int] = {}

    def is_tier1(self, tid: int) -> bool:
        return self.team[tid].tier == Tier.ADVANCED

    def supported(self, pid: int) -> bool:
        """Named by at least ``support_min`` of their team, or their team's most named."""
        p = self.person[pid]
        top = self.top_trust.get(p.team_id, 0.0)
        return p.trust_share >= self.inp.support_min - EPS or (
            p.trust_share > EPS and p.trust_share >= top - EPS
        )

    def recently_appointed(self, tid: int) -> bool:
        """The incumbent took the post after the survey (or there was none): their support in
        this team has not been measured yet."""
        team, inc = self.team[tid], self.incumbent[tid]
        if inc is None or team.incumbent_since is None:
            return False
        survey = self.inp.survey_date
        return survey is None or team.incumbent_since > survey

    def kept_leader(self, tid: int) -> bool:
        """The team keeps its incumbent (or, without one, stays without a leader)."""
        inc = self.incumbent[tid]
        if tid in self.inp.keep:
            return True
        return inc is not None and (self.is_tier1(tid) or self.recently_appointed(tid))

    def margin(self, tid: int) -> float:
        """The gain a new leader needs over the incumbent: small for a backward team."""
        return self.inp.keep_margin if self.team[tid].tier == Tier.BACKWARD else self.inp.large_gain

    def may_replace(self, pid: int, tid: int) -> bool:
        """Whether ``pid`` may become ``tid``'s new leader (support, trust, margin)."""
        if pid == self.incumbent[tid] or self.kept_leader(tid) or not self.supported(pid):
            return False
        inc = self.incumbent[tid]
        if inc is None:
            return True
        trust_ok = self.person[pid].trust_share >= self.person[inc].trust_share - EPS
        return trust_ok and clears_margin(
            self.score(pid, tid), self.score(inc, tid), self.margin(tid)
        )

    def may_lead(self, pid: int, tid: int) -> bool:
        return pid == self.incumbent[tid] or self.may_replace(pid, tid)

    def _supported_per_unit(self) -> dict[int, set[int]]:
        """Per unit: the supported people not held in a tier-1 team."""
        out: dict[int, set[int]] = defaultdict(set)
        for pid, p in self.person.items():
            if pid not in self.protected and self.supported(pid):
                out[self.team[p.team_id].unit_id].add(pid)
        return out

    def has_candidate(self, tid: int) -> bool:
        """Someone other than a kept incumbent could lead the team (cheap, by support only)."""
        if self.kept_leader(tid):
            return False
        if self.incumbent[tid] is not None:
            return True
        pool = self._free_supported.get(self.team[tid].unit_id, set())
        if self.inp.allow_transfers:
            return bool(pool)
        return any(self.person[p].team_id == tid for p in pool)

    def in_minimum(self, tid: int) -> bool:
        """Whether the team counts in the plant's lowest score: not a team that keeps its
        leader, nor one nobody could lead (the plan cannot move their score, which would
        only set a floor)."""
        return self.has_candidate(tid)

    def _kept_core(self, tid: int) -> list[tuple[int, str]]:
        return self._current_core(tid) if self.is_tier1(tid) else []

    def _held_core(self, tid: int) -> list[tuple[int, str]]:
        """A team that is neither advanced (which keeps its core) nor backward (whose core may
        be re-formed) keeps its core members: each stays in the core, or leads the team."""
        if self.is_tier1(tid) or self.team[tid].tier == Tier.BACKWARD or self.inp.k_core == 0:
            return []
        return self._current_core(tid)

    def _current_core(self, tid: int) -> list[tuple[int, str]]:
        kept: dict[str, int] = {}
        for pid in sorted(self.members.get(tid, [])):
            role = self.person[pid].core_role
            if role in self.inp.roles and role not in kept and pid != self.incumbent[tid]:
                kept[role] = pid
        return [(pid, role) for role, pid in kept.items()]

    def _protected(self) -> dict[int, list[tuple[int, str]]]:
        """Protected person → the places a tier-1 team keeps them in (normally one)."""
        places: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for tid, kept in self.kept_core.items():
            for pid, role in kept:
                places[pid].append((tid, role))
        for tid, pid in self.incumbent.items():
            if pid is not None and self.is_tier1(tid):
                places[pid].append((tid, "leader"))
        return dict(places)

    def base(self, pid: int) -> float:
        """``base_points`` of a person, memoised."""
        if pid not in self._base:
            self._base[pid] = base_points(self.person[pid], self.inp.weights)
        return self._base[pid]

    def score(self, pid: int, tid: int) -> float:
        """``leader_score`` (same arithmetic, memoised base points)."""
        key = (pid, tid)
        if key not in self._score:
            w = self.inp.weights
            match = skill_match(self.person[pid], self.team[tid])
            value = (self.base(pid) + w.skills * match) / w.total if w.total > 0 else 0.0
            self._score[key] = value
        return self._score[key]

    def core_score(self, pid: int) -> float:
        """``core_score`` (same arithmetic, memoised)."""
        if pid not in self._core:
            p, w = self.person[pid], self.inp.weights
            bonus = w.core_activist if ACTIVIST in p.designations else 0.0
            self._core[pid] = min(1.0, self.score(pid, p.team_id) + bonus)
        return self._core[pid]

    def core_size(self, tid: int) -> int:
        if tid not in self._size:
            free = max(0, len(self.members.get(tid, [])) - 1)
            wanted = min(self.inp.k_core, len(self.inp.roles), free)
            held = max(len(self.kept_core[tid]), len(self.held_core[tid]))
            self._size[tid] = max(wanted, held)
        return self._size[tid]

    def is_transfer(self, pid: int, tid: int) -> bool:
        return self.person[pid].team_id != tid

    def team_score(self, tid: int, leader: int | None, core: Iterable[int]) -> float:
        """Leader's score + core_factor × mean core score (a missing leader scores 0)."""
        lead = self.score(leader, tid) if leader in self.person else 0.0
        scores = [self.core_score(pid) for pid in core if pid in self.person]
        mean = sum(scores) / len(scores) if scores else 0.0
        return lead + self.inp.weights.core_factor * mean

    def label(self, pid: int | None) -> str:
        """A person as people know them: name and employee number."""
        if pid not in self.person:
            return str(pid)
        return named(self.person[pid].name, self.person[pid].employee_no)

    def team_label(self, tid: int) -> str:
        return named(self.team[tid].name, self.team[tid].code)


def assign_roles(facts: Facts, tid: int, core: Iterable[int]) -> list[tuple[int, str]]:
    """Roles for a chosen core: a member keeps the role they hold when it is free; the others
    take the free roles in the configured order, best core score first."""
    roles = facts.inp.roles
    taken: dict[str, int] = {}
    rest = []
    for pid in sorted(core, key=lambda p: (-facts.core_score(p), p)):
        role = facts.person[pid].core_role
        if role in roles and role not in taken:
            taken[role] = pid
        else:
            rest.append(pid)
    free = iter(r for r in roles if r not in taken)
    out = [(pid, role) for role, pid in taken.items()]
    out += [(pid, next(free)) for pid in rest]
    return sorted(out, key=lambda x: roles.index(x[1]))
