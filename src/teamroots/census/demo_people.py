"""The sample plant's people: about thirteen per team with names, hire dates, skills and
designations (more often among strong people), and cadres who belong to no team.

Members are persons 0 … members-1, grouped by team (ids = index + 1); cadres follow them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from teamroots.census import demo_roles
from teamroots.census.demo_plant import COMMON_POSTS, OFFICES, WORKSHOPS, Plant
from teamroots.domain.choices import CadreLevel

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓"
    "曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉"
    "兰文辉斌宁海波鹏飞春林成德福庆祥荣宝金山东新亮峰云龙"
)
YEAR = 365
LEADERLESS_SHARE = 0.15  # of weak teams (strength < 0.3), whose leader has gone


@dataclass
class People:
    team: np.ndarray  # team index of each member
    first: np.ndarray  # each team's first member
    quality: np.ndarray  # 0 … 1, per member
    hire: np.ndarray  # datetime64[D], members then cadres
    cadres: int
    order: np.ndarray  # members sorted by team, best first
    leader: np.ndarray  # each team's leader (a member index)
    in_post: np.ndarray  # whether that leader is still in post at the end

    @property
    def members(self) -> int:
        return len(self.team)


def build(spec, plant: Plant, rng: np.random.Generator) -> People:
    teams, size = plant.teams, plant.size
    members = int(size.sum())
    team = np.repeat(np.arange(teams), size)
    first = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
    noise = 0.45 * rng.random(members) + rng.normal(0.0, 0.08, members)
    quality = np.clip(0.55 * plant.strength[team] + noise, 0.0, 1.0)
    cadres = max(1, round(teams / 3))
    tenure = rng.gamma(2.0, 4.5, members + cadres) * YEAR
    tenure[members:] += 5 * YEAR
    days = np.minimum(tenure, 38 * YEAR).astype(np.int64)
    hire = np.datetime64(spec.end, "D") - 60 - days
    order = np.lexsort((-quality, team))
    random_member = first + (rng.random(teams) * size).astype(np.int64)
    leader = np.where(plant.strength >= 0.55, order[first], random_member)
    in_post = ~((plant.strength < 0.3) & (rng.random(teams) < LEADERLESS_SHARE))
    return People(team, first, quality, hire, cadres, order, leader, in_post)


def tables(spec, plant: Plant, people: People, rng: np.random.Generator):
    """(table, columns, column data) for people, skills, designations, memberships, cadres,
    each built when asked for."""
    ids = np.arange(1, people.members + people.cadres + 1)
    yield "person", ["id", "employee_no", "name", "hire_date"], _persons(ids, people.hire, rng)
    yield "person_skill", ["person_id", "skill", "level"], _skills(spec, plant, people, rng)
    yield "person_designation", ["person_id", "tag"], _designations(spec, people, rng)
    yield demo_roles.memberships(spec, plant, people, rng)
    yield "cadre", ["id", "person_id", "level", "unit_id"], _cadres(plant, people, rng)
    members = np.arange(1, people.members + 1)
    yield "demo_person", ["person_id", "quality"], [members, np.round(people.quality, 4)]


def _persons(ids: np.ndarray, hire: np.ndarray, rng: np.random.Generator):
    """Employee numbers E000001 …, Chinese names of two or three characters, hire dates."""
    n = len(ids)
    surnames, given = np.array(list(SURNAMES)), np.array(list(GIVEN))
    second = np.where(rng.random(n) < 0.7, given[rng.integers(0, len(given), n)], "")
    first = np.char.add(
        surnames[rng.integers(0, len(surnames), n)], given[rng.integers(0, len(given), n)]
    )
    numbers = np.char.add("E", np.char.zfill(ids.astype(str), 6))
    return [ids, numbers, np.char.add(first, second), hire]


def skill_vocabulary() -> list[str]:
    posts = {p for _, _, ps in WORKSHOPS + OFFICES for p in ps}
    return sorted(posts | set(COMMON_POSTS))


def _skills(spec, plant: Plant, people: People, rng: np.random.Generator):
    """One to three skills a person; the first is mostly one of the team's posts."""
    vocab = skill_vocabulary()
    index = {name: i for i, name in enumerate(vocab)}
    v, n, team = len(vocab), people.members, people.team
    flat = np.array([index[p] for posts in plant.posts for p, _ in posts])
    count = np.array([len(posts) for posts in plant.posts])
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    own = flat[start[team] + (rng.random(n) * count[team]).astype(np.int64)]
    first = np.where(rng.random(n) < 0.8, own, rng.integers(0, v, n))
    second = rng.integers(1, v, n)
    third = 1 + (second - 1 + rng.integers(1, v - 1, n)) % (v - 1)
    picks = [first, (first + second) % v, (first + third) % v]
    kinds = rng.choice([1, 2, 3], p=[0.3, 0.45, 0.25], size=n)
    years = (np.datetime64(spec.end, "D") - people.hire[:n]).astype(np.int64) / YEAR
    base = 1 + 4 * (0.5 * people.quality + 0.5 * np.minimum(years / 15, 1.0))
    level = np.clip(np.round(base + rng.normal(0.0, 0.6, n)), 1, 5)
    person, skill, levels = [], [], []
    for j, pick in enumerate(picks):
        held = np.flatnonzero(kinds > j)
        person.append(held + 1)
        skill.append(pick[held])
        drop = rng.integers(0, 2, len(held)) if j else np.zeros(len(held), dtype=np.int64)
        levels.append(np.clip(level[held] - drop, 1, 5))
    person_ids, skills, levels_all = (np.concatenate(x) for x in (person, skill, levels))
    by_person = np.argsort(person_ids, kind="stable")
    names = np.array(vocab, dtype=object)[skills[by_person]]
    return [person_ids[by_person], names, levels_all[by_person]]


