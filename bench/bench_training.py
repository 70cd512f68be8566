"""The training plan on a synthetic plant: the workshop-by-workshop CP-SAT plan against the
greedy baseline and against one plant-wide CP-SAT model, same run.

Target (the plans issue): 20,000 leaders, 5 batches, every rule: proven optimal (or within 1 %
of a proven bound) within 10 s. 10,000 teams with a leader and a deputy each = 20,000 trainees
in workshops of 50 teams, 3 shifts, lines of three teams. Prints wall time, status, objective
(the checker's) and bound, with the default class size and with the tightest (an even share),
the greedy baseline (its objective and the trainees it could not place), and what one
plant-wide model reaches in ``--mono-limit`` seconds (measured 2026-11: no plan in 60 s at
20k).

    python bench/bench_training.py [--teams 10000] [--time-limit 30] [--mono-limit 20]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ortools.sat.python import cp_model

from _common import peak_mb, report, timed
from teamroots.plan._solve import solve
from teamroots.plan.training.checks import check_training, training_objective
from teamroots.plan.training.greedy import greedy_training
from teamroots.plan.training.model import TrainingInput
from teamroots.plan.training.solve import plan_training
from teamroots.plan.training.synthetic import synthetic_training


def monolithic(inp: TrainingInput, limit: float) -> str:
    """One CP-SAT model of the whole plant (8 workers), objective from the checker."""
    k = inp.batches
    model = cp_model.CpModel()
    x = {(t.id, b): model.new_bool_var("") for t in inp.trainees for b in range(k)}
    for t in inp.trainees:
        model.add_exactly_one(x[t.id, b] for b in range(k))
    for b in range(k):
        model.add(sum(x[t.id, b] for t in inp.trainees) <= inp.capacity)
    for group, ids in inp.groups.items():
        for b in range(k):
            model.add(sum(x[t, b] for t in ids) <= inp.away_limit(group))
    for a, c, _ in inp.conflicts:
        for b in range(k):
            model.add_at_most_one(x[a, b], x[c, b])
    model.minimize(sum(b * x[t.id, b] for t in inp.trainees if inp.late_weight(t.id)
                       for b in range(1, k)))
    solver, res = solve(model, time_limit=limit, num_workers=8)
    if not res.has_solution:
        return f"{res.status}: no plan in {res.wall:.1f} s"
    plan = {t.id: next(b for b in range(k) if solver.boolean_value(x[t.id, b]))
            for t in inp.trainees}
    true = training_objective(inp, plan)
    return (f"{res.status} in {res.wall:.1f} s, objective {true} (solver said "
            f"{res.objective:.0f}), bound {res.bound:.0f}")


def run(inp: TrainingInput, limit: float, label: str, rows: list) -> int:
    t: dict = {}
    with timed(t, "plan"):
        plan = plan_training(inp, limit)
    bad = len(check_training(inp, plan.batches))
    rows.append((f"plan, {label}",
                 f"{t['plan']:.2f} s, {plan.status}, objective {plan.objective}, bound "
                 f"{plan.bound}, gap {plan.gap:.2%}, {bad} violations, {plan.stats['solves']} "
                 f"workshop solves"))
    return plan.objective


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--teams", type=int, default=10_000)
    ap.add_argument("--batches", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--mono-limit", type=float, default=20.0)
    args = ap.parse_args()
    t: dict = {}
    with timed(t, "input"):
        inp = synthetic_training(args.teams, batches=args.batches, seed=args.seed)
        _ = inp.conflicts, inp.groups
    rows = [("trainees / workshops / conflicts",
             f"{len(inp.trainees):,} / {len(inp.workshops):,} / {len(inp.conflicts):,}"),
            ("synthetic input", f"{t['input']:.2f} s")]
    ours = run(inp, args.time_limit, f"class size {inp.capacity} (default)", rows)
    tight = math.ceil(len(inp.trainees) / inp.batches)
    tight_inp = synthetic_training(args.teams, batches=args.batches, seed=args.seed,
                                   class_size=tight)
    run(tight_inp, args.time_limit, f"class size {tight} (even share)", rows)
    with timed(t, "greedy"):
        greedy, left = greedy_training(inp)
    g = training_objective(inp, greedy)
    rows.append(("greedy (tier-3 first, earliest batch)",
                 f"{t['greedy']:.2f} s, objective {g}, {len(left)} trainees left without a "
                 f"batch"))
    rows.append(("plan / greedy objective", f"{ours} / {g} (lower is better; greedy "
                 f"{'invalid' if left else 'valid'})"))
    if args.mono_limit > 0:
        with timed(t, "mono"):
            rows.append(("one plant-wide model", monolithic(inp, args.mono_limit)))
        rows.append(("  wall (build + solve)", f"{t['mono']:.1f} s"))
    rows.append(("peak memory", f"{peak_mb():.0f} MB"))
    report(f"training plan, {len(inp.trainees):,} trainees, {args.batches} batches", rows)


if __name__ == "__main__":
    main()
