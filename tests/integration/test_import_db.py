"""Imports against a real database (SQLite, and PostgreSQL when configured): every kind,
re-import changes nothing, a bad file changes nothing, references and history."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from teamroots import services
from teamroots.errors import ConfigError, ImportProblems
from teamroots.store.db import make_engine
from tests.factories import (
    MEMBERSHIPS,
    OTHER_KINDS,
    PEOPLE,
    TEAMS,
    UNITS,
    record_rows,
    small_plant,
    write_csv,
)


def counts(db):
    return services.census.table_counts(db)


def scalar(settings, sql):
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_every_kind_imports_and_reimport_changes_nothing(settings, tmp_path, db):
    small_plant(db, tmp_path)
    files = {k: write_csv(tmp_path / f"{k}.csv", rows) for k, rows in OTHER_KINDS.items()}
    for kind, path in files.items():
        out = services.census.import_file(db, kind, path)
        assert out.inserted == len(OTHER_KINDS[kind]) - 1 and out.updated == 0, kind
    before = counts(db)
    assert before["team_post"] == 4 and before["person_skill"] == 4
    for kind, rows in (("units", UNITS), ("teams", TEAMS), ("people", PEOPLE),
                       ("memberships", MEMBERSHIPS), *OTHER_KINDS.items()):
        out = services.census.import_file(db, kind, write_csv(tmp_path / f"again-{kind}.csv", rows))
        assert (out.inserted, out.updated) == (0, 0), kind
    after = counts(db)
    assert {k: v for k, v in after.items() if k != "import_batch"} == {
        k: v for k, v in before.items() if k != "import_batch"
    }


def test_a_changed_row_is_updated_and_lists_replaced(settings, tmp_path, db):
    small_plant(db, tmp_path)
    teams = [list(r) for r in TEAMS]
    teams[1][5] = "furnace_operator: 4"
    out = services.census.import_file(db, "teams", write_csv(tmp_path / "t2.csv", teams))
    assert (out.inserted, out.updated) == (0, 1)
    assert scalar(settings, "SELECT headcount FROM team_post JOIN team ON team.id = team_id "
                            "WHERE code = 'T1'") == 4
    assert scalar(settings, "SELECT count(*) FROM team_post") == 3


def test_a_column_the_file_lacks_is_kept(settings, tmp_path, db):
    small_plant(db, tmp_path)
    path = write_csv(tmp_path / "names.csv", [("employee_no", "name"), ("E1", "Wang Fang")])
    services.census.import_file(db, "people", path)
    assert scalar(settings, "SELECT count(*) FROM person_skill") == 4
    assert scalar(settings, "SELECT hire_date FROM person WHERE employee_no = 'E1'") is not None


def test_thousand_rows_three_bad_nothing_written(settings, tmp_path, db):
    small_plant(db, tmp_path)
    rows = list(record_rows(1000))
    rows[100] = (rows[100][0], "2024-13-45", *rows[100][2:])
    rows[500] = ("NOPE", *rows[500][1:])
    rows[900] = (*rows[900][:3], "lots", *rows[900][4:])
    before = counts(db)
    with pytest.raises(ImportProblems) as caught:
        services.census.import_file(db, "records", write_csv(tmp_path / "r.csv", rows))
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [(101, "date"), (501, "team"), (901, "actual")]
    assert counts(db) == before


def test_a_missing_team_can_be_created_when_the_mapping_allows(settings, tmp_path, db):
    small_plant(db, tmp_path)
    rows = [("team", "unit", "date", "planned", "actual"), ("T9", "BF1-S1", "2024-05-01", 10, 9)]
    path = write_csv(tmp_path / "r.csv", rows)
    with pytest.raises(ImportProblems):
        services.census.import_file(db, "records", path)
    mapping = tmp_path / "m.toml"
    mapping.write_text("[create]\nteams = true\n", encoding="utf-8")
    out = services.census.import_file(db, "records", path, str(mapping))
    assert out.created_teams == 1 and out.inserted == 1


def test_dry_run_writes_nothing(settings, tmp_path, db):
    small_plant(db, tmp_path)
    before = counts(db)
    out = services.census.import_file(db, "records", write_csv(tmp_path / "r.csv", record_rows(50)),
                               dry_run=True)
    assert out.inserted == 50
    assert counts(db) == before


def test_membership_history_is_kept(settings, tmp_path, db):
    small_plant(db, tmp_path)
    rows = [MEMBERSHIPS[0], ("E2", "T1", "leader", "2024-01-01", "")]
    services.census.import_file(db, "memberships", write_csv(tmp_path / "m.csv", rows))
    assert scalar(settings, "SELECT count(*) FROM membership WHERE person_id = "
                            "(SELECT id FROM person WHERE employee_no = 'E2')") == 2


@pytest.mark.parametrize(("policy", "actual", "incidents"), [("last", 80, 3), ("sum", 170, 4),
                                                            ("mean", 85, 2)])
def test_duplicate_keys_merged_as_the_mapping_says(
    settings, tmp_path, policy, actual, incidents, db
):
    small_plant(db, tmp_path)
    rows = [("team", "date", "planned", "actual", "incidents"),
            ("T1", "2024-05-01", 100, 90, 1), ("T2", "2024-05-01", 50, 50, 0),
            ("T1", "2024-05-01", 100, 80, 3)]
    path = write_csv(tmp_path / "dup.csv", rows)
    with pytest.raises(ImportProblems) as caught:
        services.census.import_file(db, "records", path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "team, date")]
    mapping = tmp_path / "m.toml"
    mapping.write_text(f'[file]\nduplicates = "{policy}"\n', encoding="utf-8")
    out = services.census.import_file(db, "records", path, str(mapping))
    assert out.inserted == 2
    assert scalar(settings, "SELECT actual FROM team_record r JOIN team t ON t.id = r.team_id "
                            "WHERE t.code = 'T1'") == actual
    assert scalar(settings, "SELECT incidents FROM team_record r JOIN team t ON t.id = r.team_id "
                            "WHERE t.code = 'T1'") == incidents
    again = services.census.import_file(db, "records", path, str(mapping))
    assert (again.inserted, again.updated) == (0, 0)


def test_records_from_the_future_are_refused(settings, tmp_path, db):
    small_plant(db, tmp_path)
    rows = [("team", "date", "planned", "actual"), ("T1", "2024-05-01", 10, 9),
            ("T1", "2999-01-01", 10, 9)]
    with pytest.raises(ImportProblems) as caught:
        services.census.import_file(db, "records", write_csv(tmp_path / "f.csv", rows))
    assert [(p.row, p.column, p.value) for p in caught.value.problems] == [
        (3, "date", "2999-01-01")]


def test_a_misspelt_parent_unit_is_an_error(settings, tmp_path, db):
    small_plant(db, tmp_path)
    rows = [("team", "unit", "date"), ("T9", "NEWUNIT", "2024-05-01")]
    mapping = tmp_path / "m.toml"
    mapping.write_text('[create]\nteams = true\nunits = true\nparent_unit = "NOPE"\n',
                       encoding="utf-8")
    with pytest.raises(ConfigError, match=r"create\.parent_unit 'NOPE'"):
        services.census.import_file(db, "records", write_csv(tmp_path / "r.csv", rows),
                             str(mapping))


def test_units_a_mapping_creates_on_an_empty_database_are_children_of_the_plant(tmp_path, db):
    mapping = tmp_path / "m.toml"
    mapping.write_text("[create]\nteams = true\nunits = true\n", encoding="utf-8")
    rows = [("team", "unit", "date", "planned", "actual"),
            ("A1", "SEW", "2024-05-01", 10, 9), ("B1", "CUT", "2024-05-01", 10, 9),
            ("A2", "SEW", "2024-05-02", 10, 9)]
    out = services.census.import_file(db, "records", write_csv(tmp_path / "r.csv", rows), mapping)
    assert out.created_units == 3 and out.created_teams == 3  # PLANT, SEW, CUT
    census = services.census.census(db)
    parents = {u.code: u.parent_id for u in census.units}
    plant = next(u.id for u in census.units if u.code == "PLANT")
    assert parents == {"PLANT": None, "SEW": plant, "CUT": plant}


def test_far_dates_are_problems_unless_the_mapping_allows_them(settings, tmp_path, db):
    small_plant(db, tmp_path)
    rows = [("team", "date", "planned", "actual")]
    rows += [("T1", f"2024-05-{d:02d}", 10, 9) for d in range(1, 9)]
    rows += [("T2", "1924-05-03", 10, 9)]
    path = write_csv(tmp_path / "r.csv", rows)
    with pytest.raises(ImportProblems) as caught:
        services.census.import_file(db, "records", path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (10, "date", "1924-05-03")
    mapping = tmp_path / "m.toml"
    mapping.write_text("[file]\nallow_far_dates = true\n", encoding="utf-8")
    assert services.census.import_file(db, "records", path, mapping).inserted == 9


def test_no_designation_is_accepted(settings, tmp_path, db):
    rows = [("employee_no", "name", "designations"), ("P1", "Wang", "群众"),
            ("P2", "Li", "无"), ("P3", "Zhao", "党员")]
    out = services.census.import_file(db, "people", write_csv(tmp_path / "p.csv", rows))
    assert out.inserted == 3
    assert scalar(settings, "SELECT count(*) FROM person_designation") == 1


def test_a_header_below_the_first_row_gets_a_hint(tmp_path, db):
    rows = [("Team records, May 2024", "", ""), ("team", "date", "planned")]
    with pytest.raises(ImportProblems) as caught:
        services.census.import_file(db, "records", write_csv(tmp_path / "r.csv", rows))
    assert any("header_row" in p.expected for p in caught.value.problems)
