"""Why each cadre has their teams, and why a team or a cadre is left out: data, rendered when
shown."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from teamroots.domain.choices import PlanKind, Tier
from teamroots.i18n import N_
from teamroots.plan.links.model import Links, LinksInput
from teamroots.plan.reasons import Reason, named
from teamroots.plan.skills import post_match


@dataclass
class LinksPlan:
    inp: LinksInput
    plan: Links
    status: str
    objective: tuple[int, int, float]
    bound: dict[str, Any]
    gap: float | None
    reasons: dict[int, list[Reason]]  # cadre → reasons
    uncovered: list[tuple[int, Reason]]  # (tier-3 team, why)
    stats: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        inp, plan = self.inp, self.plan
        code = {t.id: t.code for t in inp.teams}.get
        name = {t.id: t.name or None for t in inp.teams}.get
        coverage, made, match = self.objective
        return {
            "plan_id": None,
            "kind": PlanKind.LINKS,
            "status": self.status,
            "objective": {"coverage": coverage, "links": made, "match": match},
            "bound": self.bound,
            "gap": self.gap,
            "rules": {"max_cadres": inp.max_cadres},
            "links": [
                {
                    "cadre": c.employee_no,
                    "cadre_name": c.name or None,
                    "unit": inp.unit_codes.get(c.unit_id, str(c.unit_id)),
                    "advanced_team": code(plan.advanced.get(c.id)),
                    "advanced_team_name": name(plan.advanced.get(c.id)),
                    "backward_team": code(plan.backward.get(c.id)),
                    "backward_team_name": name(plan.backward.get(c.id)),
                    "reasons": [r.to_json() for r in self.reasons[c.id]],
                }
                for c in sorted(inp.cadres, key=lambda c: c.employee_no)
            ],
            "uncovered": [
                {
                    "team": code(t),
                    "team_name": name(t),
                    "score": inp.team[t].score,
                    "reasons": [why.to_json()],
                }
                for t, why in self.uncovered
            ],
            "stats": self.stats,
        }


def _link_reason(inp: LinksInput, cadre, tid: int, tier: str, shared: int) -> Reason:
    team = inp.team[tid]
    params = {
        "cadre": named(cadre.name, cadre.employee_no),
        "team": named(team.name, team.code),
        "score": team.score if team.score is not None else 0.0,
        "levels": inp.depth(cadre, team),
        "expertise": post_match(cadre.skills, team.posts),
        "others": shared - 1,
    }
    if tier == Tier.BACKWARD:
        params["rank"] = inp.backward_rank[tid] + 1
        msgid = N_(
            "{cadre} helps backward team {team} (score {score:.2f}, {rank}. from the "
            "bottom): {levels} levels below their unit; expertise for its posts "
            "{expertise:.0%}; {others} other cadres."
        )
        return Reason("backward", msgid, params)
    msgid = N_(
        "{cadre} learns from advanced team {team} (score {score:.2f}): {levels} levels "
        "below their unit; expertise for its posts {expertise:.0%}."
    )
    return Reason("advanced", msgid, params)


def _missing(inp: LinksInput, cadre, tier: str) -> Reason:
    unit = inp.unit_codes.get(cadre.unit_id, str(cadre.unit_id))
    if not inp.in_scope[cadre.id][tier]:
        msgid = (
            N_("{cadre}: no advanced (tier-1) team in {unit} or below.")
            if tier == Tier.ADVANCED
            else N_("{cadre}: no backward (tier-3) team in {unit} or below.")
        )
        return Reason(
            f"none_in_scope_{tier}",
            msgid,
            {"cadre": named(cadre.name, cadre.employee_no), "unit": unit},
        )
    msgid = N_("{cadre}: every tier-{tier} team in {unit} or below already has {max} cadres.")
    return Reason(
        f"full_{tier}",
        msgid,
        {
            "cadre": named(cadre.name, cadre.employee_no),
            "tier": tier,
            "unit": unit,
            "max": inp.max_cadres,
        },
    )


def _uncovered(inp: LinksInput, plan: Links) -> list[tuple[int, Reason]]:
    covered = set(plan.backward.values())
    able: Counter[int] = Counter(t for c in inp.cadres for t in inp.candidates[c.id][Tier.BACKWARD])
    out = []
    for tid in sorted(inp.backward_rank, key=inp.backward_rank.get):
        if tid in covered:
            continue
        team = inp.team[tid]
        if not able[tid]:
            why = Reason(
                "no_cadre_in_scope",
                N_("No cadre has {team} in their scope."),
                {"team": named(team.name, team.code)},
            )
        else:
            why = Reason(
                "cadres_needed_elsewhere",
                N_("The {n} cadres who could help {team} are needed by teams that score lower.")
                if able[tid] > 1
                else N_(
                    "The one cadre who could help {team} is needed by a team that scores lower."
                ),
                {"team": named(team.name, team.code), "n": able[tid]},
            )
        out.append((tid, why))
    return out


def explain(inp: LinksInput, plan: Links, **result: Any) -> LinksPlan:
    shared = Counter(plan.backward.values()) + Counter(plan.advanced.values())
    reasons = {}
    for c in inp.cadres:
        rs = []
        for tier, chosen in ((Tier.BACKWARD, plan.backward), (Tier.ADVANCED, plan.advanced)):
            tid = chosen.get(c.id)
            rs.append(
                _link_reason(inp, c, tid, tier, shared[tid])
                if tid is not None
                else _missing(inp, c, tier)
            )
        reasons[c.id] = rs
    return LinksPlan(inp, plan, reasons=reasons, uncovered=_uncovered(inp, plan), **result)
