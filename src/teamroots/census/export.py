"""Write rows to CSV or XLSX, with text cells that a spreadsheet would run as a formula
(starting with = + - @, or a tab or carriage return) made safe by a leading apostrophe, which
the importer removes again."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from teamroots.errors import InvalidRequest

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_table(path: str | Path, columns: list[str], rows: Iterable[tuple]) -> int:
    """Write a header and rows; CSV is UTF-8 with a byte-order mark so Excel reads Chinese."""
    path = Path(path)
    suffix = path.suffix.lower()
    count = 0
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(columns)
            for row in rows:
                out.writerow([_text(safe_cell(v)) for v in row])
                count += 1
        return count
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("teamroots")
        sheet.append(columns)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
            count += 1
        book.save(path)
        return count
    raise InvalidRequest(
        "{file}: cannot write '{suffix}' files; use .csv or .xlsx.", file=str(path), suffix=suffix
    )
