"""Values that parse but stand far from the rest of their file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from teamroots.census.convert import Problem
from teamroots.i18n import N_

FAR_DAYS = 3653  # ten years
MIN_RECORDS = 5  # fewer records say too little about where the file's dates lie


def far_dates(days: Sequence[int], rows: Sequence[int], column: str) -> list[Problem]:
    """Records (``days`` as ordinals, on file ``rows``) dated ten years or more away from the
    median of the file — a typo such as 1926 for 2026: a problem each. The importer does not
    collect the days when the mapping allows far dates (``[file] allow_far_dates``)."""
    if len(days) < MIN_RECORDS:
        return []
    middle = sorted(days)[len(days) // 2]
    around = date.fromordinal(middle).isoformat()
    return [
        Problem(
            row,
            column,
            date.fromordinal(day).isoformat(),
            N_(
                "a date near the rest of the file (around {around}); if it is right, set "
                "allow_far_dates = true in [file] of a mapping file"
            ),
            (("around", around),),
        )
        for day, row in zip(days, rows, strict=True)
        if abs(day - middle) >= FAR_DAYS
    ]


def implausible(row: int, values: dict, columns: dict[str, str], ratio: float) -> list[Problem]:
    """A record's values that parse but cannot be right: an actual output more than ``ratio``
    times the planned (a misplaced decimal point: 9500 for 95.0), more members present than
    ``ratio`` times those scheduled."""
    found = []
    for value, base, msgid in (
        (
            "actual",
            "planned",
            N_(
                "an actual output at most {ratio:g} times the planned {base:g} (check for a "
                "misplaced decimal point; setting TEAMROOTS_MAX_ACTUAL_RATIO)"
            ),
        ),
        (
            "members_present",
            "members_scheduled",
            N_(
                "members present at most {ratio:g} times the {base:g} scheduled (setting "
                "TEAMROOTS_MAX_ACTUAL_RATIO)"
            ),
        ),
    ):
        high, low = values.get(value), values.get(base)
        if high is not None and low and high > ratio * low:
            found.append(
                Problem(
                    row,
                    columns.get(value, value),
                    f"{high:g}",
                    msgid,
                    (("ratio", ratio), ("base", low)),
                )
            )
    return found
