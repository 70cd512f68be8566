"""A reason in a plan's explanation: data (a code, a msgid and its parameters), rendered in
the reader's language only when shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from teamroots.i18n import gettext


@dataclass(frozen=True)
class Reason:
    code: str
    msgid: str
    params: dict[str, Any]

    def text(self) -> str:
        return gettext(self.msgid, **self.params)

    def to_json(self) -> dict[str, Any]:
        """As stored: the code, msgid and params (``i18n.localized`` adds the text)."""
        return {"code": self.code, "msgid": self.msgid, "params": self.params}


def named(name: str | None, code: str) -> str:
    """A person or team as a reason names them: name and code (the code alone without a
    name)."""
    return f"{name} {code}" if name else code
