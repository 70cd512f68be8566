import pytest

from teamroots.census.mapping import load_mapping, mapping_from_dict
from teamroots.errors import ConfigError


def test_full_mapping(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text("""
kind = "records"
[file]
encoding = "gb18030"
header_row = 2
[columns]
team = "{department}-{team}"
planned = "targeted_productivity"
[constants]
unit = "SEW"
[values.department]
sweing = "sewing"
"Finishing " = "finishing"
[dates]
formats = ["%m/%d/%Y"]
[create]
teams = true
units = true
""", encoding="utf-8")
    m = load_mapping(path, "records")
    assert m.columns["team"] == "{department}-{team}"
    assert m.values["department"] == {"sweing": "sewing", "finishing": "finishing"}
    assert m.encoding == "gb18030" and m.header_row == 2
    assert m.create_teams and m.create_units and m.date_formats == ["%m/%d/%Y"]


@pytest.mark.parametrize(
    ("data", "says"),
    [({"columns": {"dat": "Date"}}, "not a field of records"),
     ({"colums": {}}, "unknown key 'colums'"),
     ({"kind": "people"}, "is for 'people'"),
     ({"dates": {"formats": "%d"}}, "dates.formats must be a list"),
     ({"file": {"header_row": 0}}, "header_row"),
     ({"file": {"sheet_name": "x"}}, "unknown key 'file.sheet_name'"),
     ({"columns": {"date": ["a"]}}, "must be a text")],
)
def test_bad_mapping_says_what_is_wrong(data, says):
    with pytest.raises(ConfigError) as info:
        mapping_from_dict(data, "records", "m.toml")
    assert says in info.value.message()
    assert "m.toml" in info.value.message()


def test_missing_and_invalid_files(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_mapping(tmp_path / "none.toml", "records")
    bad = tmp_path / "bad.toml"
    bad.write_text("[columns\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_mapping(bad, "records")
