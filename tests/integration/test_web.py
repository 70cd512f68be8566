"""The web app through its HTTP interface (FastAPI's TestClient), on SQLite and PostgreSQL:
sign-in, sessions, CSRF, and one scope check for pages, API and downloads."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.domain.choices import AccessRole
from teamroots.errors import InvalidRequest
from teamroots.web.app import create_app

PASSWORD = "blast-furnace-7"


def _plant(db) -> None:
    services.census.build_demo(db, DemoSpec(teams=30, days=60))
    services.assess.assess(db)


def _client(settings) -> TestClient:
    return TestClient(create_app(settings))


def _sign_in(client: TestClient, name: str, password: str = PASSWORD):
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf": token, "next": "/"},
        follow_redirects=False,
    )


def _all_teams(db) -> dict[str, str]:
    """team code → unit code, read straight from the database."""
    with db.read() as conn:
        sql = "SELECT t.code, u.code FROM team t JOIN org_unit u ON u.id = t.unit_id"
        rows = conn.execute(text(sql))
        return dict(rows.all())


def _subtree(db, unit: str) -> set[str]:
    with db.read() as conn:
        parents = dict(conn.execute(text(
            "SELECT u.code, p.code FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id"
        )).all())

    def under(code: str | None) -> bool:
        while code is not None:
            if code == unit:
                return True
            code = parents.get(code)
        return False

    return {code for code, owner in _all_teams(db).items() if under(owner)}


def test_every_role_sees_exactly_its_scope_in_pages_api_and_downloads(settings, db):
    _plant(db)
    teams = _all_teams(db)
    with db.read() as conn:
        workshop = conn.execute(text(
            "SELECT code FROM org_unit WHERE kind = 'workshop' ORDER BY code LIMIT 1"
        )).scalar_one()
        leader_team = sorted(teams)[3]
        member = conn.execute(text(
            "SELECT p.employee_no FROM person p JOIN membership m ON m.person_id = p.id "
            "JOIN team t ON t.id = m.team_id WHERE t.code = :t AND m.role = 'member' LIMIT 1"
        ), {"t": leader_team}).scalar_one()
    accounts = {
        "admin": ({"role": "admin"}, set(teams)),
        "boss": ({"role": "plant_manager"}, set(teams)),
        "head": ({"role": "unit_head", "unit": workshop}, _subtree(db, workshop)),
        "lead": ({"role": "team_leader", "team": leader_team.lower()}, {leader_team}),
        "cadre": ({"role": "cadre", "person": member}, set()),  # no approved link plan yet
        "worker": ({"role": "member", "person": member}, set()),
    }
    for name, (options, _scope) in accounts.items():
        services.users.add_user(db, name, PASSWORD, **options)
    assert 0 < len(accounts["head"][1]) < len(teams)

    units = set(teams.values()) | {workshop}
    for name, (_options, scope) in accounts.items():
        client = _client(settings)
        assert _sign_in(client, name).status_code == 303, name
        listed = client.get("/api/v1/teams?limit=1000").json()
        assert {t["team"] for t in listed["items"]} == scope, name
        assert listed["total"] == len(scope)
        for code in teams:
            api = client.get(f"/api/v1/teams/{code}")
            page = client.get(f"/teams/{code}")
            want = 200 if code in scope else 404
            assert (api.status_code, page.status_code) == (want, want), (name, code)
        download = client.get("/ranking.csv")
        rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
        assert {r["team"] for r in rows} == scope, name
        assert client.get("/teams/NO-SUCH-TEAM").status_code == 404
        # keyset paging through the API visits every team in scope once, in rank order
        seen, after = [], ""
        while True:
            page = client.get(f"/api/v1/teams?limit=7&after={after}").json()
            seen += [t["team"] for t in page["items"]]
            if not page["next"]:
                break
            after = page["next"]
        assert seen == [t["team"] for t in listed["items"]], name
        # a unit's page lists exactly its teams in scope; a unit with none in scope is 404
        for unit in units:
            shown = set(re.findall(r'href="/teams/([^"/]+)"', client.get(f"/units/{unit}").text))
            want = _subtree(db, unit) & scope
            assert shown == want, (name, unit)
            if not want:
                assert client.get(f"/units/{unit}").status_code == 404


def test_a_team_page_shows_its_kpis_week_by_week_its_core_and_its_history(settings, db):
    _plant(db)
    services.assess.assess(db)  # a second review: two rows of history
    team = sorted(_all_teams(db))[0]
    _manager(db)
    client = _client(settings)
    _sign_in(client, "boss")
    page = client.get(f"/teams/{team}").text
    assert re.search(rf"<title>[^<]+ \({team}\) · teamroots</title>", page)
    assert page.count('class="spark"') == 4  # completion, attendance, on target, incidents
    history = page.split("<caption>Tier in every review</caption>")[1].split("</table>")[0]
    assert history.count("<tr>") == 3  # the header and two reviews
    with db.read() as conn:
        leader = conn.execute(text(
            "SELECT p.name FROM membership m JOIN person p ON p.id = m.person_id "
            "JOIN team t ON t.id = m.team_id WHERE t.code = :t AND m.role = 'leader' "
            "AND m.end_date IS NULL"
        ), {"t": team}).scalar_one()
    core = page.split('<ul class="core">')[1].split("</ul>")[0]
    assert leader in core
    detail = client.get(f"/api/v1/teams/{team}").json()
    assert len(detail["history"]) == 2
    weeks = detail["weekly"]["completion"]
    # 60 days of records in the 91-day window: 13 weeks, the first ones gaps, never zeros
    assert len(weeks) == 13 and weeks[0] is None and weeks[-1] is not None
    zh = client.get(f"/teams/{team}?lang=zh-CN").text
    assert "逐周" in zh and "历次评议的类别" in zh


def test_the_overview_shows_what_changed_since_the_review_before(settings, db):
    from datetime import timedelta

    services.census.build_demo(db, DemoSpec(teams=30, days=120))
    first = services.assess.assess(db)
    services.assess.assess(db, as_of=date.fromisoformat(first.document["as_of"]) - timedelta(40))
    services.assess.assess(db)  # the newest: as the first; against the one before it
    before = {t["team"]: t["tier"] for t in services.assess.review(db, 2).document["teams"]}
    now = {t["team"]: t["tier"] for t in services.assess.review(db, 3).document["teams"]}
    moved = sorted(c for c in now if now[c] != before[c])
    assert moved, "the sample plant should move some team between the two days"
    _manager(db)
    boss = _client(settings)
    _sign_in(boss, "boss")
    page = boss.get("/").text
    assert "What changed since review 2" in page
    section = page.split("What changed since review 2")[1].split("</section>")[0]
    assert sorted(re.findall(r'href="/teams/([^"]+)"', section)) == moved
    for t in (1, 2, 3):  # each tier's count against the review before
        delta = sum(v == t for v in now.values()) - sum(v == t for v in before.values())
        assert f"{'+' if delta > 0 else ''}{delta} since review 2" in page
    team = moved[0]
    services.users.add_user(db, "lead", PASSWORD, "team_leader", team=team)
    lead = _client(settings)
    _sign_in(lead, "lead")
    section = lead.get("/").text.split("What changed since review 2")[1].split("</section>")[0]
    assert re.findall(r'href="/teams/([^"]+)"', section) == [team]  # only their own team


def test_personal_fields_only_for_roles_with_the_grant(settings, db):
    _plant(db)
    team = sorted(_all_teams(db))[0]
    services.users.add_user(db, "boss", PASSWORD, "plant_manager")
    services.users.add_user(db, "lead", PASSWORD, "team_leader", team=team)
    seen = {}
    for name in ("boss", "lead"):
        client = _client(settings)
        _sign_in(client, name)
        members = client.get(f"/api/v1/teams/{team}").json()["members"]
        seen[name] = any(m.get("designations") for m in members)
        assert members and all(m["name"] for m in members)
    assert seen == {"boss": True, "lead": False}


def test_sign_in_sessions_csrf_and_sign_out(settings, db):
    _plant(db)
    services.users.add_user(db, "boss", PASSWORD, "plant_manager")
    client = _client(settings)
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
    assert client.get("/api/v1/teams").status_code == 401
    wrong = _sign_in(client, "boss", "not-the-password")
    assert wrong.status_code == 401 and "wrong" in wrong.text
    assert _sign_in(client, "nobody", PASSWORD).text.count("wrong") == 1  # same answer
    ok = _sign_in(client, "boss")
    assert ok.status_code == 303
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/").status_code == 200
    # a form without the session's CSRF token is refused, and the session lives on
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert client.get("/api/v1/me").json()["role"] == "plant_manager"
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_disabling_an_account_ends_its_sessions(settings, db):
    services.users.add_user(db, "boss", PASSWORD, "plant_manager")
    client = _client(settings)
    _sign_in(client, "boss")
    assert client.get("/api/v1/me").status_code == 200
    services.users.set_disabled(db, "boss", True)
    assert client.get("/api/v1/me").status_code == 401
    assert _sign_in(client, "boss").status_code == 401


def test_repeated_failures_throttle_the_account(settings, db):
    # a name of its own: the audit log (which counts failures) outlives a test's data
    name = f"throttled-{uuid.uuid4().hex[:8]}"
    services.users.add_user(db, name, PASSWORD, "plant_manager")
    client = _client(settings)
    for _ in range(services.users.MAX_FAILURES):
        assert _sign_in(client, name, "guess-guess-guess").status_code == 401
    throttled = _sign_in(client, name)  # even the right password, for a while
    assert throttled.status_code == 401 and "Too many failed sign-ins" in throttled.text


@pytest.mark.parametrize("password", ["short", "password1", "12345678", "boss-boss"[:4] * 2,
                                      "aaaaaaaaaaa"])
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(InvalidRequest):
        services.users.add_user(db, "boss", password, "plant_manager")


def test_the_audit_log_is_append_only(db):
    services.users.add_user(db, "boss", PASSWORD, "plant_manager")
    entries = services.users.audit_log(db)
    assert any(e["action"] == "add_user" and e["target"] == "boss" for e in entries)
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), db.write() as conn:
            conn.execute(text(sql))
    assert len(services.users.audit_log(db)) == len(entries)


def test_the_apps_own_postgresql_role_only_appends_to_the_audit_log(pg_url):
    from sqlalchemy import create_engine

    from teamroots.config import Settings

    role = "teamroots_app_test"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        if not found.scalar():
            conn.execute(text(f"CREATE ROLE {role} NOLOGIN"))
    settings = Settings(database_url=pg_url)
    with pytest.raises(InvalidRequest, match="no PostgreSQL role"):
        services.grant_app_role(settings, "no_such_role_here")
    services.grant_app_role(settings, role)
    with admin.connect() as conn:
        conn.execute(text(f"SET ROLE {role}"))
        conn.execute(text(
            "INSERT INTO audit_log (at, actor, action, target, outcome) "
            "VALUES (now(), 'app', 'test', '', 'ok')"
        ))
        conn.execute(text("UPDATE app_user SET disabled = disabled"))  # other tables: writable
        for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log",
                    "TRUNCATE audit_log", "DELETE FROM alembic_version",
                    "CREATE TABLE intruder (x int)"):
            with pytest.raises(Exception, match="permission denied"):
                conn.execute(text(sql))
        conn.execute(text("RESET ROLE"))
    admin.dispose()


def test_an_app_role_is_refused_on_sqlite(tmp_path, sqlite_template):
    import shutil

    from teamroots.config import Settings

    shutil.copy(sqlite_template, tmp_path / "t.db")
    with pytest.raises(InvalidRequest, match="SQLite has no roles"):
        services.grant_app_role(Settings(database_url=f"sqlite:///{tmp_path / 't.db'}"), "app")


def test_language_from_the_browser_then_the_users_choice(settings, db):
    client = _client(settings)
    assert "登录" in client.get("/login", headers={"accept-language": "zh-CN,zh;q=0.9"}).text
    assert "Sign in" in client.get("/login", headers={"accept-language": "en-GB"}).text
    client.get("/language?lang=zh-CN&next=/login")
    assert "登录" in client.get("/login", headers={"accept-language": "en-GB"}).text


def test_pages_carry_security_headers_and_never_redirect_off_site(settings, db):
    services.users.add_user(db, "boss", PASSWORD, "plant_manager")
    client = _client(settings)
    page = client.get("/login?next=//evil.example/x")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    done = client.post(
        "/login",
        data={"name": "boss", "password": PASSWORD, "csrf": token, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert done.headers["location"] == "/"
    assert client.get("/static/style.css").status_code == 200


def test_plans_are_scoped_and_only_managers_approve(settings, db):
    _plant(db)
    services.plans.plan_links(db, time_limit=10)
    plan_id = services.access.plan_list(db, _manager(db))[0].id
    with db.read() as conn:
        unit = conn.execute(text(
            "SELECT code FROM org_unit WHERE kind = 'workshop' ORDER BY code LIMIT 1"
        )).scalar_one()
    services.users.add_user(db, "head", PASSWORD, "unit_head", unit=unit)
    services.users.add_user(db, "worker", PASSWORD, "member",
                            person=_any_employee(db))
    head = _client(settings)
    _sign_in(head, "head")
    page = head.get(f"/plans/{plan_id}")
    assert page.status_code == 200
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert f'action="/plans/{plan_id}/approve"' not in page.text  # no button for a unit head
    assert head.post(f"/plans/{plan_id}/approve", data={"csrf": token}).status_code == 403
    worker = _client(settings)
    _sign_in(worker, "worker")
    assert worker.get(f"/plans/{plan_id}").status_code == 404
    boss = _client(settings)
    _sign_in(boss, "boss")
    page = boss.get(f"/plans/{plan_id}")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    done = boss.post(f"/plans/{plan_id}/approve", data={"csrf": token}, follow_redirects=False)
    assert done.status_code == 303
    assert services.plans.show_plan(db, plan_id).approval.value == "approved"
    actions = {(e["actor"], e["action"], e["outcome"]) for e in services.users.audit_log(db)}
    assert ("boss", "approve", "ok") in actions and ("head", "approve", "denied") in actions
    again = boss.post(f"/plans/{plan_id}/approve", data={"csrf": token})
    assert again.status_code == 400  # approved once


def test_a_plan_is_changed_on_the_web_and_checked_again(settings, db):
    _plant(db)
    services.plans.plan_links(db, time_limit=10)
    services.plans.plan_training(db, time_limit=10)
    plans = {p.kind.value: p.id for p in services.access.plan_list(db, _manager(db))}
    links = services.plans.show_plan(db, plans["links"]).document
    link = links["links"][0]
    boss = _client(settings)
    _sign_in(boss, "boss")
    url = f"/plans/{plans['links']}"
    # the same teams for a cadre: a valid change, saved and logged as an edit
    kept = boss.post(f"{url}/edit", data={
        "csrf": _csrf(boss, url), "cadre": link["cadre"],
        "advanced": link.get("advanced_team") or "", "backward": link.get("backward_team") or "",
    }, follow_redirects=False)
    assert kept.status_code == 303 and kept.headers["location"].endswith("?edited=1")
    stored = services.plans.show_plan(db, plans["links"]).document
    assert len(stored["edits"]) == 1
    # a team that does not exist: refused on the page, nothing changed
    refused = boss.post(f"{url}/edit", data={
        "csrf": _csrf(boss, url), "cadre": link["cadre"], "advanced": "NO-SUCH-TEAM",
    })
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert services.plans.show_plan(db, plans["links"]).document == stored
    empty = boss.post(f"{url}/edit", data={"csrf": _csrf(boss, url)})
    assert empty.status_code == 422
    # a training plan shows its batches on a calendar, in the reader's language
    training = boss.get(f"/plans/{plans['training']}?lang=zh-CN").text
    assert 'class="calendar"' in training and "年" in training.split('class="calendar"')[1]
    # only those who approve plans change them
    services.users.add_user(db, "lead", PASSWORD, "team_leader", team=link["backward_team"])
    lead = _client(settings)
    _sign_in(lead, "lead")
    denied = lead.post(f"{url}/edit", data={"csrf": _csrf(lead, url), "cadre": link["cadre"]})
    assert denied.status_code == 403


def _report_readers(db) -> tuple[dict[str, str], str]:
    """The plant, assessed; a manager "boss", a team leader "lead" and a member "worker";
    every team, and the leader's."""
    _plant(db)
    teams = _all_teams(db)
    lead_team = sorted(teams)[2]
    _manager(db)
    services.users.add_user(db, "lead", PASSWORD, "team_leader", team=lead_team)
    services.users.add_user(db, "worker", PASSWORD, "member", person=_any_employee(db))
    return teams, lead_team


