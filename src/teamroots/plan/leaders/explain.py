"""Why each team got its leader and core: reasons as data (a msgid and its parameters).

Per team: the leader's evidence; how the leader came to be there (tier-1 team kept, incumbent
kept or replaced and by what gain, transfer and the unit's transfers used); the best candidate
who scores higher but was not chosen and the constraint that kept them out (they lead or sit
in a core elsewhere, the transfer limit, the incumbent margin); the team's score and whether it
is the plant's lowest; a core smaller than asked for and why.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from teamroots.domain.choices import DESIGNATION_LABELS, LABELS, Role
from teamroots.i18n import N_, message
from teamroots.plan.leaders.facts import EPS, Facts, clears_margin
from teamroots.plan.leaders.model import Assignment
from teamroots.plan.leaders.scores import candidate_score
from teamroots.plan.reasons import Reason


class Explainer:
    def __init__(self, f: Facts, plan: Assignment, ranked: dict[int, list[tuple[float, int]]]):
        self.f, self.plan, self.ranked = f, plan, ranked
        self.place: dict[int, tuple[str, int]] = {p: ("leader", t) for t, p in plan.leaders.items()}
        for t, core in plan.core.items():
            self.place.update({p: (role, t) for p, role in core})
        self.moved = Counter(
            f.team[t].unit_id for t, p in plan.leaders.items() if f.is_transfer(p, t)
        )

    def reasons(self, tid: int, score: float, plant_min: float) -> list[Reason]:
        leader = self.plan.leaders.get(tid)
        if leader is None:
            return [self._no_leader(tid), *self._needs(tid), *self._core(tid)]
        out = [self._evidence(tid, leader), self._placement(tid, leader), *self._needs(tid)]
        inc = self.f.incumbent[tid]
        if inc is not None and leader != inc and out[1].code == "transfer":
            out.insert(2, self._replaced(tid, leader, inc))
        out += self._passed_over(tid, leader)
        out.append(self._score(tid, leader, score))
        if self.f.in_minimum(tid) and abs(score - plant_min) <= 1e-6:
            out.append(
                Reason(
                    "plant_minimum",
                    N_("The lowest team score in the plant: the plan raises it first."),
                    {},
                )
            )
        return out + self._core(tid)

    def _evidence(self, tid: int, leader: int) -> Reason:
        f = self.f
        _, ev = candidate_score(f.person[leader], f.team[tid], f.inp.weights)
        params = {
            "person": f.label(leader),
            "team": f.team[tid].code,
            "score": ev["score"],
            "designations": [message(DESIGNATION_LABELS.get(d, d)) for d in ev["designations"]]
            or "-",
            "trust": ev["trust"],
            "helps": ev["helps"],
            "skills": ev["skills"],
            "tenure": ev["tenure_years"],
            "training": "-" if ev["training"] is None else f"{ev['training']:.2f}",
        }
        msgid = N_(
            "{person} scores {score:.2f} to lead {team}: designations {designations}; "
            "trusted to lead by {trust:.0%} of their team; named as helping others by "
            "{helps:.0%}; training {training}; skills for the posts {skills:.0%}; "
            "tenure {tenure} years."
        )
        return Reason("evidence", msgid, params)

    def _no_leader(self, tid: int) -> Reason:
        return Reason(
            "no_leader",
            N_("No leader proposed: nobody the team supports is free to lead it."),
            {},
        )

    def _needs(self, tid: int) -> list[Reason]:
        """What the team needs when its leader is not one it supports: a survey (nobody
        answered it) or a cadre's attention (nobody passes the support gate)."""
        f, leader = self.f, self.plan.leaders.get(tid)
        if leader is not None and (f.supported(leader) or f.recently_appointed(tid)):
            return []
        if leader is not None and f.is_transfer(leader, tid):
            return []
        if f.team[tid].respondents == 0:
            return [
                Reason(
                    "needs_survey",
                    N_(
                        "Nobody in the team answered the peer survey: survey the team before "
                        "choosing its leader."
                    ),
                    {},
                )
            ]
        params = {"share": f.inp.support_min}
        return [
            Reason(
                "needs_cadre",
                N_(
                    "Nobody in the team is named by {share:.0%} of it or more as someone "
                    "they trust to lead: the team needs a cadre's attention, not a new name."
                ),
                params,
            )
        ]

    def _placement(self, tid: int, leader: int) -> Reason:
        f, inc = self.f, self.f.incumbent[tid]
        if f.is_tier1(tid) and inc is not None:
            return Reason("tier1_kept", N_("Tier-1 team: its leader and core are kept."), {})
        if leader == inc and f.recently_appointed(tid):
            params = {"since": str(f.team[tid].incumbent_since), "survey": str(f.inp.survey_date)}
            return Reason(
                "recently_appointed",
                N_(
                    "Kept: appointed on {since}, after the latest peer survey ({survey}); the "
                    "team has not been asked about them yet."
                ),
                params,
            )
        if leader == inc and tid in f.inp.keep:
            return Reason(
                "change_budget",
                N_("Kept: the plan's change budget ({max}) went to teams that need it more."),
                {"max": f.inp.max_changes},
            )
        if f.is_transfer(leader, tid):
            unit = f.team[tid]
            params = {
                "from_team": f.team[f.person[leader].team_id].code,
                "unit": unit.unit_code or unit.unit_id,
                "used": self.moved[unit.unit_id],
                "max": f.inp.max_transfers,
            }
            return Reason(
                "transfer",
                N_(
                    "Transfer from {from_team} in the same unit ({unit}); "
                    "{used} of {max} transfers used there."
                ),
                params,
            )
        if inc is None:
            return Reason("no_incumbent", N_("The team has no eligible incumbent leader."), {})
        if leader != inc:
            return self._replaced(tid, leader, inc)
        return self._kept(tid, inc)

    def _replaced(self, tid: int, leader: int, inc: int) -> Reason:
        f = self.f
        new, old = f.score(leader, tid), f.score(inc, tid)
        params = {
            "incumbent": f.label(inc),
            "old": old,
            "gain": new - old,
            "margin": f.margin(tid),
            "trust": f.person[leader].trust_share,
            "old_trust": f.person[inc].trust_share,
            "goes": self.goes(inc),
        }
        return Reason(
            "incumbent_replaced",
            N_(
                "Replaces the incumbent {incumbent} (score {old:.2f}, trusted to lead by "
                "{old_trust:.0%}): trusted by {trust:.0%}, a gain of {gain:.2f} passes the "
                "margin {margin:.2f}. {incumbent} stays as {goes}."
            ),
            params,
        )

    def goes(self, pid: int) -> dict[str, Any]:
        """Where a replaced incumbent goes in the plan, as a message: a core role, leading
        another team, or a member of their team."""
        role, where = self.place.get(pid, ("member", self.f.person[pid].team_id))
        if role == "leader":
            return message(N_("leader of {team}"), team=self.f.team_label(where))
        return message(LABELS[Role][Role(role)])

    def _kept(self, tid: int, inc: int) -> Reason:
        others = [(s, p) for s, p in self.ranked.get(tid, []) if p != inc]
        if not others or others[0][0] <= self.f.score(inc, tid) + EPS:
            return Reason(
                "incumbent_kept", N_("Incumbent kept: no other candidate scores higher."), {}
            )
        s, p = others[0]
        gain = s - self.f.score(inc, tid)
        if not self.f.may_replace(p, tid) and not self.f.supported(p):
            return Reason(
                "unsupported",
                N_(
                    "Incumbent kept: {other} scores higher but is named by fewer than "
                    "{share:.0%} of the team and is not its most named."
                ),
                {"other": self.f.label(p), "share": self.f.inp.support_min},
            )
        if clears_margin(s, self.f.score(inc, tid), self.f.margin(tid)):
            return Reason("incumbent_kept", N_("Incumbent kept."), {})
        params = {"other": self.f.label(p), "gain": gain, "margin": self.f.margin(tid)}
        return Reason(
            "incumbent_margin",
            N_(
                "Incumbent kept: the best other candidate, {other}, "
                "would gain {gain:.2f}, below the margin {margin:.2f}."
            ),
            params,
        )

    def _passed_over(self, tid: int, leader: int) -> list[Reason]:
        """Why the best candidate scoring higher than the leader (a member of the team if
        there is one, else someone from another team) was not chosen."""
        f, mine = self.f, self.f.score(leader, tid)
        inc = f.incumbent[tid]
        higher = [
            (f.is_transfer(p, tid), -s, p)
            for s, p in self.ranked.get(tid, [])
            if s > mine + EPS
            and p != leader
            and (inc is None or p == inc or inc != leader or f.may_replace(p, tid))
        ]
        if not higher:
            return []
        _, neg, p = min(higher)
        return [self._why_not(tid, p, -neg)]

    def _why_not(self, tid: int, p: int, s: float) -> Reason:
        f = self.f
        params: dict[str, Any] = {"other": f.label(p), "score": s}
        if p in self.place:
            role, where = self.place[p]
            params.update(where=f.team_label(where), role=message(LABELS[Role][Role(role)]))
            if role == "leader":
                return Reason(
                    "leads_elsewhere",
                    N_("{other} scores higher for this team ({score:.2f}) but leads {where}."),
                    params,
                )
            return Reason(
                "core_elsewhere",
                N_(
                    "{other} scores higher for this team ({score:.2f}) "
                    "but is needed in the core of {where} ({role})."
                ),
                params,
            )
        unit = f.team[tid].unit_id
        if f.is_transfer(p, tid) and self.moved[unit] >= f.inp.max_transfers:
            params["max"] = f.inp.max_transfers
            return Reason(
                "transfer_limit",
                N_(
                    "{other} scores higher for this team ({score:.2f}) "
                    "but would be a transfer, and the unit's {max} transfers are used."
                ),
                params,
            )
        return Reason(
            "objective",
            N_(
                "{other} scores higher for this team ({score:.2f}) but "
                "stays put: the weakest team or the total gains more that way."
            ),
            params,
        )

    def _score(self, tid: int, leader: int, score: float) -> Reason:
        f = self.f
        core = [f.core_score(p) for p, _ in self.plan.core.get(tid, [])]
        params = {
            "score": score,
            "leader": f.score(leader, tid),
            "factor": f.inp.weights.core_factor,
            "core": sum(core) / len(core) if core else 0.0,
        }
        return Reason(
            "team_score",
            N_(
                "Team leadership score {score:.2f}: leader {leader:.2f} "
                "+ {factor} × core mean {core:.2f}."
            ),
            params,
        )

    def _core(self, tid: int) -> list[Reason]:
        f = self.f
        size, k = f.core_size(tid), min(f.inp.k_core, len(f.inp.roles))
        if size >= k:
            return []
        params = {"size": size, "k": k, "members": len(f.members.get(tid, []))}
        return [
            Reason(
                "core_small",
                N_(
                    "A core of {size} rather than {k}: the team has "
                    "{members} eligible member(s), one of whom is left for leader."
                ),
                params,
            )
        ]
