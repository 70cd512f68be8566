"""A records file read column by column (census/columnar.py) gives exactly what the same file
read row by row gives — the rows stored, the weekly rollup, the counts, the warnings, the
problems — for generated files clean and messy, on SQLite and PostgreSQL; and a clean file is
in fact read column by column."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamroots import services
from teamroots.census import columnar
from teamroots.errors import ImportProblems
from tests.factories import record_rows, small_plant, write_csv

HEAD = ("team", "date", "planned", "actual", "members_scheduled", "members_present",
        "incidents", "defects")  # fmt: skip
TODAY = date.today()

# cells as plants write them: mostly plain, now and then what only a field's parser reads,
# or refuses, or what the import warns of
TEAMS = ["T1", "T2", "T3", "t1", " T2", "T２", "", "T9"]
NUMBERS = ["100", "12.5", "0", "1,234", " 7 ", "３", "", "-1", "abc", "1e3", "12.0", "inf"]
COUNTS = ["0", "3", "3.0", "", " 2", "2.5", "x", "01"]


def _date(rng: random.Random, base: date) -> str:
    day = base + timedelta(days=rng.randint(0, 40))
    return rng.choice(
        [day.isoformat()] * 12
        + [day.strftime("%Y/%m/%d"), day.strftime("%Y年%m月%d日"), day.strftime("%Y%m%d"), "",
           "2026-02-30", (TODAY + timedelta(days=3)).isoformat(), "1990-01-05", "0000-01-01"]
    )  # fmt: skip


def _cell(rng: random.Random, pool: list[str], plain: str, messy: float) -> str:
    return rng.choice(pool) if rng.random() < messy else plain


def _file(path, seed: int, rows: int, messy: float, duplicate: bool):
    rng = random.Random(seed)
    base = TODAY - timedelta(days=200)
    out, seen = [HEAD], []
    for _ in range(rows):
        planned = str(rng.randint(80, 120))
        actual = str(rng.randint(60, 130)) if rng.random() > messy / 4 else "9500"
        row = (
            _cell(rng, TEAMS, rng.choice(["T1", "T2", "T3"]), messy),
            _date(rng, base) if rng.random() < messy else
            (base + timedelta(days=rng.randint(0, 60))).isoformat(),
            _cell(rng, NUMBERS, planned, messy),
            _cell(rng, NUMBERS, actual, messy),
            _cell(rng, NUMBERS, "12", messy),
            _cell(rng, NUMBERS, str(rng.randint(8, 12)), messy),
            _cell(rng, COUNTS, str(rng.randint(0, 2)), messy),
            _cell(rng, COUNTS, "0", messy),
        )  # fmt: skip
        if (row[0], row[1]) in seen and not duplicate:
            continue
        seen.append((row[0], row[1]))
        out.append(row)
    return write_csv(path, out)


def _stored(db) -> dict:
    with db.read() as conn:
        return {
            t: conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1, 2").all()
            for t in ("team_record", "team_week")
        }


def _import(db, path):
    """What an import gives: its outcome, or the problems it raised; and the rows stored."""
    try:
        out = services.census.import_file(db, "records", path)
        got = (out.rows, out.inserted, out.updated, out.warnings, out.more_warnings)
    except ImportProblems as bad:
        got = ("problems", bad.problems, bad.rows_read, bad.complete)
    return got, _stored(db)


def _reset(db, base):
    with db.write() as conn:
        conn.exec_driver_sql("DELETE FROM team_week")
        conn.exec_driver_sql("DELETE FROM team_record")
        conn.exec_driver_sql("DELETE FROM import_batch")
    services.census.import_file(db, "records", base)  # stored before: some rows change


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    seed=st.integers(0, 100_000),
    rows=st.integers(1, 60),
    messy=st.sampled_from([0.0, 0.0, 0.02, 0.1, 0.5]),
    duplicate=st.booleans(),
)
def test_the_columnar_read_gives_what_the_row_by_row_read_gives(
    db, tmp_path, monkeypatch, seed, rows, messy, duplicate
):
    if not services.census.table_counts(db).get("team"):  # once: hypothesis reuses the db
        small_plant(db, tmp_path)
    base = _file(tmp_path / f"base{seed}.csv", seed + 1, 20, 0.0, False)
    path = _file(tmp_path / f"f{seed}.csv", seed, rows, messy, duplicate)
    _reset(db, base)
    fast = _import(db, path)
    _reset(db, base)
    with monkeypatch.context() as m:
        m.setattr(columnar, "eligible", lambda plan, mapping: False)
        slow = _import(db, path)
    assert fast == slow


def test_a_clean_records_file_is_read_column_by_column(db, tmp_path, monkeypatch):
    small_plant(db, tmp_path)
    path = write_csv(tmp_path / "r.csv", record_rows(3000))

    def row_by_row(*args, **kwargs):
        raise AssertionError("read row by row")

    monkeypatch.setattr("teamroots.services.census.run_import", row_by_row)
    seen = []
    out = services.census.import_file(db, "records", path, progress=lambda d, t: seen.append(d))
    assert (out.rows, out.inserted, out.updated) == (3000, 3000, 0)
    assert seen == sorted(seen) and seen[-1] == path.stat().st_size  # progress only forward
    again = services.census.import_file(db, "records", path)
    assert (again.inserted, again.updated) == (0, 0)  # re-importing changes nothing


@pytest.mark.parametrize(
    "cell, column, expected",
    [
        ("12,5x", "planned", "a number"),
        ("T9", "team", "the code of an existing team"),
        ((TODAY + timedelta(days=2)).isoformat(), "date", "a date that is not after today"),
    ],
)
def test_one_bad_cell_in_the_last_row_is_named_and_nothing_is_written(
    db, tmp_path, cell, column, expected
):
    small_plant(db, tmp_path)
    rows = list(record_rows(500))
    last = list(rows[-1])
    last[HEAD.index(column)] = cell
    rows[-1] = tuple(last)
    before = _stored(db)
    with pytest.raises(ImportProblems) as bad:
        services.census.import_file(db, "records", write_csv(tmp_path / "r.csv", rows))
    (problem,) = bad.value.problems
    assert (problem.row, problem.column, problem.value) == (501, column, cell)
    assert problem.expected.startswith(expected)
    assert _stored(db) == before
