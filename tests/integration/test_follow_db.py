"""Directives, wishes and notices through the services, on SQLite and PostgreSQL: delivered to
exactly the members in scope, acknowledged once per version, anonymous wishes that keep no
person and no time, escalation written once, and every read within the viewer's scope."""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotAllowed, NotFound, TeamrootsError

BOSS = Viewer(1, "boss", AccessRole.PLANT_MANAGER)


def _plant(db):
    services.census.build_demo(db, DemoSpec(teams=12, days=30))
    with db.read() as conn:
        rows = conn.execute(
            text(
                "SELECT u.code, t.code, p.employee_no, m.role FROM membership m "
                "JOIN team t ON t.id = m.team_id JOIN org_unit u ON u.id = t.unit_id "
                "JOIN person p ON p.id = m.person_id WHERE m.end_date IS NULL ORDER BY t.code"
            )
        ).all()
    return rows


def _member(rows, team=None, role="member"):
    unit, code, number, _r = next(
        r for r in rows if r[3] == role and (team is None or r[1] == team)
    )
    return (
        Viewer(50, f"m{number}", AccessRole.MEMBER, team_code=code, employee_no=number),
        unit,
        code,
    )


def _people(rows, unit=None):
    return {r[2] for r in rows if unit is None or r[0] == unit}


def test_a_directive_reaches_its_scope_and_each_version_is_acknowledged_again(db):
    rows = _plant(db)
    viewer, unit, team = _member(rows)
    head = Viewer(2, "head", AccessRole.UNIT_HEAD, unit_code=unit)
    directive, reached = services.directives.issue(db, head, None, "Safety briefing", "Read it.")
    assert reached == len(_people(rows, unit))
    assert services.directives.acknowledge(db, viewer, directive) is True
    assert services.directives.acknowledge(db, viewer, directive) is False  # once
    page = services.directives.reach_page(db, head, directive)
    assert (page.total.delivered, page.total.acked) == (reached, 1)
    assert {u.key for u in page.units} <= {unit} | {r[0] for r in rows}
    assert page.total.median_hours is not None and page.total.median_hours < 1
    leader = Viewer(3, "lead", AccessRole.TEAM_LEADER, team_code=team)
    present = sorted({r[2] for r in rows if r[1] == team and r[2] != viewer.employee_no})
    assert services.directives.roll_call(db, leader, directive, team, present) == len(present)
    with pytest.raises(InvalidRequest, match="not in team"):
        services.directives.roll_call(db, leader, directive, team, ["NOBODY"])
    page = services.directives.reach_page(db, leader, directive)
    assert [t for _u, t in page.teams] and all(r.key == team for _u, r in page.teams)
    assert page.total.at_meeting == len(present) and page.total.behind == 0
    assert services.directives.edit(db, head, directive, "Safety briefing", "Read it again.") == 2
    page = services.directives.reach_page(db, head, directive)
    assert (page.version.version, page.total.acked) == (2, 0)  # to be acknowledged again
    assert [v.version for v in page.versions] == [1, 2]


def test_directives_are_refused_outside_the_issuers_scope(db):
    rows = _plant(db)
    viewer, unit, _team = _member(rows)
    other = next(r[0] for r in rows if r[0] != unit)
    head = Viewer(2, "head", AccessRole.UNIT_HEAD, unit_code=other)
    with pytest.raises(NotAllowed):
        services.directives.issue(db, head, unit, "x", "y")
    with pytest.raises(NotAllowed):
        services.directives.issue(db, viewer, None, "x", "y")
    with pytest.raises(InvalidRequest):
        services.directives.issue(db, BOSS, None, " ", "y")
    directive, _n = services.directives.issue(db, BOSS, unit, "x", "y")
    with pytest.raises(NotFound):
        services.directives.reach_page(db, head, directive)  # not delivered in their unit
    assert services.directives.listed(db, head) == []
    stranger = _member([r for r in rows if r[0] != unit])[0]
    with pytest.raises(NotFound):
        services.directives.acknowledge(db, stranger, directive)
    assert [d["id"] for d in services.directives.listed(db, viewer)] == [directive]


