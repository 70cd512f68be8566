"""Pure parsers for the values found in plant files. Each takes the raw cell (a string, or a
number/date from XLSX) and returns a Python value, or raises ``Bad`` saying what was expected.

Messy input they accept: surrounding spaces, full-width characters (NFKC), thousands
separators, ``12.0`` for a whole number, fractional head-counts, several date formats,
mixed-case or aliased category names, a leading apostrophe written by our own export.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from difflib import get_close_matches

from teamroots.i18n import N_

BLANK = ""


class Bad(ValueError):
    """A value that does not fit; ``expected`` is a msgid with named params."""

    def __init__(self, expected: str, **params: object) -> None:
        super().__init__(expected)
        self.expected = expected
        self.params = params


_FORMULA_START = ("'=", "'+", "'-", "'@")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([,' _\u00a0]\d{3})+(\.\d+)?$")
_SPACES = re.compile(r"\s+")


def clean(raw: object) -> str:
    """Text of a cell: NFKC-normalised, trimmed, inner runs of space folded to one."""
    if raw is None:
        return BLANK
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\ufeff", "")
    text = text.strip()
    if "  " in text or "\t" in text or "\n" in text:
        text = _SPACES.sub(" ", text)
    if text.startswith(_FORMULA_START):
        text = text[1:]
    return text


def norm_word(text: str) -> str:
    """A category or header name for matching: case-folded, spaces/_/- folded to one '_'."""
    return re.sub(r"[\s_\-./]+", "_", clean(text).casefold()).strip("_")


def text(raw: object) -> str | None:
    value = clean(raw)
    return value or None


def number(raw: object) -> float | None:
    """A real number ≥ 0: '1,234.5', '1 234', '12.0', '30.5' (a fractional head-count)."""
    value = _fast_float(raw)
    if value is None:
        s = clean(raw)
        if not s:
            return None
        try:
            value = float(s)
        except ValueError:
            value = _number_with_separators(s)
    if value != value or value in (float("inf"), float("-inf")):
        raise Bad(N_("a number"))
    if value < 0:
        raise Bad(N_("a number that is not negative"))
    return value


def _fast_float(raw: object) -> float | None:
    """The common cases without the cost of clean(): a number, or a plain numeric string."""
    if type(raw) is str:
        try:
            return float(raw)
        except ValueError:
            return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    return None


def _number_with_separators(s: str) -> float:
    if _THOUSANDS.match(s):
        return float(re.sub(r"[,' _\u00a0]", "", s))
    raise Bad(N_("a number"))


def count(raw: object) -> int | None:
    """A whole number ≥ 0; '3.0' is 3, '3.5' is refused."""
    value = number(raw)
    if value is None:
        return None
    if not value.is_integer():
        raise Bad(N_("a whole number"))
    return int(value)


_DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def date_parser(formats: Iterable[str] = ()) -> Callable[[object], date | None]:
    """A parser trying ISO first, then the mapping's formats, then unambiguous defaults."""
    tried = tuple(formats) + tuple(f for f in _DEFAULT_DATE_FORMATS if f not in formats)
    shown = ", ".join(tried)

    def parse(raw: object) -> date | None:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        s = clean(raw)
        if not s:
            return None
        if len(s) == 10 and s[4] == "-":
            try:
                return date.fromisoformat(s)
            except ValueError:
                pass
        if len(s) > 10 and s[10] in " T" and s[4] == "-":  # '2024-03-05 00:00:00'
            s = s[:10]
        for fmt in tried:
            try:
                return datetime.strptime(s, fmt).date()
            except ValueError:
                continue
        raise Bad(
            N_("a date such as 2026-03-05, 2026/3/5 or 2026年3月5日 (formats tried: {formats})"),
            formats=shown,
        )

    return parse


_TRUE = {"1", "y", "yes", "true", "t", "x", "✓", "✔", "是", "有", "对", "在", "ok", "in place"}
_FALSE = {"0", "n", "no", "false", "f", "✗", "✘", "否", "无", "没有", "不", "missing", "none"}


def boolean(raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    s = clean(raw).casefold()
    if not s:
        return None
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise Bad(N_("yes or no (1/0, y/n, true/false, 是/否)"))


def choice_parser(names: dict[str, str], shown: Iterable[str]) -> Callable[[object], str | None]:
    """A parser for a category: ``names`` maps every accepted spelling (normalised by
    norm_word) to the stored value. A near miss is refused with a suggestion."""
    allowed = ", ".join(shown)

    def parse(raw: object) -> str | None:
        s = clean(raw)
        if not s:
            return None
        key = norm_word(s)
        if key in names:
            return names[key]
        near = get_close_matches(key, list(names), n=1, cutoff=0.75)
        if near:
            raise Bad(
                N_("one of: {allowed} (did you mean '{suggestion}'? add an alias in the mapping)"),
                allowed=allowed,
                suggestion=names[near[0]],
            )
        raise Bad(N_("one of: {allowed}"), allowed=allowed)

    return parse


_ITEM_SPLIT = re.compile(r"\s*[;,，；、|]\s*")
_PAIR_SPLIT = re.compile(r"\s*[:：×*=]\s*")


def items(raw: object) -> list[str]:
    """A list cell: 'a; b, c、d | e' → ['a', 'b', 'c', 'd', 'e']."""
    s = clean(raw)
    return [part for part in _ITEM_SPLIT.split(s) if part] if s else []


def pairs(raw: object) -> dict[str, float] | None:
    """'furnace operator: 3; tapper×2' → {'furnace_operator': 3.0, 'tapper': 2.0}.
    A bare name counts 1."""
    s = clean(raw)
    if not s:
        return None
    out: dict[str, float] = {}
    for part in items(s):
        pieces = _PAIR_SPLIT.split(part, maxsplit=1)
        name = norm_word(pieces[0])
        if not name:
            raise Bad(N_("a list like 'name: 2; other: 1'"))
        try:
            value = number(pieces[1]) if len(pieces) == 2 else 1.0
        except Bad:
            raise Bad(N_("a list like 'name: 2; other: 1'")) from None
        out[name] = value if value is not None else 1.0
    return out
