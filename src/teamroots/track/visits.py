"""A cadre's visits to a linked team: due every N weeks from the link's start; a visit counts
for the first open due day whose window holds it — from ``window_days`` before the due day
(on time) to ``grace_days`` after it (late). A due day with no visit once its grace has passed
is missed. Actions found on a visit are overdue after their due day, and escalate one level up
the line for each further grace period they stay open (team leader → unit head → plant)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from teamroots.i18n import N_


class VisitStatus(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSED = "missed"
    OPEN = "open"  # its window is open (or not yet begun) and no visit yet


@dataclass(frozen=True)
class Schedule:
    every_weeks: int = 4
    window_days: int = 7  # how early a visit still counts for a due day
    grace_days: int = 7  # how late it still counts (as late); then the due day is missed

    def __post_init__(self) -> None:
        if self.every_weeks < 1 or self.window_days < 0 or self.grace_days < 0:
            raise ValueError("every_weeks >= 1, window_days >= 0 and grace_days >= 0")
        if self.window_days + self.grace_days >= 7 * self.every_weeks:
            raise ValueError("the window and the grace must be shorter than the period")


@dataclass(frozen=True)
class Slot:
    due: date
    status: VisitStatus
    visited: date | None


def due_days(start: date, schedule: Schedule, until: date) -> list[date]:
    """Every due day from the link's start (the first one period after it) whose window has
    begun by ``until``."""
    step = timedelta(weeks=schedule.every_weeks)
    days, due = [], start + step
    while due - timedelta(days=schedule.window_days) <= until:
        days.append(due)
        due += step
    return days


def visit_slots(
    start: date, visits: list[date], schedule: Schedule, today: date
) -> tuple[list[Slot], list[date]]:
    """Each due day up to ``today`` with its status and the visit that counted for it, and the
    visits that counted for none (extra visits: welcome, but not on the schedule)."""
    left = sorted(v for v in visits if v <= today)
    slots: list[Slot] = []
    for due in due_days(start, schedule, today):
        early = due - timedelta(days=schedule.window_days)
        late = due + timedelta(days=schedule.grace_days)
        found = next((v for v in left if early <= v <= late), None)
        if found is not None:
            left.remove(found)
            status = VisitStatus.ON_TIME if found <= due else VisitStatus.LATE
        else:
            status = VisitStatus.MISSED if today > late else VisitStatus.OPEN
        slots.append(Slot(due, status, found))
    return slots, left


LEVELS = ("team_leader", "unit_head", "plant")  # who an open action is with, in turn


def action_level(due: date, done: date | None, today: date, grace_days: int) -> int:
    """How far up the line an action has gone: 0 (with its owner) until its due day plus one
    grace period has passed, then one level more for each further grace period, at most the
    plant. A done action stays where it was when it was done."""
    end = min(today, done) if done else today
    overdue = (end - due).days
    if overdue <= grace_days:
        return 0
    return min(len(LEVELS) - 1, 1 + (overdue - grace_days - 1) // max(grace_days, 1))


def is_overdue(due: date, done: date | None, today: date) -> bool:
    return done is None and today > due


def unowned_too_long(owner: str | None, created: date, today: date, days: int = 7) -> bool:
    """An action nobody owns, this many days after it was written down."""
    return owner is None and (today - created).days >= days


# What a visit looks at: the diagnosis checklist (DESIGN.md, "dissect a sparrow").
FINDING_AREAS = ("core", "labour", "attendance", "tasks", "leader_load", "systems")

AREA_NAMES = {
    "core": N_("The leadership core"),
    "labour": N_("Labour organisation"),
    "attendance": N_("Attendance"),
    "tasks": N_("Tasks"),
    "leader_load": N_("Load on the leader"),
    "systems": N_("Management systems"),
}
LEVEL_NAMES = {
    "team_leader": N_("the owner"),
    "unit_head": N_("the unit head"),
    "plant": N_("the plant"),
}
