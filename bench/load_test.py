"""Load test (issue 13): two app processes and a job worker on one PostgreSQL, ``--users``
simulated users (locust, bench/locustfile.py) for ``--minutes``, browsing, acknowledging a
directive and raising wishes, while an import of ``--records`` daily records and a leadership
plan run on the job queue (started after 30 s and again half-way). Loopback only, bounded in
time.

    python bench/load_test.py [--users 200] [--minutes 10] [--pg URL]

Prints the error rate and each page's median, p95 and p99, and checks afterwards, one by one,
that the acknowledgements and wishes stored are exactly those the users were told were
accepted (by account; by a mark in each wish's text, anonymous or not), that fewer than 1 % of
requests failed, and that the jobs finished. Requests in flight when the time is up are let
finish (--stop-timeout). Needs locust (``pip install -e '.[bench]'``, as ``make load`` does).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from _common import report  # noqa: E402

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "load-test-Pw-2026"
DATABASE = "teamroots_load"


def _cli(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "teamroots", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def _fresh_database(pg: str) -> str:
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    return make_url(pg).set(database=DATABASE).render_as_string(hide_password=False)


def _accounts(db, users: int) -> tuple[list, list[str], int]:
    """Member and manager accounts, the team codes, and a directive to the whole plant."""
    from teamroots import services
    from teamroots.domain.choices import AccessRole
    from teamroots.domain.rows import Viewer

    today = date.today()
    with db.read() as conn:
        members = conn.execute(text(
            "SELECT p.employee_no, MIN(t.code) FROM person p JOIN membership m "
            "ON m.person_id = p.id JOIN team t ON t.id = m.team_id WHERE m.start_date <= :d "
            "AND (m.end_date IS NULL OR m.end_date >= :d) GROUP BY p.employee_no "
            "ORDER BY p.employee_no"
        ), {"d": today}).all()  # fmt: skip
        teams = [row[0] for row in conn.execute(text("SELECT code FROM team ORDER BY code"))]
    managers = max(1, users // 10)
    accounts = []
    for i, (employee_no, team) in enumerate(members[: users - managers]):
        name = f"load-m{i:03}"
        services.users.add_user(db, name, PASSWORD, AccessRole.MEMBER, person=employee_no)
        accounts.append([name, "member", team])
    for i in range(managers):
        name = f"load-p{i:02}"
        services.users.add_user(db, name, PASSWORD, AccessRole.PLANT_MANAGER)
        accounts.append([name, "plant_manager", ""])
    boss = Viewer(0, "load-test", AccessRole.PLANT_MANAGER)
    directive, reached = services.directives.issue(
        db, boss, None, "Load test: safety stand-down", "Read the new lock-out procedure."
    )
    print(f"{len(accounts)} accounts; directive {directive} reached {reached} members")
    return accounts, teams, directive


def _records_file(folder: Path, teams: list[str], records: int) -> Path:
    days = max(1, records // len(teams))
    first = date.today() - timedelta(days=days + 1)
    path = folder / "records.csv"
    with path.open("w", newline="") as out:
        w = csv.writer(out)
        w.writerow(("team", "date", "planned", "actual", "members_scheduled",
                    "members_present", "incidents", "defects"))  # fmt: skip
        for d in range(days):
            day = (first + timedelta(days=d)).isoformat()
            for i, team in enumerate(teams):
                w.writerow((team, day, 100, 90 + (i + d) % 15, 10, 9 + (i * d) % 2, 0, d % 3))
    return path


def _jobs(db, teams: list[str], records: int, folder: Path, started: list[int]) -> None:
    from teamroots import services
    from teamroots.domain.choices import AccessRole
    from teamroots.domain.rows import Viewer

    admin = Viewer(0, "load-admin", AccessRole.ADMIN)
    boss = Viewer(0, "load-test", AccessRole.PLANT_MANAGER)
    upload = folder / f"upload-{len(started)}"
    upload.mkdir()
    path = _records_file(upload, teams, records)
    started.append(services.jobs.start_import(db, admin, "records", upload, path, None, False))
    started.append(services.jobs.start_plan(db, boss, "leaders", 60.0))


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stats(prefix: str) -> tuple[list[tuple[str, str]], int, int]:
    """Each page's figures, and the failed and all requests."""
    rows, failed, requests = [], 0, 0
    with open(f"{prefix}_stats.csv") as fh:
        for row in csv.DictReader(fh):
            count, fails = int(row["Request Count"]), int(row["Failure Count"])
            name = f"{row['Type']} {row['Name']}" if row["Name"] != "Aggregated" else "all"
            if name == "all":
                failed, requests = fails, count
            rows.append((
                name,
                f"{count:>7,} requests, {fails} failed ({fails / max(count, 1):.2%}); "
                f"median {row['50%']} ms, p95 {row['95%']} ms, p99 {row['99%']} ms",
            ))  # fmt: skip
    return rows, failed, requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--workers", type=int, default=2, help="app processes")
    parser.add_argument("--pg", default=PG, help="an admin URL of the PostgreSQL server")
    args = parser.parse_args()
    from teamroots import services
    from teamroots.config import Settings

    url = _fresh_database(args.pg)
    env = {**os.environ, "TEAMROOTS_DATABASE_URL": url, "TEAMROOTS_WORKER_IN_APP": "false"}
    print("making the sample plant …", flush=True)
    _cli(env, "init")
    _cli(env, "demo", "--replace", "--history")
    _cli(env, "assess")
    db = services.open_database(Settings(database_url=url))
    accounts, teams, directive = _accounts(db, args.users)
    with db.read() as conn:
        wishes_before = conn.execute(text("SELECT COUNT(*) FROM wish")).scalar_one()
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "teamroots", "serve", "--port", str(port),
         "--workers", str(args.workers)], env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen([sys.executable, "-m", "teamroots", "worker"], env=env)
    started: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        counts = folder / "counts.json"
        load_env = {
            **env,
            "LOAD_ACCOUNTS": json.dumps(accounts),
            "LOAD_PASSWORD": PASSWORD,
            "LOAD_DIRECTIVE": str(directive),
            "LOAD_TEAMS": json.dumps(teams),
            "LOAD_COUNTS": str(counts),
        }
        seconds = int(args.minutes * 60)
        timers = [
            threading.Timer(at, _jobs, (db, teams, args.records, folder, started))
            for at in (30, max(90, seconds / 2))
        ]
        try:
            time.sleep(3)
            for timer in timers:
                timer.start()
            locust = subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"),
                 "--headless", "-u", str(args.users), "-r", "20", "-t", f"{seconds}s",
                 "--host", f"http://127.0.0.1:{port}", "--csv", str(folder / "load"),
                 "--stop-timeout", "30", "--only-summary", "--loglevel", "WARNING"],
                env=load_env,
            )  # fmt: skip
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                with db.read() as conn:
                    waiting = conn.execute(
                        text("SELECT COUNT(*) FROM job WHERE status IN ('queued', 'running')")
                    ).scalar_one()
                if not waiting:
                    break
                time.sleep(2)
            rows, failed, requests = _stats(str(folder / "load"))
            told = json.loads(counts.read_text())
        finally:
            for timer in timers:
                timer.cancel()
            server.terminate()
            worker.terminate()
            server.wait(timeout=30)
            worker.wait(timeout=60)
    with db.read() as conn:
        acked = conn.execute(text(
            "SELECT COUNT(*) FROM directive_delivery d JOIN directive_version v "
            "ON v.id = d.version_id WHERE v.directive_id = :d AND d.acked_at IS NOT NULL"
        ), {"d": directive}).scalar_one()  # fmt: skip
        wishes = conn.execute(text("SELECT COUNT(*) FROM wish")).scalar_one() - wishes_before
        jobs = conn.execute(
            text("SELECT id, kind, status, attempts FROM job ORDER BY id")
        ).all()
        stored_by = {
            name for (name,) in conn.execute(text(
                "SELECT u.name FROM app_user u JOIN person p ON p.employee_no = u.employee_no "
                "JOIN directive_delivery d ON d.person_id = p.id JOIN directive_version v "
                "ON v.id = d.version_id WHERE v.directive_id = :d AND d.acked_at IS NOT NULL"
            ), {"d": directive})
        }  # fmt: skip
        wished = {
            body[15:27]: anonymous
            for body, anonymous in conn.execute(text(
                "SELECT body, person_id IS NULL FROM wish WHERE body LIKE 'load test wish %'"
            ))
        }  # fmt: skip
    db.close()
    told_by = set(told["acked_by"])
    told_wishes = {mark: bool(anonymous) for mark, anonymous in told["wished"]}
    differences = {
        "acknowledged, not stored": sorted(told_by - stored_by),
        "stored, never acknowledged": sorted(stored_by - told_by),
        "wished, not stored": sorted(set(told_wishes) - set(wished)),
        "stored, never wished": sorted(set(wished) - set(told_wishes)),
        "anonymity changed": sorted(m for m in told_wishes.keys() & wished.keys()
                                    if told_wishes[m] != bool(wished[m])),
    }  # fmt: skip
    for what, marks in differences.items():
        if marks:
            print(f"{what}: {marks[:20]}")
    rows.append(("acknowledgements: told accepted / stored", f"{len(told_by)} / {acked}"))
    rows.append(("wishes: told accepted / stored", f"{len(told_wishes)} / {wishes}"))
    rows.append(("jobs", "; ".join(f"{j.id} {j.kind} {j.status} ({j.attempts}×)" for j in jobs)))
    rows.append(("acknowledgements and wishes, one by one", "all stored as told"
                 if not any(differences.values()) else "DIFFERENT: see above"))  # fmt: skip
    report(
        f"Load: {args.users} users for {args.minutes:g} min, {args.workers} app processes, "
        f"one job worker, PostgreSQL",
        rows,
    )
    ok = not any(differences.values()) and len(told_by) == acked and len(told_wishes) == wishes
    ok = ok and failed < 0.01 * requests and locust.returncode in (0, 1)
    ok = ok and all(j.status == "done" for j in jobs) and len(jobs) == len(started)
    print("\nall accounted for" if ok else "\nMISMATCH or unfinished job: see above")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
