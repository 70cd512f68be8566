"""Assess every team from daily records already in the database, on SQLite and PostgreSQL.

Targets (issue 13): 10,000 teams x 365 days (3.65 M records) in <= 0.5 s wall; 100,000 teams x
365 days (36.5 M records) in <= 5 s with <= 1 GB peak memory. Measured: an assessment with
each team's people-side sums kept by the one before (the usual case: records change daily,
people rarely), and the first assessment after a change to people, posts or the survey of
every team (all sums made again from the rows, and kept) and of one team (its own only).
Measured in the same run:
- a straightforward pandas implementation of the production KPIs (read the window's records
  with pandas.read_sql, then groupby), asserted equal to teamroots' KPIs;
- the floor: one plain SUM of the same columns over the same window, in the database.
Each measurement runs in a fresh child process, so its peak memory is its own. The sample
plant is built once per size and database and reused (bench/out/, PostgreSQL databases
teamroots_bench_<teams>). Also prints the Spearman correlation of score with the sample
plant's hidden strength and the tier confusion against the strength's thirds.

    python bench/bench_assess.py [--teams 10000] [--days 365] [--pg URL] [--no-pandas]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from _common import peak_mb, report  # noqa: E402
from teamroots.assess.kpis import PRODUCTION_KPIS as PRODUCTION  # noqa: E402

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def ensure_plant(url: str, teams: int, days: int) -> None:
    from sqlalchemy import text

    from teamroots import services
    from teamroots.census.demo import DemoSpec
    from teamroots.config import Settings

    with services.open_database(Settings(database_url=url), upgrade=True) as db:
        with db.read() as conn:
            have = conn.execute(text("SELECT count(*) FROM team_record")).scalar()
        if have != teams * days:
            print(f"building the sample plant ({teams:,} teams x {days} days) in {url} ...",
                  flush=True)
            start = time.perf_counter()
            services.census.build_demo(db, DemoSpec(teams=teams, days=days), replace=True)
            print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)


def pg_database(admin_url: str, teams: int) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"teamroots_bench_{teams}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


# ---- measurements, each run in a child process -------------------------------------------


def measure_teamroots(url: str, cold: str = "") -> dict:
    """Modules are imported before the clock starts, as in a running server. ``cold``: as
    the first assessment after a change to people, posts or the survey — of every team
    ("all": no team's kept people-side sums hold, all are made again from the rows and kept)
    or of one team ("one": its sums only)."""
    import teamroots.assess.assessment
    import teamroots.store.assess_repo  # noqa: F401
    from teamroots import services
    from teamroots.config import Settings

    db = services.open_database(Settings(database_url=url))
    if cold:
        with db.write() as conn:
            conn.exec_driver_sql(
                "UPDATE team_people SET gen = gen + 1"
                if cold == "all"
                else "UPDATE team_post SET headcount = headcount "
                "WHERE team_id = (SELECT MIN(team_id) FROM team_post)"
            )
    start = time.perf_counter()
    made = services.assess.assess(db)  # stored as a review: the evaluated frame, no JSON
    wall = time.perf_counter() - start
    peak = peak_mb()  # the assessment's own; the document below is for comparing KPIs
    doc = made.document  # built when asked for, outside the timed assessment
    db.close()
    kpis = {t["team"]: [t["kpis"][k] for k in PRODUCTION] for t in doc["teams"]}
    return {
        "wall": wall,
        "peak_mb": peak,
        "kpis": kpis,
        "scores": {t["team"]: [t["score"], t["tier"]] for t in doc["teams"]},
    }


def measure_pandas(url: str) -> dict:
    """The same production KPIs, the plain pandas way: read the window, then groupby."""
    import numpy as np
    import pandas as pd
    from sqlalchemy import create_engine, text

    from teamroots.store.assess_repo import window

    engine = create_engine(url)
    start = time.perf_counter()
    with engine.connect() as conn:
        last = pd.to_datetime(conn.execute(text("SELECT MAX(day) FROM team_record")).scalar())
        first, end = window(last.date(), 90)
        df = pd.read_sql(
            text(
                "SELECT t.code AS team, r.* FROM team_record r JOIN team t ON t.id = r.team_id "
                "WHERE day BETWEEN :a AND :b"
            ),
            conn,
            params={"a": first, "b": end},
        )
    df["day"] = pd.to_datetime(df["day"])
    df["week"] = (df["day"] - pd.Timestamp(first)).dt.days // 7
    both = df["planned"].notna() & df["actual"].notna()
    due = df["members_scheduled"].notna() & df["members_present"].notna()
    df["p"] = df["planned"].where(both)
    df["a"] = df["actual"].where(both)
    df["s"] = df["members_scheduled"].where(due)
    df["m"] = df["members_present"].where(due)
    df["tgt"] = (both & (df["planned"] > 0)).astype(int)
    df["hit"] = ((df["planned"] > 0) & (df["actual"] >= df["planned"])).astype(int)
    g = df.groupby("team")
    out = pd.DataFrame(
        {
            "attendance_rate": g["m"].sum() / g["s"].sum(),
            "completion": g["a"].sum() / g["p"].sum(),
            "on_target_share": g["hit"].sum() / g["tgt"].sum(),
            "incidents_per_100": 100 * g["incidents"].sum() / g["members_present"].sum(),
            "defects_per_100": 100 * g["defects"].sum() / g["members_present"].sum(),
        }
    )
    weekly = df.groupby(["team", "week"])[["a", "p"]].sum()
    wc = (weekly["a"] / weekly["p"].replace(0, np.nan)).reset_index(name="wc").dropna()
    out["weekly_volatility"] = wc.groupby("team")["wc"].std(ddof=1)

    def slope(x: pd.DataFrame) -> float:
        return np.polyfit(x["week"], x["wc"], 1)[0] if len(x) >= 3 else np.nan

    out["weekly_trend"] = wc.groupby("team")[["week", "wc"]].apply(slope)
    wall = time.perf_counter() - start
    kpis = {
        team: [None if pd.isna(v) else float(v) for v in row]
        for team, row in zip(out.index, out[list(PRODUCTION)].to_numpy(), strict=True)
    }
    return {"wall": wall, "peak_mb": peak_mb(), "kpis": kpis}


def measure_floor(url: str) -> dict:
    from sqlalchemy import create_engine, text

    from teamroots.store.assess_repo import window

    engine = create_engine(url)
    with engine.connect() as conn:
        last = conn.execute(text("SELECT MAX(day) FROM team_record")).scalar()
        last = (
            last if not isinstance(last, str) else __import__("datetime").date.fromisoformat(last)
        )
        first, end = window(last, 90)
        start = time.perf_counter()
        conn.execute(
            text(
                "SELECT SUM(planned), SUM(actual), SUM(members_scheduled), "
                "SUM(members_present), SUM(incidents), SUM(defects) FROM team_record "
                "WHERE day BETWEEN :a AND :b"
            ),
            {"a": first, "b": end},
        ).all()
        wall = time.perf_counter() - start
    return {"wall": wall, "peak_mb": peak_mb()}


def child(what: str, url: str) -> dict:
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "0"}
    done = subprocess.run(
        [sys.executable, __file__, "--measure", what, url],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{what} on {url} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def compare(ours: dict, theirs: dict) -> float:
    """Largest absolute difference between two KPI tables; raises when a team or a null
    differs."""
    import math

    assert ours.keys() == theirs.keys(), "the two implementations saw different teams"
    worst = 0.0
    for team, values in ours.items():
        for name, a, b in zip(PRODUCTION, values, theirs[team], strict=True):
            if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
                assert a is None and (b is None or math.isnan(b)), (team, name, a, b)
                continue
            worst = max(worst, abs(a - b))
    assert worst < 1e-5, f"pandas and teamroots KPIs differ by {worst}"
    return worst


def truth_check(url: str, scores: dict) -> tuple[float, list[list[int]]]:
    import numpy as np
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        hidden = dict(
            conn.execute(
                text("SELECT t.code, d.strength FROM demo_truth d JOIN team t ON t.id = d.team_id")
            ).all()
        )
    teams = sorted(scores)
    s = np.array([scores[t][0] for t in teams], dtype=float)
    h = np.array([hidden[t] for t in teams])
    rho = float(np.corrcoef(np.argsort(np.argsort(s)), np.argsort(np.argsort(h)))[0, 1])
    third = np.digitize(h, np.quantile(h, [1 / 3, 2 / 3]))  # 0 weak, 1 middle, 2 strong
    tier = np.array([scores[t][1] for t in teams])
    confusion = [[int(((third == k) & (tier == j)).sum()) for j in (1, 2, 3)] for k in (2, 1, 0)]
    return rho, confusion


def settle(url: str) -> None:
    """On PostgreSQL, VACUUM ANALYZE as autovacuum would in time: a migration or a rebuild
    of the rollup leaves its old rows dead, and reads that skip them are slower."""
    from sqlalchemy import create_engine

    if not url.startswith("postgresql"):
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def run(url: str, label: str, teams: int, days: int, with_pandas: bool) -> None:
    ensure_plant(url, teams, days)
    settle(url)
    child("teamroots", url)  # warm the file cache and the interpreter's imports once
    cold = child("teamroots-cold", url)
    one = child("teamroots-one", url)
    ours = child("teamroots", url)
    floor = child("floor", url)
    rows = [
        ("teamroots assess", f"{ours['wall']:.2f} s, peak {ours['peak_mb']:.0f} MB"),
        ("floor: one SUM", f"{floor['wall']:.3f} s"),
        ("ratio teamroots / floor", f"{ours['wall'] / max(floor['wall'], 1e-6):.1f}x"),
        ("first after every team changed", f"{cold['wall']:.2f} s, peak {cold['peak_mb']:.0f} MB"),
        ("  its ratio to the floor", f"{cold['wall'] / max(floor['wall'], 1e-6):.1f}x"),
        ("first after one team changed", f"{one['wall']:.2f} s, peak {one['peak_mb']:.0f} MB"),
    ]
    if with_pandas:
        pandas = child("pandas", url)
        diff = compare(ours["kpis"], pandas["kpis"])
        rows += [
            (
                "pandas (production KPIs)",
                f"{pandas['wall']:.2f} s, peak {pandas['peak_mb']:.0f} MB",
            ),
            ("ratio pandas / teamroots", f"{pandas['wall'] / ours['wall']:.1f}x"),
            ("KPIs equal", f"yes (largest difference {diff:.1e})"),
        ]
    rho, confusion = truth_check(url, ours["scores"])
    rows += [
        ("Spearman score vs hidden strength", f"{rho:.3f}"),
        ("tiers 1/2/3 of the strong third", str(confusion[0])),
        ("tiers 1/2/3 of the middle third", str(confusion[1])),
        ("tiers 1/2/3 of the weak third", str(confusion[2])),
    ]
    report(f"assess {teams:,} teams x {days} days on {label}", rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teams", type=int, default=10_000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument(
        "--pg",
        default=os.environ.get("TEAMROOTS_BENCH_PG_URL", PG_DEFAULT),
        help="an admin URL on the PostgreSQL server ('' to skip PostgreSQL)",
    )
    ap.add_argument("--no-pandas", action="store_true")
    ap.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        what, url = args.measure
        fn = {
            "teamroots": measure_teamroots,
            "teamroots-cold": lambda u: measure_teamroots(u, cold="all"),
            "teamroots-one": lambda u: measure_teamroots(u, cold="one"),
            "pandas": measure_pandas,
            "floor": measure_floor,
        }
        print(json.dumps(fn[what](url)))
        return
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    sqlite_url = f"sqlite:///{out / f'assess_{args.teams}_{args.days}.db'}"
    run(sqlite_url, "SQLite", args.teams, args.days, not args.no_pandas)
    if args.pg:
        run(
            pg_database(args.pg, args.teams),
            "PostgreSQL",
            args.teams,
            args.days,
            not args.no_pandas,
        )


if __name__ == "__main__":
    main()
