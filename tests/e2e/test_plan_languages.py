"""A stored plan speaks the reader's language, not the proposer's: plans keep their reasons,
warnings and lectures as msgids with parameters, rendered when shown."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from teamroots.cli.app import make_app
from teamroots.i18n import set_language

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
DATES = "2031-03-03,2031-03-10,2031-03-17,2031-03-24,2031-03-31"


@pytest.fixture
def run(sqlite_settings, monkeypatch):
    monkeypatch.setenv("TEAMROOTS_DATABASE_URL", sqlite_settings.database_url)
    runner = CliRunner()

    def invoke(lang: str, *args: str):
        set_language(lang)
        result = runner.invoke(make_app(), ["--lang", lang, *args])
        assert result.exit_code == 0, result.output
        return result

    invoke("en", "demo", "--teams", "30", "--days", "60")
    invoke("en", "assess")
    return invoke


def without_names(doc):
    """The document without people's and teams' names (which may well be Chinese), and the
    names it held."""
    names: list[str] = []

    def strip(value):
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if k == "name" or k.endswith("_name"):
                    names.extend([v] if isinstance(v, str) else [])
                else:
                    out[k] = strip(v)
            return out
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(doc), names


def unnamed(text: str, names: list[str]) -> str:
    """``text`` without the names (also where a message or a table quotes them)."""
    for name in sorted(set(names), key=len, reverse=True):
        text = text.replace(name, "")
    return text


def texts(doc) -> list[str]:
    """Every rendered message of a plan document: reasons, warnings, lectures."""
    out: list[str] = []

    def walk(value, key=None):
        if isinstance(value, dict):
            if "msgid" in value and "text" in value:
                out.append(value["text"])
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                if isinstance(v, str) and key in ("warnings", "lectures"):
                    out.append(v)
                walk(v, key)

    walk(doc)
    return out


@pytest.mark.slow
def test_proposed_in_chinese_shown_in_english_and_back(run):
    run("zh-CN", "plan", "leaders")
    run("zh-CN", "plan", "training", "--dates", DATES)
    run("en", "plan", "links")
    for plan_id in (1, 2):
        shown = run("en", "plan", "show", str(plan_id), "--json").stdout
        doc, names = without_names(json.loads(shown))
        assert texts(doc)
        english = unnamed(json.dumps(doc, ensure_ascii=False), names)
        assert not CJK.search(english), CJK.search(english)
        view = unnamed(run("en", "plan", "show", str(plan_id)).stdout, names)
        assert not CJK.search(view), CJK.search(view)
    chinese = json.loads(run("zh-CN", "plan", "show", "3", "--json").stdout)
    found = texts(chinese)
    assert found and all(CJK.search(t) for t in found), found
    assert CJK.search(run("zh-CN", "plan", "show", "3").stdout)


@pytest.mark.slow
def test_a_review_reads_in_the_language_of_the_report(run, tmp_path):
    report = tmp_path / "r.html"
    run("zh-CN", "assess")
    run("en", "report", "--out", str(report))
    page = report.read_text(encoding="utf-8")
    assert "not assessed" in page or "backward" in page
    assert not re.search("未评定|落后", page)
