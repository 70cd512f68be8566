"""Build the sample plant into a fresh temporary SQLite file (or --url) and print rows/s.

Baseline measured in the same run: the floor of inserting the same daily-record rows with plain
sqlite3 executemany in one transaction into a table of the same shape, with the pragmas
teamroots uses (WAL, synchronous=FULL), counting only the time spent in sqlite3 (generating
the rows and turning dates into text are not counted). Also timed: generating every row alone,
without a database. The ratio compares rows/s; teamroots writes every table, with foreign keys
checked, where the floor writes the daily records only.

    python bench/bench_demo.py [--teams 150] [--days 365] [--seed 7] [--url URL]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import peak_mb, report, timed
from teamroots import services
from teamroots.census.demo import DemoSpec, generate, total_work
from teamroots.config import Settings


def floor(spec: DemoSpec, db: Path) -> tuple[int, float]:
    """Insert the daily records with sqlite3 executemany in one transaction; returns the rows
    and the seconds spent in sqlite3 (generating and converting them is not counted)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE r (team_id INTEGER NOT NULL, day DATE NOT NULL, planned FLOAT, "
        "actual FLOAT, members_scheduled FLOAT, members_present FLOAT, incidents INTEGER, "
        "defects INTEGER, PRIMARY KEY (team_id, day))"
    )
    rows, spent = 0, 0.0
    conn.execute("BEGIN")
    for batch in generate(spec):
        if batch.table != "team_record":
            continue
        records = [(r[0], r[1].isoformat(), *r[2:]) for r in batch.rows]
        start = time.perf_counter()
        conn.executemany("INSERT INTO r VALUES (?,?,?,?,?,?,?,?)", records)
        spent += time.perf_counter() - start
        rows += len(records)
    start = time.perf_counter()
    conn.execute("COMMIT")
    conn.close()
    return rows, spent + time.perf_counter() - start


def only_generate(spec: DemoSpec) -> int:
    return sum(len(batch.rows) for batch in generate(spec))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teams", type=int, default=150)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    spec = DemoSpec(seed=args.seed, teams=args.teams, days=args.days)
    t: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = Settings(database_url=args.url or f"sqlite:///{folder / 'bench.db'}")
        with timed(t, "generate"):
            rows = only_generate(spec)
        with services.open_database(settings, upgrade=True) as db, timed(t, "demo"):
            services.census.build_demo(db, spec, replace=True)
        records, t["floor"] = floor(spec, folder / "floor.db")
    demo_rate, floor_rate = rows / t["demo"], records / t["floor"]
    report(
        f"teamroots demo: {args.teams:,} teams × {args.days:,} days, {rows:,} rows "
        f"({records:,} daily records; {total_work(spec):,} units of work)",
        [
            ("generate only", f"{t['generate']:.2f} s ({rows / t['generate']:,.0f} rows/s)"),
            ("teamroots demo", f"{t['demo']:.2f} s ({demo_rate:,.0f} rows/s)"),
            ("floor: sqlite3 executemany", f"{t['floor']:.2f} s ({floor_rate:,.0f} rows/s)"),
            ("ratio floor / demo rows/s", f"{floor_rate / demo_rate:.2f}x"),
            ("peak memory", f"{peak_mb():.0f} MB"),
        ],
    )


if __name__ == "__main__":
    main()
