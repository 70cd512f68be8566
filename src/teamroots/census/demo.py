"""The sample plant: a seeded, realistic plant to try teamroots on (``teamroots demo``).

``generate(spec)`` yields batches of rows, parents first, with explicit integer ids, so that
``store.bulk`` can write them without a round trip. Every team has a hidden strength (weak 0 …
strong 1 at the end of the year) and a trend; strength drives its leadership core, daily
records, peer nominations and checklist, and is written to ``demo_truth`` for tests and
benchmarks only. The same seed always gives the same plant.

The work is split in three modules: ``demo_plant`` (units, teams, posts, strength),
``demo_people`` (people, skills, designations, memberships, cadres) and ``demo_records``
(daily records, nominations, checklists).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from teamroots.census import demo_history, demo_people, demo_plant, demo_records
from teamroots.config import DEFAULT_CHECKLIST, DEFAULT_DESIGNATIONS

MAX_ROWS = 200_000  # rows per batch, at most

# Units of progress per team for each table: about the rows a team brings, so that progress
# moves evenly. Daily records count one unit per row (teams × days).
WORK_PER_TEAM = {
    "org_unit": 1,
    "team": 1,
    "team_post": 5,
    "person": 14,
    "person_skill": 26,
    "person_designation": 6,
    "membership": 17,
    "cadre": 1,
    "nomination": 22,
    "checklist_check": 8,
    "demo_truth": 1,
    "demo_person": 1,
}


@dataclass(frozen=True)
class DemoSpec:
    seed: int = 7
    teams: int = 150
    days: int = 365
    end: date = date(2026, 10, 31)
    designations: tuple[str, ...] = field(default=tuple(DEFAULT_DESIGNATIONS))
    checklist_items: tuple[str, ...] = field(default=tuple(DEFAULT_CHECKLIST))
    history: bool = False  # a year of follow-through with planted effects (demo_history)


@dataclass
class Batch:
    table: str  # the table's name
    columns: list[str]
    rows: list[tuple]
    work: int


def total_work(spec: DemoSpec) -> int:
    """The sum of ``work`` over every batch ``generate(spec)`` yields."""
    return spec.teams * (sum(WORK_PER_TEAM.values()) + spec.days)


def generate(spec: DemoSpec) -> Iterator[Batch]:
    """The sample plant's rows, table by table in the order they can be filled."""
    if spec.teams < 1 or spec.days < 1:
        raise ValueError("a sample plant needs at least one team and one day")
    structure, people_rng, records_rng, survey_rng = np.random.default_rng(spec.seed).spawn(4)
    plant = demo_plant.build(spec, structure)
    people = demo_people.build(spec, plant, people_rng)
    people_tables = demo_people.tables(spec, plant, people, people_rng)
    for table, columns, data in itertools.chain(demo_plant.tables(plant), people_tables):
        yield from batches(table, columns, data, WORK_PER_TEAM[table] * spec.teams)
        del data  # before the next table is built
    history_rng = np.random.default_rng([spec.seed, 12])  # its own: the plant stays the same
    planted = demo_history.interventions(spec, plant.teams, history_rng) if spec.history else None
    for rows in demo_records.daily(spec, plant, records_rng, MAX_ROWS, planted):
        yield Batch("team_record", list(demo_records.RECORD_COLUMNS), rows, len(rows))
    for table, columns, data in demo_records.tables(spec, plant, people, survey_rng):
        yield from batches(table, columns, data, WORK_PER_TEAM[table] * spec.teams)
    if planted is not None:
        for table, columns, rows in demo_history.tables(spec, plant, people, planted, history_rng):
            for lo in range(0, len(rows), MAX_ROWS):
                yield Batch(table, list(columns), rows[lo : lo + MAX_ROWS], 0)


def batches(table: str, columns: list[str], data: Sequence, work: int) -> Iterator[Batch]:
    """Rows from columns (numpy arrays or lists), in batches of at most MAX_ROWS rows that
    share ``work`` between them."""
    size = len(data[0])
    parts = max(1, -(-size // MAX_ROWS))
    for k in range(parts):
        lo, hi = k * size // parts, (k + 1) * size // parts
        values = [_as_list(column[lo:hi]) for column in data]
        share = work * (k + 1) // parts - work * k // parts
        yield Batch(table, list(columns), list(zip(*values, strict=True)), share)


def _as_list(values) -> list:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)
