"""Visits on schedule, late or missed, and actions escalating, judged on a fake clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from teamroots.track.visits import (
    LEVELS,
    Schedule,
    VisitStatus,
    action_level,
    due_days,
    is_overdue,
    unowned_too_long,
    visit_slots,
)

START = date(2026, 1, 5)
EVERY4 = Schedule(every_weeks=4, window_days=7, grace_days=7)


def test_a_visit_on_or_before_its_due_day_is_on_time_after_it_late_and_none_missed():
    due = START + timedelta(weeks=4)
    today = due + timedelta(weeks=8, days=8)  # three due days have passed their grace
    slots, extra = visit_slots(START, [due, due + timedelta(weeks=4, days=3)], EVERY4, today)
    assert [s.status for s in slots][:3] == [VisitStatus.ON_TIME, VisitStatus.LATE,
                                             VisitStatus.MISSED]
    assert extra == []


def test_a_due_day_is_open_until_its_grace_has_passed():
    due = START + timedelta(weeks=4)
    for today, want in ((due, VisitStatus.OPEN), (due + timedelta(days=7), VisitStatus.OPEN),
                        (due + timedelta(days=8), VisitStatus.MISSED)):
        slots, _ = visit_slots(START, [], EVERY4, today)
        assert slots[0].status is want, today


def test_a_visit_outside_every_window_counts_for_none():
    slots, extra = visit_slots(START, [START + timedelta(days=2)], EVERY4, START + timedelta(10))
    assert slots == [] and extra == [START + timedelta(days=2)]


def test_a_schedule_whose_window_and_grace_fill_the_period_is_refused():
    with pytest.raises(ValueError):
        Schedule(every_weeks=1, window_days=3, grace_days=4)


visits = st.lists(st.integers(0, 400).map(lambda d: START + timedelta(days=d)), max_size=30)


@given(visits, st.integers(0, 420), st.integers(1, 8), st.integers(0, 6), st.integers(0, 6))
def test_every_visit_counts_once_and_each_status_follows_its_definition(
    days, later, weeks, window, grace
):
    assume(window + grace < 7 * weeks)
    schedule = Schedule(weeks, window, grace)
    today = START + timedelta(days=later)
    slots, extra = visit_slots(START, days, schedule, today)
    assert [s.due for s in slots] == due_days(START, schedule, today)
    counted = [s.visited for s in slots if s.visited]
    seen = sorted(d for d in days if d <= today)
    assert sorted(counted + extra) == seen  # each visit (up to today) once: counted or extra
    for s in slots:
        lo, hi = s.due - timedelta(days=window), s.due + timedelta(days=grace)
        if s.status is VisitStatus.ON_TIME:
            assert lo <= s.visited <= s.due
        elif s.status is VisitStatus.LATE:
            assert s.due < s.visited <= hi
        elif s.status is VisitStatus.MISSED:
            assert s.visited is None and today > hi
            assert not any(lo <= d <= hi for d in extra)  # no spare visit in its window
        else:
            assert s.visited is None and today <= hi


@given(st.integers(-30, 60), st.integers(0, 14), st.one_of(st.none(), st.integers(-30, 60)))
def test_an_action_escalates_exactly_when_each_grace_period_passes(days, grace, done_after):
    due = date(2026, 3, 1)
    today = due + timedelta(days=days)
    done = due + timedelta(days=done_after) if done_after is not None else None
    level = action_level(due, done, today, grace)
    end = min(today, done) if done else today
    overdue = (end - due).days
    assert 0 <= level < len(LEVELS)
    assert (level == 0) == (overdue <= grace)
    if level and level < len(LEVELS) - 1:
        # one more grace period later it is one level up (if still open)
        later = action_level(due, None, end + timedelta(days=max(grace, 1)), grace)
        assert later == level + 1
    assert is_overdue(due, None, today) == (days > 0)
    assert not is_overdue(due, due, today)


def test_an_action_nobody_owns_is_flagged_after_seven_days():
    made = date(2026, 3, 1)
    assert not unowned_too_long(None, made, made + timedelta(days=6))
    assert unowned_too_long(None, made, made + timedelta(days=7))
    assert not unowned_too_long("E000001", made, made + timedelta(days=30))
