"""Synthetic leadership instances for benchmarks and tests (not the sample plant's data).

``synthetic_input(teams, …)`` builds teams of about ``size`` people in units of ``per_unit``
teams; a share of the teams are tier 1, most have an incumbent, a few have no members at all
(they need a transfer) and some are small (their core is smaller than k). Every person has a
hidden leadership quality (``synthetic_plant`` returns it; benchmarks judge plans by it): peers
name the better more often, and designations follow it loosely. Incumbents and core holders are
named more often, most of all in tier-1 teams. Deterministic for a seed.
"""

from __future__ import annotations

import numpy as np

from teamroots.domain.choices import Tier
from teamroots.plan.leaders.model import ROLES, LeadersInput, Person, TeamNeed

POSTS = ("operator", "fitter", "inspector", "electrician", "driver", "welder", "tapper")
TAGS = ("party_member", "league_member", "activist", "model_worker")
TAG_SHARE = (0.25, 0.15, 0.12, 0.04)


def _team(rng, tid: int, unit: int, tier1_share: float) -> TeamNeed:
    posts = rng.choice(len(POSTS), size=int(rng.integers(1, 4)), replace=False)
    tier = 1 if rng.random() < tier1_share else int(rng.integers(2, 4))
    return TeamNeed(
        tid,
        f"T{tid:05d}",
        unit,
        f"U{unit:03d}",
        tier,
        posts={POSTS[i]: float(rng.integers(1, 5)) for i in posts},
    )


def _person(rng, pid: int, tid: int, role: str | None, strength: float) -> tuple[Person, float]:
    """A person and their hidden quality; ``strength`` 0..1 shifts both up (incumbents and
    core holders)."""
    quality = float(np.clip(0.35 * strength + rng.beta(2, 3), 0.0, 1.0))
    tags = frozenset(
        t for t, s in zip(TAGS, TAG_SHARE, strict=True) if rng.random() < s * (0.5 + quality)
    )
    skills = rng.choice(len(POSTS), size=int(rng.integers(0, 3)), replace=False)
    person = Person(
        pid,
        f"E{pid:06d}",
        tid,
        tags,
        trust_share=float(rng.beta(0.6 + 6 * quality, 6)),
        helps_share=float(rng.beta(1.2 + 3 * strength, 5)),
        training=None if rng.random() < 0.3 else float(rng.random()),
        skills={POSTS[i]: float(rng.integers(1, 6)) for i in skills},
        tenure_years=float(rng.exponential(8)),
        core_role=role,
    )
    return person, quality


def synthetic_input(teams: int, **kw) -> LeadersInput:
    """A plant of ``teams`` teams (see ``synthetic_plant``)."""
    return synthetic_plant(teams, **kw)[0]


def synthetic_plant(
    teams: int,
    *,
    size: int = 12,
    per_unit: int = 50,
    seed: int = 0,
    tier1_share: float = 0.15,
    empty_share: float = 0.005,
    **options,
) -> tuple[LeadersInput, dict[int, float]]:
    """A plant of ``teams`` teams and each person's hidden quality; ``options`` go to
    LeadersInput (k_core, max_transfers, …)."""
    rng = np.random.default_rng(seed)
    team_list, people, quality = [], [], {}
    for tid in range(1, teams + 1):
        team = _team(rng, tid, (tid - 1) // per_unit + 1, tier1_share)
        n = 0 if rng.random() < empty_share else max(1, int(rng.normal(size, size / 4)))
        members = list(range(len(people) + 1, len(people) + n + 1))
        roles = list(rng.permutation(ROLES)[: min(3, max(n - 1, 0))])
        lead = 1.0 if team.tier == Tier.ADVANCED else float(rng.random())
        for pid in members:
            role = str(roles.pop()) if roles and pid != members[0] else None
            strength = lead if pid == members[0] else (0.5 * lead if role else 0.0)
            person, quality[pid] = _person(rng, pid, tid, role, strength)
            people.append(person)
        incumbent = members[0] if members and rng.random() < 0.85 else None
        team_list.append(
            TeamNeed(
                team.team_id,
                team.code,
                team.unit_id,
                team.unit_code,
                team.tier,
                incumbent,
                team.posts,
            )
        )
    options.setdefault("max_transfers", max(3, per_unit // 10))
    return LeadersInput(team_list, people, **options), quality
