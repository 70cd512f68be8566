"""Attendance and before/after test scores of a training plan's trainees, read from a CSV or
XLSX file: all or nothing, every bad cell named by row, column, value and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from teamroots.census import parse
from teamroots.census.convert import Problem
from teamroots.census.readers import open_table
from teamroots.config import Settings
from teamroots.domain.rows import ResultRow
from teamroots.errors import BadFile, ImportProblems
from teamroots.i18n import N_

COLUMNS = {
    "employee_no": ("employee_no", "employee", "person", "工号", "员工号"),
    "attended": ("attended", "attendance", "出勤", "是否出勤"),
    "score_before": ("score_before", "before", "培训前", "培训前成绩"),
    "score_after": ("score_after", "after", "培训后", "培训后成绩"),
}


def _columns(headers: list[str], file: str) -> dict[str, int]:
    found = {}
    names = [parse.norm_word(h) for h in headers]
    for field, aliases in COLUMNS.items():
        hit = next((i for i, n in enumerate(names) if n in aliases), None)
        if hit is not None:
            found[field] = hit
    if "employee_no" not in found:
        raise BadFile(
            "{file}: no column employee_no (or 工号); the columns are {columns}.",
            file=file,
            columns=", ".join(headers),
        )
    return found


@dataclass(frozen=True)
class Results:
    """A results file read: rows by person id, the fields the file has (a field it lacks is
    left as stored), and the columns it has that are not used."""

    rows: list[ResultRow]
    fields: frozenset[str]
    ignored: list[str]


def read_results(path: Path, settings: Settings, trainees: dict[str, int]) -> Results:
    """The file's results by person id; ImportProblems when any row is bad.
    ``trainees`` maps the plan's employee numbers to person ids."""
    table = open_table(path, settings)
    cols = _columns(table.headers, str(path))
    ignored = [h for i, h in enumerate(table.headers) if h and i not in cols.values()]
    parsers = {"attended": parse.boolean, "score_before": parse.number, "score_after": parse.number}
    rows, problems, seen, count = [], [], {}, 0
    try:
        for number, cells in table.rows:
            count += 1
            values: dict[str, Any] = {}
            for field, i in cols.items():
                raw = cells[i] if i < len(cells) else None
                try:
                    values[field] = parsers.get(field, parse.text)(raw)
                except parse.Bad as bad:
                    problems.append(
                        Problem(
                            number,
                            table.headers[i],
                            parse.clean(raw),
                            bad.expected,
                            tuple(bad.params.items()),
                        )
                    )
            no = values.get("employee_no")
            column = table.headers[cols["employee_no"]]
            if no is None or no not in trainees:
                problems.append(
                    Problem(
                        number, column, no or "", N_("an employee number of a trainee in this plan")
                    )
                )
            elif no in seen:
                problems.append(
                    Problem(
                        number,
                        column,
                        no,
                        N_("each trainee once (also on row {row})"),
                        (("row", seen[no]),),
                    )
                )
            else:
                seen[no] = number
                rows.append(
                    ResultRow(
                        trainees[no],
                        values.get("attended"),
                        values.get("score_before"),
                        values.get("score_after"),
                    )
                )
    finally:
        table.close()
    if problems:
        raise ImportProblems(problems, count, str(path))
    return Results(rows, frozenset(cols) - {"employee_no"}, ignored)
