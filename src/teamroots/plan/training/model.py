"""The training plan's input: who is trained, and the rules every batch keeps.

Trainees are the team leaders (and, by default, their deputies) of the plant. Batches are
numbered 0 … K-1 in date order. The rules (their spec is ``training.checks``):

- every trainee is in exactly one batch; a batch holds at most ``class_size`` trainees;
- per workshop and shift, at most ``away_limit`` trainees away in the same batch:
  ``max(1, floor(max_away × n))`` of the group's n trainees (at least one, or nobody could go);
- leaders of linked teams (same workshop, same production line) are not away together;
- a team's leader and deputy are never away together.

Objective (minimised): the lateness of backward teams, the sum over trainees of tier-3 teams of
their batch number, so that tier-3 leaders go first. All rules except the class size stay inside
one workshop, which is what lets ``training`` solve workshops apart.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from teamroots.domain.choices import Role, Tier


@dataclass(frozen=True)
class Trainee:
    id: int  # person id
    employee_no: str
    team_id: int
    team_code: str
    role: Role  # leader or deputy
    workshop: str  # the unit whose share is counted (a workshop, or the team's own unit)
    shift: str | None
    line: str | None
    tier: Tier | None  # None: not assessed (1, "1" … are read as tiers)
    name: str = ""
    team_name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))
        object.__setattr__(self, "tier", Tier.of(self.tier))


@dataclass
class TrainingInput:
    trainees: Sequence[Trainee]
    dates: Sequence[date]
    class_size: int | None = None  # None: ceil(1.2 × trainees / batches)
    max_away: float = 0.35
    advanced: Sequence[tuple[str, str, float]] = ()  # tier-1 teams: (code, workshop, score)

    @property
    def batches(self) -> int:
        return len(self.dates)

    @cached_property
    def capacity(self) -> int:
        if self.class_size is not None:
            return self.class_size
        return math.ceil(1.2 * len(self.trainees) / max(self.batches, 1))

    @cached_property
    def by_id(self) -> dict[int, Trainee]:
        return {t.id: t for t in self.trainees}

    @cached_property
    def groups(self) -> dict[tuple[str, str], list[int]]:
        """(workshop, shift) → trainee ids; a team without a shift counts as its own shift."""
        out: dict[tuple[str, str], list[int]] = defaultdict(list)
        for t in self.trainees:
            out[(t.workshop, t.shift or "-")].append(t.id)
        return dict(out)

    def away_limit(self, group: tuple[str, str]) -> int:
        return max(1, math.floor(self.max_away * len(self.groups[group]) + 1e-9))

    @cached_property
    def conflicts(self) -> list[tuple[int, int, str]]:
        """Pairs never away together: (a, b, "linked") for leaders of teams on one line,
        (a, b, "deputy") for a team's leader and deputy."""
        out = []
        leaders_on_line: dict[tuple[str, str], list[Trainee]] = defaultdict(list)
        per_team: dict[int, dict[str, int]] = defaultdict(dict)
        for t in self.trainees:
            per_team[t.team_id].setdefault(t.role, t.id)
            if t.role == Role.LEADER and t.line:
                leaders_on_line[(t.workshop, t.line)].append(t)
        for same_line in leaders_on_line.values():
            for i, a in enumerate(same_line):
                out += [
                    (a.id, b.id, "linked") for b in same_line[i + 1 :] if a.team_id != b.team_id
                ]
        for roles in per_team.values():
            leader, deputy = roles.get(Role.LEADER), roles.get(Role.DEPUTY)
            if leader is not None and deputy is not None and leader != deputy:
                out.append((leader, deputy, "deputy"))
        return out

    @cached_property
    def workshops(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for t in self.trainees:
            out[t.workshop].append(t.id)
        return dict(out)

    def late_weight(self, tid: int) -> int:
        """What one batch of delay costs for this trainee: 1 for tier-3 teams, else 0."""
        return 1 if self.by_id[tid].tier == Tier.BACKWARD else 0
