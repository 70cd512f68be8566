"""Small helpers shared by the benchmarks: a timer and a figure printer."""

from __future__ import annotations

import resource
import time
from contextlib import contextmanager


@contextmanager
def timed(results: dict, name: str):
    start = time.perf_counter()
    yield
    results[name] = time.perf_counter() - start


def peak_mb() -> float:
    """Peak resident memory of this process (and its finished children), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return own / 1024


def report(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n== {title}")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
