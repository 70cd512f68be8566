"""Rows of one file that share a natural key: an error by default, or merged as the mapping's
``[file] duplicates`` says (see docs/mapping.md)."""

from __future__ import annotations

from typing import Any

from teamroots.census.convert import Problem
from teamroots.i18n import N_


class Merger:
    """Rows that share a key: an error (the default), or merged as the mapping's
    ``[file] duplicates`` says — the last row wins, or numbers are summed or averaged."""

    def __init__(self, policy: str, key: tuple[str, ...], label: str) -> None:
        self.policy, self.key, self.label = policy, key, label
        self.seen: set[tuple] = set()  # keys of the rows read so far
        self.text: list[int] | None = None
        self.kept: dict[tuple, tuple[dict[str, Any], int]] = {}

    def add(self, number: int, row: dict[str, Any], shown: list[Any]) -> list[Problem]:
        """``shown``: the key as the file wrote it (codes, not ids), for the message."""
        ident = tuple(row[k] for k in self.key)
        if self.text is None:  # which key fields are text: known from the first row
            self.text = [i for i, v in enumerate(ident) if isinstance(v, str)]
        if self.text:  # text keys compare without regard to case, as codes do everywhere
            ident = tuple(v.casefold() if isinstance(v, str) else v for v in ident)
        if self.policy == "error":
            if ident in self.seen:
                return [
                    Problem(
                        number,
                        self.label,
                        " / ".join(str(v) for v in shown),
                        N_(
                            "a row whose key is not on an earlier row of the file (or set "
                            "[file] duplicates in the mapping)"
                        ),
                    )
                ]
            self.seen.add(ident)
            return []
        old = self.kept.get(ident)
        if old is None or self.policy == "last":
            self.kept[ident] = (row, 1)
        else:
            self.kept[ident] = (_combine(old[0], row, self.key), old[1] + 1)
        return []

    def rows(self):
        for row, count in self.kept.values():
            if self.policy == "mean" and count > 1:
                row = {k: _mean(v, count) if k not in self.key else v for k, v in row.items()}
            yield row


def _mean(value: Any, count: int) -> Any:
    if isinstance(value, bool) or not _numeric(value):
        return value
    return round(value / count) if isinstance(value, int) else value / count


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _combine(a: dict[str, Any], b: dict[str, Any], key: tuple[str, ...]) -> dict[str, Any]:
    """Numbers added (a blank counts as nothing); other values: the later row's."""
    out = dict(b)
    for k, v in a.items():
        if k in key:
            continue
        if _numeric(v) and _numeric(b.get(k)):
            out[k] = v + b[k]
        elif b.get(k) is None:
            out[k] = v
    return out
