"""The sample plant's shape: the plant, its workshops, offices and sections, production lines
worked by two to four teams on different shifts, each team's posts, and each team's hidden
strength and trend."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from teamroots.domain.choices import Shift, UnitKind

PLANT = ("PLANT", "No. 1 Iron and Steel Works")
WORKSHOPS = (
    ("IRON", "Ironmaking", ("furnace", "tapping", "charging", "hot_blast", "crane", "sampling")),
    ("SINTER", "Sintering", ("batching", "ignition", "sinter_machine", "screening", "conveyor")),
    ("STEEL", "Steelmaking", ("converter", "ladle", "casting", "crane", "sampling", "tapping")),
    ("ROLL", "Rolling mill", ("reheating", "rolling", "shearing", "cooling_bed", "crane")),
    ("COKE", "Coking", ("coal_charging", "coke_pushing", "quenching", "gas_recovery")),
    ("POWER", "Power and gas", ("boiler", "turbine", "electrician", "gas_network")),
    ("TRANS", "Transport", ("locomotive", "signalling", "loading", "crane", "driver")),
    ("REPAIR", "Machine repair", ("fitter", "welding", "machining", "electrician", "crane")),
)
OFFICES = (
    ("QC", "Quality office", ("inspection", "sampling", "lab_analysis", "metrology")),
    ("PROD", "Production office", ("dispatch", "statistics", "inspection", "safety_patrol")),
)
COMMON_POSTS = ("maintenance", "inspection")  # every workshop has these too
LINE_SHIFTS = {
    1: (Shift.DAY,),
    2: (Shift.DAY, Shift.NIGHT),
    3: (Shift.DAY, Shift.MIDDLE, Shift.NIGHT),
    4: (Shift.DAY, Shift.MIDDLE, Shift.NIGHT, Shift.ROTATING),
}
CREWS = "ABCD"
TEAMS_PER_SECTION = 6
OFFICE_SHARE = 0.04


@dataclass
class Plant:
    """Units as rows; teams as parallel columns (team i has id i + 1)."""

    units: list[tuple] = field(default_factory=list)  # (id, code, name, kind, parent_id)
    workshops: list[int] = field(default_factory=list)  # workshops and offices
    sections: list[int] = field(default_factory=list)
    unit: list[int] = field(default_factory=list)
    line: list[str | None] = field(default_factory=list)
    shift: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    posts: list[list[tuple[str, float]]] = field(default_factory=list)
    base: list[float] = field(default_factory=list)  # planned output on an ordinary day
    size: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    strength: np.ndarray = field(default_factory=lambda: np.zeros(0))
    trend: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def teams(self) -> int:
        return len(self.unit)

    def add_unit(self, code: str, name: str, kind: UnitKind, parent: int | None) -> int:
        ident = len(self.units) + 1
        self.units.append((ident, code, name, kind.value, parent))
        return ident


def build(spec, rng: np.random.Generator) -> Plant:
    plant = Plant()
    root = plant.add_unit(*PLANT, UnitKind.PLANT, None)
    office_teams = round(spec.teams * OFFICE_SHARE) if spec.teams >= 10 else 0
    n_workshops = max(1, round(spec.teams / 19))
    workshops = [
        _workshop(plant, WORKSHOPS, i, UnitKind.WORKSHOP, root) for i in range(n_workshops)
    ]
    offices = [_workshop(plant, OFFICES, i, UnitKind.OFFICE, root) for i in range(len(OFFICES))]
    lines = _line_sizes(spec.teams - office_teams, rng)
    groups = np.array_split(np.arange(len(lines)), n_workshops)
    for (unit, code, posts), group in zip(workshops, groups, strict=True):
        _fill_workshop(plant, unit, code, posts, [lines[g] for g in group], rng)
    for k in range(office_teams):
        unit, _code, posts = offices[k % len(offices)]
        _add_office_team(plant, unit, posts, k, rng)
    _strength(plant, rng)
    return plant


def _workshop(plant: Plant, catalog, i: int, kind: UnitKind, root: int):
    code, name, posts = catalog[i % len(catalog)]
    cycle = i // len(catalog) + 1
    if cycle > 1:
        code, name = f"{code}{cycle}", f"{name} {cycle}"
    suffix = " workshop" if kind is UnitKind.WORKSHOP else ""
    unit = plant.add_unit(code, name + suffix, kind, root)
    plant.workshops.append(unit)
    if kind is UnitKind.WORKSHOP:
        posts = tuple(dict.fromkeys(posts + COMMON_POSTS))
    return unit, code, posts


def _line_sizes(teams: int, rng: np.random.Generator) -> list[int]:
    sizes: list[int] = []
    while teams > 0:
        k = min(teams, int(rng.choice([2, 3, 4], p=[0.3, 0.5, 0.2])))
        sizes.append(k)
        teams -= k
    return sizes


def _fill_workshop(plant, unit, code, posts, lines: list[int], rng) -> None:
    sections = max(1, round(sum(lines) / TEAMS_PER_SECTION))
    number = 0
    for j, group in enumerate(np.array_split(np.arange(len(lines)), sections), start=1):
        section = plant.add_unit(f"{code}-S{j}", f"{code} section {j}", UnitKind.SECTION, unit)
        plant.sections.append(section)
        for g in group:
            number += 1
            _add_line(plant, section, f"{code} line {number}", posts, lines[g], rng)


def _add_line(plant: Plant, section: int, line: str, posts, teams: int, rng) -> None:
    chosen = _posts(posts, rng)
    base = float(rng.choice([80, 100, 120, 150, 200, 250, 300, 400]))
    for crew, shift in enumerate(LINE_SHIFTS[teams]):
        plant.unit.append(section)
        plant.line.append(line)
        plant.shift.append(shift.value)
        plant.name.append(f"{line}, crew {CREWS[crew]}")
        plant.posts.append(chosen)
        plant.base.append(base)


def _add_office_team(plant: Plant, unit: int, posts, k: int, rng) -> None:
    plant.unit.append(unit)
    plant.line.append(None)
    plant.shift.append(Shift.DAY.value)
    plant.name.append(f"{posts[0].replace('_', ' ').capitalize()} team {k + 1}")
    plant.posts.append(_posts(posts, rng))
    plant.base.append(float(rng.choice([20, 30, 40])))


def _posts(posts, rng) -> list[tuple[str, float]]:
    """Three to six posts and the head-count each needs (in halves: 1.5 is a post shared)."""
    k = int(rng.integers(3, min(6, len(posts)) + 1))
    names = [str(p) for p in rng.permutation(np.array(posts))[:k]]
    counts = np.maximum(1.0, np.round(rng.dirichlet(np.ones(k)) * 11 * 2) / 2)
    return list(zip(names, counts.tolist(), strict=True))


def _strength(plant: Plant, rng: np.random.Generator) -> None:
    """End-of-year strength, and the trend that brought it there (start = strength − trend)."""
    n = plant.teams
    offices = np.array([line is None for line in plant.line])
    plant.size = np.where(offices, rng.integers(5, 10, n), rng.integers(9, 18, n))
    strength = rng.beta(2.2, 2.0, n)
    kind = rng.choice(3, size=n, p=[0.7, 0.15, 0.15])  # flat, improving, declining
    trend = np.select(
        [kind == 1, kind == 2],
        [rng.uniform(0.12, 0.35, n), -rng.uniform(0.12, 0.3, n)],
        rng.normal(0.0, 0.03, n),
    )
    plant.strength = np.round(strength, 4)
    plant.trend = np.round(np.clip(trend, strength - 1.0, strength), 4)


def tables(plant: Plant):
    """(table, columns, column data) for the units, teams and their posts."""
    ids = np.arange(1, plant.teams + 1)
    units = list(zip(*plant.units, strict=True))
    codes = [f"T{i:05d}" for i in ids.tolist()]
    post_team = [i for i, posts in zip(ids.tolist(), plant.posts, strict=True) for _ in posts]
    post_rows = [p for posts in plant.posts for p in posts]
    return [
        ("org_unit", ["id", "code", "name", "kind", "parent_id"], units),
        (
            "team",
            ["id", "code", "name", "unit_id", "line", "shift"],
            [ids, codes, plant.name, plant.unit, plant.line, plant.shift],
        ),
        (
            "team_post",
            ["team_id", "post", "headcount"],
            [post_team, [p for p, _ in post_rows], [c for _, c in post_rows]],
        ),
    ]


def truth(plant: Plant):
    ids = np.arange(1, plant.teams + 1)
    return ("demo_truth", ["team_id", "strength", "trend"], [ids, plant.strength, plant.trend])
