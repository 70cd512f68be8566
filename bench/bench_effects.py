"""The effects estimator (track/effects.py) swept over generated panels with a planted effect
(track/effects_sample.py, --teams teams × 52 weeks, staggered cohorts, a quarter never
treated): how far its estimate lands from the planted truth, how often its 95 % interval covers
it, and how long it takes — beside, on the same panels in the same run:

- the baseline it replaces, a two-way fixed-effects regression (team and week effects and one
  "treated" dummy; standard error clustered by team), biased when effects differ across
  cohorts or grow with time, because already-treated teams serve as its controls;
- the ``diff-diff`` package's CallawaySantAnna (not yet treated, universal base, "reg"), when
  it is installed: its time, its largest distance from our estimate, its standard error
  against ours, its coverage, and the size on disk it would add.

    python bench/bench_effects.py [--seeds 100] [--teams 200]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import report
from teamroots.track.effects import estimate
from teamroots.track.effects_sample import PlantedPanel, planted_panel

Z95 = 1.959963984540054
SCENARIOS = {
    "constant +4.0": {},
    "no effect": {"effect": 0.0},
    "growing +4.0, +10 %/week": {"growth": 0.1},
    "cohorts of 1-2 (teams/5)": {"n_cohorts": 26, "small": True},
    "10 % of rows missing": {"missing": 0.1},
}


def twfe(panel: PlantedPanel) -> tuple[float, float]:
    """y = team + week + β·treated by least squares (alternating projections onto the team
    and week means), and β's standard error clustered by team."""
    teams = sorted(panel.treated)
    index = {t: i for i, t in enumerate(teams)}
    weeks = max(r[1] for r in panel.rows) + 1
    y = np.full((len(teams), weeks), np.nan)
    for team, week, value in panel.rows:
        y[index[team], week] = value
    first = np.array([np.inf if panel.treated[t] is None else panel.treated[t] for t in teams])
    mask = ~np.isnan(y)
    d = (np.arange(weeks)[None, :] >= first[:, None]).astype(float) * mask
    y = np.where(mask, y, 0.0)
    for _ in range(1 if mask.all() else 50):
        for axis in (1, 0):
            n = mask.sum(axis=axis, keepdims=True).clip(1)
            y = np.where(mask, y - y.sum(axis=axis, keepdims=True) / n, 0)
            d = np.where(mask, d - d.sum(axis=axis, keepdims=True) / n, 0)
    beta = float((d * y).sum() / (d * d).sum())
    score = (d * (y - beta * d)).sum(axis=1)
    g = len(teams)
    return beta, float(np.sqrt(g / (g - 1) * (score @ score)) / (d * d).sum())


