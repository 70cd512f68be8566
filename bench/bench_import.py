"""Import N daily team records from one CSV into a fresh SQLite (or --url) database.

Target (issues 2 and 13): 1,000,000 records, the weekly rollup included, in <= 15 s. Baselines
measured in the same run: the floor of reading the same CSV with the csv module and inserting
the raw tuples with sqlite3 executemany in one transaction (no parsing, no validation, no
upsert), and the same import read row by row (what a file the columnar read gives up on
takes; every import before it). Prints each and the ratios.

    python bench/bench_import.py [--records 1000000] [--teams 1000]
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import peak_mb, report, timed
from teamroots import services
from teamroots.census import columnar
from teamroots.config import Settings


def write_files(folder: Path, records: int, teams: int) -> tuple[Path, Path, Path]:
    units = folder / "units.csv"
    units.write_text("code,name,kind,parent\nP,Plant,plant,\nW1,Workshop,workshop,P\n")
    team_file = folder / "teams.csv"
    with team_file.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "unit", "line", "shift", "posts"])
        w.writerows([f"T{i:06d}", f"Team {i}", "W1", f"L{i // 3}", "day", ""] for i in range(teams))
    recs = folder / "records.csv"
    start = date(2024, 1, 1)
    with recs.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["team", "date", "planned", "actual", "members_scheduled", "members_present",
                    "incidents", "defects"])
        for i in range(records):
            day = (start + timedelta(days=i // teams)).isoformat()
            w.writerow([f"T{i % teams:06d}", day, 100, 90 + i % 17, 12, 11 + i % 2, i % 3, i % 5])
    return units, team_file, recs


def floor(path: Path, db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE r (team TEXT, day TEXT, p REAL, a REAL, s REAL, m REAL, "
                 "i INT, d INT, PRIMARY KEY (team, day))")
    with path.open(newline="") as fh, conn:
        reader = csv.reader(fh)
        next(reader)
        conn.executemany("INSERT INTO r VALUES (?,?,?,?,?,?,?,?)", reader)
    conn.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--teams", type=int, default=1000)
    ap.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        units, teams, recs = write_files(folder, args.records, args.teams)
        url = args.url or f"sqlite:///{folder / 'bench.db'}"
        db = services.open_database(Settings(database_url=url), upgrade=True)
        services.census.import_file(db, "units", units)
        services.census.import_file(db, "teams", teams)
        t: dict[str, float] = {}
        with timed(t, "floor"):
            floor(recs, folder / "floor.db")
        with timed(t, "import"):
            out = services.census.import_file(db, "records", recs)
        assert out.inserted == args.records, out
        with timed(t, "reimport"):
            again = services.census.import_file(db, "records", recs)
        assert again.inserted == 0 and again.updated == 0, again
        db.close()
        rows_url = f"sqlite:///{folder / 'rows.db'}" if not args.url else args.url
        if not args.url:  # the row-by-row import, into a fresh database of its own
            db = services.open_database(Settings(database_url=rows_url), upgrade=True)
            services.census.import_file(db, "units", units)
            services.census.import_file(db, "teams", teams)
            columnar.eligible = lambda plan, mapping: False
            with timed(t, "rows"):
                services.census.import_file(db, "records", recs)
            db.close()
    report(
        f"import records: {args.records:,} rows, {args.teams:,} teams",
        [
            ("teamroots import", f"{t['import']:.2f} s ({args.records / t['import']:,.0f} rows/s)"),
            ("re-import (no change)", f"{t['reimport']:.2f} s"),
            ("floor: csv + sqlite3", f"{t['floor']:.2f} s"),
            ("ratio import / floor", f"{t['import'] / t['floor']:.1f}x"),
            *(
                [
                    ("row by row (baseline)", f"{t['rows']:.2f} s"),
                    ("ratio row by row / import", f"{t['rows'] / t['import']:.1f}x"),
                ]
                if "rows" in t
                else []
            ),
            ("target", "<= 15 s for 1,000,000 rows"),
            ("peak memory", f"{peak_mb():.0f} MB"),
        ],
    )


if __name__ == "__main__":
    main()
