"""A directive to every member of a large plant (issue 12): issuing it, every member
acknowledging it one by one, the reach page, and the reminder pass — each beside a plain SQL
baseline doing the same rows' work in the same run.

    python bench/bench_directives.py [--teams 10000] [--acks 0 (all)] [--pg URL]

The sample plant has about ten members a team, so 10,000 teams is about 100,000 members.
Baselines: issuing — one INSERT … SELECT of the same (person, team) rows into a scratch table;
acknowledging — one UPDATE by primary key per member, each its own transaction; reach — one
GROUP BY team counting delivered and acknowledged rows.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sqlalchemy import text

from _common import peak_mb, report
from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.config import Settings
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer

BOSS = Viewer(1, "bench", AccessRole.PLANT_MANAGER)
ACTIVE = "m.start_date <= :d AND (m.end_date IS NULL OR m.end_date >= :d)"


def _database(url: str | None, folder: Path):
    settings = Settings(database_url=url or f"sqlite:///{folder / 'directives.db'}")
    db = services.open_database(settings, upgrade=True)
    if url:
        from teamroots.store import bulk

        with db.write() as conn:
            bulk.delete_all(conn)
    return db


def _issue_floor(db, day) -> float:
    with db.write() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_floor"))
        start = time.perf_counter()
        conn.execute(text(
            "CREATE TABLE bench_floor AS SELECT m.person_id, MIN(m.team_id) AS team_id "
            f"FROM membership m WHERE {ACTIVE} GROUP BY m.person_id"
        ), {"d": day})  # fmt: skip
        took = time.perf_counter() - start
        conn.execute(text("DROP TABLE bench_floor"))
    return took


def _members(db, version: int, limit: int) -> list[tuple[int, str]]:
    with db.read() as conn:
        rows = conn.execute(text(
            "SELECT dd.person_id, p.employee_no FROM directive_delivery dd "
            "JOIN person p ON p.id = dd.person_id WHERE dd.version_id = :v"
        ), {"v": version}).all()  # fmt: skip
    random.Random(7).shuffle(rows)
    return rows[:limit] if limit else rows


def _ack_floor(db, version: int, people: list[int]) -> float:
    start = time.perf_counter()
    for person in people:
        with db.engine.begin() as conn:
            conn.execute(
                text("UPDATE directive_delivery SET acked_at = CURRENT_TIMESTAMP, how = 'web' "
                     "WHERE version_id = :v AND person_id = :p"),
                {"v": version, "p": person},
            )  # fmt: skip
    return time.perf_counter() - start


def _reach_floor(db, version: int) -> float:
    with db.read() as conn:
        start = time.perf_counter()
        conn.execute(text(
            "SELECT team_id, COUNT(*), COUNT(acked_at) FROM directive_delivery "
            "WHERE version_id = :v GROUP BY team_id"
        ), {"v": version}).all()  # fmt: skip
        return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teams", type=int, default=10000)
    ap.add_argument("--acks", type=int, default=0, help="acknowledgements to time (0: all)")
    ap.add_argument("--pg", default="", help="a PostgreSQL URL to run on instead of SQLite")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = _database(args.pg or None, Path(folder))
        services.census.build_demo(db, DemoSpec(teams=args.teams, days=7))
        day = time.strftime("%Y-%m-%d")
        floor_issue = _issue_floor(db, day)
        start = time.perf_counter()
        directive, reached = services.directives.issue(db, BOSS, None, "安全交底", "班前会必读")
        issue = time.perf_counter() - start
        version = services.directives.reach_page(db, BOSS, directive).version.version_id
        members = _members(db, version, args.acks)
        start = time.perf_counter()
        for _person, number in members:
            viewer = Viewer(2, "m", AccessRole.MEMBER, employee_no=number)
            services.directives.acknowledge(db, viewer, directive)
        acks = time.perf_counter() - start
        floor_acks = _ack_floor(db, version, [p for p, _n in members])
        start = time.perf_counter()
        page = services.directives.reach_page(db, BOSS, directive)
        reach = time.perf_counter() - start
        floor_reach = _reach_floor(db, version)
        assert page.total.acked == len(members), (page.total.acked, len(members))
        edited = services.directives.edit(db, BOSS, directive, "安全交底", "第二版")
        start = time.perf_counter()
        made = services.notices.remind(db, _later(db))
        remind = time.perf_counter() - start
        n = len(members)
        report(
            f"directive to {reached:,} members ({args.teams:,} teams, "
            f"{'PostgreSQL' if args.pg else 'SQLite'})",
            [
                ("issue", f"{issue:.2f} s  (floor INSERT…SELECT {floor_issue:.2f} s, "
                          f"{issue / floor_issue:.1f}x)"),
                ("acknowledge, one by one", f"{n:,} in {acks:.1f} s = {n / acks:,.0f}/s, "
                 f"{1000 * acks / n:.2f} ms each  (floor UPDATE per row {n / floor_acks:,.0f}/s, "
                 f"{acks / floor_acks:.1f}x)"),
                ("reach page data", f"{1000 * reach:.0f} ms  (floor GROUP BY "
                 f"{1000 * floor_reach:.0f} ms, {reach / floor_reach:.1f}x)"),
                (f"reminder pass (version {edited})",
                 f"{remind:.2f} s, {made['directive']:,} notices"),
                ("peak memory", f"{peak_mb():.0f} MB"),
            ],
        )  # fmt: skip
        db.close()


def _later(db):
    from datetime import UTC, datetime, timedelta

    return datetime.now(UTC) + timedelta(days=db.settings.directive_remind_days + 1)


if __name__ == "__main__":
    main()
