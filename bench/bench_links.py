"""The cadre links plan on a synthetic plant: CP-SAT against the greedy baseline, same run.

Target (the plans issue): 2,000 cadres / 10,000 teams within 10 s. Prints wall time, status,
gap, the objective (coverage, links, match; the checker's) and the number of uncovered tier-3
teams, for the plan and for the greedy baseline (worst team first, best free cadre), with the
ratio.

    python bench/bench_links.py [--teams 10000] [--cadres 2000] [--time-limit 30]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import peak_mb, report, timed
from teamroots.plan.links.checks import check_links, links_objective
from teamroots.plan.links.greedy import greedy_links
from teamroots.plan.links.solve import plan_links
from teamroots.plan.links.synthetic import synthetic_links


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--teams", type=int, default=10_000)
    ap.add_argument("--cadres", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=30.0)
    args = ap.parse_args()
    t: dict = {}
    with timed(t, "input"):
        inp = synthetic_links(args.teams, args.cadres, seed=args.seed)
    with timed(t, "plan"):
        plan = plan_links(inp, args.time_limit)
    with timed(t, "check"):
        bad = len(check_links(inp, plan.plan))
    with timed(t, "greedy"):
        greedy = greedy_links(inp)
    g, p = links_objective(inp, greedy), plan.objective
    tier3 = len(inp.backward_rank)
    g_cov = len(set(greedy.backward.values()))
    rows = [
        ("teams / tier-3 / cadres", f"{len(inp.teams):,} / {tier3:,} / {len(inp.cadres):,}"),
        ("synthetic input", f"{t['input']:.2f} s"),
        ("plan (CP-SAT)", f"{t['plan']:.2f} s (candidates included), {plan.status}, gap "
                          f"{plan.gap if plan.gap is None else format(plan.gap, '.2%')}, "
                          f"{bad} violations (checker {t['check']:.2f} s)"),
        ("  objective", f"coverage {p[0]:,}, links {p[1]:,}, match {p[2]:.2f}; "
                        f"{tier3 - len(plan.uncovered):,} tier-3 teams covered"),
        ("  stages", f"{plan.stats['stages']}"),
        ("greedy", f"{t['greedy']:.2f} s, coverage {g[0]:,}, links {g[1]:,}, match {g[2]:.2f}; "
                   f"{g_cov:,} covered, {len(check_links(inp, greedy))} rule findings"),
        ("plan / greedy", f"coverage x{p[0] / max(g[0], 1):.4f}, links x{p[1] / max(g[1], 1):.4f},"
                          f" match x{p[2] / max(g[2], 1e-9):.4f}"),
        ("peak memory", f"{peak_mb():.0f} MB"),
    ]
    report(f"cadre links plan, {args.cadres:,} cadres / {args.teams:,} teams", rows)


if __name__ == "__main__":
    main()
