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


def message(msgid: str, **params: object) -> dict[str, object]:
    """A message to store and render later, in the reader's language (see ``localized``)."""
    return {"msgid": msgid, "params": params}


def _param(value: object) -> object:
    """A message's parameter rendered: a message as its text, a list of them joined."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return gettext(", ").join(str(localized(v)) for v in value)
    return localized(value)


def localized(value: object) -> object:
    """A stored document (a plan, a review) with its messages rendered in the current language.

    Stored documents keep messages as data, never as translated text: a ``message()`` dict
    ({"msgid", "params"}) becomes its text; a dict with more keys beside them (a reason with its
    code) gets a "text" beside its msgid; everything else is copied as it is."""
    if isinstance(value, list):
        return [localized(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "msgid" not in value or "params" not in value:
        return {k: localized(v) for k, v in value.items()}
    params = {k: _param(v) for k, v in value["params"].items()}
    text = gettext(value["msgid"], **params)
    if set(value) == {"msgid", "params"}:
        return text
    out: dict[str, object] = {}
    for k, v in value.items():
        if k == "msgid":
            out["text"] = text
        if k != "text":
            out[k] = v
    return out


# Numbers and dates per locale (Babel's CLDR data, shipped with the package: no download).
_LOCALES = {"en": "en", "zh-CN": "zh_Hans_CN"}


def locale_name() -> str:
    return _LOCALES.get(_lang.get(), "en")


@cache
def _number_symbols(locale: str) -> tuple[dict[int, int], str, str]:
    """The locale's decimal and group signs (as a translation of Python's "." and ","), and
    what goes before and after a percentage — from Babel's CLDR data, read once: a page
    formats dozens of numbers, and Babel's general formatter costs tens of microseconds each."""
    from babel import Locale

    loc = Locale.parse(locale)
    symbols = loc.number_symbols.get("latn", loc.number_symbols)
    table = str.maketrans({".": symbols["decimal"], ",": symbols["group"]})
    pattern = loc.percent_formats[None].pattern.split(";")[0]
    before, _, after = pattern.partition("#,##0")
    sign = symbols["percentSign"]
    return table, before.replace("%", sign), after.replace("%", sign)


def number(value: float, digits: int = 2) -> str:
    """A number with the current locale's grouping and decimal signs, ``digits`` decimals."""
    table, _, _ = _number_symbols(locale_name())
    return f"{value:,.{digits}f}".translate(table)


def percent(share: float, digits: int = 1) -> str:
    """A share (0.853) as the current locale writes a percentage ("85.3%")."""
    table, before, after = _number_symbols(locale_name())
    return before + f"{100 * share:,.{digits}f}".translate(table) + after


def day(value) -> str:
    """A date as the current locale writes it ("Dec 3, 2026", "2026年12月3日"); an ISO string
    is read first; None is a dash."""
    from datetime import date, datetime

    from babel.dates import format_date

    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="medium", locale=locale_name())


def moment(value) -> str:
    """A timestamp (UTC) as the current locale writes it, minutes shown, with "UTC"."""
    from datetime import UTC, datetime

    from babel.dates import format_datetime

    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    pattern = "yyyy-MM-dd HH:mm" if _lang.get() == "en" else "yyyy年M月d日 HH:mm"
    return format_datetime(value, format=pattern, tzinfo=UTC, locale=locale_name()) + " UTC"


def month(value) -> str:
    """A month as the current locale names it ("December 2026", "2026年12月")."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=locale_name())