def test_reviews_and_their_reports_show_only_the_teams_in_scope(settings, db):
    teams, lead_team = _report_readers(db)
    boss, lead, worker = _client(settings), _client(settings), _client(settings)
    for client, name in ((boss, "boss"), (lead, "lead"), (worker, "worker")):
        _sign_in(client, name)
    listed = boss.get("/reviews")
    assert listed.status_code == 200 and 'href="/reviews/1/report.pdf"' in listed.text
    whole = boss.get("/reviews/1/report.html")
    assert whole.status_code == 200 and "sandbox" in whole.headers["content-security-policy"]
    assert all(code in whole.text for code in teams)
    own = lead.get("/reviews/1/report.html?download=1")
    assert own.headers["content-disposition"].startswith("attachment")
    assert lead_team in own.text
    assert not [c for c in teams if c != lead_team and re.search(rf"\b{c}\b", own.text)]
    pdf = lead.get("/reviews/1/report.pdf?lang=zh-CN")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert worker.get("/reviews/1/report.html").status_code == 404
    assert boss.get("/reviews/99/report.html").status_code == 404
    assert boss.get("/reviews/1/report.exe").status_code == 404


def test_a_large_reviews_report_is_written_by_a_job_for_its_asker_only(request, settings, db):
    teams, lead_team = _report_readers(db)
    large = settings.model_copy(update={"report_job_teams": 0})  # every review is large
    lead = _working_client(request, large)
    boss, worker = _client(large), _client(large)
    for client, name in ((lead, "lead"), (boss, "boss"), (worker, "worker")):
        _sign_in(client, name)
    offer = lead.get("/reviews/1/report.html")
    assert offer.status_code == 200 and 'action="/reviews/1/report.html"' in offer.text
    started = lead.post("/reviews/1/report.html", data={"csrf": _csrf(lead, "/reviews")},
                        follow_redirects=False)  # fmt: skip
    assert started.status_code == 303 and started.headers["location"].startswith("/jobs/")
    job_url = started.headers["location"]
    page = _wait_for_job(lead, job_url, "Open the report")
    assert f'href="{job_url}/report"' in page, page
    got = lead.get(f"{job_url}/report")
    assert got.status_code == 200 and "sandbox" in got.headers["content-security-policy"]
    assert lead_team in got.text  # the asker's teams only
    assert not [c for c in teams if c != lead_team and re.search(rf"\b{c}\b", got.text)]
    for other in (boss, worker):  # another user's report is not theirs to see
        assert other.get(job_url).status_code == 404
        assert other.get(f"{job_url}/report").status_code == 404
    refused = worker.post("/reviews/1/report.html", data={"csrf": _csrf(worker, "/inbox")})
    assert refused.status_code == 404  # members have no reviews
    assert worker.get("/reviews/1/report.html").status_code == 404  # nor the offer of one
    assert lead.get("/reviews/99/report.html").status_code == 404
    again = lead.post("/reviews/1/report.html", data={"csrf": _csrf(lead, "/reviews")},
                      follow_redirects=False)  # fmt: skip
    assert again.headers["location"] == job_url  # asked again within the hour: the same job


