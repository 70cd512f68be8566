"""The self-contained HTML report of an assessment: one string, no network, charts inline.

``render_report(assessment, lang)`` takes the document ``teamroots assess --json`` prints and
renders it; it recomputes nothing. Every user-facing string is a msgid here (the template only
places them), tables are capped so a plant of 100,000 teams renders in seconds.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from teamroots.assess.rubric import criterion_name
from teamroots.domain.choices import Tier, label
from teamroots.i18n import N_, current_language, localized, set_language
from teamroots.i18n import gettext as _
from teamroots.report import OPS, PERCENT_KPIS, charts, fmt, kpi_name

MAIN_KPIS = (
    "attendance_rate",
    "completion",
    "on_target_share",
    "weekly_volatility",
    "leader_support",
    "checklist_share",
)
GATE_ORDER = {"tier2": 0, "tier1": 1}
RANKING_LIMIT, RANKING_EDGE = 2000, 500
CARD_LIMIT = 1000
UNIT_CHART_LIMIT, UNIT_TABLE_LIMIT = 60, 2000


def render_report(
    assessment: dict[str, Any],
    lang: str = "en",
    plans: dict[str, dict[str, Any]] | None = None,
    history: list[dict[str, Any]] | None = None,
) -> str:
    """The report as one HTML string, in ``lang`` (the current language is restored after);
    ``plans`` are the newest plan documents by kind, ``history`` every stored plan's summary
    (``report.plans``)."""
    from teamroots.report.plans import history_rows, plan_texts, plans_context

    previous = current_language()
    code = set_language(lang)
    try:
        page = _environment().get_template("report.html.j2")
        context = report_context(localized(assessment))
        context["t"].update(plan_texts())
        context["plans"] = plans_context(localized(plans or {}))
        context["history"] = history_rows(history or [])
        return page.render(lang=code, **context)
    finally:
        set_language(previous)


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("teamroots.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def report_model(a: dict[str, Any]) -> dict[str, Any]:
    """What the report says, as plain data (texts, tiers, units, ranking, tier-3 cards): the
    HTML page and the PDF render the same."""
    teams = a.get("teams") or []
    return {
        "t": _texts(),
        "tiers": _tiers(a),
        "header": _header(a, len(teams)),
        "units": _unit_rows((a.get("summary") or {}).get("units") or []),
        "ranking": _ranking(teams),
        "cards": _cards(teams),
    }


def report_context(a: dict[str, Any]) -> dict[str, Any]:
    """The model with the HTML page's charts (server-side SVG)."""
    from markupsafe import Markup

    model = report_model(a)
    names = {t: _tier_name(t) for t in (1, 2, 3)}
    chart = charts.unit_tiers_svg(model["units"]["chart"], names, _("Number of teams"))
    return {
        **model,
        "units_svg": Markup(chart),
        "kpis": _distributions(a.get("teams") or []),
    }


def _texts() -> dict[str, str]:
    return {
        "title": _("Team assessment report"),
        "summary": _("Summary"),
        "as_of": _("As of"),
        "window": _("Window"),
        "rubric": _("Rubric"),
        "teams": _("Teams"),
        "by_unit": _("Tiers per unit"),
        "unit": _("Unit"),
        "unit_name": _("Unit name"),
        "total": _("Total"),
        "distributions": _("KPI distributions"),
        "kpi": _("KPI"),
        "assessed": _("Assessed"),
        "not_assessed": _("Not assessed"),
        "ranking": _("Ranking"),
        "rank": _("Rank"),
        "team": _("Team"),
        "name": _("Name"),
        "tier": _("Tier"),
        "score": _("Score"),
        "cards": _("Tier 3 teams: what holds them back"),
        "reasons": _("Why it is in tier 3"),
        "criterion": _("Criterion"),
        "value": _("Value"),
        "threshold": _("Threshold"),
        "outcome": _("Outcome"),
        "borderline": _("borderline"),
        "diagnosis": _("Diagnosis"),
        "no_diagnosis": _("No problem diagnosed."),
        "move_up": _("What would move it up"),
        "no_move_up": _("No assessed criterion holds it back: collect the missing data first."),
        "no_teams": _("No teams in this assessment."),
        "none_backward": _("No team is in tier 3."),
        "offline": _("This file is self-contained: it needs no network."),
    }


def _tier_name(tier: Any, provisional: bool = False) -> str:
    if tier is None:
        return _("Not assessed")
    if provisional:
        return _("{tier} (provisional)", tier=_tier_name(tier))
    try:
        return _("Tier {tier} — {label}", tier=tier, label=label(Tier.of(tier)))
    except ValueError:
        return str(tier)


