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
        return {"code": self.code, "text": self.text(), "msgid": self.msgid, "params": self.params}


def reason_text(reason: dict[str, Any]) -> str:
    """A stored reason in the current language (its text as stored when it has no msgid)."""
    if "msgid" in reason:
        return gettext(reason["msgid"], **reason["params"])
    return reason["text"]
