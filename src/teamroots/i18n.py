"""Translations: en (the msgids themselves) and zh-CN, from the .po catalogs in locales/.

Mark a string for translation where it is used with ``_("…")``; mark one that is stored for
later (an enum label, an error message) with ``N_("…")`` and translate it when shown.
Placeholders are named: ``_("{count} teams", count=3)``.
"""

from __future__ import annotations

import contextvars
from functools import cache
from importlib import resources

SUPPORTED = ("en", "zh-CN")
_lang: contextvars.ContextVar[str] = contextvars.ContextVar("teamroots_lang", default="en")


def normalize_language(lang: str | None) -> str:
    """Map 'zh', 'zh_CN.UTF-8', 'ZH-cn' … to 'zh-CN'; anything else to 'en'."""
    if lang and lang.replace("_", "-").lower().startswith("zh"):
        return "zh-CN"
    return "en"


def set_language(lang: str | None) -> str:
    code = normalize_language(lang)
    _lang.set(code)
    return code


def current_language() -> str:
    return _lang.get()


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid → msgstr for a language ('en' has none: msgids are English)."""
    if lang == "en":
        return {}
    from babel.messages.pofile import read_po

    folder = lang.replace("-", "_")
    ref = resources.files("teamroots") / "locales" / folder / "LC_MESSAGES" / "teamroots.po"
    with ref.open("rb") as fh:
        po = read_po(fh)
    return {m.id: m.string for m in po if m.id and m.string and not m.fuzzy}


def gettext(msgid: str, **params: object) -> str:
    text = catalog(_lang.get()).get(msgid, msgid)
    return text.format(**params) if params else text


def N_(msgid: str) -> str:
    """Mark a msgid for extraction without translating it now."""
    return msgid


_ = gettext
