"""The sample plant's memberships: everyone a member of one team, a leader in every team (a few
weak teams have lost theirs), core roles spread over members in strong teams and piled on the
leader, or left vacant, in weak ones; and some history (earlier teams, earlier leaders)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from teamroots.domain.choices import CORE_ROLES, Role

STRONG, WEAK = 0.62, 0.38  # strength above which a core forms, below which it does not
MOVED_SHARE = 0.06  # members who came from another team
EARLIER_LEADER_SHARE = 0.2  # teams whose leader took over from another member


@dataclass
class _Rows:
    """Membership columns, as numpy arrays (an end of NaT is an open membership)."""

    parts: list[tuple] = field(default_factory=list)

    def add(self, person, team, role: str, start, end=None) -> None:
        """Rows for member indexes ``person`` in team indexes ``team`` (ids are index + 1)."""
        person = np.asarray(person, dtype=np.int64)
        n = len(person)
        ends = np.full(n, np.datetime64("NaT"), "datetime64[D]") if end is None else end
        self.parts.append(
            (
                person + 1,
                np.asarray(team) + 1,
                np.full(n, role, object),
                np.asarray(start, "datetime64[D]"),
                np.asarray(ends, "datetime64[D]"),
            )
        )

    def columns(self) -> list[np.ndarray]:
        return [np.concatenate(c) for c in zip(*self.parts, strict=True)]


def memberships(spec, plant, people, rng: np.random.Generator):
    """("membership", columns, column data), ids in order: earlier teams, current teams,
    earlier leaders, leaders, core roles."""
    end = np.datetime64(spec.end, "D")
    rows = _Rows()
    start = _member_rows(rows, plant, people, end, rng)
    leader_start = _leader_rows(rows, people, start, end, rng)
    held = _core_roles(plant, people, rng)
    person = np.array([p for p, _ in held], dtype=np.int64)
    role = np.array([r.value for _, r in held], dtype=object)
    first = np.maximum(start[person], end - rng.integers(30, 1500, len(person)))
    # The core formed under the present leader.
    first = np.maximum(first, leader_start[people.team[person]])
    for value in dict.fromkeys(role.tolist()):
        mine = role == value
        rows.add(person[mine], people.team[person[mine]], value, first[mine])
    data = rows.columns()
    columns = ["id", "person_id", "team_id", "role", "start_date", "end_date"]
    return "membership", columns, [np.arange(1, len(data[0]) + 1), *data]


def _member_rows(rows: _Rows, plant, people, end, rng) -> np.ndarray:
    """Each member's current membership; a few moved from another team. Returns the start
    of each current membership."""
    n, teams, hire = people.members, plant.teams, people.hire[: people.members]
    moved = (hire <= end - 242) & (rng.random(n) < MOVED_SHARE) & (teams > 1)
    shift = rng.integers(1, max(teams, 2), n)
    earlier_team = (people.team + shift) % max(teams, 1)
    span = ((end - 61) - (hire + 180)).astype(np.int64)
    left = hire + 180 + (rng.random(n) * np.maximum(span, 0)).astype(np.int64)
    who = np.flatnonzero(moved)
    rows.add(who, earlier_team[who], Role.MEMBER.value, hire[who], left[who])
    start = np.where(moved, left + 1, hire)
    rows.add(np.arange(n), people.team, Role.MEMBER.value, start)
    return start


def _leader_rows(rows: _Rows, people, start, end, rng) -> np.ndarray:
    """A leader per team (ended a few weeks ago where not in post), and in some teams the
    member who led before. Returns when each team's leader took over."""
    teams, leader, sizes = len(people.leader), people.leader, _sizes(people)
    began = np.maximum(start[leader], end - rng.integers(60, 3000, teams))
    other = leader - people.first + rng.integers(1, np.maximum(sizes, 2))
    earlier = people.first + other % sizes
    earlier_from = np.maximum(start[earlier], began - rng.integers(365, 2000, teams))
    had = (rng.random(teams) < EARLIER_LEADER_SHARE) & (earlier != leader)
    which = np.flatnonzero(had & (earlier_from <= began - 1))
    rows.add(earlier[which], which, Role.LEADER.value, earlier_from[which], began[which] - 1)
    ended = end - rng.integers(20, 60, teams)
    gone, stays = np.flatnonzero(~people.in_post), np.flatnonzero(people.in_post)
    rows.add(leader[gone], gone, Role.LEADER.value, began[gone], ended[gone])
    rows.add(leader[stays], stays, Role.LEADER.value, began[stays])
    return began


def _sizes(people) -> np.ndarray:
    return np.bincount(people.team, minlength=len(people.first))


def _core_roles(plant, people, rng: np.random.Generator) -> list[tuple[int, Role]]:
    """(member, role) pairs: spread over the best members in strong teams, a few in middling
    teams, piled on the leader (or vacant) in weak ones."""
    teams = plant.teams
    strength = plant.strength.tolist()
    strong_k = rng.integers(3, len(CORE_ROLES) + 1, teams).tolist()
    middle_k = rng.integers(1, 4, teams).tolist()
    weak_k = rng.integers(2, 5, teams).tolist()
    coin = (rng.random(teams) < 0.4).tolist()
    shuffled = rng.permuted(np.tile(np.arange(1, len(CORE_ROLES)), (teams, 1)), axis=1).tolist()
    sizes, first = _sizes(people).tolist(), people.first.tolist()
    order, leaders, in_post = people.order, people.leader.tolist(), people.in_post.tolist()
    held: list[tuple[int, Role]] = []
    for t in range(teams):
        lead = leaders[t] if in_post[t] else None
        others = [p for p in order[first[t] : first[t] + sizes[t]].tolist() if p != leaders[t]]
        if strength[t] >= STRONG:
            held += zip(others, CORE_ROLES[: strong_k[t]], strict=False)
        elif strength[t] >= WEAK:
            k = middle_k[t]
            held += zip(others, CORE_ROLES[:k], strict=False)
            if coin[t] and lead is not None:
                held.append((lead, CORE_ROLES[k]))
        else:
            roles = [CORE_ROLES[i] for i in shuffled[t]]
            if lead is not None:
                held += [(lead, role) for role in roles[: weak_k[t]]]
            if coin[t]:
                held.append((others[0], roles[-1]))
    return held