def _tag_chance(tag: str, quality: np.ndarray, young: np.ndarray) -> np.ndarray:
    if tag == "party_member":
        return 0.05 + 0.45 * quality
    if tag == "league_member":
        return np.where(young, 0.1 + 0.35 * quality, 0.01)
    if tag == "activist":
        return 0.03 + 0.4 * quality
    if tag == "model_worker":
        return 0.005 + 0.07 * quality
    return 0.03 + 0.2 * quality


def _designations(spec, people: People, rng: np.random.Generator):
    """Designation tags, likelier among strong people (cadres count as strong)."""
    total = people.members + people.cadres
    quality = np.concatenate([people.quality, 0.7 + 0.3 * rng.random(people.cadres)])
    young = (np.datetime64(spec.end, "D") - people.hire).astype(np.int64) < 8 * YEAR
    person, tags = [], []
    for tag in dict.fromkeys(spec.designations):
        held = np.flatnonzero(rng.random(total) < _tag_chance(tag, quality, young))
        person.append(held + 1)
        tags.extend([tag] * len(held))
    person_ids = np.concatenate(person) if person else np.zeros(0, dtype=np.int64)
    by_person = np.argsort(person_ids, kind="stable")
    return [person_ids[by_person], np.array(tags, dtype=object)[by_person]]


def _cadres(plant: Plant, people: People, rng: np.random.Generator):
    """Cadres: a few at plant level, some per workshop or office, the rest per section."""
    n = people.cadres
    at_plant = max(1, round(n * 0.08))
    at_workshop = min(n - at_plant, round(n * 0.3))
    at_section = n - at_plant - at_workshop
    levels = (
        [CadreLevel.PLANT.value] * at_plant
        + [CadreLevel.WORKSHOP.value] * at_workshop
        + [CadreLevel.SECTION.value] * at_section
    )
    root = plant.units[0][0]
    workshops = np.array(plant.workshops)[np.arange(at_workshop) % len(plant.workshops)]
    sections = rng.choice(np.array(plant.sections), size=at_section)
    units = np.concatenate([np.full(at_plant, root), workshops, sections]).astype(np.int64)
    persons = np.arange(people.members + 1, people.members + n + 1)
    return [np.arange(1, n + 1), persons, levels, units]
