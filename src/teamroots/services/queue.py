"""Long work on a job queue: huey, on the database teamroots already has — a queue file beside
the SQLite database (the embedded default: no service beyond SQLite), or the queue's tables in
the same PostgreSQL (``FOR UPDATE SKIP LOCKED`` and ``LISTEN``/``NOTIFY``). Chosen over
procrastinate by bench/bench_queue.py: one library for both engines, no dependencies, and 1.8×
faster on PostgreSQL (procrastinate has no SQLite at all).

huey removes a task from the queue when a worker takes it, so a worker killed mid-job would
lose it; teamroots keeps what a job is in its own ``job`` row instead. A worker claims the row
(only one can), beats every ``BEAT_SECONDS`` while it runs (in the queue's key-value store,
which an import holding SQLite's one writer does not block), and ``watch`` — every minute and
whenever a worker starts — finds running jobs whose beat stopped: it queues them again once,
then marks them failed with the reason. Every job writes in one transaction, so a killed job
left nothing half-written; running it again is safe (an import of the same file is
idempotent, a plan is a new proposal).

Workers run inside each web process (``TEAMROOTS_WORKER_IN_APP``, the default) or apart, as
``teamroots worker``. Reminders and escalations run on the queue's schedule too."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from teamroots.store.db import Database
from teamroots.store.queue_store import storage_for

QUEUE = "teamroots"
BEAT_SECONDS = 1.0
_QUEUES: dict[int, tuple[Database, JobQueue]] = {}
_LOCK = threading.Lock()
log = logging.getLogger("teamroots")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"[:100]


class JobQueue:
    """The queue of one database: its tasks, its schedule and the jobs' heartbeats. ``work``
    is what a job is (services/jobs.py): ``claim``, ``run``, ``running``, ``started_epoch``,
    ``stopped``, ``stuck`` and ``forget_old_reports``."""

    def __init__(self, db: Database, work: Any) -> None:
        from huey import Huey, crontab

        storage, options = storage_for(db.settings.database_url)
        self.db, self.work = db, work
        self.huey = Huey(QUEUE, results=False, storage_class=storage, **options)
        self._run = self.huey.task(name="run_job")(self.run_job)
        self.huey.periodic_task(crontab(), name="watch")(self.watch)
        self.huey.on_startup(name="watch_at_start")(self._watch_quietly)
        every = db.settings.remind_every_minutes  # a divisor of 60, or hours dividing a day
        if every > 0:
            hours = every // 60
            when = crontab(minute=f"*/{every}") if every < 60 else crontab("0", f"*/{hours}")
            self.huey.periodic_task(when, name="remind")(self.remind)

    def enqueue(self, job_id: int) -> None:
        self._run(job_id)

    def state(self, job_id: int) -> dict | None:
        """A running job's last beat: when (epoch seconds), its measured progress, its worker."""
        return self.huey.get(f"job:{job_id}", peek=True)

    def forget(self, job_id: int) -> None:
        self.huey.delete(f"job:{job_id}")

    def run_job(self, job_id: int) -> None:
        jobs = self.work
        row = jobs.claim(self.db, job_id, worker_name())
        if row is None:  # another worker has it, or it ended
            return
        beat = _Beat(self, job_id)
        beat.start()
        try:
            jobs.run(self.db, row, beat.progress)
        finally:
            beat.stop()
            self.forget(job_id)

    def watch(self, now: float | None = None) -> dict[str, int]:
        """Queue again (once) or fail each running job whose worker stopped beating, and queue
        again each job long queued whose task the queue no longer holds."""
        jobs = self.work
        now = now or time.time()
        stale = self.db.settings.job_stale_seconds
        counts = {"queued": 0, "failed": 0}
        for row in jobs.running(self.db):
            state = self.state(row["id"])
            last = state["beat"] if state else jobs.started_epoch(row)
            if now - last < stale:
                continue
            outcome = jobs.stopped(self.db, row)
            if outcome == "queued":
                self.enqueue(row["id"])
            if outcome:
                counts[outcome] += 1
                self.forget(row["id"])
        pending = None
        for job_id in jobs.stuck(self.db, stale):
            if pending is None:  # the queue's own tasks, read once and only when needed
                pending = {t.args[0] for t in self.huey.pending() if t.name.endswith("run_job")}
            if job_id not in pending:
                self.enqueue(job_id)
                counts["queued"] += 1
        if counts["queued"] or counts["failed"]:
            log.warning("jobs whose worker stopped or whose task was lost: %s", counts)
        jobs.forget_old_reports(self.db)
        return counts

    def _watch_quietly(self) -> None:
        try:
            self.watch()
        except Exception as exc:  # a busy database at start: the minute's watch catches up
            log.warning("watching jobs: %s", exc)

    def remind(self) -> None:
        from teamroots.errors import TeamrootsError
        from teamroots.services import notices

        try:
            notices.remind(self.db)
        except TeamrootsError as exc:  # busy database: the next round catches up
            log.warning("reminders: %s", exc.message())

    def consumer(self, threads: int, *, in_app: bool):
        """A huey consumer of this queue: ``in_app`` leaves the process's signals alone (the
        web server owns them), and ``start()`` returns at once."""
        from huey.consumer import Consumer

        kind = _in_app_consumer() if in_app else Consumer
        return kind(self.huey, workers=threads, worker_type="thread", max_delay=1.0)


def _in_app_consumer():
    """huey's consumer, minus the signal handlers (in a web process, the server owns them)."""
    from huey.consumer import Consumer

    class InApp(Consumer):
        def _set_signal_handlers(self) -> None:
            pass

    return InApp


class _Beat:
    """A running job's heartbeat, with the progress it has measured, every BEAT_SECONDS."""

    def __init__(self, queue: JobQueue, job_id: int) -> None:
        self.queue, self.key = queue, f"job:{job_id}"
        self.share: float | None = None
        self.worker = worker_name()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._loop, name=f"beat-{job_id}", daemon=True)

    def progress(self, done: int, total: int) -> None:
        self.share = done / total if total else 0.0

    def _put(self) -> None:
        state = {"beat": time.time(), "progress": self.share, "worker": self.worker}
        try:
            self.queue.huey.put(self.key, state)
        except Exception as exc:  # a missed beat is not a failed job
            log.warning("job heartbeat: %s", exc)

    def _loop(self) -> None:
        self._put()
        while not self.done.wait(BEAT_SECONDS):
            self._put()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.done.set()
        self.thread.join(timeout=BEAT_SECONDS * 2)


def queue_for(db: Database, work: Any) -> JobQueue:
    """The process's queue for ``db`` (one per database handle)."""
    with _LOCK:
        kept = _QUEUES.get(id(db))
        if kept is None or kept[0] is not db:
            kept = (db, JobQueue(db, work))
            _QUEUES[id(db)] = kept
        return kept[1]
