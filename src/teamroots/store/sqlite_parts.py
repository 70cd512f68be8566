"""Run one read-only SQLite query over several parts of a table at once, in child processes.

SQLite runs one query on one core, and two threads in one process do not help (measured: two
halves of the weekly aggregation took longer on two threads than one after the other). A child
process per part does: each is a bare interpreter running only the standard library's sqlite3
(started in ~20 ms), and sends its rows back with marshal.

A child cannot join the parent's read transaction, so each reads, in its own transaction, the
data_serial row that every write transaction bumps (``Database.write``) along with its part.
A part whose serial differs from the parent's saw another committed state: the parent reads
that part again itself, inside its own snapshot. The result is always one committed state.
Children open the file with the project's connection settings (``db.SQLITE_PRAGMAS``).
"""

from __future__ import annotations

import json
import marshal
import subprocess
import sys
from typing import Any

from teamroots.store.db import sqlite_pragmas

SERIAL_SQL = "SELECT serial FROM data_serial WHERE id = 1"

_CHILD = r"""
import json, marshal, sqlite3, sys
job = json.loads(sys.stdin.readline())
conn = sqlite3.connect("file:" + job["path"] + "?mode=ro", uri=True, isolation_level=None)
for pragma in job["pragmas"]:
    conn.execute(pragma).fetchall()
conn.execute("BEGIN")
serial = conn.execute(job["serial"]).fetchone()
rows = conn.execute(job["sql"], job["params"]).fetchall()
conn.execute("COMMIT")
sys.stdout.buffer.write(marshal.dumps((serial[0] if serial else None, rows)))
"""


class Parts:
    """Started with the parts to run in children; ``result(own, run)`` adds the rows of the
    part the caller ran itself and returns all rows, in the order of the parts. ``run(params)``
    reads a part again in the caller's snapshot when a child saw another committed state."""

    def __init__(self, path: str, sql: str, params: list[dict[str, Any]], busy: float) -> None:
        self.params = params
        self.children = []
        # journal_mode needs the write lock to change and is already WAL: children skip it.
        pragmas = [p for p in sqlite_pragmas(busy) if "journal_mode" not in p]
        for p in params:
            child = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _CHILD],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            assert child.stdin is not None
            job = {"path": path, "sql": sql, "params": p, "pragmas": pragmas, "serial": SERIAL_SQL}
            child.stdin.write((json.dumps(job) + "\n").encode())
            child.stdin.close()
            self.children.append(child)
        self.reread = 0  # parts the caller read again (a commit landed between snapshots)

    def result(self, own: list[tuple], serial: int, run) -> list[tuple]:
        rows = list(own)
        for child, params in zip(self.children, self.params, strict=True):
            assert child.stdout is not None and child.stderr is not None
            out, err = child.stdout.read(), child.stderr.read()
            if child.wait() != 0:
                raise RuntimeError(f"a parallel read of the database failed: {err.decode()}")
            seen, part = marshal.loads(out)
            if seen != serial:
                self.reread += 1
                part = run(params)
            rows.extend(part)
        return rows
