"""Run one read-only SQLite query over several parts of a table at once, in child processes.

SQLite runs one query on one core, and two threads in one process do not help (measured: two
halves of the weekly aggregation took longer on two threads than one after the other). A child
process per part does: each is a bare interpreter running only the standard library's sqlite3
(started in ~20 ms), and sends its rows back with marshal.
"""

from __future__ import annotations

import json
import marshal
import subprocess
import sys
from typing import Any

_CHILD = r"""
import json, marshal, sqlite3, sys
job = json.loads(sys.stdin.readline())
conn = sqlite3.connect("file:" + job["path"] + "?mode=ro", uri=True)
rows = conn.execute(job["sql"], job["params"]).fetchall()
sys.stdout.buffer.write(marshal.dumps(rows))
"""


class Parts:
    """Started with the parts to run in children; ``result(own)`` adds the rows of the part the
    caller ran itself and returns all rows, in the order of the parts."""

    def __init__(self, path: str, sql: str, params: list[dict[str, Any]]) -> None:
        self.children = []
        for p in params:
            child = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _CHILD],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            assert child.stdin is not None
            child.stdin.write((json.dumps({"path": path, "sql": sql, "params": p}) + "\n").encode())
            child.stdin.close()
            self.children.append(child)

    def result(self, own: list[tuple]) -> list[tuple]:
        rows = list(own)
        for child in self.children:
            assert child.stdout is not None and child.stderr is not None
            out, err = child.stdout.read(), child.stderr.read()
            if child.wait() != 0:
                raise RuntimeError(f"a parallel read of the database failed: {err.decode()}")
            rows.extend(marshal.loads(out))
        return rows
