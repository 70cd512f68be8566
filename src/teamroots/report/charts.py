"""Charts as inline SVG strings, drawn server-side with matplotlib's SVG backend.

Each chart takes numbers that are already aggregated and labels that are already translated,
draws one ``Figure`` (never pyplot), and returns the ``<svg>`` element alone: no XML prolog,
no metadata, text kept as text (``svg.fonttype = none``) and ids nobody references dropped.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from functools import cache
from typing import Any

TIER_COLOURS = {1: "#1b9e77", 2: "#e6a817", 3: "#d95f02"}
# Used for measuring text when installed (the browser draws it with its own fonts).
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei")
_ID = re.compile(r' id="([^"]+)"')
_REF = re.compile(r'(?:url\(#|href="#)([^")]+)')
_GEOMETRY = re.compile(r'\b(d|x|y|transform)="([^"]*)"')
_DIGITS = re.compile(r"(\.\d\d)\d+")
_BETWEEN = re.compile(r">\s+<")


def _rc(salt: str) -> dict[str, Any]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": salt,
        "text.parse_math": False,
        "font.family": "sans-serif",
        "font.sans-serif": _families(),
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


@cache
def _families() -> list[str]:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(f for f in CJK_FONTS if f in installed)]


def _to_svg(fig: Any) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buf = io.StringIO()
    metadata = {"Date": None, "Creator": None, "Format": None, "Type": None}
    FigureCanvasSVG(fig).print_svg(buf, metadata=metadata)
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    used = set(_REF.findall(text))
    text = _ID.sub(lambda m: m.group(0) if m.group(1) in used else "", text)
    return _BETWEEN.sub("><", _GEOMETRY.sub(_shorter, text))


def _shorter(m: re.Match[str]) -> str:
    """Coordinates to 1/100 pt, on one line: a third of the size, the same picture."""
    value = " ".join(_DIGITS.sub(r"\1", m.group(2)).split())
    return f'{m.group(1)}="{value}"'


def _draw(salt: str, draw: Any, *args: Any) -> str:
    """Run ``draw(*args)`` → Figure under the report's rc settings and return its SVG."""
    import matplotlib

    with matplotlib.rc_context(_rc(salt)), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # CJK glyphs: the browser draws the text
        return _to_svg(draw(*args))


def kpi_values(
    teams: Sequence[dict[str, Any]], kpis: Sequence[str]
) -> tuple[dict[str, dict[Any, list[float]]], dict[str, int]]:
    """Per KPI, the teams' values by tier (nulls left out) and how many were null."""
    values: dict[str, dict[Any, list[float]]] = {k: {1: [], 2: [], 3: []} for k in kpis}
    missing = dict.fromkeys(kpis, 0)
    for team in teams:
        row, tier = team.get("kpis") or {}, team.get("tier")
        for k in kpis:
            v = row.get(k)
            if v is None:
                missing[k] += 1
            else:
                values[k].setdefault(tier, []).append(v)
    return values, missing


def unit_tiers_svg(rows: Sequence[dict[str, Any]], tier_names: dict[int, str], xlabel: str) -> str:
    """Stacked horizontal bars: one bar per unit, its teams split by tier.

    ``rows`` hold ``label``, ``tier1``, ``tier2``, ``tier3``, first row drawn at the top.
    """
    return _draw("units", _unit_figure, rows, tier_names, xlabel)


def _unit_figure(rows: Sequence[dict[str, Any]], tier_names: dict[int, str], xlabel: str) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 1.2 + 0.24 * max(len(rows), 1)), layout="constrained")
    ax = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    left = [0] * len(rows)
    for tier in (1, 2, 3):
        counts = [r[f"tier{tier}"] for r in rows]
        ax.barh(ys, counts, left=left, height=0.7, color=TIER_COLOURS[tier], label=tier_names[tier])
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_yticks(ys, [r["label"] for r in rows], fontsize=8)
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.legend(loc="outside upper center", ncols=3, fontsize=8, frameon=False)
    return fig


def kpi_histograms_svg(panels: Sequence[dict[str, Any]], tier_names: dict[int, str]) -> str:
    """Small multiples: one histogram per KPI, stacked by tier.

    Each panel holds ``title``, ``percent`` (bool), ``values`` ({tier: [float, …]}, nulls
    already left out: the title says how many) and ``empty`` (shown when there is no value).
    """
    return _draw("kpis", _kpi_figure, panels, tier_names)


