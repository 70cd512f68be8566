"""Which encoding a CSV is in, and decoding it line by line so that a file whose bytes change
encoding part-way (rows pasted from a UTF-8 file into a GB18030 one) is refused at the first
row that changes, instead of being read with half its names garbled (寮犱笁 for 张三)."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

SNIFF_BYTES = 1 << 20
# Encodings a Chinese plant's files come in that can be told apart line by line: a line that is
# valid UTF-8 and not ASCII is almost never GB18030 text, and GB18030 decodes almost anything.
_LINEWISE = {"utf-8", "utf-8-sig", "utf8", "gb18030", "gbk", "gb2312", "cp936"}


class EncodingChange(Exception):
    """A line in another encoding than the lines before it (or in none)."""

    def __init__(self, line: int, first: str, this: str | None) -> None:
        super().__init__(line, first, this)
        self.line, self.first, self.this = line, first, this


def sniff_encoding(sample: bytes) -> str:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    cut = sample.rfind(b"\n") if len(sample) == SNIFF_BYTES else len(sample)
    try:
        sample[: cut if cut > 0 else len(sample)].decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def linewise(encoding: str) -> bool:
    return codecs.lookup(encoding).name in {codecs.lookup(e).name for e in _LINEWISE}


def _kind(line: bytes) -> str | None:
    """'utf-8' or 'gb18030' for a line that is not ASCII; None when it is neither."""
    try:
        line.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        line.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return None


def decoded_lines(raw: BinaryIO, encoding: str) -> Iterator[str]:
    """The file's lines as text. ASCII lines are the same in every encoding here; each other
    line must be in the encoding of the first non-ASCII line (the declared one, when a
    mapping names it, must match that too): otherwise EncodingChange with the line number."""
    utf8 = codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    declared = "utf-8" if utf8 else "gb18030"
    first: str | None = None
    for number, line in enumerate(raw, start=1):
        if line.isascii():
            yield line.decode("ascii")
            continue
        kind = _kind(line)
        if first is None:
            first = declared if kind is None else kind
            if declared == "utf-8" and kind != "utf-8":
                raise EncodingChange(number, declared, kind)
        if kind != first:
            raise EncodingChange(number, first, kind)
        yield line.decode(kind)
