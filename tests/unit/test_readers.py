import zipfile

import pytest
from openpyxl import Workbook

from teamroots.census.readers import open_table, sniff_delimiter, sniff_encoding
from teamroots.config import Settings
from teamroots.errors import BadFile, UnsafeFile

S = Settings(database_url="sqlite://")


def rows(table):
    return [(n, cells) for n, cells in table.rows]


@pytest.mark.parametrize(("encoding", "marker"), [("utf-8-sig", "utf-8-sig"),
                                                  ("utf-8", "utf-8-sig"),
                                                  ("gb18030", "gb18030"),
                                                  ("utf-16", "utf-16")])
def test_encodings_are_sniffed(tmp_path, encoding, marker):
    path = tmp_path / "t.csv"
    path.write_text("班组,日期\n一号,2024-01-01\n", encoding=encoding)
    assert sniff_encoding(path.read_bytes()) == marker
    table = open_table(path, S)
    assert table.headers == ["班组", "日期"]
    assert rows(table) == [(2, ["一号", "2024-01-01"])]


def test_delimiters_blank_rows_and_header_row(tmp_path):
    assert sniff_delimiter("a;b;c") == ";" and sniff_delimiter("a\tb") == "\t"
    path = tmp_path / "t.csv"
    path.write_text("Report of May\n\nteam;date\nT1;2024-05-01\n;\nT2;2024-05-02\n",
                    encoding="utf-8")
    table = open_table(path, S, header_row=3)
    assert table.headers == ["team", "date"]
    assert [n for n, _ in table.rows] == [4, 6]


def test_bad_bytes_late_in_the_file_name_the_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"team,date\n" + b"T1,2024-01-01\n" * 80000 + b"\xff\xfe\xfa,x\n")
    table = open_table(path, S)
    with pytest.raises(BadFile, match=r"row 80002: bytes that are not valid utf-8"):
        rows(table)


def test_file_size_limit_and_unknown_suffix(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("team\nT1\n", encoding="utf-8")
    with pytest.raises(UnsafeFile, match="over the limit"):
        open_table(path, Settings(database_url="sqlite://", max_file_bytes=5))
    odd = tmp_path / "t.pdf"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(BadFile, match=r"cannot read '\.pdf'"):
        open_table(odd, S)


def _xlsx(path, data):
    book = Workbook()
    sheet = book.active
    for row in data:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_rows_and_sheets(tmp_path):
    path = _xlsx(tmp_path / "t.xlsx", [["team", "date", "planned"], ["T1", "2024-01-01", 3.0],
                                       [None, None, None], ["T2", "2024-01-02", 4]])
    table = open_table(path, S)
    assert table.headers == ["team", "date", "planned"]
    assert rows(table) == [(2, ["T1", "2024-01-01", 3]), (4, ["T2", "2024-01-02", 4])]
    with pytest.raises(BadFile, match="no sheet 'May'"):
        open_table(path, S, sheet="May")


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (50 << 20))
    with pytest.raises(UnsafeFile, match="zip bomb"):
        open_table(path, S)


def test_too_large_when_unzipped_is_refused(tmp_path):
    path = _xlsx(tmp_path / "t.xlsx", [["team"], ["T1"]])
    with pytest.raises(UnsafeFile, match="unzips to"):
        open_table(path, Settings(database_url="sqlite://", max_unzipped_bytes=100))


def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_text("team\nT1\n", encoding="utf-8")
    with pytest.raises(UnsafeFile, match="not a valid XLSX"):
        open_table(path, S)


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')


def test_xml_entities_are_refused(tmp_path):
    good = _xlsx(tmp_path / "good.xlsx", [["team"], ["T1"]])
    bad = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = LAUGHS + body
            dst.writestr(item, data)
    with pytest.raises(UnsafeFile, match="forbidden XML"):
        rows(open_table(bad, S))


def test_a_file_whose_encoding_changes_is_refused_at_the_row_that_changes(tmp_path):
    path = tmp_path / "mixed.csv"
    head = "employee_no,name\nE1,张三\nE2,李四\n".encode("gb18030")
    tail = "E3,王五\nE4,赵六\n".encode()
    path.write_bytes(head + tail)
    with pytest.raises(BadFile, match=r"row 4: this row is in utf-8, the rows before it in gb"):
        rows(open_table(path, S))
    path.write_bytes("employee_no,name\nE1,张三\n".encode() + "E2,李四\n".encode("gb18030"))
    with pytest.raises(BadFile, match=r"row 3: this row is in gb18030, the rows before it in ut"):
        rows(open_table(path, S))
    # a mapping's encoding does not make a mixed file readable either
    with pytest.raises(BadFile, match="row 3"):
        rows(open_table(path, S, encoding="gb18030"))


def test_one_encoding_throughout_is_read_as_is(tmp_path):
    path = tmp_path / "gb.csv"
    path.write_bytes("工号,姓名\nE1,张三\nE2,李四\n".encode("gb18030"))
    assert [c for _, c in rows(open_table(path, S))] == [["E1", "张三"], ["E2", "李四"]]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_control_characters_and_long_cells_are_bad_cells_in_csv_and_xlsx(tmp_path, suffix):
    from teamroots.census.cells import BadCell

    data = [["code", "name"], ["A1", "ok"], ["A2", "bad\x00name"], ["A3", "x" * 2000],
            ["A4", "tab\there"]]
    path = tmp_path / f"t{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in data) + "\n", encoding="utf-8")
    else:
        _xlsx(path, [*data[:2], ["A3", "x" * 2000], ["A4", "tab\there"]])
    got = dict((c[0], c[1]) for _, c in rows(open_table(path, S)))
    assert got["A1"] == "ok" and got["A4"] == "tab\there"
    assert isinstance(got["A3"], BadCell) and "1000" in str(got["A3"].params)
    if suffix == ".csv":
        assert isinstance(got["A2"], BadCell) and "\\x00" in got["A2"]


def test_too_many_columns_is_refused_with_the_row(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(5000)) + "\n", encoding="utf-8")
    with pytest.raises(UnsafeFile, match=r"row 1: 5000 cells, more than the limit of 1000"):
        open_table(path, S)


def test_a_doctype_in_any_xlsx_part_is_refused(tmp_path):
    path = tmp_path / "t.xlsx"
    _xlsx(path, [["code"], ["A"]])
    src = zipfile.ZipFile(path)
    bad = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(bad, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE workbook [<!ELEMENT workbook ANY>]>' + data
            out.writestr(info, data)
    with pytest.raises(UnsafeFile, match="forbidden XML"):
        open_table(bad, S)


def test_shared_strings_are_read_and_over_the_limit_refused_before_parsing(tmp_path):
    from tests.xlsx_parts import write_xlsx

    path = write_xlsx(tmp_path / "t.xlsx", [["code", "name"], ["A1", "张三"], ["A2", "张三"]],
                      extra_strings=(f"unused {i}" for i in range(2000)))
    assert [c for _, c in rows(open_table(path, S))] == [["A1", "张三"], ["A2", "张三"]]
    small = Settings(database_url="sqlite://", max_shared_strings_bytes=10_000)
    with pytest.raises(UnsafeFile, match="shared strings unzip to"):
        open_table(path, small)


def test_an_xlsx_past_excels_last_column_is_a_bad_file_not_a_traceback(tmp_path):
    from tests.xlsx_parts import write_xlsx

    path = write_xlsx(tmp_path / "wide.xlsx", [[f"c{i}" for i in range(20_000)]])
    with pytest.raises((BadFile, UnsafeFile), match="row 1"):
        rows(open_table(path, Settings(database_url="sqlite://", max_columns=30_000)))
