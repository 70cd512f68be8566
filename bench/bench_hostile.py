"""Hostile files against the importer: time and peak memory of each, each in its own process.

Target (issue 10): every file up to the size limit is refused or imported as documented, each
below 1 GB of memory. Cases:
- shared-strings bomb: an XLSX whose shared strings unzip to --ss-mb MB (944 by default, as an
  adversarial tester built it) within the size and ratio limits; and one of --ss-ok-mb MB (99),
  just under TEAMROOTS_MAX_SHARED_STRINGS_BYTES, which is read;
- bad rows: a --bad-mb MB CSV (200 by default: the size limit) of records whose every field is
  bad;
- wide: a CSV and an XLSX with 100,000 columns.
Baseline for each, measured in the same run: the least any reader must do with the same
bytes — unzip the shared strings part (zipfile, streamed) or read the CSV with the csv module
— so the ratio shows how much earlier than that floor the import stops.

    python bench/bench_hostile.py [--ss-mb 944] [--bad-mb 200]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from _common import report  # noqa: E402


def shared_strings_bomb(path: Path, megabytes: int) -> None:
    """One short sheet; a shared-strings table of ~``megabytes`` MB of names with a random
    part, so the part compresses about 50 times (under the ratio limit of 200)."""
    from tests.xlsx_parts import write_xlsx

    rng = random.Random(7)
    per = len("<si><t>name 0123456789 张三李四王五赵六</t></si>".encode())
    count = megabytes * 1024 * 1024 // per
    extra = (f"name {rng.randrange(10**10):010d} 张三李四王五赵六" for _ in range(count))
    write_xlsx(path, [["employee_no", "name"], ["E1", "张三"]], extra_strings=extra)


def bad_rows(path: Path, megabytes: int) -> None:
    """Just under ``megabytes`` MiB (the size limit is 200 MiB) of records, every field bad."""
    row = "T1,not a date,many,lots,some,few,-x,?\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("team,date,planned,actual,members_scheduled,members_present,incidents,defects\n")
        block = row * 10_000
        for _ in range(megabytes * 1024 * 1024 // len(block) - 1):
            fh.write(block)


def wide_csv(path: Path, columns: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", *(f"c{i}" for i in range(columns - 2))])
        for r in range(20):
            w.writerow([f"T{r}", f"Team {r}", *(str(i) for i in range(columns - 2))])


def wide_xlsx(path: Path, columns: int) -> None:
    from tests.xlsx_parts import write_xlsx

    header = ["code", "name", *(f"c{i}" for i in range(columns - 2))]
    write_xlsx(path, [header, ["T1", "Team 1", *("1" for _ in range(columns - 2))]])


def floor(path: Path) -> None:
    """The least work on the same bytes: stream-unzip the largest XLSX part, or csv-read."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as zf:
            part = max(zf.infolist(), key=lambda i: i.file_size)
            with zf.open(part) as fh:
                while fh.read(1 << 20):
                    pass
        return
    csv.field_size_limit(1 << 30)
    with path.open(newline="", encoding="utf-8") as fh:
        for _ in csv.reader(fh):
            pass


def run_case(kind: str, path: str) -> None:
    """In a child: import ``path`` into a fresh SQLite database; print JSON."""
    from teamroots import services
    from teamroots.config import Settings
    from teamroots.errors import TeamrootsError

    with tempfile.TemporaryDirectory() as tmp:
        db = services.open_database(Settings(database_url=f"sqlite:///{tmp}/b.db"), upgrade=True)
        units = Path(tmp) / "u.csv"
        units.write_text("code,name,kind,parent\nP,Plant,plant,\n", encoding="utf-8")
        services.census.import_file(db, "units", units)
        teams = Path(tmp) / "t.csv"
        teams.write_text("code,name,unit\nT1,Team,P\n", encoding="utf-8")
        services.census.import_file(db, "teams", teams)
        start = time.perf_counter()
        try:
            outcome = services.census.import_file(db, kind, path)
            result = f"imported {outcome.rows} rows"
        except TeamrootsError as exc:
            result = f"refused ({type(exc).__name__}): {exc.message()[:150]}"
        seconds = time.perf_counter() - start
        db.close()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "result": result}))


def peak_mb() -> float:
    """This process's peak resident memory since exec (VmHWM; ru_maxrss would carry the
    parent's peak across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--case", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ss-mb", type=int, default=944)
    ap.add_argument("--ss-ok-mb", type=int, default=99, help="shared strings under the limit")
    ap.add_argument("--bad-mb", type=int, default=200)
    ap.add_argument("--columns", type=int, default=100_000)
    ap.add_argument("--case", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        run_case(*args.case)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [
            ("shared-strings bomb", "people", folder / "ss.xlsx", shared_strings_bomb, args.ss_mb),
            ("shared strings under the limit", "people", folder / "ok.xlsx", shared_strings_bomb,
             args.ss_ok_mb),
            ("bad rows CSV", "records", folder / "bad.csv", bad_rows, args.bad_mb),
            ("wide CSV", "teams", folder / "wide.csv", wide_csv, args.columns),
            ("wide XLSX", "teams", folder / "wide.xlsx", wide_xlsx, args.columns),
        ]
        rows = []
        worst = 0.0
        for name, kind, path, make, size in cases:
            make(path, size)
            got = child(kind, path)
            start = time.perf_counter()
            floor(path)
            base = time.perf_counter() - start
            worst = max(worst, got["peak_mb"])
            rows.append(
                (
                    f"{name} ({path.stat().st_size / 1e6:,.1f} MB file)",
                    f"{got['seconds']:.2f} s, peak {got['peak_mb']:.0f} MB; floor "
                    f"{base:.2f} s (ratio {got['seconds'] / max(base, 1e-9):.3f}x); "
                    f"{got['result']}",
                )
            )
            path.unlink()
    rows.append(("target", "each refused or imported as documented, peak < 1,024 MB"))
    rows.append(("worst peak", f"{worst:.0f} MB: {'PASS' if worst < 1024 else 'FAIL'}"))
    report("hostile files", rows)


if __name__ == "__main__":
    main()
