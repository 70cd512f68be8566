"""A broken rule of a plan, as every plan's checker reports it: which constraint, for which
team (its code, or None for the plant), and the detail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    constraint: str
    team: str | None
    detail: str