def test_an_anonymous_wish_keeps_no_person_and_no_time_and_escalates(db):
    rows = _plant(db)
    viewer, unit, team = _member(rows)
    raised = services.wishes.raise_wish(db, viewer, "更衣室太冷", "living", anonymous=True)
    with db.read() as conn:
        row = (
            conn.execute(text("SELECT * FROM wish WHERE id = :i"), {"i": raised.id})
            .mappings()
            .one()
        )
        audit = conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'wish'")).scalar()
    assert row["person_id"] is None and row["raised_at"] is None and audit == 0
    assert raised.receipt not in str(dict(row))  # only its hash
    got = services.wishes.follow(db, raised.receipt.lower().replace("-", " "))
    assert got["status"] == "open" and "author" not in got
    with pytest.raises(NotFound):
        services.wishes.follow(db, "AAAAA-AAAAA-AAAAA")
    days = db.settings.wish_respond_days
    later = datetime.now(UTC) + timedelta(days=days + 1)
    assert services.notices.remind(db, later)["wish"] == 2  # the leader, then the unit head
    assert services.notices.remind(db, later)["wish"] == 0  # written once
    head = Viewer(2, "head", AccessRole.UNIT_HEAD, unit_code=unit)
    [notice] = [n for n in services.notices.inbox(db, head) if n["kind"] == "wish"]
    assert notice["team"] == team and notice["level"] == 1
    lead = Viewer(3, "lead", AccessRole.TEAM_LEADER, team_code=team)
    services.wishes.reply(db, lead, raised.id, "已安排检修暖气")
    got = services.wishes.follow(db, raised.receipt)
    assert got["status"] == "answered" and [r["body"] for r in got["replies"]] == ["已安排检修暖气"]
    assert "by_name" not in got["replies"][0]
    other = next(r[0] for r in rows if r[0] != unit)
    with pytest.raises(NotFound):
        services.wishes.detail(
            db, Viewer(4, "h2", AccessRole.UNIT_HEAD, unit_code=other), raised.id
        )
    with pytest.raises(NotAllowed):
        services.wishes.listed(db, viewer)


def test_directive_reminders_go_to_those_behind_and_escalate_once(db):
    rows = _plant(db)
    viewer, unit, _team = _member(rows)
    directive, reached = services.directives.issue(db, BOSS, unit, "x", "y")
    services.directives.acknowledge(db, viewer, directive)
    s = db.settings
    soon = datetime.now(UTC) + timedelta(days=s.directive_remind_days, hours=1)
    first = services.notices.remind(db, soon)["directive"]
    teams = {r[1] for r in rows if r[0] == unit}
    assert first == (reached - 1) + len(teams)  # every member behind, and each team's leader
    assert [n for n in services.notices.inbox(db, viewer) if n["kind"] == "directive"] == []
    later = soon + timedelta(days=s.directive_grace_days)
    assert services.notices.remind(db, later)["directive"] == len(teams)  # to the unit head
    assert services.notices.remind(db, later)["directive"] == 0
    head = services.users.add_user(db, "head", "a long pass phrase 7", "unit_head", unit=unit)
    inbox = services.notices.inbox(db, head)
    assert {n["team"] for n in inbox} == teams and all(not n["seen"] for n in inbox)
    services.notices.mark_seen(db, head, [n["id"] for n in inbox])
    assert all(n["seen"] for n in services.notices.inbox(db, head))
    assert date.today()  # the clock is the argument, not the day the test runs


def test_wishes_are_counted_without_naming_a_small_group(db):
    from teamroots.track.privacy import MIN_GROUP

    services.census.build_demo(db, DemoSpec(teams=20, days=120, history=True))
    got = services.wishes.aggregates(db, BOSS, "safety")
    shown = [g for g in got if g["all"] is not None]
    assert shown and all(g["all"] >= MIN_GROUP for g in shown)
    assert all(g["chosen"] is None or g["chosen"] >= MIN_GROUP for g in got)
    with db.read() as conn:
        total = conn.execute(text("SELECT COUNT(*) FROM wish")).scalar_one()
    assert next(g for g in got if g["key"] == "plant")["all"] == total
    pooled = [g for g in got if g["label"][0] == "other_teams"]
    assert all(g["label"][1]["teams"] >= 1 for g in pooled)
    with pytest.raises(NotAllowed):
        services.wishes.aggregates(db, Viewer(9, "l", AccessRole.TEAM_LEADER, team_code="T00001"))


