"""The leadership plan's inputs and the candidate score.

A person's score as a candidate to lead a team is a weighted sum of their evidence divided by
the sum of all weights, so it lies in 0..1 and a weight reads as its share of a perfect score
(``weights_doc()`` lists every weight and what it measures):

    designations   the weights of the designation tags the person carries (party member, …)
    trust          share of their team naming them for the question ``trust_to_lead`` (0..1)
    helps          share of their team naming them for ``helps_others`` (0..1)
    training       their latest training score, 0..1 (no score counts as 0: no evidence)
    skills         how well their skills cover the *led* team's posts: the posts' headcount-
                   weighted mean of level / 5, a missing skill counting 0 (see skill_match)
    tenure         years since hire, capped at ``tenure_cap_years``, divided by the cap

A team's leadership score is its leader's score plus ``core_factor`` × the mean core score of
its core members; a core member's score is their candidate score for their own team plus
``core_activist`` when they carry the ``activist`` tag (activists as the backbone), capped at 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from teamroots.domain.choices import CORE_ROLES, Tier
from teamroots.i18n import N_

if TYPE_CHECKING:
    from teamroots.plan.leaders.facts import Facts

ROLES: tuple[str, ...] = tuple(role.value for role in CORE_ROLES)
DEFAULT_DESIGNATION_WEIGHTS = {
    "party_member": 0.10,
    "activist": 0.15,
    "model_worker": 0.10,
    "league_member": 0.05,
}


@dataclass(frozen=True)
class Weights:
    """Weights of the evidence; see the module docstring and ``weights_doc()``."""

    designations: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_DESIGNATION_WEIGHTS)
    )
    trust: float = 0.40
    helps: float = 0.15
    training: float = 0.10
    skills: float = 0.10
    tenure: float = 0.10
    tenure_cap_years: float = 10.0
    core_factor: float = 0.5
    core_activist: float = 0.10

    @cached_property
    def total(self) -> float:
        """The points of a perfect candidate: every tag and full marks everywhere."""
        fixed = self.trust + self.helps + self.training + self.skills + self.tenure
        return sum(self.designations.values()) + fixed


@dataclass(frozen=True)
class Person:
    """An eligible person (the loader leaves out whoever may not lead: cadres, leavers, …).

    ``team_id`` is their home team; ``core_role`` the core role they hold now, if any.
    ``skills`` maps a skill (named like a post) to a level 1..5.
    """

    id: int
    employee_no: str
    team_id: int
    designations: frozenset[str] = frozenset()
    trust_share: float = 0.0
    helps_share: float = 0.0
    training: float | None = None
    skills: Mapping[str, float] = field(default_factory=dict)
    tenure_years: float = 0.0
    core_role: str | None = None
    name: str = ""


@dataclass(frozen=True)
class TeamNeed:
    """A team to staff: its unit (transfers stay inside it), tier (1 = advanced), current
    leader (a person id, or None) and posts (post → headcount) for the skill match."""

    team_id: int
    code: str
    unit_id: int
    unit_code: str = ""
    tier: Tier | None = None  # 1, "1" … are read as tiers
    incumbent: int | None = None
    posts: Mapping[str, float] = field(default_factory=dict)
    incumbent_since: date | None = None  # when the incumbent took the post
    respondents: int | None = None  # members who answered "trust to lead" (None: not known)
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tier", Tier.of(self.tier))


@dataclass(frozen=True)
class LeadersInput:
    """Everything the plan needs. ``max_transfers`` counts per unit (see ``solve``)."""

    teams: Sequence[TeamNeed]
    people: Sequence[Person]
    weights: Weights = field(default_factory=Weights)
    k_core: int = 3
    allow_transfers: bool = True
    max_transfers: int = 2
    keep_margin: float = 0.05  # the gain that replaces a tier-3 team's incumbent
    large_gain: float = 0.15  # … a tier-2 (or not assessed) team's; tier 1 keeps its leader
    support_min: float = 0.3  # share of the team naming a new leader (or the most named)
    max_changes: int | None = None  # new leaders in the whole plan (None: no budget)
    keep: frozenset[int] = frozenset()  # teams that keep their incumbent (or stay without)
    survey_date: date | None = None  # of the votes behind the trust shares
    roles: tuple[str, ...] = ROLES

    @cached_property
    def facts(self) -> Facts:
        from teamroots.plan.leaders.facts import Facts

        return Facts(self)


@dataclass
class Assignment:
    """A plan's choices: team id → leader's person id; team id → [(person id, core role)]."""

    leaders: dict[int, int] = field(default_factory=dict)
    core: dict[int, list[tuple[int, str]]] = field(default_factory=dict)


MEANINGS = (
    ("trust", N_("share of the team naming them as someone they trust to lead")),
    ("helps", N_("share of the team naming them as someone who helps others")),
    ("training", N_("latest training score, 0 to 1 (none counts as 0)")),
    ("skills", N_("skill levels for the led team's posts, weighted by headcount")),
    ("tenure", N_("years since hire, capped, as a share of the cap")),
    ("tenure_cap_years", N_("tenure beyond this many years earns nothing more")),
    ("core_factor", N_("a team's score is its leader's score plus this times its core's mean")),
    ("core_activist", N_("added to an activist's score as a core member (capped at 1)")),
)


def weights_doc(w: Weights | None = None) -> list[dict[str, Any]]:
    """Every weight, its value and what it measures (msgids, translated when shown)."""
    w = w or Weights()
    rows = [
        {"name": f"designation:{tag}", "weight": v, "meaning": N_("carries this designation")}
        for tag, v in sorted(w.designations.items())
    ]
    rows += [{"name": n, "weight": getattr(w, n), "meaning": m} for n, m in MEANINGS]
    return rows
