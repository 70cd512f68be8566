"""The web app in a real browser: Debian's Chromium driven by Playwright, against a real
uvicorn server on loopback. Screenshots go to test-artifacts/screenshots/. axe-core (bundled
with axe-playwright-python, injected from disk) must report no serious or critical violation.

Needs /usr/bin/chromium (`.ci/run` installs Debian's package); skipped without it."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.config import Settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "blast-furnace-7"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (see .ci/run)"),
]


SITE: dict = {}  # the served plant's settings, for tests that move its clock


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A served sample plant with an account for each role; yields (base URL, accounts)."""
    import uvicorn

    from teamroots.web.app import create_app

    folder = tmp_path_factory.mktemp("site")
    settings = Settings(database_url=f"sqlite:///{folder / 'site.db'}")
    SITE["settings"] = settings
    with services.open_database(settings, upgrade=True) as db:
        services.census.build_demo(db, DemoSpec(teams=24, days=60))
        services.assess.assess(db)
        services.plans.plan_links(db, time_limit=10)
        services.plans.plan_training(db, time_limit=10)
        accounts = {a.viewer.role.value: a for a in services.users.demo_accounts(db)}
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", accounts
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _accessible(page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    violations = Axe().run(page).response["violations"]
    bad = [(v["id"], v["impact"], len(v["nodes"])) for v in violations
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: {bad}"


def _sign_in(page, base: str, account) -> None:
    page.goto(f"{base}/login")
    page.get_by_label(re.compile("User name|用户名")).fill(account.viewer.name)
    page.get_by_label(re.compile("Password|密码")).fill(account.password)
    page.get_by_role("button", name=re.compile("Sign in|登录")).click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("role", ["admin", "plant_manager", "unit_head", "cadre", "team_leader",
                                  "member"])
def test_each_role_signs_in_and_sees_its_pages(site, browser, role):
    base, accounts = site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _accessible_login = page.goto(f"{base}/login")
    assert _accessible_login.status == 200
    _accessible(page, "login")
    _sign_in(page, base, accounts[role])
    if role == "member":
        assert page.url.endswith("/me")
        assert page.get_by_role("heading", name="My record").is_visible()
        _accessible(page, "me")
        context.close()
        return
    assert page.get_by_role("heading", name="Overview").is_visible()
    _accessible(page, f"overview-{role}")
    page.get_by_role("link", name="Ranking").click()
    rows = page.locator("tbody tr")
    if rows.count():
        _accessible(page, f"ranking-{role}")
        rows.first.get_by_role("link").click()
        assert page.get_by_role("heading", name="Criteria").is_visible()
        assert page.locator("svg.spark").count() >= 1  # KPIs week by week
        _accessible(page, f"team-{role}")
        page.locator("p.meta a").first.click()  # the team's unit
        assert page.get_by_role("heading", name="Teams").is_visible()
        _accessible(page, f"unit-{role}")
    context.close()


def test_ranking_sorts_filters_and_downloads_the_view_as_xlsx(site, browser, tmp_path):
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    base, accounts = site
    context = browser.new_context(locale="en-US", accept_downloads=True)
    page = context.new_page()
    _sign_in(page, base, accounts["plant_manager"])
    page.goto(f"{base}/ranking")
    page.get_by_label("Search").fill("T0000")  # the list follows as one types (htmx)
    expect(page).to_have_url(re.compile(r"q=T0000"))  # pushed to the address: a permalink
    assert 0 < page.locator("tbody tr").count() <= 9
    page.get_by_label("Search").fill("")
    expect(page).not_to_have_url(re.compile(r"q=T0000"))
    page.get_by_label("Tier").select_option("3")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Score").click()
    assert page.locator("th[aria-sort]").count() == 1
    assert "tier=3" in page.url and "sort=score" in page.url  # the view is a permalink
    shown = page.locator("tbody tr").count()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download XLSX").click()
    path = tmp_path / "ranking.xlsx"
    info.value.save_as(path)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("rank", "team")
    assert len(rows) - 1 == shown and all(r[4] == 3 for r in rows[1:])
    scores = [float(r[5]) for r in rows[1:]]
    assert scores == sorted(scores)
    context.close()


def test_switching_to_chinese_and_back(site, browser):
    base, accounts = site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _sign_in(page, base, accounts["unit_head"])
    page.get_by_role("link", name="中文").click()
    assert page.get_by_role("heading", name="总览").is_visible()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    _accessible(page, "overview-zh")
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name="Overview").is_visible()
    context.close()


def test_a_team_out_of_scope_is_not_found_in_the_browser(site, browser):
    base, accounts = site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _sign_in(page, base, accounts["team_leader"])
    own = accounts["team_leader"].viewer.team_code
    assert page.goto(f"{base}/teams/{own}").status == 200
    other = "T00001" if own != "T00001" else "T00002"
    response = page.goto(f"{base}/teams/{other}")
    assert response.status == 404
    assert page.get_by_role("heading", name="Not found").is_visible()
    _accessible(page, "not-found")
    context.close()


def test_a_plant_manager_approves_a_plan(site, browser):
    base, accounts = site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _sign_in(page, base, accounts["plant_manager"])
    page.get_by_role("link", name="Plans").click()
    _accessible(page, "plans")
    page.locator("tbody tr").first.get_by_role("link").click()
    _accessible(page, "plan")
    page.get_by_role("button", name=re.compile("Approve plan")).click()
    assert page.get_by_role("status").inner_text().endswith("approved.")
    assert page.get_by_role("button", name=re.compile("Approve plan")).count() == 0
    context.close()


def test_a_plan_is_changed_on_its_page_and_training_shows_as_a_calendar(site, browser):
    base, accounts = site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _sign_in(page, base, accounts["plant_manager"])
    page.goto(f"{base}/plans")
    page.locator("tbody tr", has_text="training").first.get_by_role("link").click()
    assert page.locator("table.calendar").count() >= 1
    assert page.locator("table.calendar td.batch").count() >= 1
    _accessible(page, "plan-training-calendar")
    page.goto(f"{base}/plans")
    page.locator("tbody tr", has_text="links").first.get_by_role("link").click()
    if page.get_by_role("heading", name="Change the plan").count():  # still a proposal
        page.get_by_label("Cadre (employee number)").fill("E000001")
        page.get_by_label("Advanced team (code, or blank for none)").fill("NO-SUCH-TEAM")
        page.get_by_role("button", name="Check and save the change").click()
        assert page.get_by_role("alert").is_visible()  # refused, and said why
        _accessible(page, "plan-edit-refused")
    context.close()


def test_reviews_and_their_reports_open_in_the_browser(site, browser):
    base, accounts = site
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    _sign_in(page, base, accounts["unit_head"])
    page.goto(f"{base}/reviews")
    assert page.get_by_role("heading", name="评议").is_visible()
    _accessible(page, "reviews-zh")
    page.get_by_role("link", name="打开").first.click()
    assert "/reviews/" in page.url and page.locator("h1").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "report-zh.png"), full_page=False)
    context.close()


