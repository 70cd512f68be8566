"""History: how teams moved between tiers from one review to another (a matrix and the bands
of a flow diagram), and one team's timeline of what happened to it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from teamroots.i18n import N_

# Rows and columns of the matrix: the three tiers, "not assessed", and teams present in only
# one of the two reviews.
STATES = ("1", "2", "3", "none", "absent")
STATE_NAMES = {
    "1": N_("Tier 1 (advanced)"),
    "2": N_("Tier 2 (intermediate)"),
    "3": N_("Tier 3 (backward)"),
    "none": N_("Not assessed"),
    "absent": N_("Not in the review"),
}


def state(tier: object) -> str:
    return str(tier) if str(tier) in ("1", "2", "3") else "none"


@dataclass(frozen=True)
class Transitions:
    counts: dict[tuple[str, str], int]  # (state before, state after) → teams
    up: int  # teams that moved to a better tier
    down: int
    same: int

    def cell(self, before: str, after: str) -> int:
        return self.counts.get((before, after), 0)

    def total(self, before: str | None = None, after: str | None = None) -> int:
        return sum(
            n
            for (b, a), n in self.counts.items()
            if (before is None or b == before) and (after is None or a == after)
        )


def transitions(before: dict[str, object], after: dict[str, object]) -> Transitions:
    """Count each team's (tier before, tier after); a team in one review only is "absent"
    in the other."""
    counts: Counter[tuple[str, str]] = Counter()
    for team in before.keys() | after.keys():
        b = state(before[team]) if team in before else "absent"
        a = state(after[team]) if team in after else "absent"
        counts[(b, a)] += 1
    up = sum(n for (b, a), n in counts.items() if b in "123" and a in "123" and a < b)
    down = sum(n for (b, a), n in counts.items() if b in "123" and a in "123" and a > b)
    same = sum(n for (b, a), n in counts.items() if b in "123" and a == b)
    return Transitions(dict(counts), up, down, same)


class EventKind(StrEnum):
    REVIEW = "review"
    LEADER = "leader"
    TRAINING = "training"
    LINK = "link"
    VISIT = "visit"
    DIRECTIVE = "directive"
    WISH = "wish"
    EXPERIENCE = "experience"


@dataclass(frozen=True, order=True)
class Event:
    day: date
    kind: EventKind
    params: dict = field(compare=False, default_factory=dict)


def timeline(events: list[Event]) -> list[Event]:
    """The events, newest first (on a day, in the order of EventKind)."""
    order = list(EventKind)
    return sorted(events, key=lambda e: (-e.day.toordinal(), order.index(e.kind)))
