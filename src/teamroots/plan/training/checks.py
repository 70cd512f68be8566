"""The training plan's spec, without a solver: one function per rule, and the objective.

A plan is a mapping trainee (person id) → batch number (0 … K-1).

    one_batch_each        every trainee is in exactly one batch, a batch that exists
    class_size            no batch holds more than ``capacity`` trainees
    share_away            per workshop and shift, at most ``away_limit`` trainees per batch
    linked_apart          leaders of linked teams (one line) are in different batches
    deputy_apart          a team's leader and deputy are in different batches

``training_objective`` = the sum over tier-3 teams' trainees of their batch number (minimised).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from teamroots.plan.training.model import TrainingInput
from teamroots.plan.violations import Violation


def _team(inp: TrainingInput, tid: int) -> str | None:
    t = inp.by_id.get(tid)
    return t.team_code if t else None


def one_batch_each(inp: TrainingInput, plan: Mapping[int, int]) -> list[Violation]:
    out = [
        Violation("one_batch_each", t.team_code, f"{t.employee_no} is in no batch")
        for t in inp.trainees
        if t.id not in plan
    ]
    for tid, b in plan.items():
        if tid not in inp.by_id:
            out.append(Violation("one_batch_each", None, f"person {tid} is not a trainee"))
        elif not 0 <= b < inp.batches:
            out.append(Violation("one_batch_each", _team(inp, tid), f"batch {b} does not exist"))
    return out


def class_size(inp: TrainingInput, plan: Mapping[int, int]) -> list[Violation]:
    return [
        Violation("class_size", None, f"batch {b + 1}: {n} > {inp.capacity}")
        for b, n in sorted(Counter(plan.values()).items())
        if n > inp.capacity
    ]


def share_away(inp: TrainingInput, plan: Mapping[int, int]) -> list[Violation]:
    out = []
    for group, members in inp.groups.items():
        limit = inp.away_limit(group)
        for b, n in Counter(plan[m] for m in members if m in plan).items():
            if n > limit:
                where = f"{group[0]}, shift {group[1]}"
                out.append(Violation("share_away", None, f"{where}, batch {b + 1}: {n} > {limit}"))
    return out


def _apart(inp: TrainingInput, plan: Mapping[int, int], kind: str) -> list[Violation]:
    return [
        Violation(
            f"{kind}_apart",
            _team(inp, a),
            f"{inp.by_id[a].employee_no}, {inp.by_id[b].employee_no}: batch {plan[a] + 1}",
        )
        for a, b, why in inp.conflicts
        if why == kind and a in plan and b in plan and plan[a] == plan[b]
    ]


def linked_apart(inp: TrainingInput, plan: Mapping[int, int]) -> list[Violation]:
    return _apart(inp, plan, "linked")


def deputy_apart(inp: TrainingInput, plan: Mapping[int, int]) -> list[Violation]:
    return _apart(inp, plan, "deputy")


CHECKS = (one_batch_each, class_size, share_away, linked_apart, deputy_apart)


def check_training(inp: TrainingInput, plan: Mapping[int, int]) -> list[Violation]:
    """Every violated rule of a training plan (empty when the plan is valid)."""
    return [v for check in CHECKS for v in check(inp, plan)]


def training_objective(inp: TrainingInput, plan: Mapping[int, int]) -> int:
    """Lateness of backward teams: Σ over tier-3 teams' trainees of their batch number."""
    return sum(inp.late_weight(t) * b for t, b in plan.items() if t in inp.by_id)