def _kpi_figure(panels: Sequence[dict[str, Any]], tier_names: dict[int, str]) -> Any:
    from matplotlib.figure import Figure

    cols = 3
    rows = max(1, -(-len(panels) // cols))
    fig = Figure(figsize=(9.5, 2.5 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, panel in zip(axes, panels, strict=False):
        _histogram(ax, panel)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    handles = [_legend_patch(TIER_COLOURS[t], tier_names[t]) for t in (1, 2, 3)]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    return fig


def _legend_patch(colour: str, label: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, label=label)


def _histogram(ax: Any, panel: dict[str, Any]) -> None:
    import numpy as np
    from matplotlib.ticker import PercentFormatter

    ax.set_title(panel["title"], fontsize=9)
    series = [np.asarray(panel["values"].get(t, []), dtype=float) for t in (1, 2, 3)]
    everything = np.concatenate(series)
    everything = everything[np.isfinite(everything)]
    if everything.size:
        edges = np.histogram_bin_edges(everything, bins=20)
        data = [s[np.isfinite(s)] for s in series]
        colours = [TIER_COLOURS[t] for t in (1, 2, 3)]
        ax.hist(data, bins=edges, stacked=True, histtype="stepfilled", color=colours)
    else:
        ax.text(0.5, 0.5, panel["empty"], ha="center", va="center", transform=ax.transAxes)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if panel["percent"]:
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.tick_params(labelsize=7)


def sparkline_svg(
    values: Sequence[float | None], label: str, width: int = 120, height: int = 28
) -> str:
    """A small line of a KPI week by week, drawn directly as SVG (a page shows several; a
    matplotlib figure each would cost tens of milliseconds). Gaps stay gaps; the last value
    is marked; ``label`` is the accessible name."""
    from markupsafe import escape

    known = [v for v in values if v is not None]
    if not known:
        return ""
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    step = (width - 4) / max(1, len(values) - 1)
    pad = 3

    def point(i: int, v: float) -> str:
        y = pad + (height - 2 * pad) * (1 - (v - lo) / span)
        return f"{2 + i * step:.1f},{y:.1f}"

    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(point(i, v))
    lines = "".join(
        f'<polyline points="{" ".join(run)}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        if len(run) > 1
        else f'<circle cx="{run[0].split(",")[0]}" cy="{run[0].split(",")[1]}" r="1.5"/>'
        for run in runs
        if run
    )
    last = max(i for i, v in enumerate(values) if v is not None)
    x, y = point(last, values[last]).split(",")
    return (
        f'<svg class="spark" role="img" aria-label="{escape(label)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(label)}</title>'
        f'{lines}<circle cx="{x}" cy="{y}" r="2.5" fill="currentColor"/></svg>'
    )


FLOW_COLOURS = {"1": TIER_COLOURS[1], "2": TIER_COLOURS[2], "3": TIER_COLOURS[3]}
GREY = "#9e9e9e"


def flow_svg(
    counts: dict[tuple[str, str], int],
    states: Sequence[str],
    names: dict[str, str],
    title: str,
    width: int = 640,
    height: int = 300,
) -> str:
    """Teams flowing between states from one review (left) to another (right): a band per
    (before, after) pair as wide as its count, coloured by the state before. Drawn directly as
    SVG with presentation attributes (no inline styles: the pages' CSP forbids them)."""
    from markupsafe import escape

    total = sum(counts.values())
    if not total:
        return ""
    left = {s: sum(n for (b, _a), n in counts.items() if b == s) for s in states}
    right = {s: sum(n for (_b, a), n in counts.items() if a == s) for s in states}
    gap, top, bar, x0, x1 = 8.0, 24.0, 12.0, 190.0, width - 190.0
    scale = (height - top - 8 - gap * (len(states) - 1)) / total
    y_left, y_right = _stack(left, states, gap, scale, top), _stack(right, states, gap, scale, top)
    parts = [f'<title>{escape(title)}</title>',
             f'<text x="{width / 2:.0f}" y="14" text-anchor="middle" font-size="13">'
             f"{escape(title)}</text>"]  # fmt: skip
    for b in states:
        for a in states:
            n = counts.get((b, a), 0)
            if not n:
                continue
            h = n * scale
            ya, yb = y_left[b], y_right[a]
            xa, mid = x0 + bar, (x0 + bar + x1) / 2
            d = (f"M{xa:.1f},{ya:.1f} C{mid:.1f},{ya:.1f} {mid:.1f},{yb:.1f} {x1:.1f},{yb:.1f} "
                 f"L{x1:.1f},{yb + h:.1f} C{mid:.1f},{yb + h:.1f} {mid:.1f},{ya + h:.1f} "
                 f"{xa:.1f},{ya + h:.1f} Z")  # fmt: skip
            colour = FLOW_COLOURS.get(b, GREY)
            label = escape(f"{names[b]} → {names[a]}: {n}")
            parts.append(
                f'<path d="{d}" fill="{colour}" fill-opacity="0.45"><title>{label}</title></path>'
            )
            y_left[b] += h
            y_right[a] += h
    parts += _bars(left, states, gap, scale, top, x0, bar, names, "end")
    parts += _bars(right, states, gap, scale, top, x1, bar, names, "start")
    return (
        f'<svg class="flow" role="img" aria-label="{escape(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" '
        f'font-size="12">{"".join(parts)}</svg>'
    )


def _stack(sums: dict[str, int], states, gap: float, scale: float, top: float) -> dict[str, float]:
    out, y = {}, top
    for s in states:
        out[s] = y
        if sums.get(s):
            y += sums[s] * scale + gap
    return out


def _bars(sums, states, gap, scale, top, x, bar, names, anchor) -> list[str]:
    from markupsafe import escape

    out, y = [], top
    for s in states:
        n = sums.get(s, 0)
        if not n:
            continue
        h = n * scale
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar}" height="{h:.1f}" '
                   f'fill="{FLOW_COLOURS.get(s, GREY)}"/>')  # fmt: skip
        tx = x - 6 if anchor == "end" else x + bar + 6
        out.append(f'<text x="{tx:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="{anchor}">'
                   f"{escape(names[s])} ({n})</text>")  # fmt: skip
        y += h + gap
    return out