def test_a_plans_reasons_with_peoples_scores_only_for_roles_with_the_grant(db):
    from teamroots.domain.rows import Viewer as V

    _plant(db)
    view = services.plans.plan_leaders(db, time_limit=10)
    team = view.document["decisions"][0]["team"]
    boss = services.access.plan_view(db, V(1, "boss", AccessRole.PLANT_MANAGER), view.id)
    lead = services.access.plan_view(db, V(2, "lead", AccessRole.TEAM_LEADER, team_code=team),
                                     view.id)
    codes = {r["code"] for d in boss.document["decisions"] for r in d["reasons"]}
    assert "evidence" in codes
    [mine] = lead.document["decisions"]
    assert mine["score"] is None
    assert {r["code"] for r in mine["reasons"]} <= (
        services.access.IMPERSONAL_REASONS | {"hidden"})
    assert any(r["code"] == "hidden" for r in mine["reasons"])


def _manager(db):
    return services.users.add_user(db, "boss", PASSWORD, "plant_manager")


def _any_employee(db) -> str:
    with db.read() as conn:
        return conn.execute(text("SELECT employee_no FROM person ORDER BY id LIMIT 1")).scalar_one()


def test_team_boards_are_scoped_and_carry_a_qr_code_of_the_team_page(settings, db):
    _plant(db)
    teams = _all_teams(db)
    lead_team = sorted(teams)[0]
    services.users.add_user(db, "lead", PASSWORD, "team_leader", team=lead_team)
    client = _client(settings)
    _sign_in(client, "lead")
    board = client.get(f"/teams/{lead_team}/board")
    assert board.status_code == 200 and board.text.count("<svg") == 1
    assert f"http://testserver/teams/{lead_team}" in board.text
    other = sorted(teams)[1]
    assert client.get(f"/teams/{other}/board").status_code == 404
    unit = teams[lead_team]
    boards = client.get(f"/units/{unit}/boards")  # only the leader's own team of that unit
    assert boards.status_code == 200 and boards.text.count('class="board ') == 1
    assert client.get("/units/NO-SUCH-UNIT/boards").status_code == 404


