"""Each team's people-side sums kept between assessments (team_people) are used only while
they hold: after any write to memberships, posts, skills or survey answers — by any path, on
SQLite and PostgreSQL — and on another day, the sums an assessment uses equal those made from
the rows; a write after an assessment's snapshot leaves what it keeps untrusted."""

from __future__ import annotations

import random
from datetime import timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamroots import services
from teamroots.assess import kpis
from teamroots.assess.rubric import load_rubric
from teamroots.census.demo import DemoSpec
from teamroots.store import people_sums_repo
from tests.integration.test_assess_sums import _rows, _same


def _ids(conn, sql) -> list:
    return [r[0] for r in conn.exec_driver_sql(sql)]


def _change(db, rng: random.Random, end) -> str:
    """One write of a kind the sums are made from, as SQL: what it was."""
    with db.write() as conn:
        teams = _ids(conn, "SELECT id FROM team")
        people = _ids(conn, "SELECT id FROM person")
        rows = _ids(conn, "SELECT id FROM membership")
        day = (end - timedelta(days=rng.randint(-5, 40))).isoformat()
        kind = rng.choice(["end", "join", "leave", "move", "skill", "post", "vote", "unvote"])
        if kind == "end" and rows:
            conn.exec_driver_sql(
                f"UPDATE membership SET end_date = '{day}' WHERE id = {rng.choice(rows)} "
                f"AND start_date <= '{day}'"
            )
        elif kind == "join":
            role = rng.choice(["member", "leader", "safety_officer"])
            conn.exec_driver_sql(
                "INSERT INTO membership (person_id, team_id, role, start_date) VALUES "
                f"({rng.choice(people)}, {rng.choice(teams)}, '{role}', '{day}')"
            )
        elif kind == "leave" and rows:
            conn.exec_driver_sql(f"DELETE FROM membership WHERE id = {rng.choice(rows)}")
        elif kind == "move" and rows:
            conn.exec_driver_sql(
                f"UPDATE membership SET team_id = {rng.choice(teams)} WHERE id = {rng.choice(rows)}"
            )
        elif kind == "skill":
            level = rng.choice([0.5, 1.0, 2.0, 3.5])
            conn.exec_driver_sql(
                f"UPDATE person_skill SET level = {level} WHERE person_id = {rng.choice(people)}"
            )
        elif kind == "post":
            conn.exec_driver_sql(
                f"UPDATE team_post SET headcount = {rng.randint(0, 4)} "
                f"WHERE team_id = {rng.choice(teams)}"
            )
        elif kind == "vote":
            survey = conn.exec_driver_sql("SELECT MAX(survey_date) FROM nomination").scalar()
            if survey is not None:
                a, b = rng.sample(people, 2)
                conn.exec_driver_sql(
                    "INSERT INTO nomination (survey_date, nominator_id, nominee_id, question) "
                    f"VALUES ('{survey}', {a}, {b}, 'trust_to_lead') ON CONFLICT DO NOTHING"
                )
        elif kind == "unvote":
            conn.exec_driver_sql(
                f"DELETE FROM nomination WHERE nominator_id = {rng.choice(people)}"
            )
        return kind


def _check(db, as_of, rubric) -> bool:
    """The sums load_inputs uses equal the rows' own; whether they were the kept ones."""
    used, _survey, to_keep = services.assess.load_inputs(db, as_of, rubric)
    with db.read() as conn:
        rows = _rows(conn, as_of, rubric)
    _same(used.labour, rows.labour, "labour")
    _same(used.leadership, rows.leadership, "leadership")
    return to_keep is None


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 10_000), teams=st.integers(2, 8))
def test_kept_sums_are_used_only_while_they_hold(db, seed, teams):
    spec = DemoSpec(seed=seed, teams=teams, days=60)
    services.census.build_demo(db, spec, replace=True)
    rubric, rng = load_rubric(), random.Random(seed)
    services.assess.assess(db)  # keeps every team's sums
    assert _check(db, spec.end, rubric), "the sums just kept were not used"
    for step in range(12):
        kind = _change(db, rng, spec.end)
        as_of = spec.end - timedelta(days=rng.choice([0, 0, 3, 30, 50]))
        _check(db, as_of, rubric)  # equal, kept or not
        if step % 3 == 2:
            services.assess.assess(db, as_of=as_of)  # keeps them again
            assert _check(db, as_of, rubric), f"not used after an assessment ({kind})"


