"""The cadre links plan's input and scores.

Every cadre takes one advanced (tier-1) and one backward (tier-3) team to help, within their
scope: the teams of their own unit and the units below it. Every tier-3 team gets a cadre when
the cadres suffice, else the worst-scoring first; no team has more than ``max_cadres``.

A cadre's match with a team (0–1), documented in docs/plans.md:

    match = 0.5 × closeness + 0.5 × expertise
    closeness = 1 / (1 + levels between the cadre's unit and the team's unit)
    expertise = the cadre's skill levels against the team's posts (as for leaders)

Candidates: every team of the right tier in scope; when a cadre's scope holds more than
``top_n`` of them (plant-level cadres of a large plant), the ``top_n`` best matches and the
``top_n`` worst-scoring backward teams.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from teamroots.domain.choices import Tier
from teamroots.plan.skills import post_match

TOP_N = 40


@dataclass(frozen=True)
class Cadre:
    id: int  # person id
    employee_no: str
    unit_id: int
    skills: Mapping[str, float] = field(default_factory=dict)
    name: str = ""


@dataclass(frozen=True)
class LinkTeam:
    id: int
    code: str
    unit_id: int
    tier: Tier | None  # None: not assessed (1, "1" … are read as tiers)
    score: float | None
    posts: Mapping[str, float] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tier", Tier.of(self.tier))


@dataclass
class LinksInput:
    cadres: Sequence[Cadre]
    teams: Sequence[LinkTeam]
    parents: Mapping[int, int | None]  # unit id → parent unit id
    unit_codes: Mapping[int, str] = field(default_factory=dict)
    max_cadres: int = 2
    top_n: int = TOP_N

    @cached_property
    def team(self) -> dict[int, LinkTeam]:
        return {t.id: t for t in self.teams}

    @cached_property
    def cadre(self) -> dict[int, Cadre]:
        return {c.id: c for c in self.cadres}

    def depth(self, cadre: Cadre, team: LinkTeam) -> int | None:
        """Levels from the cadre's unit down to the team's unit; None when out of scope."""
        unit, levels, seen = team.unit_id, 0, set()
        while unit is not None and unit not in seen:
            if unit == cadre.unit_id:
                return levels
            seen.add(unit)
            unit, levels = self.parents.get(unit), levels + 1
        return None

    def match(self, cadre: Cadre, team: LinkTeam) -> float:
        depth = self.depth(cadre, team)
        if depth is None:
            return 0.0
        return 0.5 / (1 + depth) + 0.5 * post_match(cadre.skills, team.posts)

    @cached_property
    def backward_rank(self) -> dict[int, int]:
        """Tier-3 team id → 0 for the worst score, 1 for the next, … (ties by code)."""
        low = sorted(
            (t for t in self.teams if t.tier == Tier.BACKWARD),
            key=lambda t: (t.score if t.score is not None else 0.0, t.code),
        )
        return {t.id: i for i, t in enumerate(low)}

    def priority(self, team_id: int) -> int:
        """Weight of covering a tier-3 team: the worst scores highest, every one positive."""
        return len(self.backward_rank) - self.backward_rank[team_id]

    @cached_property
    def in_scope(self) -> dict[int, dict[str, list[int]]]:
        """Cadre id → {"1": tier-1 team ids, "3": tier-3 team ids} in scope (all of them)."""
        below: dict[int, list[LinkTeam]] = defaultdict(list)
        for t in self.teams:
            if t.tier not in (Tier.ADVANCED, Tier.BACKWARD):
                continue
            unit, seen = t.unit_id, set()
            while unit is not None and unit not in seen:
                below[unit].append(t)
                seen.add(unit)
                unit = self.parents.get(unit)
        out = {}
        for c in self.cadres:
            split: dict[str, list[int]] = {Tier.ADVANCED: [], Tier.BACKWARD: []}
            for t in below.get(c.unit_id, []):
                split[t.tier].append(t.id)
            out[c.id] = split
        return out

    @cached_property
    def candidates(self) -> dict[int, dict[str, list[int]]]:
        """``in_scope`` pruned to ``top_n`` best matches (and, for tier 3, worst teams)."""
        out = {}
        for c in self.cadres:
            pick = {}
            for tier, ids in self.in_scope[c.id].items():
                if len(ids) <= self.top_n:
                    pick[tier] = ids
                    continue
                best = sorted(ids, key=lambda t: -self.match(c, self.team[t]))[: self.top_n]
                worst = (
                    sorted(ids, key=self.backward_rank.get)[: self.top_n]
                    if tier == Tier.BACKWARD
                    else []
                )
                pick[tier] = sorted(set(best) | set(worst))
            out[c.id] = pick
        return out


@dataclass
class Links:
    """A plan's choices: cadre id → advanced team id / backward team id (absent: none)."""

    advanced: dict[int, int] = field(default_factory=dict)
    backward: dict[int, int] = field(default_factory=dict)
