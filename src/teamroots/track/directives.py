"""Directives down: how far a directive has reached — delivered and acknowledged counts and
the median and 90th-percentile time to acknowledge, per team and unit — and when the members
behind get a reminder and a team still behind goes up to its unit head."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from teamroots.i18n import N_


class AckWay(StrEnum):
    WEB = "web"
    MEETING = "meeting"  # the team leader's roll-call at a shift meeting


ACK_WAY_NAMES = {AckWay.WEB: N_("on the web"), AckWay.MEETING: N_("at a shift meeting")}


def percentile(ordered: list[float], q: float) -> float | None:
    """The q-th percentile (0..1) of sorted values, interpolated between the two nearest ranks
    (numpy's default); None for no values."""
    if not ordered:
        return None
    at = q * (len(ordered) - 1)
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


@dataclass(frozen=True)
class Reach:
    """One row of a reach page: a team, a unit, or the whole directive."""

    key: str
    delivered: int
    acked: int
    at_meeting: int
    median_hours: float | None  # time from issue to acknowledgement, among those who did
    p90_hours: float | None

    @property
    def behind(self) -> int:
        return self.delivered - self.acked

    @property
    def share(self) -> float:
        return self.acked / self.delivered if self.delivered else 0.0


def reach(rows: Iterable[tuple[str, float | None, str | None]]) -> dict[str, Reach]:
    """Group (key, hours to acknowledge or None, how) rows into one Reach per key."""
    hours: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    for key, took, how in rows:
        c = counts.setdefault(key, [0, 0, 0])
        c[0] += 1
        if took is not None:
            c[1] += 1
            c[2] += how == AckWay.MEETING
            hours.setdefault(key, []).append(took)
    out = {}
    for key, (delivered, acked, meeting) in counts.items():
        ordered = sorted(hours.get(key, ()))
        out[key] = Reach(
            key, delivered, acked, meeting, percentile(ordered, 0.5), percentile(ordered, 0.9)
        )
    return out


class Stage(StrEnum):
    FRESH = "fresh"  # nothing to do yet
    REMIND = "remind"  # members behind get a reminder
    ESCALATE = "escalate"  # teams still behind go to their unit head


def stage(issued: datetime, now: datetime, remind_days: int, grace_days: int) -> Stage:
    """Where a version stands: reminders after ``remind_days``, escalation of the teams still
    behind after a further ``grace_days``."""
    if now < issued + timedelta(days=remind_days):
        return Stage.FRESH
    if now < issued + timedelta(days=remind_days + grace_days):
        return Stage.REMIND
    return Stage.ESCALATE