def _csrf(client: TestClient, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def test_an_administrator_imports_from_the_web_all_or_nothing(settings, db, tmp_path):
    from tests.factories import UNITS

    services.users.add_user(db, "root-admin", PASSWORD, "admin")
    services.users.add_user(db, "boss", PASSWORD, "plant_manager")
    client = _client(settings)
    _sign_in(client, "root-admin")
    units = "\n".join(",".join(r) for r in UNITS).encode()
    before = services.census.table_counts(db)
    checked = client.post(
        "/import",
        data={"csrf": _csrf(client, "/import"), "kind": "units", "dry_run": "true"},
        files={"file": ("units.csv", units, "text/csv")},
    )
    assert checked.status_code == 200 and "4 rows read: 4 new" in checked.text
    assert services.census.table_counts(db) == before  # a dry run writes nothing
    done = client.post(
        "/import",
        data={"csrf": _csrf(client, "/import"), "kind": "units"},
        files={"file": ("units.csv", units, "text/csv")},
    )
    assert done.status_code == 200 and services.census.table_counts(db)["org_unit"] == 4
    bad = b"code,name,unit\nT1,Team one,NOPE\nT2,,BF1\n"
    refused = client.post(
        "/import",
        data={"csrf": _csrf(client, "/import"), "kind": "teams"},
        files={"file": ("teams.csv", bad, "text/csv")},
    )
    assert refused.status_code == 422
    assert "Nothing was imported" in refused.text and "NOPE" in refused.text
    assert services.census.table_counts(db)["team"] == 0
    boss = _client(settings)
    _sign_in(boss, "boss")
    assert boss.get("/import").status_code == 403
    assert boss.get("/users").status_code == 403


def _working_client(request, settings) -> TestClient:
    """A client whose app has started (its lifespan runs): the in-app job worker with it."""
    client = TestClient(create_app(settings))
    client.__enter__()
    request.addfinalizer(lambda: client.__exit__(None, None, None))
    return client


def _wait_for_job(client: TestClient, job_url: str, done: str) -> str:
    import time

    deadline = time.monotonic() + 90
    while True:
        page = client.get(job_url)
        assert page.status_code == 200
        if done in page.text or "Stopped" in page.text:
            return page.text
        # while it runs the page updates itself: htmx polls its status part, else a refresh
        assert f'hx-get="{job_url}/status"' in page.text and 'http-equiv="refresh"' in page.text
        status = client.get(f"{job_url}/status")
        assert status.status_code == 200 and "<html" not in status.text
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.2)


