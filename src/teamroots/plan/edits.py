"""What the three plans' edits share: looking up a code the edit names, and refusing an edit
that breaks rules (``BrokenRules``, every broken rule listed, nothing changed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from teamroots.errors import BrokenRules, NotFound
from teamroots.i18n import gettext
from teamroots.plan.violations import Violation


def lookup(mapping: Mapping[str, Any], key: str, what: str) -> Any:
    """``mapping[key]``, or NotFound naming ``what`` (a msgid: "Team", "Person", …)."""
    if key not in mapping:
        raise NotFound("{what} {value} is not in this plan.", what=gettext(what), value=key)
    return mapping[key]


def refuse(violations: list[Violation]) -> None:
    if violations:
        raise BrokenRules(violations)
