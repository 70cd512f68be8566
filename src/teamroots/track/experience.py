"""The experience library: a case study of one team ("dissect a sparrow") or an advanced
team's practice, its KPIs before and after, and which entries to suggest to a weak team —
those whose teams had the same diagnosis and then improved, the most improved first."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from teamroots.i18n import N_


class Kind(StrEnum):
    CASE = "case"  # a case study: situation, diagnosis, what was done, the result
    PRACTICE = "practice"  # an advanced team's practice


KIND_NAMES = {Kind.CASE: N_("Case study"), Kind.PRACTICE: N_("Practice")}
PERIOD_WEEKS = 8  # each period compared, before and after the day the work began
MIN_QUERY = 1


def improvement(before: dict, after: dict) -> float | None:
    """The change in completion, in percentage points, from before to after; None when
    either period has no completion."""
    a, b = after.get("completion"), before.get("completion")
    return None if a is None or b is None else round(100 * (a - b), 1)


def search_text(*parts: str) -> str:
    """What search reads: every part, case-folded, one line each."""
    return "\n".join(p.casefold() for p in parts if p)


def terms(query: str) -> list[str]:
    """The terms of a query: split on spaces (a Chinese phrase is one term), case-folded;
    an entry must hold every term."""
    return [t.casefold() for t in query.split() if t.strip()]


@dataclass(frozen=True)
class Candidate:
    id: int
    diagnosis: frozenset[str]
    improvement: float | None
    uses: int


def suggest(diagnosis: set[str], entries: list[Candidate], limit: int = 5) -> list[Candidate]:
    """Entries whose teams shared at least one of the diagnosis's problems and then improved,
    ranked by the improvement (then by shared problems, then by uses)."""
    fitting = [
        e for e in entries if e.diagnosis & diagnosis and e.improvement and e.improvement > 0
    ]
    fitting.sort(key=lambda e: (-e.improvement, -len(e.diagnosis & diagnosis), -e.uses, e.id))
    return fitting[:limit]
