"""Refuse an XLSX before openpyxl parses it: not a zip, too many parts, unzipping too large
or at a zip bomb's ratio, a shared-strings part too large to hold in memory, or an XML part
that declares a DOCTYPE (defusedxml forbids entities, not DTDs; the docs promise both)."""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from teamroots.config import Settings
from teamroots.errors import UnsafeFile

_PROLOG_BYTES = 64 * 1024
_ROOT = re.compile(rb"<[A-Za-z_]")  # the start of the root element: the prolog ends there
_SHARED_STRINGS = "sharedstrings.xml"


def check_zip(path: Path, settings: Settings) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_sizes(path, infos, settings)
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _check_prolog(path, zf, info)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise UnsafeFile(
            "{file} is not a valid XLSX file (not a zip archive).", file=str(path)
        ) from None


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo], settings: Settings) -> None:
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
        if info.filename.lower().endswith(_SHARED_STRINGS) and (
            info.file_size > settings.max_shared_strings_bytes
        ):
            raise UnsafeFile(
                "{file}: its shared strings unzip to {size} bytes, over the limit of {limit} "
                "(setting TEAMROOTS_MAX_SHARED_STRINGS_BYTES); save the sheet as CSV instead.",
                file=str(path),
                size=info.file_size,
                limit=settings.max_shared_strings_bytes,
            )
    if total > settings.max_unzipped_bytes:
        raise UnsafeFile(
            "{file} unzips to {size} bytes, over the limit of {limit} "
            "(setting TEAMROOTS_MAX_UNZIPPED_BYTES).",
            file=str(path),
            size=total,
            limit=settings.max_unzipped_bytes,
        )


def _check_prolog(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    with zf.open(info) as part:
        head = part.read(_PROLOG_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    root = _ROOT.search(head)
    prolog = head[: root.start()] if root else head
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
        raise UnsafeFile(
            "{file} contains forbidden XML (entities or a DTD); refused.", file=str(path)
        )
    if root is None and len(head) == _PROLOG_BYTES:
        raise UnsafeFile(
            "{file}: part {part} has no XML element in its first {size} bytes; refused.",
            file=str(path),
            part=info.filename,
            size=_PROLOG_BYTES,
        )
