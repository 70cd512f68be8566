"""The sample plant's evidence, driven by each team's strength on the day: daily records
(vectorised, team by team in blocks), one peer survey, and one checklist check per team."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from teamroots.census.demo_plant import Plant, truth
from teamroots.domain.choices import Question

RECORD_COLUMNS = [
    "team_id",
    "day",
    "planned",
    "actual",
    "members_scheduled",
    "members_present",
    "incidents",
    "defects",
]
BLANK_SHARE = 0.006  # of actual, and of present: not reported that day
RESPONSE_RATE = 0.85
SURVEY_DAYS_BEFORE_END = 30
ITEM_BIAS = {"safety": 0.1, "attendance": 0.05, "shift_handover": 0.05, "study": -0.1}


def daily(
    spec, plant: Plant, rng: np.random.Generator, max_rows: int, planted=None
) -> Iterator[list[tuple]]:
    """Rows of team_record, team after team, in blocks of at most ``max_rows`` (at least one
    team a block); ``planted`` (demo_history.Interventions) adds its effect on completion."""
    days = np.datetime64(spec.end, "D") - (spec.days - 1) + np.arange(spec.days)
    weekday = (days.astype(np.int64) + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    calendar = _Calendar(
        days=days.tolist(),
        load=np.select([weekday == 6, weekday == 5], [0.55, 0.9], 1.0),
        crew=np.select([weekday == 6, weekday == 5], [0.6, 0.92], 1.0),
        progress=np.linspace(0.0, 1.0, spec.days) if spec.days > 1 else np.ones(1),
    )
    step = max(1, max_rows // spec.days)
    for lo in range(0, plant.teams, step):
        hi = min(plant.teams, lo + step)
        lift = planted.lift(lo, hi, spec.days) if planted is not None else 0.0
        yield _block(plant, lo, hi, calendar, rng, lift)


@dataclass
class _Calendar:
    days: list  # datetime.date
    load: np.ndarray  # planned output that weekday, as a share of an ordinary day's
    crew: np.ndarray  # members scheduled that weekday, as a share of the team
    progress: np.ndarray  # 0 on the first day … 1 on the last


def _block(plant: Plant, lo: int, hi: int, cal: _Calendar, rng, lift=0.0) -> list[tuple]:
    """Teams lo … hi-1 over every day: planned output with a weekly rhythm; completion,
    attendance, incidents and defects following the team's strength that day."""
    shape = (hi - lo, len(cal.days))
    strength = plant.strength[lo:hi, None] - plant.trend[lo:hi, None] * (1.0 - cal.progress)
    strength = np.clip(strength, 0.0, 1.0)
    planned = np.round(np.asarray(plant.base[lo:hi])[:, None] * cal.load, 1)
    completion = np.maximum(0.8 + 0.25 * strength + rng.normal(0.0, 0.06, shape) + lift, 0.0)
    actual = np.round(planned * completion, 1)
    size = np.broadcast_to(plant.size[lo:hi, None], shape)
    scheduled = np.maximum(1, np.round(size * cal.crew) - rng.binomial(size, 0.04))
    attendance = np.clip(0.85 + 0.13 * strength + rng.normal(0.0, 0.03, shape), 0.0, 1.0)
    present = rng.binomial(scheduled.astype(np.int64), attendance)
    incidents = rng.poisson(0.12 * (1.1 - strength) ** 2)
    defects = rng.poisson(planned / 100 * 1.5 * (1.15 - strength))
    teams = np.repeat(np.arange(lo + 1, hi + 1), shape[1]).tolist()
    return list(
        zip(
            teams,
            cal.days * shape[0],
            planned.ravel().tolist(),
            _with_blanks(actual, rng),
            scheduled.ravel().tolist(),
            _with_blanks(present.astype(np.float64), rng),
            incidents.ravel().tolist(),
            defects.ravel().tolist(),
            strict=True,
        )
    )


def _with_blanks(values: np.ndarray, rng: np.random.Generator) -> list:
    out = values.ravel().tolist()
    for i in np.flatnonzero(rng.random(len(out)) < BLANK_SHARE).tolist():
        out[i] = None
    return out


def tables(spec, plant: Plant, people, rng: np.random.Generator):
    """(table, columns, column data) for nominations, checklist checks and the hidden truth."""
    return [
        (
            "nomination",
            ["survey_date", "nominator_id", "nominee_id", "question"],
            _nominations(spec, plant, people, rng),
        ),
        (
            "checklist_check",
            ["team_id", "item", "checked_on", "in_place"],
            _checklists(spec, plant, rng),
        ),
        truth(plant),
    ]


def _nominations(spec, plant: Plant, people, rng: np.random.Generator):
    """Each responding member names one teammate per question. Trust goes to the leader in
    strong teams and scatters in weak ones; help goes to the better people everywhere."""
    n, team = people.members, people.team
    first = people.first[team]
    size = np.bincount(team, minlength=plant.teams)[team]
    me = np.arange(n)

    def teammate() -> np.ndarray:
        pick = rng.integers(0, size - 1)
        return first + pick + (first + pick >= me)

    def better() -> np.ndarray:
        a, b = teammate(), teammate()
        return np.where(people.quality[a] >= people.quality[b], a, b)

    strength, leader = plant.strength[team], people.leader[team]
    scattered = np.where(rng.random(n) < strength, better(), teammate())
    to_leader = people.in_post[team] & (leader != me) & (rng.random(n) < 0.15 + 0.8 * strength)
    trust = np.where(to_leader, leader, scattered)
    helps = better()
    who = np.flatnonzero(rng.random(n) < RESPONSE_RATE)
    nominators = np.repeat(who + 1, 2)
    nominees = np.column_stack([trust[who], helps[who]]).ravel() + 1
    questions = [Question.TRUST_TO_LEAD.value, Question.HELPS_OTHERS.value] * len(who)
    day = np.datetime64(spec.end, "D") - SURVEY_DAYS_BEFORE_END
    return [[day.tolist()] * len(questions), nominators, nominees, questions]


def _checklists(spec, plant: Plant, rng: np.random.Generator):
    """Every team checked on one day for every item; likelier in place in strong teams."""
    items = list(dict.fromkeys(spec.checklist_items))
    bias = np.array([ITEM_BIAS.get(item, 0.0) for item in items])
    chance = np.clip(0.2 + 0.75 * plant.strength[:, None] + bias, 0.02, 0.98)
    in_place = rng.random((plant.teams, len(items))) < chance
    checked = np.datetime64(spec.end, "D") - rng.integers(5, 40, plant.teams)
    team_ids = np.repeat(np.arange(1, plant.teams + 1), len(items))
    return [
        team_ids,
        items * plant.teams,
        np.repeat(checked, len(items)),
        in_place.ravel(),
    ]
