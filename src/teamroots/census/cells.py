"""Limits on a file's cells, the same for CSV and XLSX: no control characters (tab, line feed
and carriage return excepted: spreadsheets hold them and the importer folds them to a space),
and no text longer than the setting TEAMROOTS_MAX_FIELD_CHARS. A cell breaking one is replaced
by a ``BadCell``, which the importer reports as a problem with its row and column — so NUL
bytes never reach a database (PostgreSQL refuses them; SQLite would store them)."""

from __future__ import annotations

from typing import Any

from teamroots.domain.text import CONTROL
from teamroots.i18n import N_

_CONTROL = CONTROL
_SHOWN = 60  # characters of a bad cell shown in a problem


class BadCell(str):
    """The shown (shortened, escaped) text of a cell that breaks a limit, with what was
    expected of it (a msgid and its parameters)."""

    expected: str
    params: tuple[tuple[str, Any], ...]

    def __new__(cls, shown: str, expected: str, params: tuple = ()) -> BadCell:
        cell = super().__new__(cls, shown)
        cell.expected, cell.params = expected, params
        return cell


class BadRow(list):
    """The cells of a row of which at least one is a BadCell."""


def shown(text: str) -> str:
    """A bad cell's text for a message: control characters escaped, cut at _SHOWN."""
    cut = text[:_SHOWN] + ("…" if len(text) > _SHOWN else "")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", cut)


def checked(cells: list[Any], max_chars: int, all_text: bool = False) -> list[Any]:
    """``cells`` (all text when ``all_text``, as a CSV's are) with every text cell that breaks
    a limit replaced by a BadCell, in a BadRow. The common case (every cell fine) costs a
    join and a check of it."""
    joined = "".join(cells) if all_text else "".join(c for c in cells if isinstance(c, str))
    # isprintable() is one C loop; it is False for tabs, line breaks and a few spaces too,
    # which the regular expression then clears
    if len(joined) <= max_chars and (joined.isprintable() or not _CONTROL.search(joined)):
        return cells
    out = BadRow(cells)
    for i, cell in enumerate(out):
        if not isinstance(cell, str):
            continue
        if len(cell) > max_chars:
            out[i] = BadCell(
                shown(cell),
                N_("text of at most {limit} characters (this cell has {length})"),
                (("limit", max_chars), ("length", len(cell))),
            )
        elif _CONTROL.search(cell):
            out[i] = BadCell(
                shown(cell),
                N_("text without control characters (such as NUL); re-save the file as text"),
            )
    return out if any(isinstance(c, BadCell) for c in out) else cells
