"""Use case of the training plan: who is trained (leaders and deputies in office on the first
batch's day, so an approved leadership plan is already in), the batch dates, solve, store."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from teamroots.config import Settings
from teamroots.errors import ConfigError, NotFound
from teamroots.i18n import gettext
from teamroots.store import plan_repo


def workshop_of(units: list[tuple]) -> dict[int, str]:
    """Unit id → code of the workshop it lies in (itself when it is one; its own code when it
    lies in none)."""
    by_id = {u[0]: u for u in units}
    out: dict[int, str] = {}
    for uid, code, _, _ in units:
        here = by_id[uid]
        seen = set()
        while here[2] != "workshop" and here[3] in by_id and here[0] not in seen:
            seen.add(here[0])
            here = by_id[here[3]]
        out[uid] = here[1] if here[2] == "workshop" else code
    return out


def default_dates(batches: int, today: date | None = None) -> list[date]:
    """One batch a week, on Mondays, from the next Monday on."""
    today = today or date.today()
    first = today + timedelta(days=7 - today.weekday())
    return [first + timedelta(weeks=i) for i in range(batches)]


def check_dates(dates: list[date], batches: int | None) -> list[date]:
    if batches is not None and len(dates) != batches:
        raise ConfigError(
            "--batches {batches} but {n} dates were given; give one date per batch.",
            batches=batches,
            n=len(dates),
        )
    if any(b <= a for a, b in pairwise(dates)):
        raise ConfigError("Batch dates must be in increasing order without repeats.")
    return dates


def training_input(facts: dict[str, Any], dates: list[date], *, deputies: bool, **options):
    from teamroots.plan.training.model import Trainee, TrainingInput

    shop = workshop_of(facts["units"])
    teams = {t[0]: t for t in facts["teams"]}
    review = {team: (tier, score) for team, tier, score in facts["review"]}
    trainees, seen = [], set()
    for person, number, team, role in facts["roles"]:
        if person in seen or (role == "deputy" and not deputies):
            continue
        seen.add(person)
        _, code, unit, line, shift = teams[team]
        tier = review.get(team, (None, None))[0]
        tier = None if tier is None else str(tier)
        trainees.append(Trainee(person, number, team, code, role, shop[unit], shift, line, tier))
    advanced = [
        (teams[t][1], shop[teams[t][2]], score or 0.0)
        for t, (tier, score) in review.items()
        if str(tier) == "1"
    ]
    return TrainingInput(trainees, dates, advanced=advanced, **options)


def plan_training(
    settings: Settings,
    *,
    batches: int | None = None,
    dates: list[date] | None = None,
    deputies: bool = True,
    time_limit: float = 30.0,
    save: bool = True,
    **options,
) -> dict[str, Any]:
    """Put every leader (and deputy) in one of the batches; stored as a plan to approve."""
    from teamroots.plan.training.solve import plan_training as solve
    from teamroots.services import open_db

    dates = check_dates(dates, batches) if dates else default_dates(batches or 5)
    with open_db(settings) as engine:
        with engine.connect() as conn:
            facts = plan_repo.training_facts(conn, dates[0])
            leaders = plan_repo.latest_plan(conn, "leaders")
        if not facts["roles"]:
            raise NotFound(
                "No team has a leader in office on {day}; import memberships, run 'teamroots "
                "demo', or approve a leadership plan.",
                day=dates[0].isoformat(),
            )
        plan = solve(training_input(facts, dates, deputies=deputies, **options), time_limit)
        document = plan.to_json()
        document["rules"]["deputies"] = deputies
        document["warnings"] = _warnings(leaders)
        if save:
            with engine.begin() as conn:
                plan_repo.save_plan(conn, "training", document)
        return document


def _warnings(leaders: tuple[int, str] | None) -> list[str]:
    if leaders and leaders[1] == "proposed":
        return [
            gettext(
                "Leadership plan {plan} is proposed but not approved: the training plan is for "
                "the leaders in office now.",
                plan=leaders[0],
            )
        ]
    return []
