"""Why each trainee is in their batch, and what each batch studies: data, rendered when shown.

A tier-3 team's trainee not in the first batch is told, for the nearest earlier batch, the rule
that closed it to them (their shift's share away is used up, their leader or deputy is in it,
a linked team's leader is in it, the class is full). Every batch's curriculum: the lectures,
and the experience of named advanced (tier-1) teams, from the batch's own workshops first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from teamroots.domain.choices import LABELS, PlanKind, Role, Tier
from teamroots.i18n import N_, message
from teamroots.plan.reasons import Reason, named
from teamroots.plan.training.model import Trainee, TrainingInput

LECTURES = (
    N_("Why team work matters"),
    N_("How to be a good team leader"),
    N_("Running the team's daily records, checklists and meetings"),
)
STUDY_PER_BATCH = 3


@dataclass
class TrainingPlan:
    inp: TrainingInput
    batches: dict[int, int]  # trainee → batch
    status: str
    objective: int
    bound: int
    reasons: dict[int, list[Reason]]
    study: list[list[str]]  # per batch: advanced teams' codes
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return (self.objective - self.bound) / max(1, abs(self.objective))

    def members(self, batch: int) -> list[Trainee]:
        by_id = self.inp.by_id
        return sorted(
            (by_id[t] for t, b in self.batches.items() if b == batch), key=lambda t: t.employee_no
        )

    def _batch(self, b: int, day) -> dict[str, Any]:
        members = self.members(b)
        return {
            "batch": b + 1,
            "date": day.isoformat(),
            "leaders": [t.employee_no for t in members],
            "tier3": sum(1 for t in members if t.tier == Tier.BACKWARD),
            "curriculum": {"lectures": [message(m) for m in LECTURES], "study": self.study[b]},
        }

    def to_json(self) -> dict[str, Any]:
        inp = self.inp
        return {
            "plan_id": None,
            "kind": PlanKind.TRAINING,
            "status": self.status,
            "objective": {"lateness": self.objective},
            "bound": {"lateness": self.bound},
            "gap": round(self.gap, 6),
            "rules": {"class_size": inp.capacity, "max_away": inp.max_away},
            "batches": [self._batch(b, day) for b, day in enumerate(inp.dates)],
            "trainees": [
                {
                    "person": t.employee_no,
                    "name": t.name or None,
                    "team": t.team_code,
                    "team_name": t.team_name or None,
                    "role": t.role,
                    "tier": t.tier,
                    "batch": self.batches[t.id] + 1,
                    "reasons": [r.to_json() for r in self.reasons[t.id]],
                }
                for t in sorted(inp.trainees, key=lambda t: (t.team_code, t.role))
            ],
            "stats": self.stats,
        }


class _Why:
    def __init__(self, inp: TrainingInput, batches: dict[int, int]):
        self.inp, self.batches = inp, batches
        self.group_load: Counter[tuple[tuple[str, str], int]] = Counter()
        for group, ids in inp.groups.items():
            self.group_load.update((group, batches[t]) for t in ids)
        self.load = Counter(batches.values())
        self.partners: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for a, b, why in inp.conflicts:
            self.partners[a].append((b, why))
            self.partners[b].append((a, why))

    def blocked(self, t: Trainee, batch: int) -> Reason | None:
        inp, group = self.inp, (t.workshop, t.shift or "-")
        limit = inp.away_limit(group)
        if self.group_load[(group, batch)] >= limit:
            return Reason(
                "share_away",
                N_(
                    "Batch {batch} already takes {n} of the {limit} allowed away from {workshop}, "
                    "shift {shift}."
                ),
                {
                    "batch": batch + 1,
                    "n": self.group_load[(group, batch)],
                    "limit": limit,
                    "workshop": group[0],
                    "shift": group[1],
                },
            )
        for other, why in self.partners[t.id]:
            if self.batches.get(other) == batch:
                o = inp.by_id[other]
                msgid = (
                    N_(
                        "Batch {batch} has {person}, the {role} of the same team; they are never "
                        "away together."
                    )
                    if why == "deputy"
                    else N_(
                        "Batch {batch} has {person}, leader of {team} on the same line; "
                        "linked teams' leaders are not away together."
                    )
                )
                return Reason(
                    f"{why}_apart",
                    msgid,
                    {
                        "batch": batch + 1,
                        "person": named(o.name, o.employee_no),
                        "role": message(LABELS[Role][Role(o.role)]),
                        "team": named(o.team_name, o.team_code),
                    },
                )
        if self.load[batch] >= inp.capacity:
            return Reason(
                "class_size",
                N_("Batch {batch} is full ({size} trainees)."),
                {"batch": batch + 1, "size": inp.capacity},
            )
        return None

    def reasons(self, t: Trainee) -> list[Reason]:
        batch = self.batches[t.id]
        if t.tier != Tier.BACKWARD:
            return [
                Reason(
                    "no_priority",
                    N_(
                        "Team {team} is not backward (tier {tier}): no priority; placed where its "
                        "shift and the classes have room."
                    ),
                    {"team": named(t.team_name, t.team_code), "tier": t.tier or "-"},
                )
            ]
        out = [
            Reason(
                "tier3_first",
                N_("Team {team} is backward (tier 3): its leaders go as early as the rules allow."),
                {"team": named(t.team_name, t.team_code)},
            )
        ]
        if batch > 0:
            out.append(
                self.blocked(t, batch - 1)
                or Reason(
                    "trade_off",
                    N_(
                        "Batch {batch} has room for them only if another tier-3 trainee went later."
                    ),
                    {"batch": batch},
                )
            )
        return out


def study_lists(inp: TrainingInput, batches: dict[int, int]) -> list[list[str]]:
    """Per batch, up to three advanced teams to study: from the workshops with most of the
    batch's trainees first, the highest-scoring first, each team once while any is unused."""
    used: Counter[str] = Counter()
    out = []
    for b in range(inp.batches):
        shops = Counter(inp.by_id[t].workshop for t, x in batches.items() if x == b)
        ranked = sorted(inp.advanced, key=lambda a: (used[a[0]], -shops[a[1]], -a[2], a[0]))
        pick = [code for code, _, _ in ranked[:STUDY_PER_BATCH]]
        used.update(pick)
        out.append(pick)
    return out


def explain(inp: TrainingInput, batches: dict[int, int], **result: Any) -> TrainingPlan:
    why = _Why(inp, batches)
    reasons = {t.id: why.reasons(t) for t in inp.trainees}
    return TrainingPlan(inp, batches, reasons=reasons, study=study_lists(inp, batches), **result)
