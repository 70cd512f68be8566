"""Text people type or import: what is refused in it, in one place."""

from __future__ import annotations

import re

# Control characters: refused everywhere (tab, line feed and carriage return are kept).
# PostgreSQL cannot store NUL at all; the others hide text in pages and files.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None
