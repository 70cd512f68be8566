"""A person's score as a candidate (see ``model`` for what each weight measures): the points
that do not depend on the team, the skill match with the led team's posts, the leader and core
scores, and the evidence behind them. Plain functions over ``Person``, ``TeamNeed`` and
``Weights`` (from ``model``, which this module does not import at run time)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from teamroots.plan.skills import post_match

if TYPE_CHECKING:
    from teamroots.plan.leaders.model import Person, TeamNeed, Weights

ACTIVIST = "activist"


def _unit(x: float) -> float:
    return min(max(x, 0.0), 1.0)


def skill_match(person: Person, team: TeamNeed) -> float:
    """``post_match`` of the person's skills against the team's posts."""
    return post_match(person.skills, team.posts)


def base_points(person: Person, w: Weights) -> float:
    """The points that do not depend on the team led (all but skills)."""
    tags = sum(w.designations.get(tag, 0.0) for tag in person.designations)
    tenure = _unit(person.tenure_years / w.tenure_cap_years) if w.tenure_cap_years > 0 else 0.0
    return (
        tags
        + w.trust * _unit(person.trust_share)
        + w.helps * _unit(person.helps_share)
        + w.training * _unit(person.training or 0.0)
        + w.tenure * tenure
    )


def leader_score(person: Person, team: TeamNeed, w: Weights) -> float:
    """The candidate's score (0..1) for leading ``team``."""
    if w.total <= 0:
        return 0.0
    return (base_points(person, w) + w.skills * skill_match(person, team)) / w.total


def core_score(person: Person, own_team: TeamNeed, w: Weights) -> float:
    """The score as a core member of their own team: activists get ``core_activist`` more."""
    bonus = w.core_activist if ACTIVIST in person.designations else 0.0
    return min(1.0, leader_score(person, own_team, w) + bonus)


def candidate_score(person: Person, team: TeamNeed, w: Weights) -> tuple[float, dict[str, Any]]:
    """(score 0..1, evidence): the numbers behind the score, for explanations."""
    score = leader_score(person, team, w)
    evidence = {
        "score": round(score, 4),
        "designations": sorted(t for t in person.designations if t in w.designations),
        "trust": round(_unit(person.trust_share), 4),
        "helps": round(_unit(person.helps_share), 4),
        "training": None if person.training is None else round(_unit(person.training), 4),
        "skills": round(skill_match(person, team), 4),
        "tenure_years": round(max(person.tenure_years, 0.0), 1),
    }
    return score, evidence
