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
    with pytest.raises(BadFile, match="not valid utf-8-sig"):
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