def _tiers(a: dict[str, Any]) -> list[dict[str, Any]]:
    summary = a.get("summary") or {}
    counts = summary.get("tiers") or {}
    out = [
        {"tier": t, "name": _tier_name(t), "count": f"{counts.get(str(t), 0):,}"} for t in (1, 2, 3)
    ]
    if summary.get("not_assessed"):
        out.append({"tier": 0, "name": _tier_name(None), "count": f"{summary['not_assessed']:,}"})
    return out


def _header(a: dict[str, Any], count: int) -> dict[str, Any]:
    rubric = a.get("rubric") or {}
    review = a.get("review_id")
    return {
        "review": None if review is None else _("Review {review}", review=review),
        "as_of": a.get("as_of") or "—",
        "window": _("{days} days", days=a.get("window_days")),
        "rubric": _(
            "{name}, version {version}", name=rubric.get("name"), version=rubric.get("version")
        ),
        "sha256": rubric.get("sha256") or "",
        "teams": f"{count:,}",
    }


def _unit_rows(units: list[dict[str, Any]]) -> dict[str, Any]:
    rows = [
        {
            "unit": u.get("unit"),
            "name": u.get("unit_name") or "",
            "label": f"{u.get('unit_name') or ''} ({u.get('unit')})",
            **{f"tier{t}": int(u.get(f"tier{t}") or 0) for t in (1, 2, 3)},
            "not_assessed": int(u.get("not_assessed") or 0),
        }
        for u in units
    ]
    for r in rows:
        r["total"] = r["tier1"] + r["tier2"] + r["tier3"] + r["not_assessed"]
    largest = sorted(rows, key=lambda r: -r["total"])
    chart = rows if len(rows) <= UNIT_CHART_LIMIT else largest[:UNIT_CHART_LIMIT]
    table = rows if len(rows) <= UNIT_TABLE_LIMIT else largest[:UNIT_TABLE_LIMIT]
    notes = [
        _(text, shown=f"{len(part):,}", count=f"{len(rows):,}")
        for part, text in (
            (chart, N_("The chart shows the {shown} units with the most teams, of {count}.")),
            (table, N_("The table lists the {shown} units with the most teams, of {count}.")),
        )
        if len(part) < len(rows)
    ]
    return {"chart": chart, "table": table, "notes": notes}


def _distributions(teams: list[dict[str, Any]]) -> dict[str, Any]:
    from markupsafe import Markup

    values, missing = charts.kpi_values(teams, MAIN_KPIS)
    panels, rows = [], []
    for k in MAIN_KPIS:
        name = kpi_name(k)
        title = _("{kpi} ({count} not assessed)", kpi=name, count=f"{missing[k]:,}")
        percent, empty = k in PERCENT_KPIS, _("no value")
        panels.append(
            {
                "title": title if missing[k] else name,
                "percent": percent,
                "values": values[k],
                "empty": empty,
            }
        )
        rows.append(
            {"kpi": name, "assessed": f"{len(teams) - missing[k]:,}", "missing": f"{missing[k]:,}"}
        )
    svg = charts.kpi_histograms_svg(panels, {t: _tier_name(t) for t in (1, 2, 3)})
    return {"svg": Markup(svg), "rows": rows}


def _rank_key(team: dict[str, Any]) -> tuple:
    rank = team.get("rank_in_plant")
    return (rank is None, rank if rank is not None else 0, str(team.get("team")))


def _row(team: dict[str, Any]) -> dict[str, Any]:
    score = team.get("score")
    return {
        "rank": team.get("rank_in_plant") if team.get("rank_in_plant") is not None else "—",
        "team": team.get("team"),
        "name": team.get("name"),
        "unit": f"{team.get('unit_name') or ''} ({team.get('unit')})",
        "tier": team.get("tier") or 0,
        "tier_name": _tier_name(team.get("tier"), bool(team.get("provisional"))),
        "score": "—" if score is None else f"{score:.2f}",
    }


