"""Attendance and before/after test scores of a training plan's trainees: read from a CSV or
XLSX file (all or nothing; every bad cell named by row, column, value and what was expected;
a re-import of the same file changes nothing), and summed up per batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from teamroots.census import parse
from teamroots.census.convert import Problem
from teamroots.census.readers import open_table
from teamroots.config import Settings
from teamroots.errors import ConfigError, ImportProblems
from teamroots.i18n import N_
from teamroots.store import plan_repo

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
        raise ConfigError(
            "{file}: no column employee_no (or 工号); the columns are {columns}.",
            file=file,
            columns=", ".join(headers),
        )
    return found


def read_results(path: Path, settings: Settings, trainees: dict[str, int]) -> list[tuple]:
    """[(person id, attended, before, after)] from the file; ImportProblems when any is bad.
    ``trainees`` maps the plan's employee numbers to person ids."""
    table = open_table(path, settings)
    cols = _columns(table.headers, str(path))
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
                    (
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
    return rows


def record_results(settings: Settings, plan_id: int, path: Path) -> dict[str, int]:
    """Store the file's results for a training plan; returns new / changed / unchanged."""
    from teamroots.services import open_db

    with open_db(settings) as engine, engine.begin() as conn:
        kind, _, doc = plan_repo.load_plan(conn, plan_id)
        if kind != "training":
            raise ConfigError(
                "Plan {plan} is a {kind} plan; results are recorded for training plans.",
                plan=plan_id,
                kind=kind,
            )
        numbers = {t["person"] for t in doc["trainees"]}
        trainees = {no: pid for no, pid in plan_repo.person_ids(conn) if no in numbers}
        rows = read_results(Path(path), settings, trainees)
        return plan_repo.upsert_results(conn, plan_id, rows)


def summary(doc: dict[str, Any], results: list[tuple]) -> list[dict[str, Any]]:
    """Per batch: trainees, results recorded, attended, mean score before and after and the
    change (over trainees with both scores)."""
    batch_of = {t["person"]: t["batch"] for t in doc["trainees"]}
    out = []
    for b in doc["batches"]:
        mine = [r for r in results if batch_of.get(r[0]) == b["batch"]]
        both = [(r[2], r[3]) for r in mine if r[2] is not None and r[3] is not None]
        before = sum(x for x, _ in both) / len(both) if both else None
        after = sum(y for _, y in both) / len(both) if both else None
        out.append(
            {
                "batch": b["batch"],
                "date": b["date"],
                "trainees": len(b["leaders"]),
                "recorded": len(mine),
                "attended": sum(1 for r in mine if r[1]),
                "before": before,
                "after": after,
                "change": None if before is None else after - before,
            }
        )
    return out
