"""Every user-facing string in the code has a zh-CN translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from teamroots.domain.choices import LABELS
from teamroots.i18n import catalog, gettext, normalize_language, set_language

ROOT = Path(__file__).parents[2]
PLACEHOLDER = re.compile(r"{(\w+)[^}]*}")


def _keywords() -> dict:
    line = next(x for x in (ROOT / "Makefile").read_text().splitlines() if "pybabel extract" in x)
    return {name: None for name in re.findall(r"-k (\w+)", line)}


def _msgids() -> set[str]:
    found = extract_from_dir(
        str(ROOT / "src"), method_map=[("**.py", "python")], keywords=_keywords()
    )
    return {msg for _file, _line, msg, _comments, _ctx in found if isinstance(msg, str) and msg}


def test_extraction_finds_the_strings():
    ids = _msgids()
    assert len(ids) > 100
    assert "Census" in ids and "a whole number" in ids


def test_every_msgid_has_a_chinese_translation_with_the_same_placeholders():
    zh = catalog("zh-CN")
    missing = sorted(m for m in _msgids() if m not in zh)
    assert missing == [], "run `make i18n` and translate these in zh_CN/teamroots.po"
    for msgid in _msgids():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(zh[msgid])), msgid


def test_every_enum_label_is_translated():
    zh = catalog("zh-CN")
    for labels in LABELS.values():
        for text in labels.values():
            assert text in zh, text


@pytest.mark.parametrize(("given", "code"), [("zh_CN.UTF-8", "zh-CN"), ("ZH-cn", "zh-CN"),
                                             ("en_US", "en"), (None, "en"), ("fr", "en")])
def test_language_names(given, code):
    assert normalize_language(given) == code


def test_gettext_renders_in_the_current_language():
    set_language("zh-CN")
    assert gettext("{count} rows written to {file}.", count=3, file="a.csv") == \
        "已向 a.csv 写入 3 行。"
    set_language("en")
    assert gettext("{count} rows written to {file}.", count=3, file="a.csv") == \
        "3 rows written to a.csv."
