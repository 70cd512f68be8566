"""The training plan's greedy baseline: tier-3 teams' trainees first, each into the earliest
batch that keeps every rule. It may leave trainees out (returned apart) where a solver would
have found room by placing others differently."""

from __future__ import annotations

from collections import Counter, defaultdict

from teamroots.plan.training.model import TrainingInput


def greedy_training(inp: TrainingInput) -> tuple[dict[int, int], list[int]]:
    """(trainee → batch, trainees left without a batch)."""
    partners: dict[int, list[int]] = defaultdict(list)
    for a, b, _ in inp.conflicts:
        partners[a].append(b)
        partners[b].append(a)
    group_of = {t: g for g, ids in inp.groups.items() for t in ids}
    group_load: Counter[tuple[tuple[str, str], int]] = Counter()
    load: Counter[int] = Counter()
    plan: dict[int, int] = {}
    left = []
    order = sorted(inp.trainees, key=lambda t: (-inp.late_weight(t.id), t.workshop, t.id))
    for t in order:
        g = group_of[t.id]
        for b in range(inp.batches):
            if (
                load[b] < inp.capacity
                and group_load[(g, b)] < inp.away_limit(g)
                and all(plan.get(o) != b for o in partners[t.id])
            ):
                plan[t.id] = b
                load[b] += 1
                group_load[(g, b)] += 1
                break
        else:
            left.append(t.id)
    return plan, left