def test_a_large_upload_is_imported_in_the_background_all_or_nothing(request, settings, db):
    from tests.factories import UNITS

    services.users.add_user(db, "root-admin", PASSWORD, "admin")
    services.users.add_user(db, "boss", PASSWORD, "plant_manager")
    client = _working_client(request, settings.model_copy(update={"background_import_bytes": 10}))
    _sign_in(client, "root-admin")
    units = "\n".join(",".join(r) for r in UNITS).encode()
    started = client.post(
        "/import",
        data={"csrf": _csrf(client, "/import"), "kind": "units"},
        files={"file": ("units.csv", units, "text/csv")},
        follow_redirects=False,
    )
    assert started.status_code == 303 and started.headers["location"].startswith("/jobs/")
    page = _wait_for_job(client, started.headers["location"], "Import another file")
    assert "4 rows read: 4 new" in page and services.census.table_counts(db)["org_unit"] == 4
    bad = b"code,name,unit\nT1,Team one,NOPE\nT2,,BF1\n"
    refused = client.post(
        "/import",
        data={"csrf": _csrf(client, "/import"), "kind": "teams"},
        files={"file": ("teams.csv", bad, "text/csv")},
    )  # followed to the job's page
    page = _wait_for_job(client, str(refused.url.path), "Import another file")
    assert "Nothing was imported" in page and "NOPE" in page
    assert services.census.table_counts(db)["team"] == 0
    zh = client.get(f"{refused.url.path}?lang=zh-CN").text
    assert "没有导入任何数据" in zh
    boss = _client(settings)
    _sign_in(boss, "boss")  # a planner sees plan jobs, never an import's
    assert boss.get(started.headers["location"]).status_code == 404


