"""Checks on text typed on the web or given on the command line (a wish, a directive, a case
study, a visit's findings): the same rule as for imported cells."""

from __future__ import annotations

from teamroots.domain.text import has_control
from teamroots.errors import InvalidRequest


def plain(*texts: str) -> None:
    """Refuse text holding control characters (such as NUL), saying so."""
    if any(has_control(t or "") for t in texts):
        raise InvalidRequest(
            "The text holds a control character (such as NUL); type or paste it again as "
            "plain text."
        )
