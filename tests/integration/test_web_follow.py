"""Directives, wishes and the inbox through the web app, on SQLite and PostgreSQL: a member
acknowledges, a team leader records a roll-call, an anonymous wish is followed by its receipt
code and answered, and every page keeps to the viewer's scope."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.web.app import create_app

PASSWORD = "blast-furnace-7"


def _csrf(client: TestClient, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def _signed_in(settings, name: str) -> TestClient:
    client = TestClient(create_app(settings))
    token = _csrf(client, "/login")
    done = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": token})
    assert done.status_code == 200
    return client


def _people(db):
    services.census.build_demo(db, DemoSpec(teams=12, days=30))
    with db.read() as conn:
        rows = conn.execute(text(
            "SELECT u.code, t.code, p.employee_no FROM membership m "
            "JOIN team t ON t.id = m.team_id JOIN org_unit u ON u.id = t.unit_id "
            "JOIN person p ON p.id = m.person_id "
            "WHERE m.end_date IS NULL AND m.role = 'member' ORDER BY t.code, p.employee_no"
        )).all()  # fmt: skip
    unit, team, member = rows[0]
    other_unit = next(r[0] for r in rows if r[0] != unit)
    add = services.users.add_user
    add(db, "boss", PASSWORD, "plant_manager")
    add(db, "head", PASSWORD, "unit_head", unit=unit)
    add(db, "head2", PASSWORD, "unit_head", unit=other_unit)
    add(db, "lead", PASSWORD, "team_leader", team=team)
    add(db, "worker", PASSWORD, "member", person=member)
    return unit, team, member, [r[2] for r in rows if r[1] == team and r[2] != member]


def test_a_directive_is_issued_acknowledged_and_its_reach_shown(settings, db):
    _unit, team, _member, others = _people(db)
    head = _signed_in(settings, "head")
    sent = head.post(
        "/directives",
        data={"csrf": _csrf(head, "/directives"), "title": "安全交底", "body": "班前会必读"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    url = sent.headers["location"].split("?")[0]
    worker = _signed_in(settings, "worker")
    assert "安全交底" in worker.get("/directives").text
    page = worker.get(url)
    assert "I have read it" in page.text
    done = worker.post(url + "/ack", data={"csrf": _csrf(worker, url)})
    assert done.status_code == 200 and "You acknowledged this version" in done.text
    lead = _signed_in(settings, "lead")
    form = lead.get(url).text
    assert "Roll-call at a shift meeting" in form
    roll = lead.post(
        url + "/roll-call", data={"csrf": _csrf(lead, url), "team": team, "present": others}
    )
    assert roll.status_code == 200 and "The roll-call is recorded" in roll.text
    bad = lead.post(
        url + "/roll-call", data={"csrf": _csrf(lead, url), "team": team, "present": ["X9"]}
    )
    assert bad.status_code == 422 and "X9" in bad.text
    reach = head.get(url, headers={"accept-language": "zh-CN"}).text
    assert "按班组" in reach or "By team" in reach
    assert _signed_in(settings, "head2").get(url).status_code == 404  # another unit
    refused = worker.post(
        "/directives", data={"csrf": _csrf(worker, "/directives"), "title": "x", "body": "y"}
    )
    assert refused.status_code == 403


def test_an_anonymous_wish_is_followed_by_its_code_answered_and_escalated(settings, db):
    unit, team, _member, _others = _people(db)
    worker = _signed_in(settings, "worker")
    made = worker.post(
        "/wishes",
        data={
            "csrf": _csrf(worker, "/wishes"),
            "category": "safety",
            "body": "护栏松了",
            "anonymous": "yes",
        },
    )
    assert made.status_code == 201
    code = re.search(r'class="receipt">([0-9A-Z-]+)<', made.text).group(1)
    lead = _signed_in(settings, "lead")
    listed = lead.get("/wishes").text
    assert "护栏松了" not in listed and "anonymous" in listed
    wish = re.search(r'href="/wishes/(\d+)"', listed).group(1)
    assert "worker" not in lead.get(f"/wishes/{wish}").text
    assert _signed_in(settings, "head2").get(f"/wishes/{wish}").status_code == 404
    later = datetime.now(UTC) + timedelta(days=db.settings.wish_respond_days + 1)
    services.notices.remind(db, later)
    head = _signed_in(settings, "head")
    assert f"/wishes/{wish}" in head.get("/inbox").text  # escalated to the unit head
    answered = lead.post(
        f"/wishes/{wish}/reply", data={"csrf": _csrf(lead, f"/wishes/{wish}"), "body": "明天修"}
    )
    assert answered.status_code == 200
    followed = worker.post("/wishes/follow", data={"csrf": _csrf(worker, "/wishes"), "code": code})
    assert "明天修" in followed.text and "Answered" in followed.text
    wrong = worker.post("/wishes/follow", data={"csrf": _csrf(worker, "/wishes"), "code": "ZZZZZ"})
    assert wrong.status_code == 404
    assert unit and team


def test_a_case_study_is_published_found_by_a_chinese_phrase_and_taken_up(settings, db):
    _unit, team, _member, _others = _people(db)
    lead = _signed_in(settings, "lead")
    form = f"/teams/{team}/experience"
    assert lead.get(form).status_code == 200
    data = {
        "csrf": _csrf(lead, form), "kind": "case", "title": "班前安全交底", "situation": "事故多",
        "diagnosis": ["low_attendance"], "actions": "每班安全交底", "result": "事故减少",
        "started": "2026-01-05",
    }  # fmt: skip
    made = lead.post(form, data=data, follow_redirects=False)
    assert made.status_code == 303
    url = made.headers["location"].split("?")[0]
    worker = _signed_in(settings, "worker")
    found = worker.get("/library", params={"q": "安全交底"})
    assert url in found.text and "班前安全交底" in found.text
    assert url not in worker.get("/library", params={"q": "设备点检"}).text
    page = worker.get(url).text
    assert "We are taking this up" not in page  # members read; they do not record uses
    taken = lead.post(url + "/use", data={"csrf": _csrf(lead, url), "team": team})
    assert taken.status_code == 200 and "teams taking it up: 1" in taken.text
    bad = lead.post(form, data={**data, "started": "soon", "csrf": _csrf(lead, form)})
    assert bad.status_code == 422
    assert _signed_in(settings, "head2").get(form).status_code == 404
