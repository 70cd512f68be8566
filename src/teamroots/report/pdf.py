"""The report as a PDF (``teamroots report --out report.pdf``): the same model as the HTML page
(``html.report_model``), laid out with reportlab — summary, tiers per unit, ranking, a card for
every tier-3 team, the plans. Text only (the HTML page has the charts). Chinese is set in the
PDF standard CJK font STSong-Light, which every PDF reader supplies: nothing is downloaded and
no font file ships with teamroots."""

from __future__ import annotations

import io
from typing import Any

from teamroots.i18n import current_language, localized, set_language
from teamroots.i18n import gettext as _

FONT = "STSong-Light"
CARD_LIMIT = 200  # tier-3 cards in the PDF (the HTML page has up to a thousand)


def render_pdf(
    assessment: dict[str, Any],
    lang: str = "en",
    plans: dict[str, dict[str, Any]] | None = None,
    history: list[dict[str, Any]] | None = None,
) -> bytes:
    """The report as PDF bytes, in ``lang`` (the current language is restored after)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from teamroots.report.html import report_model
    from teamroots.report.plans import history_rows, plan_texts, plans_context

    previous = current_language()
    set_language(lang)
    try:
        model = report_model(localized(assessment))
        model["t"].update(plan_texts())
        model["plans"] = plans_context(localized(plans or {}))
        model["history"] = history_rows(history or [])
        out = io.BytesIO()
        page = SimpleDocTemplate(out, pagesize=A4, title=model["t"]["title"])
        page.build(_story(model, _styles()))
        return out.getvalue()
    finally:
        set_language(previous)


def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = getSampleStyleSheet()
    return {
        name: base[name].clone(f"tr-{name}", fontName=FONT, wordWrap="CJK")
        for name in ("Title", "Heading2", "Heading3", "Normal")
    }


def _table(rows: list[list[str]], styles, widths=None) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table

    cells = [[Paragraph(_escape(str(c)), styles["Normal"]) for c in row] for row in rows]
    return Table(
        cells,
        colWidths=widths,
        repeatRows=1,
        style=[
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ],
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _story(m: dict[str, Any], s: dict[str, Any]) -> list:
    from reportlab.platypus import Paragraph

    t, h = m["t"], m["header"]
    story = [Paragraph(_escape(t["title"]), s["Title"])]
    lines = [
        f"{t['as_of']}: {h['as_of']}",
        f"{t['window']}: {h['window']}",
        f"{t['rubric']}: {h['rubric']}",
        f"{t['teams']}: {h['teams']}",
    ]
    story.append(Paragraph(_escape(" · ".join(lines)), s["Normal"]))
    story.append(Paragraph(_escape(t["summary"]), s["Heading2"]))
    story.append(_table([[x["name"] for x in m["tiers"]], [x["count"] for x in m["tiers"]]], s))
    story += _units(m, s) + _ranking(m, s) + _cards(m, s) + _plans(m, s)
    return story


def _units(m: dict[str, Any], s) -> list:
    from reportlab.platypus import Paragraph

    t = m["t"]
    head = [t["unit"], t["unit_name"], *(x["name"] for x in m["tiers"][:3]), t["total"]]
    rows = [
        [u["unit"], u["name"], u["tier1"], u["tier2"], u["tier3"], u["total"]]
        for u in m["units"]["table"]
    ]
    return [Paragraph(_escape(t["by_unit"]), s["Heading2"]), _table([head, *rows], s)]


def _ranking(m: dict[str, Any], s) -> list:
    from reportlab.platypus import Paragraph

    t, r = m["t"], m["ranking"]
    head = [t["rank"], t["team"], t["name"], t["unit"], t["tier"], t["score"]]
    rows = [
        [x["rank"], x["team"], x["name"], x["unit"], x["tier_name"], x["score"]] for x in r["top"]
    ]
    if r["gap"]:
        rows.append([r["gap"], "", "", "", "", ""])
    rows += [
        [x["rank"], x["team"], x["name"], x["unit"], x["tier_name"], x["score"]]
        for x in r["bottom"]
    ]
    out = [Paragraph(_escape(t["ranking"]), s["Heading2"])]
    if r["note"]:
        out.append(Paragraph(_escape(r["note"]), s["Normal"]))
    return (
        [*out, _table([head, *rows], s)] if rows else [*out, Paragraph(t["no_teams"], s["Normal"])]
    )


def _cards(m: dict[str, Any], s) -> list:
    from reportlab.platypus import Paragraph

    t, cards = m["t"], m["cards"]
    out = [Paragraph(_escape(t["cards"]), s["Heading2"])]
    shown = cards["list"][:CARD_LIMIT]
    if len(shown) < len(cards["list"]):
        more = len(cards["list"]) - len(shown)
        out.append(
            Paragraph(_escape(_("… and {n} more (see the HTML report).", n=more)), s["Normal"])
        )
    if not shown:
        out.append(Paragraph(_escape(t["none_backward"]), s["Normal"]))
    for c in shown:
        out.append(Paragraph(_escape(f"{c['team']} · {c['name']}"), s["Heading3"]))
        out.append(
            Paragraph(
                _escape(f"{c['unit']} · {c['rank_text']} · {t['score']} {c['score']}"), s["Normal"]
            )
        )
        head = [t["criterion"], t["kpi"], t["value"], t["threshold"], t["outcome"]]
        rows = [[x["label"], x["kpi"], x["value"], x["target"], x["outcome"]] for x in c["reasons"]]
        if rows:
            out.append(_table([head, *rows], s))
        found = "; ".join(
            d["label"]
            + (": " + ", ".join(f"{k} {v}" for k, v in d["evidence"]) if d["evidence"] else "")
            for d in c["diagnosis"]
        )
        out.append(
            Paragraph(_escape(f"{t['diagnosis']}: {found or t['no_diagnosis']}"), s["Normal"])
        )
    return out


def _plans(m: dict[str, Any], s) -> list:
    from reportlab.platypus import Paragraph

    t = m["t"]
    out = [Paragraph(_escape(t["plans"]), s["Heading2"])]
    names = {"leaders": t["leaders_plan"], "training": t["training_plan"], "links": t["links_plan"]}
    for kind, p in m["plans"].items():
        line = (
            f"{names.get(kind, kind)} · {t['plan_no']} {p['plan']} · {t['solver']}: "
            f"{p['status']} · {t['approval']}: {p['approval']} · {t['objective']}: "
            f"{p['objective']}"
        )
        out.append(Paragraph(_escape(line), s["Normal"]))
    if m["history"]:
        head = [
            t["plan_no"],
            t["kind"],
            t["approval"],
            t["made"],
            t["approved_by"],
            t["approved_at"],
        ]
        rows = [
            [h["plan"], h["kind"], h["approval"], h["made"], h["by"], h["at"]] for h in m["history"]
        ]
        out.append(_table([head, *rows], s))
    if not m["plans"]:
        out.append(Paragraph(_escape(t["no_plans"]), s["Normal"]))
    return out