def diff_diff_fit(panel: PlantedPanel) -> tuple[float, float] | None:
    """CallawaySantAnna's overall ATT and standard error, or None without the package."""
    try:
        import pandas as pd
        from diff_diff import CallawaySantAnna
    except ImportError:
        return None
    df = pd.DataFrame(panel.rows, columns=["unit", "time", "y"])
    df["first_treat"] = df["unit"].map(lambda u: panel.treated[u] or 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = CallawaySantAnna(
            control_group="not_yet_treated", base_period="universal", estimation_method="reg",
            allow_unbalanced_panel=True,
        ).fit(df, "y", "unit", "time", "first_treat")  # fmt: skip
    return fit.overall_att, fit.overall_se


def sweep(seeds: int, teams: int, kwargs: dict) -> dict[str, list]:
    """Each estimator on the same ``seeds`` panels: (estimate − truth, covered, se, seconds)."""
    kwargs = dict(kwargs)
    n_teams = max(teams // 5, 20) if kwargs.pop("small", False) else teams
    out: dict[str, list] = {"ours": [], "twfe": [], "diff-diff": [], "pre": []}
    for seed in range(seeds):
        panel = planted_panel(seed, n_teams, 52, **kwargs)
        start = time.perf_counter()
        got = estimate(panel.rows, panel.treated)
        took = time.perf_counter() - start
        covered = got.low <= panel.truth <= got.high
        out["ours"].append((got.estimate - panel.truth, covered, got.se, took, got.estimate))
        out["pre"].append(got.pre_trend_p)
        start = time.perf_counter()
        beta, se = twfe(panel)
        took = time.perf_counter() - start
        covered = abs(beta - panel.truth) <= Z95 * se
        out["twfe"].append((beta - panel.truth, covered, se, took))
        start = time.perf_counter()
        dd = diff_diff_fit(panel)
        if dd is not None:
            took = time.perf_counter() - start
            covered = abs(dd[0] - panel.truth) <= Z95 * dd[1]
            out["diff-diff"].append((dd[0] - panel.truth, covered, dd[1], took, dd[0]))
    return out


def line(found: list) -> str:
    """Bias, coverage and time of one estimator over the sweep."""
    bias = np.mean([f[0] for f in found])
    covered = sum(f[1] for f in found)
    ms = 1000 * np.median([f[3] for f in found])
    return f"bias {bias:+.2f}, covered {covered}/{len(found)}, {ms:.1f} ms"


def scenario_rows(name: str, got: dict[str, list]) -> list[tuple[str, str]]:
    """The figures of one scenario: ours, the baseline, diff-diff, and their ratios."""
    ours, base, dd = got["ours"], got["twfe"], got["diff-diff"]
    pre = sum(p is not None and p < 0.05 for p in got["pre"])
    rmse = [float(np.sqrt(np.mean([f[0] ** 2 for f in x]))) for x in (ours, base)]
    rows = [
        (f"{name}: teamroots", line(ours) + f", pre-trend test rejects {pre}/{len(ours)}"),
        ("  baseline: two-way fixed effects", line(base)),
        ("  root mean square error, baseline / teamroots", f"{rmse[1] / rmse[0]:.1f}x"),
    ]
    if dd:
        gap = max(abs(a[4] - b[4]) for a, b in zip(ours, dd, strict=True))
        ratio = np.mean([a[2] / b[2] for a, b in zip(ours, dd, strict=True)])
        speed = np.median([b[3] for b in dd]) / np.median([a[3] for a in ours])
        rows.append(("  diff-diff CallawaySantAnna", line(dd)))
        rows.append(("  diff-diff vs teamroots", f"largest estimate gap {gap:.1e}, SE ours/theirs "
                     f"{ratio:.3f}, time theirs/ours {speed:.1f}x"))  # fmt: skip
    return rows


def footprint() -> list[tuple[str, str]]:
    """What depending on diff-diff would add on disk, if it is installed: the package and
    pandas (which it requires; teamroots itself does not load pandas)."""
    from importlib import metadata

    rows = []
    for dist in ("diff-diff", "pandas"):
        try:
            files = metadata.distribution(dist).files or []
        except metadata.PackageNotFoundError:
            return []
        size = sum(f.locate().stat().st_size for f in files if f.locate().exists())
        rows.append((f"installed size: {dist}", f"{size / 1e6:.0f} MB"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--teams", type=int, default=200)
    args = ap.parse_args()
    rows = []
    for name, kwargs in SCENARIOS.items():
        rows += scenario_rows(name, sweep(args.seeds, args.teams, kwargs))
    dip = sweep(max(args.seeds // 4, 1), args.teams, {"pre_trend": -0.5})["pre"]
    rows.append(("pre-trend test, a planted dip of 0.5/week",
                 f"rejects at 5 % in {sum(p < 0.05 for p in dip)}/{len(dip)}"))  # fmt: skip
    big = planted_panel(0, 10 * args.teams, 52, n_cohorts=40)
    start = time.perf_counter()
    estimate(big.rows, big.treated)
    rows.append((f"one panel of {10 * args.teams} teams, 40 cohorts",
                 f"{1000 * (time.perf_counter() - start):.0f} ms"))  # fmt: skip
    rows += footprint()
    report(f"effects: {args.seeds} panels a scenario, {args.teams} teams × 52 weeks", rows)


if __name__ == "__main__":
    main()
