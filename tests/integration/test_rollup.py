"""The weekly rollup equals the daily records it sums: for generated plants, after imports
that change past days (values, blanks, new days), an assessment from the rollup equals the
same assessment from the daily rows — on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from teamroots import services
from teamroots.assess import kpis
from teamroots.census.demo import DemoSpec
from teamroots.store import assess_repo, rollup_repo
from teamroots.store.people_repo import as_date
from tests.factories import write_csv

KEYS = ["team_id", "week"]


def _from_days(conn, as_of: date, days: int) -> pl.DataFrame:
    start, end = assess_repo.window(as_of, days)
    return assess_repo.weekly_from_days(conn, start, start, end)


def _same(a: pl.DataFrame, b: pl.DataFrame, keys=KEYS) -> None:
    a, b = a.sort(keys), b.sort(keys)
    assert a.columns == b.columns and a.height == b.height
    for column in a.columns:
        x, y = a[column].to_list(), b[column].to_list()
        assert all(p == q or (p is not None and q is not None and abs(p - q) < 1e-6)
                   for p, q in zip(x, y, strict=True)), column  # fmt: skip


def _rounded(value):
    """Floats to 9 significant digits: sums taken in another order differ in the last bits."""
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _changes(path, codes: list[str], end: date, seed: int):
    """Past days changed: new values, blanks, and days added before and after the records."""
    rng = random.Random(seed)
    rows = {}
    for _ in range(40):
        day = end - timedelta(days=rng.randint(-3, 80))
        actual = "" if rng.random() < 0.2 else str(rng.randint(50, 130))
        present = "" if rng.random() < 0.2 else str(rng.randint(3, 10))
        key = (rng.choice(codes), day.isoformat())  # a (team, day) once per file
        rows[key] = (*key, str(rng.randint(80, 120)), actual, "10", present)
    head = ("team", "date", "planned", "actual", "members_scheduled", "members_present")
    return write_csv(path, [head, *rows.values()])


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 10_000), teams=st.integers(3, 12), days=st.integers(20, 120))
def test_the_rollup_equals_the_daily_records_after_imports(db, tmp_path, seed, teams, days):
    spec = DemoSpec(seed=seed, teams=teams, days=days)
    services.census.build_demo(db, spec, replace=True)
    with db.read() as conn:
        codes = [r[0] for r in conn.exec_driver_sql("SELECT code FROM team ORDER BY id")]
    path = _changes(tmp_path / f"c{seed}.csv", codes, spec.end, seed)
    services.census.import_file(db, "records", path)
    with db.read() as conn:  # the first and last record day, through the rollup's key
        span = conn.exec_driver_sql("SELECT MIN(day), MAX(day) FROM team_record").one()
        found = rollup_repo.first_record_day(conn), rollup_repo.last_record_day(conn)
        assert found == tuple(as_date(d) for d in span)
    for as_of in (spec.end, spec.end - timedelta(days=3), spec.end - timedelta(days=17)):
        with db.read() as conn:
            whole = _from_days(conn, as_of, 91)
            _same(assess_repo.weekly_records(conn, as_of, 91), whole)
            # the database's per-team sums equal those of the daily rows' weeks
            _same(assess_repo.window_sums(conn, as_of, 91), kpis.window_sums(whole), ["team_id"])
            one = pl.DataFrame(assess_repo.team_weekly(conn, 1, as_of, 91), schema=whole.schema)
            _same(one, whole.filter(pl.col("team_id") == 1))  # a team page's weeks


def test_an_assessment_from_the_rollup_equals_one_from_the_daily_rows(db, tmp_path, monkeypatch):
    services.census.build_demo(db, DemoSpec(seed=3, teams=30, days=120))
    with db.read() as conn:
        codes = [r[0] for r in conn.exec_driver_sql("SELECT code FROM team ORDER BY id")]
    services.census.import_file(
        db, "records", _changes(tmp_path / "c.csv", codes, date(2026, 10, 31), 1)
    )
    for as_of in (None, date(2026, 10, 14)):  # the last record; a Wednesday with days after it
        rolled = services.assess.assess(db, as_of=as_of, save=False).document
        monkeypatch.setattr(
            assess_repo, "window_sums", lambda c, a, d: kpis.window_sums(_from_days(c, a, d))
        )
        daily = services.assess.assess(db, as_of=as_of, save=False).document
        monkeypatch.undo()
        assert _rounded(rolled["teams"]) == _rounded(daily["teams"])


def test_rebuilding_the_rollup_gives_the_same_rows(db):
    services.census.build_demo(db, DemoSpec(seed=5, teams=10, days=60))
    sql = "SELECT * FROM team_week ORDER BY team_id, week"
    with db.read() as conn:
        before = conn.exec_driver_sql(sql).all()
    with db.write() as conn:
        assert rollup_repo.rebuild(conn) == len(before)
    with db.read() as conn:
        assert conn.exec_driver_sql(sql).all() == before


def test_a_review_stored_as_a_frame_gives_the_document_the_assessment_gave(db):
    """Reviews keep the evaluated frame, not JSON: the document built from it later, with the
    rubric the review kept, is exactly the one the assessment gave."""
    services.census.build_demo(db, DemoSpec(seed=4, teams=25, days=120))
    made = services.assess.assess(db)
    with db.read() as conn:
        kept = conn.exec_driver_sql(
            "SELECT length(results_gz), length(results_ipc) FROM review WHERE id = 1"
        ).one()
    assert kept[0] == 0 and kept[1] > 0  # no JSON stored
    again = services.assess.review(db, made.review_id).document
    assert again == made.document


def test_window_sums_of_teams_with_weeks_missing(db):
    """Teams without a record in the window's last weeks, or before it, or at all: the
    running sums are read at each team's own latest week."""
    spec = DemoSpec(seed=6, teams=6, days=120)
    services.census.build_demo(db, spec, replace=True)
    end = spec.end
    gone = [  # (team, from, to): its records deleted
        (1, end - timedelta(days=20), end),  # none in the last weeks
        (2, date(2000, 1, 1), end - timedelta(days=60)),  # none before the window
        (3, date(2000, 1, 1), end),  # none at all
        (4, end - timedelta(days=40), end - timedelta(days=30)),  # a gap inside it
    ]
    with db.write() as conn:
        for team, first, last in gone:
            conn.execute(
                text("DELETE FROM team_record WHERE team_id = :t AND day BETWEEN :a AND :b"),
                {"t": team, "a": first, "b": last},
            )
        rollup_repo.rebuild(conn)
    for as_of in (end, end - timedelta(days=3), end - timedelta(days=25)):
        with db.read() as conn:
            whole = _from_days(conn, as_of, 91)
            _same(assess_repo.window_sums(conn, as_of, 91), kpis.window_sums(whole), ["team_id"])