def test_a_visit_is_logged_with_an_action_and_shows_on_the_board(site, browser):
    from datetime import date, timedelta

    base, accounts = site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _sign_in(page, base, accounts["plant_manager"])
    page.goto(f"{base}/ranking")
    page.locator("tbody tr").first.get_by_role("link").click()
    page.get_by_role("link", name="Log a visit to this team").click()
    _accessible(page, "visit-new")
    page.get_by_label("Cadre (employee number)").fill(accounts["cadre"].viewer.employee_no)
    page.get_by_label("Day of the visit").fill((date.today() - timedelta(days=30)).isoformat())
    page.get_by_label("The leadership core").fill("The deputy left last month.")
    page.get_by_label("Action 1: what is to be done").fill("Name a new deputy")
    page.locator("#due_0").fill((date.today() - timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Log the visit").click()
    assert page.get_by_role("status").inner_text().startswith("Visit ")
    overdue = page.locator("section", has=page.get_by_role("heading", name="Overdue actions"))
    assert overdue.get_by_role("cell", name="Name a new deputy").is_visible()
    _accessible(page, "visits-board")
    context.close()


def test_a_units_team_boards_print_one_a4_page_each(site, browser, tmp_path):
    from pypdf import PdfReader

    base, accounts = site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _sign_in(page, base, accounts["unit_head"])
    page.get_by_role("link", name="Print boards").first.click()
    boards = page.locator("article.board").count()
    assert boards > 1
    assert page.locator("article.board svg").count() == boards  # a QR code on each
    _accessible(page, "boards")
    pdf = tmp_path / "boards.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == boards
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 in points
    context.close()


def test_the_administrators_pages_are_accessible(site, browser, tmp_path):
    base, accounts = site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _sign_in(page, base, accounts["admin"])
    page.get_by_role("link", name="Import").click()
    _accessible(page, "import")
    bad = tmp_path / "teams.csv"
    bad.write_text("code,name,unit\nT9,Team nine,NOPE\n", encoding="utf-8")
    page.get_by_label("What the file holds").select_option("teams")
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    assert page.get_by_role("heading", name="Nothing was imported").is_visible()
    assert page.get_by_role("cell", name="NOPE").is_visible()
    _accessible(page, "import-problems")
    page.get_by_role("link", name="Users").click()
    _accessible(page, "users")
    context.close()


def test_a_directive_is_acknowledged_and_its_reach_shown(site, browser):
    base, accounts = site
    context = browser.new_context(locale="en-US")
    boss = context.new_page()
    _sign_in(boss, base, accounts["plant_manager"])
    boss.goto(f"{base}/directives")
    boss.get_by_label("Title").fill("安全交底：高炉出铁")
    boss.get_by_label("Text", exact=True).fill("班前会上逐条讲清。")
    boss.get_by_role("button", name="Issue it").click()
    assert "Issued; it reached" in boss.get_by_role("status").inner_text()
    url = boss.url.split("?")[0]
    other = browser.new_context(locale="zh-CN")
    member = other.new_page()
    _sign_in(member, base, accounts["member"])
    member.goto(f"{base}/directives")
    member.get_by_role("link", name="安全交底：高炉出铁").click()
    member.get_by_role("button", name="我已阅读").click()
    assert "已确认" in member.get_by_role("status").inner_text()
    _accessible(member, "directive-member-zh")
    boss.goto(url)
    units = boss.get_by_role("table", name="By unit")
    assert units.is_visible()
    acked = boss.get_by_role("table", name=re.compile("By team"))
    assert acked.locator("tbody tr").count() > 1
    _accessible(boss, "directive-reach")
    context.close()
    other.close()


def test_a_case_study_is_published_and_found_by_a_chinese_phrase(site, browser):
    base, accounts = site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _sign_in(page, base, accounts["team_leader"])
    team = accounts["team_leader"].viewer.team_code
    page.goto(f"{base}/teams/{team}")
    page.get_by_role("link", name="Write a case study of this team").click()
    _accessible(page, "library-new")
    page.get_by_label("Title").fill("三班倒的安全交底")
    page.get_by_label("The situation").fill("夜班事故多，交接不清。")
    page.get_by_label("low attendance").check()
    page.get_by_label("What was done").fill("每班班前会安全交底，骨干带班。")
    page.get_by_label("The result").fill("三个月无事故。")
    page.get_by_role("button", name="Publish to the library").click()
    assert page.get_by_role("heading", name="三班倒的安全交底").is_visible()
    assert page.get_by_role("table").locator("tbody tr").count() == 4  # KPIs before and after
    page.goto(f"{base}/library")
    page.get_by_label(re.compile("Search")).fill("安全交底")
    page.wait_for_url(re.compile(r"q=%E5%AE%89"))  # htmx pushed the search into the URL
    assert page.get_by_role("link", name="三班倒的安全交底").is_visible()
    page.get_by_label(re.compile("Search")).fill("设备点检")
    page.wait_for_url(re.compile(r"q=%E8%AE%BE"))
    assert page.get_by_role("link", name="三班倒的安全交底").count() == 0
    _accessible(page, "library-search")
    context.close()


def test_an_anonymous_wish_is_followed_by_its_receipt_code_and_escalated(site, browser):
    from datetime import UTC, datetime, timedelta

    base, accounts = site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _sign_in(page, base, accounts["member"])
    page.goto(f"{base}/wishes")
    page.get_by_label("About").select_option("safety")
    page.get_by_label("What you wish for, or what the problem is").fill("三号炉护栏松了")
    assert page.get_by_label(re.compile("Anonymous")).is_checked()  # anonymous by default
    page.get_by_role("button", name="Send").click()
    code = page.locator(".receipt").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    _accessible(page, "wish-receipt")
    with services.open_database(SITE["settings"]) as db:  # a week later, nobody has answered
        later = datetime.now(UTC) + timedelta(days=3 * db.settings.wish_respond_days)
        services.notices.remind(db, later)
    page.goto(f"{base}/wishes")
    page.get_by_role("textbox", name="Receipt code").fill(code.lower())
    page.get_by_role("button", name="Show it").click()
    assert page.get_by_text("三号炉护栏松了").is_visible()
    assert page.get_by_text("Waiting for an answer").is_visible()
    boss = browser.new_context(locale="en-US")
    inbox = boss.new_page()
    _sign_in(inbox, base, accounts["plant_manager"])
    inbox.goto(f"{base}/inbox")
    escalated = inbox.get_by_role("link", name=re.compile("it has come to the plant"))
    assert escalated.count() >= 1
    _accessible(inbox, "inbox")
    escalated.first.click()
    assert "anonymous" in inbox.locator("main").inner_text()
    assert accounts["member"].viewer.name not in inbox.locator("main").inner_text()
    context.close()
    boss.close()
