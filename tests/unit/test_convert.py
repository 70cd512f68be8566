import pytest

from teamroots.census.convert import Plan
from teamroots.census.fields import KINDS
from teamroots.census.mapping import Mapping, mapping_from_dict
from teamroots.config import Settings
from teamroots.errors import ConfigError

S = Settings(database_url="sqlite://")


def plan(kind, headers, mapping=None):
    return Plan(KINDS[kind], headers, mapping or Mapping(), S, "f.csv")


def test_headers_match_names_labels_and_chinese():
    p = plan("records", ["\ufeff班组", "日期", "Planned Output", "actual", "Scheduled", "备注"])
    assert [s.field.name for s in p.steps] == ["team", "date", "planned", "actual",
                                               "members_scheduled"]
    assert p.ignored == ["备注"]
    values, problems = p.convert(2, ["T1", "2024-03-05", "1,200", "1150", "12.5", "x"])
    assert not problems
    assert values["planned"] == 1200.0 and values["members_scheduled"] == 12.5


def test_missing_required_column_is_one_problem_naming_the_headers():
    p = plan("records", ["team", "output"])
    assert len(p.missing) == 1
    problem = p.missing[0]
    assert problem.column == "date" and problem.row == 1
    assert dict(problem.params)["headers"] == "team, output"


def test_template_key_aliases_and_constants():
    m = mapping_from_dict({
        "columns": {"team": "{department}-{team}", "date": "date"},
        "values": {"department": {"sweing": "sewing"}},
        "constants": {"unit": "GARMENT"},
        "dates": {"formats": ["%m/%d/%Y"]},
    }, "records")
    p = plan("records", ["date", "department", "team", "no_of_workers"], m)
    values, problems = p.convert(2, ["1/1/2015", "sweing", "8", "59.0"])
    assert not problems
    assert values["team"] == "sewing-8" and values["unit"] == "GARMENT"
    assert values["date"].isoformat() == "2015-01-01"


def test_mapping_to_a_column_the_file_lacks_is_a_config_error():
    m = mapping_from_dict({"columns": {"date": "Datum"}}, "records")
    with pytest.raises(ConfigError) as info:
        plan("records", ["team", "day"], m)
    assert "Datum" in info.value.message() and "team, day" in info.value.message()


def test_every_bad_cell_of_a_row_is_reported():
    p = plan("records", ["team", "date", "planned", "incidents"])
    _, problems = p.convert(7, ["", "2024-13-01", "lots", "1.5"])
    assert [(x.row, x.column) for x in problems] == [
        (7, "team"), (7, "date"), (7, "planned"), (7, "incidents")]
    assert problems[0].expected.startswith("a value")


def test_designations_and_checklist_items_use_settings_and_aliases():
    p = plan("people", ["employee_no", "name", "designations"])
    values, problems = p.convert(2, ["E1", "Wang", "党员、积极分子"])
    assert not problems and values["designations"] == ["activist", "party_member"]
    _, problems = p.convert(3, ["E2", "Li", "astronaut"])
    assert "party_member" in dict(problems[0].params)["allowed"]
    c = plan("checklists", ["team", "item", "in_place", "checked_on"])
    values, problems = c.convert(2, ["T1", "交接班", "是", "2024-01-01"])
    assert not problems and values["item"] == "shift_handover" and values["in_place"] is True
