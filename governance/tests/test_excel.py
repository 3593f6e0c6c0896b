"""The one way sheets are read and written (governance.excel), against crafted files."""

import datetime
import io
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from governance import excel

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
TRICKY = ['=HYPERLINK("http://evil.example/","点我")', "+1", "-1", "@x", "=1+1", "'quoted"]


def crafted(sheet_xml: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A real workbook whose first sheet's XML is replaced by `sheet_xml`."""
    book = Workbook()
    book.active["A1"] = "x"
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            dst.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def far_cell(dimension: str, row: int) -> bytes:
    """The probe's file: a header, and one cell far down, under a huge declared dimension."""
    return crafted(
        f'<worksheet {NS}><dimension ref="{dimension}"/><sheetData>'
        f'<row r="1">{inline("A1", "标题")}</row>'
        f'<row r="{row}">{inline(f"A{row}", "x")}</row>'
        "</sheetData></worksheet>".encode()
    )


def many_rows(count: int) -> bytes:
    rows = "".join(
        f'<row r="{n}">{inline(f"A{n}", "标题" if n == 1 else n)}</row>'
        for n in range(1, count + 1)
    )
    return crafted(f"<worksheet {NS}><sheetData>{rows}</sheetData></worksheet>".encode())


def peak_bytes(read) -> int:
    tracemalloc.start()
    try:
        read()
    except excel.SheetError:
        pass
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_a_declared_width_costs_nothing():
    # Before: every row was padded to the 16,384 columns of XFD, ~130 MB for these 1,000 rows.
    peak = peak_bytes(lambda: excel.read_sheets(far_cell("A1:XFD1000", 1000), max_rows=2_000))
    assert peak < 10 * 1024 * 1024


def test_the_whole_sheet_declared_is_refused_at_once():
    # A1:XFD1048576 with a cell in the last row: ~137 GB the old way.
    data = far_cell("A1:XFD1048576", 1_048_576)
    started = time.monotonic()
    with pytest.raises(excel.SheetError, match="2000"):
        excel.read_sheets(data, max_rows=2_000)
    assert time.monotonic() - started < 10


def test_rows_are_numbered_as_excel_numbers_them_and_cut_to_known_columns():
    data = crafted(
        f'<worksheet {NS}><dimension ref="A1:XFD9"/><sheetData>'
        f'<row r="1">{inline("A1", "标题")}{inline("XFD1", "far right")}</row>'
        f'<row r="4">{inline("B4", "b")}</row>'
        "</sheetData></worksheet>".encode()
    )
    rows = excel.read_sheets(data, max_rows=10)
    assert rows == [["标题"], [], [], [None, "b"]]


def test_reading_stops_at_the_row_cap(monkeypatch):
    read = []
    iter_rows = ReadOnlyWorksheet.iter_rows

    def counted(self, *args, **kwargs):
        for row in iter_rows(self, *args, **kwargs):
            read.append(1)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted)
    data = many_rows(100_000)
    with pytest.raises(excel.SheetError, match="2000"):
        excel.read_sheets(data, max_rows=2_000)
    assert len(read) <= 2_000 + excel.HEADER_SEARCH_ROWS + 1


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    padding = b" " * (excel.MAX_UNZIPPED_MB * 1024 * 1024 + 1)
    data = crafted(f"<worksheet {NS}><sheetData>".encode() + padding + b"</sheetData></worksheet>")
    assert len(data) < 1024 * 1024
    with pytest.raises(excel.SheetError, match="MB"):
        excel.read_sheets(data, max_rows=10)


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>',
        "<!DOCTYPE worksheet>",
        '<!DOCTYPE worksheet SYSTEM "file:///etc/passwd">',
    ],
)
def test_a_document_type_declaration_is_refused(prolog):
    data = crafted(
        f'<?xml version="1.0"?>{prolog}<worksheet {NS}><sheetData>'
        f'<row r="1">{inline("A1", "标题")}</row></sheetData></worksheet>'.encode()
    )
    with pytest.raises(excel.SheetError):
        excel.read_sheets(data, max_rows=10)


def test_entities_anywhere_are_refused_not_a_500():
    # Past the first 4 KB of the prolog the scan cannot see it; defusedxml still refuses.
    comment = "<!--" + "x" * 5000 + "-->"
    data = crafted(
        f'<?xml version="1.0"?>{comment}<!DOCTYPE worksheet [<!ENTITY a "aaaa">]>'
        f'<worksheet {NS}><sheetData><row r="1">{inline("A1", "&a;")}</row></sheetData>'
        "</worksheet>".encode()
    )
    with pytest.raises(excel.SheetError):
        excel.read_sheets(data, max_rows=10)


@pytest.mark.parametrize(
    "data",
    [b"name,phone\n", b"PK\x03\x04 not a zip", crafted(b"<worksheet"), b""],
    ids=["csv", "broken zip", "broken xml", "empty"],
)
def test_what_is_not_a_workbook_is_refused(data):
    with pytest.raises(excel.SheetError):
        excel.read_sheets(data, max_rows=10)


def test_text_is_written_as_text_and_reads_back_unchanged():
    rows = [[value, 3, datetime.date(2026, 12, 6)] for value in TRICKY] + [["bell\x07", 1, None]]
    output, count = excel.write_table("表", ["标题", "数", "日期"], rows)
    data = output.read()
    assert count == len(rows)
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(rows)
    assert [c.value for c in cells] == [*TRICKY, "bell"]
    assert sheet["B2"].data_type == "n" and sheet["C2"].is_date
    table = excel.read_table(data, max_rows=10, header="标题")
    assert [row[0] for row in table] == [*TRICKY, "bell"]


def test_cells_of_ordinary_worksheets_are_text_too():
    book = Workbook()
    excel.append(book.active, ["=SUM(A1:A9)", 1])
    excel.put(book.active, 2, 1, "=cmd|' /C calc'!A0")
    sheet = load_workbook(io.BytesIO(excel.workbook_bytes(book))).active
    assert (sheet["A1"].data_type, sheet["A1"].value) == ("s", "=SUM(A1:A9)")
    assert (sheet["A2"].data_type, sheet["A2"].value) == ("s", "=cmd|' /C calc'!A0")


def test_a_chinese_file_name_is_sent_as_rfc_5987():
    response = excel.response(b"xlsx", "台账事项-2026-12-06.xlsx")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%8F%B0%E8%B4%A6%E4%BA%8B%E9%A1%B9-2026-12-06.xlsx"
    )
