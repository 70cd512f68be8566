"""Tier transitions and team timelines, on SQLite and PostgreSQL: the matrix equals the tiers
counted by hand, within the viewer's scope; the timeline holds what happened, newest first."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import NotFound
from teamroots.services.track import NewAction
from teamroots.track.history import state, transitions
from teamroots.web.app import create_app

BOSS = Viewer(1, "boss", AccessRole.PLANT_MANAGER)
TIERS = st.dictionaries(
    st.sampled_from([f"T{i}" for i in range(30)]), st.sampled_from([1, 2, 3, None])
)


@given(TIERS, TIERS)
def test_every_team_is_counted_once_in_the_matrix(before, after):
    got = transitions(before, after)
    assert got.total() == len(before.keys() | after.keys())
    for team in before:
        assert got.total(before=state(before[team])) >= 1
    assert got.up + got.down + got.same == sum(
        1 for t in before.keys() & after.keys() if before[t] and after[t]
    )


def _two_reviews(db):
    services.census.build_demo(db, DemoSpec(teams=30, days=120))
    first = services.assess.assess(db)
    day = date.fromisoformat(first.document["as_of"]) - timedelta(40)
    services.assess.assess(db, as_of=day)
    services.assess.assess(db)
    before = {t["team"]: t["tier"] for t in services.assess.review(db, 2).document["teams"]}
    now = {t["team"]: t["tier"] for t in services.assess.review(db, 3).document["teams"]}
    return before, now


def test_the_matrix_counts_the_tiers_of_both_reviews_within_the_scope(db, settings):
    before, now = _two_reviews(db)
    got, old, new, _reviews = services.history.tier_transitions(db, BOSS)
    assert (old["review"], new["review"]) == (2, 3)
    want = Counter((state(before[t]), state(now[t])) for t in now)
    assert got.counts == dict(want)
    team = sorted(now)[0]
    lead = Viewer(2, "lead", AccessRole.TEAM_LEADER, team_code=team)
    own, *_ = services.history.tier_transitions(db, lead)
    assert own.total() == 1 and own.cell(state(before[team]), state(now[team])) == 1
    services.users.add_user(db, "boss", "blast-furnace-7", "plant_manager")
    client = TestClient(create_app(settings))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"name": "boss", "password": "blast-furnace-7", "csrf": token})
    page = client.get("/history?before=1&after=3")
    assert page.status_code == 200 and "<svg" in page.text and "Tier transitions" in page.text
    assert (
        "历次" in client.get("/history?lang=zh-CN").text
        or "类别" in client.get("/history?lang=zh-CN").text
    )


def test_transitions_need_two_reviews(db):
    services.census.build_demo(db, DemoSpec(teams=8, days=30))
    services.assess.assess(db)
    with pytest.raises(NotFound):
        services.history.tier_transitions(db, BOSS)


def _a_member(db, team: str) -> str:
    with db.read() as conn:
        return conn.execute(text(
            "SELECT p.employee_no FROM person p JOIN membership m ON m.person_id = p.id "
            "JOIN team t ON t.id = m.team_id WHERE t.code = :t AND m.end_date IS NULL "
            "AND m.role = 'member' ORDER BY p.employee_no LIMIT 1"
        ), {"t": team}).scalar_one()  # fmt: skip


def test_a_teams_timeline_holds_what_happened_newest_first(db):
    services.census.build_demo(db, DemoSpec(teams=30, days=60))
    services.assess.assess(db)
    plan = services.plans.plan_links(db, time_limit=10)
    services.plans.approve(db, plan.id, "boss")
    link = next(x for x in plan.document["links"] if x.get("backward_team"))
    team = link["backward_team"]
    today = date.today()
    services.track.log_visit(
        db, team, link["cadre"], today, {"core": "x"}, [NewAction("y", None, today)]
    )
    _ref, events = services.history.team_timeline(db, BOSS, team)
    kinds = [e.kind.value for e in events]
    assert {"review", "link", "visit"} <= set(kinds)
    assert [e.day for e in events] == sorted((e.day for e in events), reverse=True)
    leader = Viewer(4, "lead", AccessRole.TEAM_LEADER, team_code=team)
    raised = services.wishes.raise_wish(
        db, Viewer(5, "m", AccessRole.MEMBER, employee_no=_a_member(db, team)), "x", "pay", True
    )
    assert raised.id
    seen = {e.kind.value for e in services.history.team_timeline(db, leader, team)[1]}
    cadre = Viewer(6, "c", AccessRole.CADRE, employee_no=link["cadre"])
    unseen = {e.kind.value for e in services.history.team_timeline(db, cadre, team)[1]}
    assert "wish" in seen and "wish" not in unseen  # a cadre sees no wish's day or category
    other = next(c for c in ("T00001", "T00002") if c != team)
    with pytest.raises(NotFound):
        services.history.team_timeline(
            db, Viewer(3, "l", AccessRole.TEAM_LEADER, team_code=other), team
        )
