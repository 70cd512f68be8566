"""The training plan's input from the facts the store reads: who is trained (leaders and
deputies in office on the first batch's day), their workshop, shift and line, the advanced
teams to study; and the batch dates."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from teamroots.domain.choices import Role, Tier, UnitKind
from teamroots.domain.rows import TrainingFacts, UnitRow
from teamroots.errors import InvalidRequest
from teamroots.plan.training.model import Trainee, TrainingInput


def workshop_of(units: list[UnitRow]) -> dict[int, str]:
    """Unit id → code of the workshop it lies in (itself when it is one; its own code when it
    lies in none)."""
    by_id = {u.id: u for u in units}
    out: dict[int, str] = {}
    for u in units:
        here, seen = u, set()
        while here.kind != UnitKind.WORKSHOP and here.parent_id in by_id and here.id not in seen:
            seen.add(here.id)
            here = by_id[here.parent_id]
        out[u.id] = here.code if here.kind == UnitKind.WORKSHOP else u.code
    return out


def default_dates(batches: int, today: date | None = None) -> list[date]:
    """One batch a week, on Mondays, from the next Monday on."""
    today = today or date.today()
    first = today + timedelta(days=7 - today.weekday())
    return [first + timedelta(weeks=i) for i in range(batches)]


def check_dates(dates: list[date], batches: int | None) -> list[date]:
    if batches is not None and len(dates) != batches:
        raise InvalidRequest(
            "--batches {batches} but {n} dates were given; give one date per batch.",
            batches=batches,
            n=len(dates),
        )
    if any(b <= a for a, b in pairwise(dates)):
        raise InvalidRequest("Batch dates must be in increasing order without repeats.")
    return dates


def training_input(
    facts: TrainingFacts, dates: list[date], *, deputies: bool, **options
) -> TrainingInput:
    shop = workshop_of(facts.units)
    teams = {t.id: t for t in facts.teams}
    tiers = {t.team_id: t for t in facts.tiers}
    trainees, seen = [], set()
    for m in facts.roles:
        if m.person_id in seen or (m.role == Role.DEPUTY and not deputies):
            continue
        seen.add(m.person_id)
        team = teams[m.team_id]
        tier = tiers[m.team_id].tier if m.team_id in tiers else None
        trainees.append(
            Trainee(
                m.person_id,
                m.employee_no,
                team.id,
                team.code,
                m.role.value,
                shop[team.unit_id],
                team.shift,
                team.line,
                tier,
                m.name,
                team.name,
            )
        )
    advanced = [
        (teams[t.team_id].code, shop[teams[t.team_id].unit_id], t.score or 0.0)
        for t in facts.tiers
        if t.tier == Tier.ADVANCED
    ]
    return TrainingInput(trainees, dates, advanced=advanced, **options)
