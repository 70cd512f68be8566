"""The effects estimator (track/effects.py), swept over many sample plants: how often its
95 % interval covers the planted effect (training: +4.0 points; cadre links: none), beside a
naive two-way fixed-effects regression (team and week dummies, one "treated" dummy) measured
on the same panels — the estimator staggered designs replace — and, when the ``diff-diff``
package is installed, its Callaway–Sant'Anna on the same panels.

    python bench/bench_effects.py [--seeds 100] [--teams 150]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import report
from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.census.demo_history import TRAINING_EFFECT
from teamroots.config import Settings
from teamroots.store import effects_repo
from teamroots.track.effects import estimate

PLANTED = 100 * TRAINING_EFFECT


def panel(db):
    with db.read() as conn:
        first, last = effects_repo.record_span(conn)
        rows = [(t, w, 100 * v) for t, w, v in effects_repo.weekly_completion(conn, first, last)]
        trained = effects_repo.interventions(conn, "training")
    return rows, {team: (day - first).days // 7 for team, day in trained}


def twfe(rows, treated) -> float:
    """y = team + week + β·treated: the estimate β by least squares (demeaning twice)."""
    teams = sorted({r[0] for r in rows})
    weeks = max(r[1] for r in rows) + 1
    index = {t: i for i, t in enumerate(teams)}
    y = np.full((len(teams), weeks), np.nan)
    d = np.zeros_like(y)
    for team, week, value in rows:
        y[index[team], week] = value
        g = treated.get(team)
        d[index[team], week] = 1.0 if g is not None and week >= g else 0.0
    mask = ~np.isnan(y)
    y, d = np.where(mask, y, 0), np.where(mask, d, 0)
    for _ in range(30):  # alternating projections onto team and week means
        for a in (1, 0):
            n = mask.sum(axis=a, keepdims=True).clip(1)
            y = np.where(mask, y - y.sum(axis=a, keepdims=True) / n, 0)
            d = np.where(mask, d - d.sum(axis=a, keepdims=True) / n, 0)
    return float((d * y).sum() / (d * d).sum())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--teams", type=int, default=150)
    args = ap.parse_args()
    try:
        from diff_diff import CallawaySantAnna
    except ImportError:
        CallawaySantAnna = None
    found, naive, ours_t, twfe_t, dd = [], [], 0.0, 0.0, []
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(args.seeds):
            url = f"sqlite:///{Path(folder) / f'p{seed}.db'}"
            with services.open_database(Settings(database_url=url), upgrade=True) as db:
                services.census.build_demo(db, DemoSpec(seed=seed, teams=args.teams, history=True))
                rows, treated = panel(db)
            start = time.perf_counter()
            found.append(estimate(rows, treated))
            ours_t += time.perf_counter() - start
            start = time.perf_counter()
            naive.append(twfe(rows, treated))
            twfe_t += time.perf_counter() - start
            if CallawaySantAnna is not None:
                dd.append(_diff_diff(CallawaySantAnna, rows, treated))
            Path(url.removeprefix("sqlite:///")).unlink()
    n = len(found)
    covered = sum(e.low <= PLANTED <= e.high for e in found)
    lines = [
        ("planted effect", f"{PLANTED:+.1f} points of completion"),
        ("teamroots (CS, not-yet-treated)", f"mean {np.mean([e.estimate for e in found]):+.2f}, "
         f"CI covers it in {covered} of {n} ({covered / n:.0%}), "
         f"{1000 * ours_t / n:.0f} ms a plant"),
        ("baseline: two-way fixed effects", f"mean {np.mean(naive):+.2f} (no interval), "
         f"{1000 * twfe_t / n:.0f} ms a plant"),
        ("pre-trend test rejects at 5 %", f"{sum(e.pre_trend_p < 0.05 for e in found)} of {n}"),
    ]  # fmt: skip
    if dd:
        gap = max(abs(e.estimate - a) for e, (a, _s) in zip(found, dd, strict=True))
        lines.append(("diff-diff CallawaySantAnna", f"largest difference {gap:.1e} points"))
    report(f"effects on {n} sample plants of {args.teams} teams", lines)


def _diff_diff(estimator, rows, treated) -> tuple[float, float]:
    import pandas as pd

    df = pd.DataFrame(rows, columns=["unit", "time", "y"])
    df["first_treat"] = df["unit"].map(lambda u: treated.get(u) or 0)
    fit = estimator(
        control_group="not_yet_treated", base_period="universal", estimation_method="reg",
        allow_unbalanced_panel=True,
    ).fit(df, "y", "unit", "time", "first_treat")  # fmt: skip
    return fit.overall_att, fit.overall_se


if __name__ == "__main__":
    main()