class FakeSMTP:
    sent: typing.ClassVar[list] = []

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return False

    def send_message(self, msg):
        FakeSMTP.sent.append(msg)


def test_notices_go_by_email_only_when_an_smtp_server_is_set(db, monkeypatch):
    import dataclasses

    rows = _plant(db)
    _viewer, unit, _team = _member(rows)
    services.users.add_user(db, "head", "a long pass phrase 7", "unit_head", unit=unit,
                            email="head@plant.example")  # fmt: skip
    services.users.add_user(db, "boss2", "a long pass phrase 7", "plant_manager")  # no email
    directive, _n = services.directives.issue(db, BOSS, unit, "x", "y")
    monkeypatch.setattr("teamroots.services.mail.smtplib.SMTP", FakeSMTP)
    FakeSMTP.sent = []
    later = datetime.now(UTC) + timedelta(days=10)
    assert services.notices.remind(db, later)["emails"] == 0  # no server: inboxes only
    assert FakeSMTP.sent == []
    with pytest.raises(InvalidRequest):
        services.users.add_user(db, "x", "a long pass phrase 7", "plant_manager", email="nope")
    mailing = dataclasses.replace(db, settings=db.settings.model_copy(update={"smtp_host": "m"}))
    services.directives.edit(mailing, BOSS, directive, "x", "y2")
    assert services.notices.remind(mailing, later + timedelta(days=10))["emails"] == 1
    [msg] = FakeSMTP.sent
    assert msg["To"] == "head@plant.example" and "/directives/" in msg.get_content()


def test_a_member_of_two_teams_is_recorded_by_either_teams_roll_call(db):
    rows = _plant(db)
    teams = sorted({r[1] for r in rows})
    viewer, _unit, first = _member(rows)
    second = next(t for t in teams if t != first)
    with db.write() as conn:
        conn.execute(text(
            "INSERT INTO membership (person_id, team_id, role, start_date) SELECT p.id, t.id, "
            "'member', :d FROM person p, team t WHERE p.employee_no = :p AND t.code = :t"
        ), {"d": date.today() - timedelta(days=1), "p": viewer.employee_no, "t": second})
    directive, _n = services.directives.issue(db, BOSS, None, "Both teams", "Read it.")
    with db.read() as conn:  # a member's delivery is filed under one of their teams
        filed = conn.execute(text(
            "SELECT t.code FROM directive_delivery d JOIN team t ON t.id = d.team_id "
            "JOIN person p ON p.id = d.person_id WHERE p.employee_no = :p"
        ), {"p": viewer.employee_no}).scalar_one()
    other = second if filed == first else first
    leader = Viewer(3, "lead", AccessRole.TEAM_LEADER, team_code=other)
    assert services.directives.roll_call(db, leader, directive, other, [viewer.employee_no]) == 1
    assert services.directives.acknowledge(db, viewer, directive) is False  # already recorded


def test_passes_running_at_once_in_several_workers_mail_each_notice_once(db, monkeypatch):
    import dataclasses
    from concurrent.futures import ThreadPoolExecutor

    rows = _plant(db)
    _viewer, unit, _team = _member(rows)
    services.users.add_user(db, "head", "a long pass phrase 7", "unit_head", unit=unit,
                            email="head@plant.example")  # fmt: skip
    services.directives.issue(db, BOSS, unit, "x", "y")
    monkeypatch.setattr("teamroots.services.mail.smtplib.SMTP", FakeSMTP)
    FakeSMTP.sent = []
    mailing = dataclasses.replace(db, settings=db.settings.model_copy(update={"smtp_host": "m"}))
    later = datetime.now(UTC) + timedelta(days=10)

    def one_pass(_i):
        try:
            return services.notices.remind(mailing, later)
        except TeamrootsError:  # SQLite's one writer, busy: that pass writes and mails nothing
            return {"directive": 0, "emails": 0}

    with ThreadPoolExecutor(4) as pool:
        passes = list(pool.map(one_pass, range(4)))
    assert sum(p["directive"] for p in passes) > 0
    assert sum(p["emails"] for p in passes) == len(FakeSMTP.sent) == 1  # one pass wrote them


