"""Directives' reach and stages, and wishes' deadlines and receipt codes, on a fake clock."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from teamroots.track.directives import Stage, percentile, reach, stage
from teamroots.track.wishes import new_receipt, receipt_hash, respond_by, wish_level

DAYS = st.integers(min_value=0, max_value=60)


@given(st.lists(st.floats(0, 1e4), min_size=1, max_size=50))
def test_the_median_is_the_statistics_median(values):
    assert abs(percentile(sorted(values), 0.5) - statistics.median(values)) < 1e-6


@given(st.lists(st.tuples(st.sampled_from("ABC"), st.one_of(st.none(), st.floats(0, 500)))))
def test_reach_counts_every_delivery_once(rows):
    got = reach((k, h, "web" if h is not None else None) for k, h in rows)
    assert sum(r.delivered for r in got.values()) == len(rows)
    assert sum(r.acked for r in got.values()) == sum(h is not None for _k, h in rows)
    for r in got.values():
        assert r.behind >= 0 and (r.median_hours is None) == (r.acked == 0)
        assert r.median_hours is None or r.median_hours <= r.p90_hours


@given(DAYS, DAYS, st.integers(1, 10), st.integers(1, 10))
def test_a_directive_reminds_then_escalates_exactly_on_its_days(after, _x, remind, grace):
    issued = datetime(2026, 3, 1, 8, tzinfo=UTC)
    now = issued + timedelta(days=after)
    got = stage(issued, now, remind, grace)
    want = (
        Stage.FRESH
        if after < remind
        else Stage.REMIND
        if after < remind + grace
        else Stage.ESCALATE
    )
    assert got is want


@given(DAYS, st.integers(1, 10), st.one_of(st.none(), DAYS))
def test_a_wish_goes_up_one_level_per_missed_deadline(after, days, answered_after):
    raised = date(2026, 3, 1)
    today = raised + timedelta(days=after)
    answered = None if answered_after is None else raised + timedelta(days=answered_after)
    level = wish_level(raised, answered, today, days)
    end = min(today, answered) if answered else today
    if end <= respond_by(raised, days):
        assert level == 0
    elif end <= respond_by(raised, 2 * days):
        assert level == 1
    else:
        assert level == 2
    if answered is not None and answered <= today:  # frozen once answered
        assert level == wish_level(raised, answered, today + timedelta(days=99), days)


def test_receipt_codes_survive_being_read_aloud():
    code = new_receipt()
    assert len(code) == 17 and code.count("-") == 2
    assert receipt_hash(code) == receipt_hash(code.lower().replace("-", " "))
    assert receipt_hash("O0IL1-AAAAA-BBBBB") == receipt_hash("00111-aaaaa-bbbbb")
    assert len({new_receipt() for _ in range(1000)}) == 1000
