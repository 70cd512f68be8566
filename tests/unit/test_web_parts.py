"""Pure pieces behind the pages: keyset paging, a team's weeks, sparklines, the calendar of a
training plan, and numbers per locale."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from teamroots import i18n
from teamroots.assess.kpis import weekly_series
from teamroots.report.charts import sparkline_svg
from teamroots.web.routes.pages import PAGE, keyset_page
from teamroots.web.routes.plans import _calendar


@given(st.integers(0, 4 * PAGE + 3))
def test_keyset_paging_visits_every_row_once_forwards_and_backwards(n):
    teams = [{"team": f"T{i:05d}"} for i in range(n)]
    seen, query, pages = [], {}, []
    while True:
        start, rows = keyset_page(teams, query)
        assert len(rows) <= PAGE and teams[start : start + len(rows)] == rows
        pages.append(rows)
        seen += rows
        if start + len(rows) >= n:
            break
        query = {"after": rows[-1]["team"]}
    assert seen == teams
    for earlier, later in itertools.pairwise(pages):  # "previous" gives the page before
        assert keyset_page(teams, {"before": later[0]["team"]})[1] == earlier
    assert keyset_page(teams, {"after": "NO-SUCH"}) == (0, teams[:PAGE])


def _week(week, **values):
    base = dict(actual=None, planned=None, present_when_due=None, scheduled=None,
                on_target=0, target_days=0, incidents=None, incident_days=0, member_days=None)
    return {"week": week, **base, **values}


def test_a_teams_weeks_keep_gaps_and_compute_each_kpi_as_the_window_does():
    rows = [
        _week(1, actual=90.0, planned=100.0, present_when_due=9.0, scheduled=10.0,
              on_target=3, target_days=5, incidents=1, incident_days=5, member_days=50.0),
        _week(3, actual=50.0, planned=0.0),  # nothing planned: no completion, not zero
        _week(7),  # outside a 4-week window: ignored
    ]
    got = weekly_series(rows, 4)
    assert got["completion"] == [None, 0.9, None, None]
    assert got["attendance_rate"] == [None, 0.9, None, None]
    assert got["on_target_share"] == [None, 0.6, None, None]
    assert got["incidents_per_100"] == [None, 2.0, None, None]


def test_a_sparkline_draws_runs_between_gaps_and_has_a_name():
    assert sparkline_svg([None, None], "x") == ""
    svg = sparkline_svg([0.5, 0.6, None, 0.7, 0.8, None, 0.9], "completion <by week>")
    assert svg.count("<polyline") == 2  # two runs of two or more weeks
    assert 'aria-label="completion &lt;by week&gt;"' in svg
    assert len(re.findall(r"<circle", svg)) == 2  # the lone last week, and the mark on it


def test_a_training_calendar_marks_batches_on_their_days_only():
    months = _calendar({"batches": [
        {"batch": 1, "date": "2026-12-28", "leaders": ["a", "b"]},
        {"batch": 2, "date": "2027-01-04", "leaders": ["c"]},
    ]})
    assert len(months) == 2
    marked = [(c["day"], b["batch"], b["count"]) for m in months for w in m["weeks"] for c in w
              for b in c["batches"]]
    assert marked == [(28, 1, 2), (4, 2, 1)]  # Dec 28 is not marked again in January's grid


@given(st.integers(-10**12, 10**12), st.sampled_from(["en", "zh-CN"]), st.integers(0, 3))
def test_numbers_are_written_with_the_locales_signs_as_babel_writes_them(k, lang, digits):
    """Same signs, grouping and percent placement as Babel's formatter (on values that need no
    rounding: Babel rounds the decimal text half-even, Python the binary float)."""
    from babel.numbers import format_decimal, format_percent

    locale = {"en": "en", "zh-CN": "zh_Hans_CN"}[lang]
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    value = k / 10**digits
    i18n.set_language(lang)
    try:
        assert i18n.number(value, digits) == format_decimal(value, pattern, locale=locale)
        share = k / 10 ** (digits + 2)
        assert i18n.percent(share, digits) == format_percent(share, pattern + "%", locale=locale)
    finally:
        i18n.set_language("en")
