"""What export writes, import reads back unchanged — CSV and XLSX, every kind."""

from __future__ import annotations

import pytest

from teamroots import services
from teamroots.census.fields import KINDS
from teamroots.census.readers import open_table
from tests.factories import OTHER_KINDS, small_plant, write_csv


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(settings, tmp_path, suffix, db):
    small_plant(db, tmp_path)
    for kind, rows in OTHER_KINDS.items():
        services.census.import_file(db, kind, write_csv(tmp_path / f"{kind}.csv", rows))
    for kind in KINDS:
        path = tmp_path / f"out-{kind}{suffix}"
        written = services.census.export_kind(db, kind, path)
        assert written > 0, kind
        out = services.census.import_file(db, kind, path)
        assert (out.rows, out.inserted, out.updated) == (written, 0, 0), kind


def test_formula_cells_are_made_safe_and_read_back(settings, tmp_path, db):
    rows = [("code", "name", "kind", "parent"), ("P", "=HYPERLINK(\"x\")", "plant", ""),
            ("W", "@SUM(1)", "workshop", "P")]
    services.census.import_file(db, "units", write_csv(tmp_path / "u.csv", rows))
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"u{suffix}"
        services.census.export_kind(db, "units", path)
        table = open_table(path, settings)
        names = [cells[1] for _, cells in table.rows]
        assert names == ["'=HYPERLINK(\"x\")", "'@SUM(1)"]
        out = services.census.import_file(db, "units", path)
        assert (out.inserted, out.updated) == (0, 0)
