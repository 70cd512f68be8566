"""Skill matching shared by the plans: how well a person's skills cover a team's posts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

SKILL_TOP = 5.0


def post_match(skills: Mapping[str, float], posts: Mapping[str, float]) -> float:
    """Headcount-weighted mean over the posts of skill level / 5 (0 without posts)."""
    need = sum(posts.values())
    if need <= 0 or not skills:
        return 0.0
    have = sum(n * min(max(skills.get(post, 0.0), 0.0), SKILL_TOP) for post, n in posts.items())
    return have / (need * SKILL_TOP)


def nested(rows: Iterable[tuple[Any, Any, Any]]) -> defaultdict[Any, dict[Any, Any]]:
    """(owner, name, value) rows → {owner: {name: value}} (a person's skills, a team's posts);
    an owner without rows reads as {}."""
    out: defaultdict[Any, dict[Any, Any]] = defaultdict(dict)
    for key, name, value in rows:
        out[key][name] = value
    return out
