"""Docs are tested: every setting, command, import kind and field has its documented section,
and every link between the docs resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from teamroots.census.fields import KINDS
from teamroots.cli.app import make_app
from teamroots.config import Settings

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"


def section(text: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1 :]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.M)
    return rest[: end.start()] if end else rest


def test_every_setting_is_documented():
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        body = section(text, f"### TEAMROOTS_{name.upper()}")
        assert body.strip(), name
        assert field.description, f"Settings.{name} needs a description"


def test_every_command_is_documented():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    app = make_app()
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert names
    for name in names:
        assert section(text, f"### {name}").strip(), name


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_import_field_is_documented(kind):
    body = section((DOCS / "import.md").read_text(encoding="utf-8"), f"### {kind}")
    key = ", ".join(f"`{k}`" for k in KINDS[kind].key)
    assert f"Key: {key}." in body
    for field in KINDS[kind].fields:
        assert f"| `{field.name}` |" in body, f"{kind}.{field.name}"


def test_links_between_docs_resolve():
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#]+)\)", page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name} links to {target}"


def test_every_kpi_is_documented():
    from teamroots.assess.kpis import KPI_NAMES

    text = (DOCS / "kpis.md").read_text(encoding="utf-8")
    for name in KPI_NAMES:
        assert section(text, f"### {name}").strip(), name


def test_every_default_criterion_and_diagnosis_is_documented():
    from teamroots.assess.rubric import load_rubric

    rubric = load_rubric()
    text = (DOCS / "tiers.md").read_text(encoding="utf-8")
    for c in rubric.criteria:
        body = section(text, f"### {c.name}")
        assert f"Gate {c.gate}." in body and f"`{c.kpi} {c.op} " in body, c.name
        threshold = f"{c.threshold:g}"
        assert threshold in body, (c.name, threshold)
    for code in rubric.diagnosis:
        assert f"| `{code}` |" in text, code


def test_every_mapping_section_and_key_is_documented():
    from teamroots.census import mapping

    text = (DOCS / "mapping.md").read_text(encoding="utf-8")
    for name in mapping._SECTIONS | mapping._FILE_KEYS | mapping._CREATE_KEYS:
        assert f"`{name}" in text or f"[{name}" in text, name
    for policy in mapping.DUPLICATES:
        assert f'`"{policy}"`' in text, policy


def test_every_plan_weight_is_documented():
    from teamroots.plan.leaders.model import weights_doc

    text = (DOCS / "plans.md").read_text(encoding="utf-8")
    for row in weights_doc():
        assert f"| `{row['name']}` | {row['weight']:g} |" in text, row["name"]
