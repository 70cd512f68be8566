"""Which job queue (issue 13): huey on SQLite, huey on PostgreSQL and, where it is installed,
procrastinate on PostgreSQL — each beside a plain SQL floor doing the same rows' work in the same
run (an INSERT per job, then a DELETE … RETURNING per job, in SQLite).

    python bench/bench_queue.py [--jobs 1000] [--latency 20] [--pg URL]

Two figures per queue: the time to enqueue ``--jobs`` empty jobs and have two worker threads
drain them, and the median time from enqueueing one job on an idle queue to its start (what a
user waits before their plan starts solving).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import report

PG = "postgresql://postgres@127.0.0.1:5432/test"


def _floor(folder: Path, jobs: int) -> float:
    conn = sqlite3.connect(folder / "floor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("CREATE TABLE task (id INTEGER PRIMARY KEY, data BLOB)")
    start = time.perf_counter()
    for i in range(jobs):
        conn.execute("INSERT INTO task (data) VALUES (?)", (str(i).encode(),))
    while conn.execute(
        "DELETE FROM task WHERE id = (SELECT MIN(id) FROM task) RETURNING data"
    ).fetchone():
        pass
    return time.perf_counter() - start


def _huey(storage_factory, jobs: int, latency: int) -> tuple[float, float]:
    from huey import Huey
    from huey.consumer import Consumer

    huey = Huey("bench", storage_class=storage_factory, results=False)
    done = threading.Semaphore(0)
    started: list[float] = []

    @huey.task()
    def noop(_i: int) -> None:
        started.append(time.perf_counter())
        done.release()

    class Quiet(Consumer):
        def _set_signal_handlers(self):  # not the main thread
            pass

    consumer = Quiet(huey, workers=2, worker_type="thread", max_delay=0.1, periodic=False)
    consumer.start()
    try:
        start = time.perf_counter()
        for i in range(jobs):
            noop(i)
        for _ in range(jobs):
            done.acquire()
        drained = time.perf_counter() - start
        waits = []
        for i in range(latency):
            time.sleep(0.3)
            started.clear()
            asked = time.perf_counter()
            noop(i)
            done.acquire()
            waits.append(started[0] - asked)
    finally:
        consumer.stop(graceful=True)
    return drained, statistics.median(waits)


def _procrastinate(pg: str, jobs: int, latency: int) -> tuple[float, float] | None:
    try:
        import procrastinate
        import psycopg
    except ImportError:
        return None
    admin = psycopg.connect(pg, autocommit=True)
    admin.execute("DROP DATABASE IF EXISTS bench_queue")
    admin.execute("CREATE DATABASE bench_queue")
    url = pg.rsplit("/", 1)[0] + "/bench_queue"
    sender = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=url))
    worker = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url))
    started: list[float] = []

    @sender.task(name="noop")
    def send(i: int) -> None:  # only deferred from here; the worker's runs
        raise AssertionError

    @worker.task(name="noop")
    def noop(i: int) -> None:
        started.append(time.perf_counter())

    try:
        with sender.open():
            sender.schema_manager.apply_schema()
            start = time.perf_counter()
            for i in range(jobs):
                send.defer(i=i)
            worker.run_worker(concurrency=2, wait=False, install_signal_handlers=False)
            drained = time.perf_counter() - start
            waits = []

            def work() -> None:
                worker.run_worker(
                    concurrency=2,
                    install_signal_handlers=False,
                    fetch_job_polling_interval=0.1,
                    shutdown_graceful_timeout=1,
                )

            threading.Thread(target=work, daemon=True).start()
            time.sleep(1.0)
            for i in range(latency):
                time.sleep(0.3)
                started.clear()
                asked = time.perf_counter()
                send.defer(i=i)
                while not started:
                    time.sleep(0.001)
                waits.append(started[0] - asked)
        return drained, statistics.median(waits)
    finally:
        time.sleep(0.5)
        admin.execute("DROP DATABASE IF EXISTS bench_queue WITH (FORCE)")
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--latency", type=int, default=20)
    parser.add_argument("--pg", default=PG, help="PostgreSQL URL ('' to skip)")
    args = parser.parse_args()
    from huey.storage import PostgresStorage, SqliteStorage

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor = _floor(folder, args.jobs)
        rows.append((f"floor: SQL insert + delete of {args.jobs} rows", f"{floor:.3f} s"))

        def sqlite_storage(name, **kw):
            return SqliteStorage(name, filename=str(folder / "queue.db"), **kw)

        drained, wait = _huey(sqlite_storage, args.jobs, args.latency)
        rows.append(
            ("huey, SQLite: enqueue and drain", f"{drained:.3f} s ({drained / floor:.1f}×)")
        )
        rows.append(("huey, SQLite: idle queue to start, median", f"{wait * 1000:.0f} ms"))
        if args.pg:

            def pg_storage(name, **kw):
                return PostgresStorage(name, dsn=args.pg, table_prefix="bench_huey", **kw)

            drained, wait = _huey(pg_storage, args.jobs, args.latency)
            rows.append(
                ("huey, PostgreSQL: enqueue and drain", f"{drained:.3f} s ({drained / floor:.1f}×)")
            )
            rows.append(("huey, PostgreSQL: idle queue to start, median", f"{wait * 1000:.0f} ms"))
            import psycopg

            with psycopg.connect(args.pg, autocommit=True) as conn:
                for table in ("kv", "schedule", "task", "counter"):
                    conn.execute(f"DROP TABLE IF EXISTS bench_huey_{table}")
            measured = _procrastinate(args.pg, args.jobs, args.latency)
            if measured:
                drained, wait = measured
                rows.append(
                    (
                        "procrastinate, PostgreSQL: enqueue and drain",
                        f"{drained:.3f} s ({drained / floor:.1f}×)",
                    )
                )
                rows.append(
                    (
                        "procrastinate, PostgreSQL: idle queue to start, median",
                        f"{wait * 1000:.0f} ms",
                    )
                )
    report(f"Job queue, {args.jobs} empty jobs, two worker threads", rows)


if __name__ == "__main__":
    main()
