"""A daily-records file read column by column: the common case of a large import — every cell
plain, every team known, no key twice, no date in the future or years away, nothing
implausible — without a Python step per cell.

It only ever takes the row-by-row import's own results: a cell it does not recognise at once
goes through that field's own parser, and anything that would be a problem or a warning
there (a cell its parser refuses, an unknown team, a duplicate key, a future or far date, an
implausible value, a malformed row, an XLSX's typed cells) makes it give up before anything
is written. The import then reads the file again row by row (importer.run_import), which
says what is wrong. So an import's outcome and its problems are the row-by-row import's;
only the clean file is read sooner. Pure of any database, like the importer.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import polars as pl

from teamroots.census import parse
from teamroots.census.cells import BadRow
from teamroots.census.convert import Plan, Step
from teamroots.census.importer import Outcome, Refs, Sink
from teamroots.census.mapping import Mapping
from teamroots.census.outliers import far_dates

CHUNK = 100_000  # rows turned into columns at a time

# What a record's fields become, and the cells each field's type takes as they are: those
# whose own parser gives exactly what polars' cast gives (plain ASCII digits, ISO dates, codes
# without space or a leading apostrophe). Any other cell goes through the field's parser.
_TYPES = {
    "number": (pl.Float64, r"^[0-9]+(\.[0-9]+)?$"),
    "count": (pl.Int64, r"^[0-9]{1,15}$"),  # exact as a float too (parse.count's way)
    "date": (pl.Date, r"^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"),
    "team": (pl.Utf8, r"^[!-&(-~][!-~]*$"),
}
# the record's columns in the order the row-by-row import writes them
_FIELDS = ("team", "date", "planned", "actual", "members_scheduled", "members_present",
           "incidents", "defects")  # fmt: skip
_COLUMN = {"team": "team_id", "date": "day"}


class _Irregular(Exception):
    """Something the row-by-row import must handle (and name)."""


def eligible(plan: Plan, mapping: Mapping) -> bool:
    """Whether a file may be read column by column: daily records whose fields are each read
    from one column as it is (no constant, template or value alias), duplicates refused."""
    if plan.kind.name != "records" or plan.missing or mapping.duplicates != "error":
        return False
    return all(s.index is not None for s in plan.steps if s.field.name in _FIELDS)


def run(
    plan: Plan,
    rows: Iterable[tuple[int, list[Any]]],
    refs: Refs,
    sink: Sink,
    mapping: Mapping,
    tick: Callable[[float], None] | None = None,
) -> Outcome | None:
    """Import a records file column by column: its outcome, or None when the file needs the
    row-by-row import (nothing was written then). ``tick`` gets the share of the work done:
    reading is the first 40 %, writing the rest."""
    try:
        frame, count = _read(plan, rows, refs, mapping, tick)
    except _Irregular:
        return None
    outcome = Outcome(plan.kind.name, rows=count, ignored_columns=plan.ignored)
    write_tick = None if tick is None else (lambda done: tick(0.4 + 0.6 * done / count))
    sink.add_frame(frame, write_tick)
    outcome.inserted, outcome.updated = sink.finish()
    outcome.created_units, outcome.created_teams = refs.created_units, refs.created_teams
    return outcome


def _read(
    plan: Plan, rows: Iterable, refs: Refs, mapping: Mapping, tick
) -> tuple[pl.DataFrame, int]:
    steps = [s for s in plan.steps if s.field.name in _FIELDS]
    teams: dict[str, int] = {}
    numbers, parts, chunk = array("i"), [], []
    for number, cells in rows:
        if type(cells) is BadRow:
            raise _Irregular
        numbers.append(number)
        chunk.append(cells)
        if len(chunk) >= CHUNK:
            parts.append(_columns(chunk, steps, refs, teams))
            chunk = []
            if tick is not None:
                tick(0.0)
    if chunk:
        parts.append(_columns(chunk, steps, refs, teams))
    if not parts:
        raise _Irregular  # an empty file: the row-by-row import says so
    frame = pl.concat(parts)
    _check(frame, plan, mapping, numbers)
    return frame, frame.height


def _columns(
    chunk: list[list[Any]], steps: list[Step], refs: Refs, teams: dict[str, int]
) -> pl.DataFrame:
    """One chunk's rows as typed columns, each cell exactly as its field's parser reads it."""
    width = max(s.index for s in steps) + 1  # type: ignore[type-var]
    if any(len(cells) < width for cells in chunk):
        chunk = [cells + [None] * (width - len(cells)) for cells in chunk]
    by_column = list(zip(*chunk, strict=False))
    out = {}
    for step in steps:
        raw = by_column[step.index]  # type: ignore[index]
        try:
            out[_COLUMN.get(step.field.name, step.field.name)] = _typed(raw, step)
        except (TypeError, OverflowError, pl.exceptions.PolarsError):
            raise _Irregular from None  # a typed cell (XLSX), or a value polars cannot hold
    frame = pl.DataFrame(out)
    if "team_id" in frame.columns:
        frame = frame.with_columns(team_id=_team_ids(frame["team_id"], refs, teams))
    return frame


def _typed(raw: tuple, step: Step) -> pl.Series:
    dtype, plain = _TYPES[step.field.type if step.field.type in _TYPES else "team"]
    cells = pl.Series(raw, dtype=pl.Utf8, strict=True)
    if dtype == pl.Date:
        values = cells.str.to_date("%Y-%m-%d", strict=False)
    else:
        values = cells.cast(dtype, strict=False)
    fits = cells.str.contains(plain).fill_null(False) & values.is_not_null()
    values = pl.select(pl.when(fits).then(values)).to_series()
    others = (~fits & cells.is_not_null() & (cells != "")).arg_true()
    if len(others):
        parsed = []
        for i in others.to_list():
            try:
                parsed.append(step.parse(raw[i]))
            except parse.Bad:
                raise _Irregular from None
        values = values.scatter(others, pl.Series(parsed, dtype=dtype, strict=True))
    if step.field.required and values.null_count():
        raise _Irregular
    return values


def _team_ids(codes: pl.Series, refs: Refs, teams: dict[str, int]) -> pl.Series:
    """Codes to ids as the row-by-row import finds them; an unknown code is irregular (that
    import names it, or creates the team when the mapping allows)."""
    for code in codes.unique().to_list():
        if code not in teams:
            found = refs.team(code)
            if found is None:
                raise _Irregular
            teams[code] = found
    return codes.replace_strict(teams, return_dtype=pl.Int64)


_EPOCH = date(1970, 1, 1).toordinal()


def _check(frame: pl.DataFrame, plan: Plan, mapping: Mapping, numbers: array) -> None:
    """What the row-by-row import would report or warn of: a future date, a value it refuses
    or finds implausible, a key twice, dates years away from the rest."""
    cols = set(frame.columns)
    if frame["day"].max() > date.today():
        raise _Irregular
    floats = [c for c, t in frame.schema.items() if t == pl.Float64]
    if floats and frame.select(pl.any_horizontal(pl.col(floats).is_infinite()).any()).item():
        raise _Irregular
    ratio = plan.max_actual_ratio
    for high, low in (("actual", "planned"), ("members_present", "members_scheduled")):
        if {high, low} <= cols:
            h, lo = pl.col(high), pl.col(low)
            if frame.select((h.is_not_null() & (lo != 0) & (h > ratio * lo)).any()).item():
                raise _Irregular
    if frame.select(pl.struct("team_id", "day").is_duplicated().any()).item():
        raise _Irregular
    if not mapping.allow_far_dates:
        days = (frame["day"].cast(pl.Int32) + _EPOCH).to_list()
        column = next(s.column for s in plan.steps if s.field.name == "date")
        if far_dates(days, numbers, column):
            raise _Irregular
