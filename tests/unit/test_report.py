"""The HTML report: self-contained, one chart per figure, a card per tier-3 team, escaped."""

from __future__ import annotations

import re
from typing import Any

import pytest

from teamroots.i18n import current_language
from teamroots.report.html import render_report

CRITERIA = (  # name, kpi, gate, op, threshold
    ("leader_in_post", "leader_in_post", "tier2", ">=", 1),
    ("completion", "completion", "tier2", ">=", 0.92),
    ("attendance", "attendance_rate", "tier2", ">=", 0.88),
    ("core_leader_support", "leader_support", "tier1", ">=", 0.5),
    ("checklist_in_place", "checklist_share", "tier1", ">=", 0.75),
)
_OPS = {">=": lambda v, t: v >= t, "<=": lambda v, t: v <= t}


def _criteria(kpis: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, kpi, gate, op, threshold in CRITERIA:
        value = kpis[kpi]
        passed = None if value is None else bool(_OPS[op](value, threshold))
        out.append(
            {
                "name": name,
                "kpi": kpi,
                "gate": gate,
                "value": value,
                "threshold": threshold,
                "op": op,
                "passed": passed,
                "borderline": passed is not None and abs(float(value) - threshold) < 0.02,
                "not_assessed": None if passed is not None else f"not assessed: why-{name}",
            }
        )
    return out


def _kpis(i: int) -> dict[str, Any]:
    share = (i % 17) / 16
    return {
        "days_reported": 90,
        "attendance_rate": None if i % 7 == 0 else 0.8 + 0.2 * share,
        "completion": 0.85 + 0.15 * ((i * 5) % 11) / 10,
        "on_target_share": share,
        "weekly_volatility": None if i % 5 == 0 else 0.02 + 0.1 * share,
        "weekly_trend": -0.01 + 0.002 * (i % 10),
        "incidents_per_100": 0.5,
        "defects_per_100": None,
        "post_coverage": 0.9,
        "staffing_ratio": 1.05,
        "leader_in_post": i % 9 != 0,
        "leader_support": None if i % 4 == 0 else share,
        "survey_response": 0.8,
        "core_members": i % 4,
        "leader_role_share": 0.5,
        "checklist_share": share,
    }


def _team(i: int) -> dict[str, Any]:
    kpis = _kpis(i)
    criteria = _criteria(kpis)
    failed = {c["gate"] for c in criteria if c["passed"] is False}
    tier = 3 if "tier2" in failed else 2 if "tier1" in failed else 1
    gate = {3: "tier2", 2: "tier1"}.get(tier)
    return {
        "team": f"T{i:06d}",
        "name": f"Furnace team {i}",
        "unit": f"W{i % 4}-S{i % 3}",
        "unit_name": f"Section {i % 3} of workshop {i % 4}",
        "tier": tier,
        "tier_label": "",
        "score": round(100 - (i * 37) % 100 + 0.25, 2),
        "rank_in_plant": None,
        "rank_in_unit": None,
        "kpis": kpis,
        "criteria": criteria,
        "diagnosis": [
            {"code": "no_core", "label": "no core formed", "evidence": {"core_members": 1}}
        ]
        if tier == 3
        else [],
        "move_up": [c["name"] for c in criteria if c["gate"] == gate and c["passed"] is False],
    }


def make_assessment(n: int) -> dict[str, Any]:
    teams = [_team(i) for i in range(1, n + 1)]
    for rank, t in enumerate(sorted(teams, key=lambda t: -t["score"]), start=1):
        t["rank_in_plant"] = rank
    units: dict[str, dict[str, Any]] = {}
    tiers = {"1": 0, "2": 0, "3": 0}
    for t in teams:
        tiers[str(t["tier"])] += 1
        u = units.setdefault(
            t["unit"],
            {"unit": t["unit"], "unit_name": t["unit_name"], "tier1": 0, "tier2": 0, "tier3": 0},
        )
        u[f"tier{t['tier']}"] += 1
    return {
        "review_id": 3,
        "as_of": "2026-10-31",
        "window_days": 90,
        "rubric": {"name": "default", "version": 1, "sha256": "ab12cd34"},
        "summary": {"teams": n, "tiers": tiers, "units": sorted(units.values(), key=str)},
        "teams": teams,
    }


@pytest.fixture(scope="module")
def assessment() -> dict[str, Any]:
    a = make_assessment(30)
    a["teams"][0]["name"] = "<b>x</b>"
    a["teams"][1]["unit_name"] = "<i>unit</i> $a$"
    return a


@pytest.fixture(scope="module")
def html(assessment) -> str:
    return render_report(assessment)


def test_the_fixture_has_what_the_report_must_show(assessment):
    tiers = [t["tier"] for t in assessment["teams"]]
    assert 3 <= tiers.count(3) < 30 and 1 in tiers
    assert any(v is None for t in assessment["teams"] for v in t["kpis"].values())


def test_nothing_is_fetched_from_the_network(html):
    assert "<script" not in html and "<link" not in html and "@import" not in html
    targets = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", html)
    assert targets and all(t.startswith("#") for t in targets)  # in-page links only
    urls = set(re.findall(r"https?://[^\"'\s)>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html


def test_header_and_one_svg_per_chart(html):
    assert '<html lang="en">' in html
    assert "2026-10-31" in html and "90 days" in html and "ab12cd34" in html
    assert "default, version 1" in html
    assert html.count("<svg") == 2  # tiers by unit, KPI small multiples
    assert "not assessed)" in html  # the KPI panels say how many values were missing


def test_a_card_per_tier3_team_with_failed_criteria_and_move_up(assessment, html):
    backward = [t for t in assessment["teams"] if t["tier"] == 3]
    cards = re.findall(r'<article class="card" id="team-([^"]+)">(.*?)</article>', html, re.S)
    assert sorted(team for team, _ in cards) == sorted(t["team"] for t in backward)
    body = dict(cards)
    for t in backward:
        card = body[t["team"]]
        assert t["move_up"] and all(f"<code>{name}</code>" in card for name in t["move_up"])
        for c in t["criteria"]:
            if c["passed"] is False:
                assert f"<code>{c['name']}</code>" in card and "failed" in card
            if c["passed"] is None:
                assert c["not_assessed"] in card
        assert "no core formed" in card and "core members 1" in card  # diagnosis, evidence
        if any(c["borderline"] for c in t["criteria"] if c["passed"] is not None):
            assert "borderline" in card


def test_values_are_formatted(html):
    assert re.search(r"≥ 92\.0%", html)  # a share as a percentage, the op as a sign
    assert "→ yes</li>" in html  # leader_in_post: yes or no, no sign


def test_the_ranking_is_in_rank_order(assessment, html):
    table = html.split('id="ranking"')[1].split("</table>")[0]
    teams = re.findall(r"<td>(T\d{6})</td>", table)
    expected = [t["team"] for t in sorted(assessment["teams"], key=lambda t: t["rank_in_plant"])]
    assert teams == expected


def test_names_are_escaped(html):
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<i>unit</i>" not in html


def test_chinese_sets_the_language_and_restores_it(assessment):
    out = render_report(assessment, lang="zh_CN")
    assert '<html lang="zh-CN">' in out
    assert current_language() == "en"


def test_a_large_plant_caps_the_ranking():
    a = make_assessment(2500)
    out = render_report(a)
    table = out.split('id="ranking"')[1].split("</table>")[0]
    assert len(re.findall(r"<td>(T\d{6})</td>", table)) == 1000
    assert "1,500 teams not shown" in out


def test_many_units_cap_the_chart_not_the_table():
    a = make_assessment(30)
    a["summary"]["units"] = [
        {"unit": f"U{i:03d}", "unit_name": f"Unit {i}", "tier1": 1, "tier2": i % 3, "tier3": 2}
        for i in range(75)
    ]
    out = render_report(a)
    assert "The chart shows the 60 units with the most teams, of 75." in out
    assert "<td>U074</td>" in out


def test_an_empty_assessment_renders():
    a = make_assessment(0)
    assert "No teams in this assessment." in render_report(a)


@pytest.mark.slow
def test_a_plant_of_100000_teams_renders():
    out = render_report(make_assessment(100_000))
    assert out.count('<article class="card"') == 1000
    assert "cards are shown for the 1,000 ranked lowest" in out
