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
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from teamroots.config import Settings
from teamroots.errors import BadFile, ConfigError, UnsafeFile

_SNIFF_BYTES = 1 << 20


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
        return _open_csv(path, encoding, delimiter, header_row)
    raise BadFile(
        "{file}: cannot read '{suffix}' files; use .csv or .xlsx.", file=str(path), suffix=suffix
    )


def sniff_encoding(sample: bytes) -> str:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    cut = sample.rfind(b"\n") if len(sample) == _SNIFF_BYTES else len(sample)
    try:
        sample[: cut if cut > 0 else len(sample)].decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def sniff_delimiter(text: str) -> str:
    """The candidate that occurs most often in ``text`` (the header line and a few after it)."""
    return max((",", ";", "\t", "|"), key=text.count)


def _open_csv(path: Path, encoding: str | None, delimiter: str | None, header_row: int) -> Table:
    raw = path.open("rb")
    sample = raw.read(_SNIFF_BYTES)
    raw.seek(0)
    enc = encoding or sniff_encoding(sample)
    try:
        codecs.lookup(enc)
    except LookupError:
        raw.close()
        raise ConfigError(
            "Unknown encoding '{encoding}' for {file}.", encoding=enc, file=str(path)
        ) from None
    text = io.TextIOWrapper(raw, encoding=enc, newline="")
    if delimiter is None:
        lines = sample.decode(enc, errors="replace").lstrip("\ufeff").split("\n")
        delimiter = sniff_delimiter("\n".join(lines[header_row - 1 : header_row + 20]))
    reader = csv.reader(text, delimiter=delimiter)
    rows = _csv_rows(reader, path, enc, raw)
    headers = _headers(rows, header_row, path)
    return Table(path, headers, rows, path.stat().st_size, raw.tell)


def _csv_rows(reader, path: Path, enc: str, raw) -> Iterator[tuple[int, list[Any]]]:
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if any(cells):
                yield number, cells
    except UnicodeDecodeError:
        raise BadFile(
            "{file}, after row {row}: bytes that are not valid {encoding}; set "
            '[file] encoding in the mapping (for example "gb18030").',
            file=str(path),
            row=number,
            encoding=enc,
        ) from None
    except csv.Error as exc:
        raise BadFile(
            "{file}, row {row}: cannot read the CSV: {error}",
            file=str(path),
            row=number + 1,
            error=str(exc),
        ) from None
    finally:
        raw.close()


def _headers(rows: Iterator[tuple[int, list[Any]]], header_row: int, path: Path) -> list[str]:
    for number, cells in rows:
        if number >= header_row:
            return ["" if c is None else str(c).lstrip("\ufeff").strip() for c in cells]
    raise BadFile(
        "{file} has no header row (expected at row {row}).", file=str(path), row=header_row
    )


def check_zip(path: Path, settings: Settings) -> None:
    """Refuse an XLSX that is not a zip, or that unzips too large or at a bomb's ratio."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        raise UnsafeFile(
            "{file} is not a valid XLSX file (not a zip archive).", file=str(path)
        ) from None
    if len(infos) > 10_000:
        raise UnsafeFile(
            "{file} holds {count} parts; an XLSX with that many is refused.",
            file=str(path),
            count=len(infos),
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > (1 << 20) and ratio > settings.max_zip_ratio:
            raise UnsafeFile(
                "{file}: part {part} expands {ratio:.0f} times; refused as a possible zip bomb.",
                file=str(path),
                part=info.filename,
                ratio=ratio,
            )
    if total > settings.max_unzipped_bytes:
        raise UnsafeFile(
            "{file} unzips to {size} bytes, over the limit of {limit} "
            "(setting TEAMROOTS_MAX_UNZIPPED_BYTES).",
            file=str(path),
            size=total,
            limit=settings.max_unzipped_bytes,
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
    rows = _xlsx_rows(ws, book, state, path)
    headers = _headers(rows, header_row, path)
    return Table(path, headers, rows, size, lambda: size * state["row"] // total_rows)


def _caused_by(exc: BaseException | None, kind: type) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, kind):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _xlsx_rows(ws, book, state: dict, path: Path) -> Iterator[tuple[int, list[Any]]]:
    from defusedxml import DefusedXmlException

    try:
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            state["row"] = number
            if any(c is not None and c != "" for c in cells):
                yield number, list(cells)
    except DefusedXmlException:
        raise UnsafeFile(
            "{file} contains forbidden XML (entities or a DTD); refused.", file=str(path)
        ) from None
    finally:
        book.close()
