"""Visits and their actions through the services, on SQLite and PostgreSQL: all or nothing,
judged against the newest approved link plan on a given day, within the viewer's scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotFound
from teamroots.services.track import NewAction
from teamroots.track.visits import Schedule

BOSS = Viewer(1, "boss", AccessRole.PLANT_MANAGER)


def _linked(db):
    services.census.build_demo(db, DemoSpec(teams=30, days=60))
    services.assess.assess(db)
    plan = services.plans.plan_links(db, time_limit=10)
    services.plans.approve(db, plan.id, "boss")
    link = next(x for x in plan.document["links"] if x.get("backward_team"))
    return link["cadre"], link["backward_team"], date.today()


def test_a_visit_counts_on_its_schedule_and_its_actions_escalate(db):
    cadre, team, start = _linked(db)
    schedule = Schedule(every_weeks=4, window_days=7, grace_days=7)
    due = start + timedelta(weeks=4)
    visit = services.track.log_visit(
        db, team, cadre, due - timedelta(days=2), {"core": "the deputy left"},
        [NewAction("Name a new deputy", None, due + timedelta(days=5))],
    )
    assert visit > 0
    later = due + timedelta(days=5 + 8)  # the action is past its due day by more than grace
    got = services.track.board(db, BOSS, later, schedule, grace_days=7)
    assert got.visits["on_time"] == 1
    mine = [m for m in got.missed if (m["cadre"], m["team"]) == (cadre, team)]
    assert mine == []  # the one due day was visited
    [action] = got.overdue
    assert action["team"] == team and action["level"] == "unit_head"
    assert [a["id"] for a in got.unowned] == [action["id"]]
    from datetime import UTC, datetime

    services.notices.remind(db, datetime.combine(later, datetime.min.time(), UTC))
    leader = Viewer(7, "lead", AccessRole.TEAM_LEADER, team_code=team)
    told = [n for n in services.notices.inbox(db, leader) if n["kind"] == "action"]
    assert told, "the team's leader hears of its overdue action, owned by nobody"
    services.track.finish_action(db, action["id"], later)
    assert services.track.board(db, BOSS, later, schedule, 7).overdue == []
    with pytest.raises(NotFound):
        services.track.finish_action(db, action["id"], later)  # done once


def test_a_bad_visit_writes_nothing(db):
    cadre, team, today = _linked(db)
    before = services.census.table_counts(db)
    cases = [
        (team, cadre, {"nonsense": "x"}, [], InvalidRequest),
        (team, cadre, {}, [NewAction("x", None, today - timedelta(days=1))], InvalidRequest),
        ("NO-SUCH-TEAM", cadre, {}, [], NotFound),
        (team, "NO-SUCH-PERSON", {}, [], NotFound),
        (team, cadre, {}, [NewAction("x", "NO-SUCH-OWNER", today)], NotFound),
    ]
    for code, who, findings, actions, error in cases:
        with pytest.raises(error):
            services.track.log_visit(db, code, who, today, findings, actions)
    assert services.census.table_counts(db) == before


def test_the_board_holds_only_the_viewers_teams(db):
    cadre, team, today = _linked(db)
    services.track.log_visit(db, team, cadre, today, {}, [NewAction("x", None, today)])
    later = today + timedelta(days=90)
    schedule = Schedule()
    other = next(c for c in ("T00001", "T00002") if c != team)
    lead = Viewer(2, "lead", AccessRole.TEAM_LEADER, team_code=other)
    got = services.track.board(db, lead, later, schedule, 7)
    assert got.overdue == [] and all(m["team"] == other for m in got.missed)
    own = services.track.board(db, Viewer(3, "l2", AccessRole.TEAM_LEADER, team_code=team),
                               later, schedule, 7)
    assert [a["team"] for a in own.overdue] == [team]


def test_a_cadre_logs_a_visit_on_the_web_and_it_shows_on_the_board(settings, db):
    import re

    from fastapi.testclient import TestClient

    from teamroots.web.app import create_app

    cadre, team, today = _linked(db)
    password = "blast-furnace-7"
    services.users.add_user(db, "cadre", password, "cadre", person=cadre)
    services.users.add_user(db, "worker", password, "member", person=cadre)
    client = TestClient(create_app(settings))

    def sign_in(name):
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
        client.post("/login", data={"name": name, "password": password, "csrf": token})

    sign_in("cadre")
    form = client.get(f"/teams/{team}/visit")
    assert form.status_code == 200 and 'name="cadre"' not in form.text  # their own visit
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    overdue = (today - timedelta(days=20)).isoformat()
    bad = client.post(f"/teams/{team}/visit", data={
        "csrf": token, "day": today.isoformat(), "what_0": "Name a deputy", "due_0": "",
    })
    assert bad.status_code == 422 and 'role="alert"' in bad.text  # an action without a due day
    done = client.post(f"/teams/{team}/visit", data={
        "csrf": token, "day": (today - timedelta(days=30)).isoformat(),
        "found_core": "the deputy left", "what_0": "Name a deputy", "due_0": overdue,
    }, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/visits?logged=")
    board = client.get("/visits").text
    assert "Name a deputy" in board and "Overdue actions" in board
    # a team outside the cadre's links answers 404, as ever
    with db.read() as conn:
        mine = services.access.team_scope(conn, Viewer(9, "c", AccessRole.CADRE,
                                                       employee_no=cadre))
    other = next(f"T{i:05d}" for i in range(1, 31) if f"T{i:05d}" not in mine)
    assert client.get(f"/teams/{other}/visit").status_code == 404
    sign_in("worker")  # a member logs no visit and sees no team
    assert client.get(f"/teams/{team}/visit").status_code == 404


def test_a_visit_during_a_shift_not_to_be_disturbed_counts_for_no_due_day(db):
    cadre, team, start = _linked(db)
    schedule = Schedule(every_weeks=4, window_days=7, grace_days=7)
    due = start + timedelta(weeks=4)
    services.track.log_visit(db, team, cadre, due, {}, [], during="night")
    quiet = frozenset({"night"})
    got = services.track.board(db, BOSS, due + timedelta(days=8), schedule, 7, quiet)
    assert [(v["team"], v["during"]) for v in got.disturbing] == [(team, "night")]
    assert any(m["team"] == team for m in got.missed)  # the night visit did not count
    services.track.log_visit(db, team, cadre, due + timedelta(days=1), {}, [], during="meeting")
    got = services.track.board(db, BOSS, due + timedelta(days=8), schedule, 7, quiet)
    assert not any(m["team"] == team for m in got.missed) and got.visits["late"] >= 1
    with pytest.raises(InvalidRequest):
        services.track.log_visit(db, team, cadre, due, {}, [], during="lunch")