def test_a_write_after_the_snapshot_leaves_what_was_kept_untrusted(db):
    spec = DemoSpec(seed=7, teams=4, days=60)
    services.census.build_demo(db, spec, replace=True)
    rubric = load_rubric()
    _inputs, _survey, to_keep = services.assess.load_inputs(db, spec.end, rubric)
    assert to_keep is not None  # nothing kept yet: summed from the rows
    with db.write() as conn:  # a change lands between the snapshot and the keeping
        conn.exec_driver_sql("UPDATE team_post SET headcount = headcount + 1 WHERE team_id = 1")
    with db.write() as conn:
        people_sums_repo.keep(conn, to_keep)
    with db.read() as conn:
        kept = people_sums_repo.valid(conn, spec.end, _survey, kpis.PEOPLE_SUMS_VERSION)
    assert 1 not in kept["team_id"].to_list()  # the changed team is summed again
    assert set(kept["team_id"].to_list()) == {2, 3, 4}
    assert _check(db, spec.end, rubric) is False


def test_kept_sums_hold_between_membership_changes_only(db):
    """A day on which no membership of a team starts or ends uses the kept sums; a day past
    such a change does not."""
    spec = DemoSpec(seed=8, teams=3, days=60)
    services.census.build_demo(db, spec, replace=True)
    rubric = load_rubric()
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO membership (person_id, team_id, role, start_date) "
            f"SELECT MIN(id), 1, 'member', '{(spec.end + timedelta(days=10)).isoformat()}' "
            "FROM person"
        )
    services.assess.assess(db)
    with db.read() as conn:
        spans = people_sums_repo.spans(conn, spec.end)
    team1 = spans.filter(pl.col("team_id") == 1).row(0, named=True)
    assert team1["valid_to"] == spec.end + timedelta(days=10)
    assert _check(db, spec.end, rubric)
    assert not _check(db, spec.end + timedelta(days=10), rubric)


def test_an_import_of_people_marks_their_teams(db, tmp_path):
    """The importer's writes (upserts of people with their skills) raise the teams' gen."""
    from tests.factories import write_csv

    services.census.build_demo(db, DemoSpec(seed=9, teams=3, days=30), replace=True)
    services.assess.assess(db)
    with db.read() as conn:
        number, name, team = conn.exec_driver_sql(
            "SELECT p.employee_no, p.name, m.team_id FROM person p JOIN membership m "
            "ON m.person_id = p.id ORDER BY p.id LIMIT 1"
        ).one()
        before = dict(conn.exec_driver_sql("SELECT team_id, gen FROM team_people").all())
    rows = [("employee_no", "name", "skills"), (number, name, "tapper: 4")]
    path = write_csv(tmp_path / "p.csv", rows)
    services.census.import_file(db, "people", path)
    with db.read() as conn:
        after = dict(conn.exec_driver_sql("SELECT team_id, gen FROM team_people").all())
    assert after[team] > before[team]


def test_after_a_change_to_one_team_only_its_sums_are_made_again(db):
    spec = DemoSpec(seed=10, teams=12, days=30)
    services.census.build_demo(db, spec, replace=True)
    rubric = load_rubric()
    services.assess.assess(db)
    with db.write() as conn:
        conn.exec_driver_sql("UPDATE team_post SET headcount = headcount + 2 WHERE team_id = 5")
    used, _survey, to_keep = services.assess.load_inputs(db, spec.end, rubric)
    assert to_keep["team_id"].to_list() == [5]  # read and summed again: team 5's rows only
    with db.read() as conn:
        rows = _rows(conn, spec.end, rubric)
    _same(used.labour, rows.labour, "labour")
    _same(used.leadership, rows.leadership, "leadership")


def test_a_membership_ending_on_the_last_day_there_is(db):
    """9999-12-31 is how some plants write "no end": the sums hold to the last date there is."""
    spec = DemoSpec(seed=11, teams=3, days=30)
    services.census.build_demo(db, spec, replace=True)
    with db.write() as conn:
        conn.exec_driver_sql("UPDATE membership SET end_date = '9999-12-31' WHERE team_id = 2")
    services.assess.assess(db)
    assert _check(db, spec.end, load_rubric())
