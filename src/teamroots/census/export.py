"""Write rows to CSV or XLSX, with text cells that a spreadsheet would run as a formula
(starting with = + - @, or a tab or carriage return) made safe by a leading apostrophe, which
the importer removes again."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

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
    """Write a header and rows to a .csv or .xlsx file; the number of rows written."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise InvalidRequest(
            "{file}: cannot write '{suffix}' files; use .csv or .xlsx.",
            file=str(path),
            suffix=path.suffix.lower(),
        )
    with path.open("wb") as fh:
        return write_stream(fh, fmt, columns, rows)


def write_stream(fh: BinaryIO, fmt: str, columns: list[str], rows: Iterable) -> int:
    """Write a header and rows as CSV (UTF-8 with a byte-order mark, so Excel reads Chinese)
    or XLSX to a binary stream — a file, or a download's body. Every text cell goes through
    ``safe_cell``."""
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="", write_through=True)
        out = csv.writer(text)
        out.writerow(columns)
        for row in rows:
            out.writerow([_text(safe_cell(v)) for v in row])
            count += 1
        text.flush()
        text.detach()
        return count
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("teamroots")
    sheet.append(columns)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
        count += 1
    book.save(fh)
    return count
