from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teamroots.census import parse
from teamroots.census.convert import choice_names
from teamroots.domain.choices import Role, Shift


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" 12 ", 12.0), ("1,234.5", 1234.5), ("1 234", 1234.0), ("30.5", 30.5), (7, 7.0),
     ("１２", 12.0), ("", None), (None, None), ("12.0", 12.0)],
)
def test_number_accepts_messy_numbers(raw, expected):
    assert parse.number(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1,23", "-3", "nan", "inf", "12,34,5"])
def test_number_refuses_with_expectation(raw):
    with pytest.raises(parse.Bad) as info:
        parse.number(raw)
    assert "number" in info.value.expected


def test_count_takes_whole_numbers_only():
    assert parse.count("3.0") == 3
    with pytest.raises(parse.Bad, match="whole number"):
        parse.count("3.5")


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_round_trip(n):
    assert parse.number(f"{n:,}") == n
    assert parse.number(f"{n:_}") == n


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"]))
def test_default_date_formats_round_trip(day, fmt):
    assert parse.date_parser()(day.strftime(fmt)) == day


def test_dates_from_mapping_formats_cells_and_timestamps():
    us = parse.date_parser(["%m/%d/%Y"])
    assert us("1/3/2015") == date(2015, 1, 3)
    assert us(datetime(2015, 1, 3, 8, 0)) == date(2015, 1, 3)
    assert us("2015-01-03 00:00:00") == date(2015, 1, 3)
    with pytest.raises(parse.Bad) as info:
        parse.date_parser()("3/1/2015")  # ambiguous without a mapping: refused, not guessed
    assert "%Y-%m-%d" in info.value.params["formats"]


@pytest.mark.parametrize(("raw", "value"), [("Y", True), ("是", True), ("✓", True),
                                            ("no", False), ("0", False), ("否", False)])
def test_boolean(raw, value):
    assert parse.boolean(raw) is value


def test_choice_matches_values_labels_chinese_and_aliases():
    role = parse.choice_parser(choice_names(Role), [r.value for r in Role])
    assert role(" LEADER ") == "leader"
    assert role("班长") == "leader"
    assert role("Team Leader") == "leader"
    assert role("deputy-leader") == "deputy"
    shift = parse.choice_parser(choice_names(Shift), [s.value for s in Shift])
    assert shift("夜班") == "night"


def test_choice_typo_is_refused_with_a_suggestion():
    role = parse.choice_parser(choice_names(Role), [r.value for r in Role])
    with pytest.raises(parse.Bad) as info:
        role("leadr")
    assert info.value.params["suggestion"] == "leader"


def test_pairs_and_items():
    assert parse.pairs("furnace operator: 3; tapper×2，crane") == {
        "furnace_operator": 3.0, "tapper": 2.0, "crane": 1.0}
    assert parse.pairs("boxer: 2") == {"boxer": 2.0}
    assert parse.items("a、b | c") == ["a", "b", "c"]
    with pytest.raises(parse.Bad):
        parse.pairs("tapper: lots")


def test_clean_strips_bom_spaces_and_export_apostrophe():
    assert parse.clean("\ufeff  Team   one ") == "Team one"
    assert parse.clean("'=SUM(A1)") == "=SUM(A1)"
    assert parse.clean(3.0) == "3"


@given(st.text())
def test_clean_is_idempotent(s):
    once = parse.clean(s)
    assert parse.clean(once) == once or once.startswith(("'=", "'+", "'-", "'@"))
