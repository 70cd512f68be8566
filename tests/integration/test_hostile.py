"""Hostile files through the real import, on SQLite and PostgreSQL: refused with the row and
column, nothing written, nothing garbled."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest

from teamroots import services
from teamroots.errors import BadFile, ImportProblems
from tests.factories import PEOPLE, small_plant, write_csv


def _refused(db, kind: str, path) -> ImportProblems:
    before = services.census.table_counts(db)
    with pytest.raises(ImportProblems) as caught:
        services.census.import_file(db, kind, path)
    assert services.census.table_counts(db) == before
    return caught.value


def _where(exc: ImportProblems) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in exc.problems}


def test_nul_control_characters_and_long_cells_are_problems_with_row_and_column(db, tmp_path):
    rows = [PEOPLE[0], ("E1", "Wang\x00Fang", "", "", ""), ("E2", "Li\x07Qiang", "", "", ""),
            ("E3", "x" * 5000, "", "", ""), ("E4", "Chen\tJing", "", "", "")]
    exc = _refused(db, "people", write_csv(tmp_path / "p.csv", rows))
    assert _where(exc) == {(2, "name"), (3, "name"), (4, "name")}
    assert "\\x00" in exc.problems[0].value  # shown escaped, never stored


def test_mixed_encodings_are_refused_at_the_row_that_changes(db, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("employee_no,name\nE1,张三\n".encode("gb18030") + "E2,李四\n".encode())
    before = services.census.table_counts(db)
    with pytest.raises(BadFile, match="row 3: this row is in utf-8"):
        services.census.import_file(db, "people", path)
    assert services.census.table_counts(db) == before


def test_case_only_duplicate_employee_numbers_are_refused(db, tmp_path):
    small_plant(db, tmp_path)
    exc = _refused(db, "people", write_csv(tmp_path / "p.csv", [PEOPLE[0],
                                                                 ("e1", "Wang Fang", "", "", ""),
                                                                 ("Ｅ2", "Li Qiang", "", "", "")]))
    assert _where(exc) == {(2, "employee_no")}  # full-width Ｅ2 is E2: the same person
    assert exc.problems[0].params == (("stored", "E1"),)
    exc = _refused(db, "people", write_csv(tmp_path / "q.csv", [PEOPLE[0],
                                                                 ("X9", "A", "", "", ""),
                                                                 ("x9", "B", "", "", "")]))
    assert _where(exc) == {(3, "employee_no")}
    exc = _refused(db, "teams", write_csv(tmp_path / "t.csv", [("code", "name", "unit"),
                                                               ("t1", "Team one", "BF1-S1")]))
    assert _where(exc) == {(2, "code")}


def test_units_that_loop_with_stored_units_are_refused_naming_the_loop(db, tmp_path):
    small_plant(db, tmp_path)
    exc = _refused(db, "units", write_csv(tmp_path / "u.csv", [("code", "name", "kind", "parent"),
                                                               ("BF1", "BF 1", "workshop",
                                                                "BF1-S1")]))
    assert _where(exc) == {(2, "parent")}
    assert dict(exc.problems[0].params)["loop"] == "BF1 → BF1-S1 → BF1"
    exc = _refused(db, "units", write_csv(tmp_path / "v.csv", [("code", "name", "kind", "parent"),
                                                               ("P", "Plant", "plant", "BF1")]))
    assert dict(exc.problems[0].params)["loop"] == "P → BF1 → P"
    exc = _refused(db, "units", write_csv(tmp_path / "w.csv", [("code", "name", "kind", "parent"),
                                                               ("bf1", "BF 1", "workshop", "P")]))
    assert _where(exc) == {(2, "code")}
    assert services.census.census(db).units  # the tree is still there


def test_implausible_records_warn_and_strict_refuses(db, tmp_path):
    small_plant(db, tmp_path)
    rows = [("team", "date", "planned", "actual", "members_scheduled", "members_present"),
            ("T1", "2024-05-01", "100", "98", "12", "12"),
            ("T1", "2024-05-02", "100", "9800", "12", "12"),
            ("T2", "2024-05-02", "100", "97", "10", "40")]
    path = write_csv(tmp_path / "r.csv", rows)
    exc = _refused_strict(db, path)
    assert _where(exc) == {(3, "actual"), (4, "members_present")}
    outcome = services.census.import_file(db, "records", path)
    assert outcome.inserted == 3
    assert {(w.row, w.column) for w in outcome.warnings} == {(3, "actual"), (4, "members_present")}


def _refused_strict(db, path) -> ImportProblems:
    before = services.census.table_counts(db)
    with pytest.raises(ImportProblems) as caught:
        services.census.import_file(db, "records", path, strict=True)
    assert services.census.table_counts(db) == before
    return caught.value


def test_problems_stop_at_the_limit(settings, tmp_path):
    from teamroots.config import Settings

    capped = Settings(database_url=settings.database_url, max_problems=50)
    with services.open_database(capped) as db:
        small_plant(db, tmp_path)
        rows = [("team", "date", "planned")] + [("T1", "not a date", "x")] * 10_000
        exc = _refused(db, "records", write_csv(tmp_path / "bad.csv", rows))
    assert len(exc.problems) == 50 and not exc.complete
    assert exc.rows_read < 100
    assert "at least 50 problems" in exc.message()


def test_errors_out_escapes_formula_cells(sqlite_settings, tmp_path):
    bad = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1+1", "-2+3", "\tx", "\rx"]
    rows = [PEOPLE[0], *((f"E{i}", "Name", value, "", "") for i, value in enumerate(bad))]
    path = write_csv(tmp_path / "p.csv", rows)
    out = tmp_path / "problems.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "teamroots", "import", "people", str(path), "--errors-out",
         str(out)],
        env={**os.environ, "TEAMROOTS_DATABASE_URL": sqlite_settings.database_url},
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2, proc.stderr
    with out.open(encoding="utf-8-sig", newline="") as fh:
        values = [r["value"] for r in csv.DictReader(fh)]
    assert len(values) == len(bad), proc.stderr
    for value in values:
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert values[:4] == ["'" + v for v in bad[:4]]