def test_an_administrator_adds_and_disables_accounts_on_the_web(settings, db):
    services.users.add_user(db, "root-admin", PASSWORD, "admin")
    client = _client(settings)
    _sign_in(client, "root-admin")
    weak = client.post("/users", data={"csrf": _csrf(client, "/users"), "name": "ann",
                                        "role": "plant_manager", "password": "password1"})
    assert weak.status_code == 422 and "too common" in weak.text
    added = client.post("/users", data={"csrf": _csrf(client, "/users"), "name": "ann",
                                         "role": "plant_manager", "password": PASSWORD},
                        follow_redirects=False)
    assert added.status_code == 303
    ann = _client(settings)
    assert _sign_in(ann, "ann").status_code == 303
    client.post("/users/ann/disable", data={"csrf": _csrf(client, "/users")})
    assert ann.get("/api/v1/me").status_code == 401
    forged = client.post("/users", data={"csrf": "x", "name": "eve", "role": "admin",
                                          "password": PASSWORD})
    assert forged.status_code == 403


def test_a_plan_is_solved_in_the_background_with_its_progress_on_a_page(request, settings, db):
    _plant(db)
    services.users.add_user(db, "boss", PASSWORD, "plant_manager")
    team = sorted(_all_teams(db))[0]
    services.users.add_user(db, "lead", PASSWORD, "team_leader", team=team)
    lead = _client(settings)
    _sign_in(lead, "lead")
    assert lead.get("/plans/new").status_code == 403
    boss = _working_client(request, settings)
    _sign_in(boss, "boss")
    started = boss.post("/plans/new", data={"csrf": _csrf(boss, "/plans/new"), "kind": "links",
                                             "time_limit": "10"}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/jobs/")
    job_url = started.headers["location"]
    text = _wait_for_job(boss, job_url, "Open plan")
    assert "Open plan" in text, text
    plan_id = int(re.search(r'href="/plans/(\d+)"', text.split("Open plan")[0]).group(1))
    assert services.plans.show_plan(db, plan_id).approval.value == "proposed"
    assert lead.get(job_url).status_code == 404
    bad = boss.post("/plans/new", data={"csrf": _csrf(boss, "/plans/new"), "kind": "links",
                                         "time_limit": "100000"})
    assert bad.status_code == 400


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example", "https://evil.example",
                                    "/\tevil", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(settings, db, target):
    services.users.add_user(db, "boss", PASSWORD, "plant_manager")
    client = _client(settings)
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    done = client.post("/login", data={"name": "boss", "password": PASSWORD, "csrf": token,
                                       "next": target}, follow_redirects=False)
    assert done.headers["location"] == "/"


def test_an_upload_named_dot_dot_is_saved_under_a_safe_name(settings, db):
    services.users.add_user(db, "root-admin", PASSWORD, "admin")
    client = _client(settings)
    _sign_in(client, "root-admin")
    for name in ("..", ".csv", "../../etc/passwd", "a b;c.csv"):
        page = client.post("/import", data={"csrf": _csrf(client, "/import"), "kind": "units",
                                              "dry_run": "true"},
                           files={"file": (name, b"code,name,kind\nP,Plant,plant\n", "text/csv")})
        assert page.status_code in (200, 422), (name, page.status_code)
