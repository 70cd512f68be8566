"""Small census files with sensible defaults, written the way plants write them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from teamroots import services

UNITS = [
    ("code", "name", "kind", "parent"),
    ("P", "No. 1 Ironworks", "plant", ""),
    ("BF1", "Blast Furnace 1", "workshop", "P"),
    ("BF1-S1", "Furnace section", "section", "BF1"),
    ("QC", "Quality Office", "office", "P"),
]
TEAMS = [
    ("code", "name", "unit", "line", "shift", "posts"),
    ("T1", "Team one", "BF1-S1", "L1", "day", "furnace_operator: 3; tapper: 2"),
    ("T2", "Team two", "BF1-S1", "L1", "night", "furnace_operator: 3"),
    ("T3", "Inspection", "QC", "", "day", "inspector: 1.5"),
]
PEOPLE = [
    ("employee_no", "name", "hire_date", "skills", "designations"),
    ("E1", "Wang Fang", "2001-03-05", "tapper: 3; furnace_operator: 2", "party_member"),
    ("E2", "Li Qiang", "2010-07-01", "furnace_operator: 4", "activist; league_member"),
    ("E3", "Zhao Xiang", "2015-01-01", "", ""),
    ("E4", "Chen Jing", "2018-09-15", "inspector: 3", "party_member"),
]
MEMBERSHIPS = [
    ("person", "team", "role", "start_date", "end_date"),
    ("E1", "T1", "leader", "2020-01-01", ""),
    ("E2", "T1", "member", "2020-01-01", ""),
    ("E3", "T2", "member", "2019-01-01", "2021-12-31"),
    ("E3", "T1", "member", "2022-01-01", ""),
    ("E4", "T3", "leader", "2020-01-01", ""),
]


def write_csv(path: Path, rows: Iterable[Sequence], *, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def record_rows(n: int, teams: Sequence[str] = ("T1", "T2", "T3"), start_ordinal: int = 738000):
    """``n`` daily records, cycling over teams and days; deterministic."""
    from datetime import date

    yield ("team", "date", "planned", "actual", "members_scheduled", "members_present",
           "incidents", "defects")
    for i in range(n):
        team = teams[i % len(teams)]
        day = date.fromordinal(start_ordinal + i // len(teams))
        yield (team, day.isoformat(), 100 + i % 7, 95 + i % 11, 12, 11 + i % 2, i % 3, i % 2)


def small_plant(db, folder: Path) -> None:
    """Units, teams, people and memberships, imported through the real importer."""
    for kind, rows in (("units", UNITS), ("teams", TEAMS), ("people", PEOPLE),
                       ("memberships", MEMBERSHIPS)):
        services.census.import_file(db, kind, write_csv(folder / f"{kind}.csv", rows))


# Rows of the other kinds that fit the small plant above.
OTHER_KINDS = {
    "cadres": [("person", "level", "unit"), ("E4", "workshop", "BF1")],
    "records": list(record_rows(30)),
    "nominations": [
        ("survey_date", "nominator", "nominee", "question"),
        ("2024-05-01", "E2", "E1", "trust_to_lead"),
        ("2024-05-01", "E3", "E1", "trust_to_lead"),
        ("2024-05-01", "E3", "E2", "helps_others"),
    ],
    "checklists": [
        ("team", "item", "in_place", "checked_on"),
        ("T1", "safety", "yes", "2024-05-01"),
        ("T1", "shift_handover", "no", "2024-05-01"),
        ("T2", "safety", "是", "2024-05-01"),
    ],
}