def test_wish_ids_do_not_tell_the_order_wishes_were_raised_in(db):
    rows = _plant(db)
    viewer, _unit, _team = _member(rows)
    ids = [
        services.wishes.raise_wish(db, viewer, f"wish {i}", "other", i % 2 == 0).id
        for i in range(12)
    ]
    assert len(set(ids)) == 12 and ids != sorted(ids)  # sorted by chance: 1 in 479,001,600


def test_no_anonymous_row_holds_a_person_an_address_or_a_time(db):
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st

    rows = _plant(db)
    viewer, _unit, _team = _member(rows)

    @hsettings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.text(min_size=1, max_size=80).filter(str.strip),
        st.sampled_from(["safety", "pay", "living", "other"]),
        st.booleans(),
    )
    def raised(body, category, anonymous):
        from teamroots.domain.text import has_control

        if has_control(body):  # refused, on SQLite as on PostgreSQL (which cannot store NUL)
            with pytest.raises(InvalidRequest, match="control character"):
                services.wishes.raise_wish(db, viewer, body, category, anonymous)
            return
        made = services.wishes.raise_wish(db, viewer, body, category, anonymous)
        with db.read() as conn:
            row = conn.execute(text("SELECT * FROM wish WHERE id = :i"), {"i": made.id})
            row = row.mappings().one()
            logged = conn.execute(
                text("SELECT COUNT(*) FROM audit_log WHERE target = :t"), {"t": f"wish {made.id}"}
            ).scalar_one()
        held = {k for k, v in row.items() if v is not None}
        if anonymous:
            assert held == {"id", "team_id", "receipt_hash", "category", "body", "raised_on"}
            assert logged == 0
        else:
            assert row["person_id"] is not None and row["raised_at"] is not None
        assert made.receipt not in "".join(str(v) for v in row.values())

    raised()


def test_two_category_pages_cannot_be_subtracted_into_a_small_group(db):
    """A team of 12 wishes, 5 about safety and 5 about training: shown side by side, the two
    category pages would leave 2 "other" wishes. Each category's figure for it is hidden."""
    from teamroots.track.privacy import MIN_GROUP

    rows = _plant(db)
    viewer, _unit, team = _member(rows)
    for category, n in (("safety", 5), ("training", 5), ("pay", 2)):
        for i in range(n):
            services.wishes.raise_wish(db, viewer, f"{category} {i}", category, anonymous=True)
    pages = {c: services.wishes.aggregates(db, BOSS, c) for c in ("safety", "training", "pay")}
    for got in pages.values():
        mine = [g for g in got if team in g["label"][1].values()]
        assert all(g["chosen"] is None for g in mine)
        assert all(g["chosen"] is None or g["chosen"] >= MIN_GROUP for g in got)


def test_a_unit_head_cannot_rewrite_a_directive_to_the_whole_plant(db):
    rows = _plant(db)
    _viewer, unit, _team = _member(rows)
    directive, reached = services.directives.issue(db, BOSS, None, "plant-wide", "text")
    head = Viewer(2, "head", AccessRole.UNIT_HEAD, unit_code=unit)
    with pytest.raises(NotAllowed):
        services.directives.edit(db, head, directive, "hijacked", "text")
    assert services.directives.reach_page(db, BOSS, directive).total.delivered == reached


def test_a_wish_notice_says_the_day_never_the_time(db):
    rows = _plant(db)
    viewer, _unit, _team = _member(rows)
    services.wishes.raise_wish(db, viewer, "x", "other", anonymous=True)
    services.notices.remind(db)
    with db.read() as conn:
        stamps = conn.execute(text("SELECT created_at FROM notice WHERE kind = 'wish'")).scalars()
        stamps = [str(s) for s in stamps]
    assert stamps and all(" 00:00:00" in s for s in stamps), stamps
