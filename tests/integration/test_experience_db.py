"""The experience library through the services, on SQLite (FTS5 trigram) and PostgreSQL
(pg_trgm): a Chinese phrase finds exactly the entries holding it, KPIs before and after come
from the records, suggestions rank by improvement, uses are counted once per team."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from teamroots import services
from teamroots.census.demo import DemoSpec
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import InvalidRequest, NotFound

BOSS = Viewer(1, "boss", AccessRole.PLANT_MANAGER)
TEXTS = {"situation": "班组出勤低", "actions": "每班安全交底，骨干带班", "result": "出勤回升"}


def _teams(db) -> list[tuple[str, str]]:
    services.census.build_demo(db, DemoSpec(teams=8, days=120))
    with db.read() as conn:
        sql = "SELECT t.code, u.code FROM team t JOIN org_unit u ON u.id = t.unit_id ORDER BY 1"
        return conn.execute(text(sql)).all()


def _publish(db, team, title, texts=TEXTS, diagnosis=("low_attendance",), days_ago=56):
    started = date.today() - timedelta(days=days_ago)
    return services.experience.publish(
        db, BOSS, team, "case", title, dict(texts), list(diagnosis), started
    )


def test_a_chinese_phrase_finds_exactly_the_entries_holding_it(db):
    teams = _teams(db)
    with_it = _publish(db, teams[0][0], "三班倒的安全交底")
    other = {"situation": "设备老化", "actions": "点检到人", "result": "停机减少"}
    without = _publish(db, teams[1][0], "Equipment checks by name", other)
    assert [e["id"] for e in services.experience.search(db, "安全交底")] == [with_it]
    assert [e["id"] for e in services.experience.search(db, "交底")] == [with_it]  # 2 chars
    assert [e["id"] for e in services.experience.search(db, "equipment CHECKS")] == [without]
    assert services.experience.search(db, "安全交底 点检") == []  # every term
    assert {e["id"] for e in services.experience.search(db, "")} == {with_it, without}
    assert services.experience.search(db, '"%_\\') == []  # no wildcard, no syntax error


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet="安全交底班前会设备 ab%_\"'", min_size=1, max_size=6))
def test_search_agrees_with_a_plain_substring_test(library, query):
    db, entries = library
    want = {i for i, words in entries.items() if all(t in words for t in query.casefold().split())}
    assert {e["id"] for e in services.experience.search(db, query)} == want


@pytest.fixture
def library(db):
    teams = _teams(db)
    bodies = ["安全交底到人", "班前会设备点检", "ab 安全", "%_ 交底班前", "设备'a\"b"]
    entries = {}
    for i, body in enumerate(bodies):
        texts = {"situation": body, "actions": "x", "result": "y"}
        entry = _publish(db, teams[i % len(teams)][0], f"e{i}", texts)
        entries[entry] = services.experience.entry(db, entry)
        e = entries[entry]
        entries[entry] = "\n".join([e["title"], e["situation"], e["actions"], e["result"],
                                    e["team_name"], e["team"]]).casefold()  # fmt: skip
    return db, entries


def test_kpis_before_and_after_come_from_the_records_and_rank_suggestions(db):
    teams = _teams(db)
    first = _publish(db, teams[0][0], "a")
    got = services.experience.entry(db, first)
    assert got["kpis_before"]["completion"] is not None
    assert got["kpis_after"]["completion"] is not None
    want = round(100 * (got["kpis_after"]["completion"] - got["kpis_before"]["completion"]), 1)
    assert got["improvement"] == want
    with db.write() as conn:  # two more entries with known improvements
        conn.execute(text("UPDATE experience SET improvement = 2.0 WHERE id = :i"), {"i": first})
    second = _publish(db, teams[1][0], "b")
    third = _publish(db, teams[2][0], "c", diagnosis=("no_core",))
    with db.write() as conn:
        conn.execute(text("UPDATE experience SET improvement = 5.0 WHERE id = :i"), {"i": second})
        conn.execute(text("UPDATE experience SET improvement = 9.0 WHERE id = :i"), {"i": third})
    ranked = services.experience.suggestions(db, "3", {"low_attendance"})
    assert [e["id"] for e in ranked] == [second, first]  # same problem, most improved first
    assert services.experience.suggestions(db, "1", {"low_attendance"}) == []  # advanced
    assert services.experience.use(db, BOSS, second, teams[3][0]) is True
    assert services.experience.use(db, BOSS, second, teams[3][0]) is False  # once per team
    assert services.experience.entry(db, second)["uses"] == 1


def test_publishing_checks_its_input_and_the_scope(db):
    teams = _teams(db)
    before = services.census.table_counts(db)
    with pytest.raises(InvalidRequest):
        _publish(db, teams[0][0], "x", diagnosis=("nonsense",))
    with pytest.raises(InvalidRequest):
        _publish(db, teams[0][0], "x", texts={"situation": "", "actions": "a", "result": "b"})
    lead = Viewer(2, "lead", AccessRole.TEAM_LEADER, team_code=teams[0][0])
    with pytest.raises(NotFound):
        services.experience.publish(db, lead, teams[1][0], "case", "x", TEXTS, [], date.today())
    assert services.census.table_counts(db) == before
