"""Synthetic training inputs for benchmarks and property tests (seeded, no database)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from teamroots.plan.training.model import Trainee, TrainingInput

SHIFTS = ("day", "middle", "night")


def synthetic_training(
    teams: int,
    *,
    teams_per_workshop: int = 50,
    batches: int = 5,
    deputies: bool = True,
    seed: int = 0,
    **options,
) -> TrainingInput:
    """``teams`` teams in workshops of ``teams_per_workshop``; three shifts; lines of 2–4
    teams; tiers 1/2/3 a third each; a leader and (optionally) a deputy per team."""
    rng = np.random.default_rng(seed)
    trainees = []
    for i in range(teams):
        shop = f"W{i // teams_per_workshop:04d}"
        line = f"L{i // 3:05d}" if rng.random() < 0.8 else None
        tier = str(int(rng.integers(1, 4)))
        code = f"T{i:06d}"
        roles = ("leader", "deputy") if deputies else ("leader",)
        for k, role in enumerate(roles):
            trainees.append(
                Trainee(
                    2 * i + k, f"E{2 * i + k:07d}", i, code, role, shop, SHIFTS[i % 3], line, tier
                )
            )
    start = date(2027, 1, 4)
    dates = [start + timedelta(weeks=w) for w in range(batches)]
    return TrainingInput(trainees, dates, **options)
