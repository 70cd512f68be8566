"""Stream the rows of a CSV or XLSX file, after refusing unsafe files.

CSV: the encoding is sniffed (UTF-8 with or without a byte-order mark, UTF-16 with one, else
GB18030 as Chinese Excel writes it) and so is the delimiter (, ; tab |), unless the mapping
names them. XLSX: refused when larger than the limit, when its parts unzip to more than the
limit or at a suspicious ratio (a zip bomb), and parsed with XML attacks defused.
Rows are numbered as a spreadsheet shows them: the header is row 1 unless the mapping moves it.
Blank rows are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from teamroots.census.cells import checked
from teamroots.census.encoding import (
    SNIFF_BYTES,
    EncodingChange,
    decoded_lines,
    linewise,
    sniff_encoding,
)
from teamroots.census.xlsx_guard import check_zip
from teamroots.config import Settings
from teamroots.errors import BadFile, ConfigError, TeamrootsError, UnsafeFile

__all__ = ["Table", "open_table", "sniff_delimiter", "sniff_encoding"]


@dataclass
class Table:
    """A file opened for reading: its header cells and an iterator of (row number, cells)."""

    path: Path
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    size: int
    position: Any  # () -> bytes read so far, for a progress bar

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close:
            close()


def open_table(
    path: str | Path,
    settings: Settings,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    header_row: int = 1,
) -> Table:
    path = Path(path)
    if not path.is_file():
        raise BadFile("File {file} does not exist.", file=str(path))
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise UnsafeFile(
            "{file} is {size} bytes, over the limit of {limit} (setting TEAMROOTS_MAX_FILE_BYTES).",
            file=str(path),
            size=size,
            limit=settings.max_file_bytes,
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, settings, sheet, header_row)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _open_csv(path, settings, encoding, delimiter, header_row)
    raise BadFile(
        "{file}: cannot read '{suffix}' files; use .csv or .xlsx.", file=str(path), suffix=suffix
    )


def sniff_delimiter(text: str) -> str:
    """The candidate that occurs most often in ``text`` (the header line and a few after it)."""
    return max((",", ";", "\t", "|"), key=text.count)


# A CSV field larger than this stops the import (memory); one over TEAMROOTS_MAX_FIELD_CHARS
# but under it is a problem with its row and column, as it is in an XLSX.
_CSV_FIELD_HARD_LIMIT = 16 * 1024 * 1024


def _open_csv(
    path: Path,
    settings: Settings,
    encoding: str | None,
    delimiter: str | None,
    header_row: int,
) -> Table:
    raw = path.open("rb")
    sample = raw.read(SNIFF_BYTES)
    raw.seek(0)
    enc = encoding or sniff_encoding(sample)
    try:
        codecs.lookup(enc)
    except LookupError:
        raw.close()
        raise ConfigError(
            "Unknown encoding '{encoding}' for {file}.", encoding=enc, file=str(path)
        ) from None
    lines = decoded_lines(raw, enc) if linewise(enc) else io.TextIOWrapper(raw, enc, newline="")
    if delimiter is None:
        head = sample.decode(enc, errors="replace").lstrip("\ufeff").split("\n")
        delimiter = sniff_delimiter("\n".join(head[header_row - 1 : header_row + 20]))
    csv.field_size_limit(_CSV_FIELD_HARD_LIMIT)
    reader = csv.reader(lines, delimiter=delimiter)
    rows = _csv_rows(reader, path, enc, raw, settings)
    headers = _headers(rows, header_row, path)
    return Table(path, headers, rows, path.stat().st_size, raw.tell)


def _too_wide(path: Path, row: int, count: int, settings: Settings) -> UnsafeFile:
    return UnsafeFile(
        "{file}, row {row}: {count} cells, more than the limit of {limit} "
        "(setting TEAMROOTS_MAX_COLUMNS); refused.",
        file=str(path),
        row=row,
        count=count,
        limit=settings.max_columns,
    )


def _csv_rows(
    reader, path: Path, enc: str, raw, settings: Settings
) -> Iterator[tuple[int, list[Any]]]:
    number, limit, wide = 0, settings.max_field_chars, settings.max_columns
    try:
        for number, cells in enumerate(reader, start=1):
            if len(cells) > wide:
                raise _too_wide(path, number, len(cells), settings)
            if any(cells):
                joined = "".join(cells)  # the common case inline: a row of plain short text
                if len(joined) > limit or not joined.isprintable():
                    cells = checked(cells, limit, all_text=True)
                yield number, cells
    except EncodingChange as change:
        if change.this is None:
            raise _not_encoded(path, number + 1, change.first) from None
        raise BadFile(
            "{file}, row {row}: this row is in {this}, the rows before it in {first}; save "
            "the whole file in one encoding (UTF-8) and import it again.",
            file=str(path),
            row=number + 1,
            this=change.this,
            first=change.first,
        ) from None
    except UnicodeDecodeError:
        raise _not_encoded(path, number + 1, enc) from None
    except csv.Error as exc:
        raise BadFile(
            "{file}, row {row}: cannot read the CSV: {error}",
            file=str(path),
            row=number + 1,
            error=str(exc),
        ) from None
    finally:
        raw.close()


def _not_encoded(path: Path, row: int, enc: str) -> BadFile:
    return BadFile(
        "{file}, row {row}: bytes that are not valid {encoding}; set "
        '[file] encoding in the mapping (for example "gb18030").',
        file=str(path),
        row=row,
        encoding=enc,
    )


def _headers(rows: Iterator[tuple[int, list[Any]]], header_row: int, path: Path) -> list[str]:
    for number, cells in rows:
        if number >= header_row:
            return ["" if c is None else str(c).lstrip("\ufeff").strip() for c in cells]
    raise BadFile(
        "{file} has no header row (expected at row {row}).", file=str(path), row=header_row
    )


def _open_xlsx(path: Path, settings: Settings, sheet: str | None, header_row: int) -> Table:
    check_zip(path, settings)
    import openpyxl
    from defusedxml import DefusedXmlException

    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise UnsafeFile("defusedxml is not installed; XLSX files are refused.")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except DefusedXmlException:
        raise UnsafeFile(
            "{file} contains forbidden XML (entities or a DTD); refused.", file=str(path)
        ) from None
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        if _caused_by(exc, DefusedXmlException):
            raise UnsafeFile(
                "{file} contains forbidden XML (entities or a DTD); refused.", file=str(path)
            ) from None
        raise UnsafeFile(
            "{file} cannot be read as XLSX: {error}", file=str(path), error=str(exc)
        ) from None
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise BadFile(
            "{file} has no sheet '{sheet}'; its sheets are: {sheets}.",
            file=str(path),
            sheet=sheet,
            sheets=", ".join(book.sheetnames),
        )
    ws = book[sheet] if sheet else book.worksheets[0]
    state = {"row": 0}
    total_rows = max(ws.max_row or 1, 1)
    size = path.stat().st_size
    rows = _xlsx_rows(ws, book, state, path, settings)
    headers = _headers(rows, header_row, path)
    return Table(path, headers, rows, size, lambda: size * state["row"] // total_rows)


def _caused_by(exc: BaseException | None, kind: type) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, kind):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _xlsx_rows(
    ws, book, state: dict, path: Path, settings: Settings
) -> Iterator[tuple[int, list[Any]]]:
    from defusedxml import DefusedXmlException

    limit, wide = settings.max_field_chars, settings.max_columns
    try:
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            state["row"] = number
            if len(cells) > wide:
                # openpyxl pads every row to the sheet's widest: trailing blanks do not count
                used = len(cells)
                while used > wide and (cells[used - 1] is None or cells[used - 1] == ""):
                    used -= 1
                if used > wide:
                    raise _too_wide(path, number, used, settings)
                cells = cells[:used]
            if any(c is not None and c != "" for c in cells):
                yield number, checked(list(cells), limit)
    except DefusedXmlException:
        raise UnsafeFile(
            "{file} contains forbidden XML (entities or a DTD); refused.", file=str(path)
        ) from None
    except TeamrootsError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken sheet
        if _caused_by(exc, DefusedXmlException):
            raise UnsafeFile(
                "{file} contains forbidden XML (entities or a DTD); refused.", file=str(path)
            ) from None
        raise BadFile(
            "{file}, row {row}: cannot be read as XLSX: {error}",
            file=str(path),
            row=state["row"] + 1,
            error=str(exc),
        ) from None
    finally:
        book.close()