def _ranking(teams: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(teams, key=_rank_key)
    if len(ordered) <= RANKING_LIMIT:
        return {"top": [_row(t) for t in ordered], "bottom": [], "gap": None, "note": None}
    hidden = len(ordered) - 2 * RANKING_EDGE
    return {
        "top": [_row(t) for t in ordered[:RANKING_EDGE]],
        "bottom": [_row(t) for t in ordered[-RANKING_EDGE:]],
        "gap": _("… {count} teams not shown …", count=f"{hidden:,}"),
        "note": _(
            "The plant has {count} teams: the ranking shows the top {edge} and the bottom {edge}.",
            count=f"{len(ordered):,}",
            edge=RANKING_EDGE,
        ),
    }


def _criterion(c: dict[str, Any]) -> dict[str, Any]:
    kpi = c.get("kpi") or ""
    passed = c.get("passed")
    gate = c.get("gate")
    op = "" if kpi == "leader_in_post" else OPS.get(c.get("op") or "", c.get("op"))
    return {
        "name": c.get("name"),
        "label": criterion_name(str(c.get("name") or "")),
        "kpi": kpi_name(kpi),
        "value": fmt(kpi, c.get("value")),
        "target": f"{op} {fmt(kpi, c.get('threshold'))}".strip(),
        "passed": passed,
        "outcome": _("passed") if passed else _("failed"),
        "borderline": bool(c.get("borderline")),
        "gate": {"tier2": _("to leave tier 3"), "tier1": _("to reach tier 1")}.get(gate, gate),
        "why": c.get("not_assessed") or "",
    }


def _evidence(d: dict[str, Any]) -> list[tuple[str, str]]:
    """Each failed criterion behind a problem: the KPI, the team's value and the threshold
    (reviews made before criteria were named list KPI values only)."""
    found = d.get("evidence") or []
    if isinstance(found, dict):
        return [(kpi_name(k), fmt(k, v)) for k, v in found.items()]
    return [
        (
            kpi_name(e["kpi"]),
            f"{fmt(e['kpi'], e['value'])} ({OPS.get(e['op'], e['op'])} "
            f"{fmt(e['kpi'], e['threshold'])})",
        )
        for e in found
    ]


def _card(team: dict[str, Any], count: int) -> dict[str, Any]:
    criteria = sorted(team.get("criteria") or [], key=lambda c: GATE_ORDER.get(c.get("gate"), 9))
    by_name = {c.get("name"): c for c in criteria}
    rank = team.get("rank_in_plant")
    return {
        **_row(team),
        "rank_text": _(
            "Rank {rank} of {count}", rank=rank if rank is not None else "—", count=f"{count:,}"
        ),
        "reasons": [
            _criterion(c)
            for c in criteria
            if c.get("passed") is False or (c.get("passed") and c.get("borderline"))
        ],
        "missing": [_criterion(c) for c in criteria if c.get("passed") is None],
        "diagnosis": [
            {"label": str(d.get("label") or d.get("code")), "evidence": _evidence(d)}
            for d in team.get("diagnosis") or []
        ],
        "move_up": [_criterion(by_name.get(n) or {"name": n}) for n in team.get("move_up") or []],
    }


def _cards(teams: list[dict[str, Any]]) -> dict[str, Any]:
    backward = [t for t in teams if t.get("tier") == 3]
    backward.sort(key=lambda t: (t.get("rank_in_plant") is None, -(t.get("rank_in_plant") or 0)))
    shown = backward[:CARD_LIMIT]
    note = None
    if len(shown) < len(backward):
        note = _(
            "{count} teams are in tier 3: cards are shown for the {shown} ranked lowest.",
            count=f"{len(backward):,}",
            shown=f"{len(shown):,}",
        )
    return {"list": [_card(t, len(teams)) for t in shown], "note": note}


# View models the web pages share with the report (STYLE.md: report/ ← web/).
def team_row(team: dict[str, Any]) -> dict[str, Any]:
    """One team as a ranking row: rank, code, name, unit, tier and its name, score."""
    return _row(team)


def team_card(team: dict[str, Any], count: int) -> dict[str, Any]:
    """One team's tier with the criteria that hold it back, diagnosis and how to move up."""
    return _card(team, count)


def criterion_rows(team: dict[str, Any]) -> list[dict[str, Any]]:
    """Every criterion of the team's tier, gate by gate, with value, target and outcome."""
    criteria = sorted(team.get("criteria") or [], key=lambda c: GATE_ORDER.get(c.get("gate"), 9))
    return [_criterion(c) for c in criteria]


def tier_name(tier: int | None, provisional: bool = False) -> str:
    return _tier_name(tier, provisional)


def texts() -> dict[str, str]:
    """The report's labels (the plans' section needs them beside its own)."""
    from teamroots.report.plans import plan_texts

    return {**_texts(), **plan_texts()}
