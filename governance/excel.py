"""Reading and writing .xlsx sheets: the one way every import reads and every export writes.

Reading. An upload is anyone's file: a few kilobytes can declare a sheet of 16,384 columns by
a million rows (`<dimension ref="A1:XFD1048576">`), unzip to gigabytes, or carry a DOCTYPE with
entities. So the archive's declared sizes are checked before openpyxl opens it (zipfile never
inflates a member beyond its declared size), the XML is parsed by defusedxml (openpyxl uses it
when it is installed; entities are refused), the declared dimension is ignored, each row is
read lazily and cut to the first MAX_COLUMNS columns, empty rows are not kept, and reading stops
as soon as the sheet holds more rows than the import takes. Whatever cannot be read this way is
a SheetError with a message for the user, never a 500.

Writing. Every text cell is written as text (an inline string), never as a formula, so a value
such as "=HYPERLINK(…)", "+1", "-1" or "@x" shows as typed, cannot run on opening, and reads
back unchanged through the imports. Characters XML cannot hold (control characters) are
dropped rather than failing the export.
"""

import io
import tempfile
import zipfile
from collections.abc import Iterable
from xml.etree.ElementTree import ParseError

import tablib
from defusedxml import DefusedXmlException
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from governance.normalize import clean_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_MB = 20
# A 5,000-row register of 20 columns unzips to about 10 MB.
MAX_UNZIPPED_MB = 60
MAX_MEMBERS = 500
# The widest import has about 20 columns; a file may have a few of its own besides.
MAX_COLUMNS = 60
# A title row (e.g. "花园社区接待日诉求台账") may stand above the headers.
HEADER_SEARCH_ROWS = 10
# Of a workbook, the sheets looked at for the header row.
MAX_SHEETS = 20

_MB = 1024 * 1024
_UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    ParseError,
    DefusedXmlException,
    EOFError,
)


class SheetError(ValueError):
    """The upload is not a workbook an import can read; the message says why."""


def _not_xlsx() -> SheetError:
    return SheetError(
        _(
            "The file is not an Excel workbook (.xlsx). Open it in Excel or WPS, save it as "
            "“Excel Workbook (*.xlsx)” and upload it again."
        )
    )


def _too_many_rows(max_rows: int) -> SheetError:
    return SheetError(
        _("The file has more than %(max)s rows; import at most %(max)s at a time.")
        % {"max": max_rows}
    )


def check_archive(data: bytes) -> None:
    """Refuse, before anything is unzipped, what is too large packed or unpacked, or no zip."""
    if len(data) > MAX_FILE_MB * _MB:
        raise SheetError(
            _("The file is larger than %(size)s MB; split it into smaller files.")
            % {"size": MAX_FILE_MB}
        )
    if not data.startswith(b"PK"):
        raise _not_xlsx()  # a CSV, an old .xls or a text file renamed .xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            doctype = any(_declares_doctype(archive, member) for member in members)
    except _UNREADABLE:
        raise _not_xlsx() from None
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED_MB * _MB:
        raise SheetError(
            _("Unpacked, the file is larger than %(size)s MB; split it into smaller files.")
            % {"size": MAX_UNZIPPED_MB}
        )
    if doctype:
        # Excel and WPS never write one; it is how entity expansion attacks begin.
        raise SheetError(
            _(
                "The file contains content Excel does not write (a document type "
                "declaration). Open it in Excel or WPS, save it again and upload it."
            )
        )


def _declares_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    if not member.filename.endswith((".xml", ".rels")) or member.file_size > MAX_UNZIPPED_MB * _MB:
        return False
    with archive.open(member) as stream:
        # A DOCTYPE stands in the prolog, before the root element.
        return b"<!DOCTYPE" in stream.read(4096).upper()


def read_sheets(data: bytes, *, max_rows: int, header: str | None = None) -> list[list]:
    """The rows of the sheet to import: the first sheet whose first rows hold a cell `header`
    (the first sheet if none does or no header is named).

    Row i of the result is spreadsheet row i + 1; each row is a list of at most MAX_COLUMNS
    values, without trailing empty cells (an empty row is []), and trailing empty rows are
    dropped. More than `max_rows` rows below the header (HEADER_SEARCH_ROWS allowed for a
    title), or a row that far down, is a SheetError, raised without reading further.
    """
    check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _UNREADABLE:
        raise _not_xlsx() from None
    try:
        first = None
        for sheet in book.worksheets[:MAX_SHEETS]:
            rows = _rows(sheet, max_rows=max_rows)
            if first is None:
                first = rows
            if header is None or any(
                header in (clean_text(cell) for cell in row) for row in rows[:HEADER_SEARCH_ROWS]
            ):
                return rows
        return first or []
    except SheetError:
        raise
    except _UNREADABLE:
        raise _not_xlsx() from None
    finally:
        book.close()


def _rows(sheet, *, max_rows: int) -> list[list]:
    sheet.reset_dimensions()  # the declared <dimension> is the attacker's to choose
    limit = max_rows + HEADER_SEARCH_ROWS
    rows: list[list] = []
    gap = None  # openpyxl yields one and the same tuple for every row missing from the file
    for number, values in enumerate(
        sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
    ):
        if values is gap:
            continue
        if all(_blank(value) for value in values):
            gap = values
            continue  # not kept: a gap of a million rows costs nothing
        if number > limit:
            raise _too_many_rows(max_rows)
        row = list(values)
        while row and _blank(row[-1]):
            row.pop()
        rows.extend([] for _gap in range(number - 1 - len(rows)))
        rows.append(row)
    return rows


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(data: bytes, *, max_rows: int, header: str | None = None) -> tablib.Dataset:
    """The sheet as a Dataset whose row i is spreadsheet row i + 2 (the Dataset's headers are
    the header row, found as in `read_sheets`; rows above it become blank rows, which imports
    skip, so that messages name the rows as Excel numbers them).

    Headers are trimmed text. With `header`, rows are cut to the width of the header row;
    without, the first row is the headers and every row is kept as wide as the widest (the
    import finds its header row below a title itself).
    """
    rows = read_sheets(data, max_rows=max_rows, header=header)
    index = 0
    if header is not None:
        for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if header in (clean_text(cell) for cell in row):
                index = number
                break
    head = [clean_text(cell) for cell in rows[index]] if rows else []
    if header is not None:
        while head and not head[-1]:
            head.pop()
        width = len(head)
    else:
        width = max((len(row) for row in rows), default=0)
    dataset = tablib.Dataset(headers=(head + [None] * width)[:width] or None)
    for _skipped in range(index):
        dataset.append([None] * width)
    for row in rows[index + 1 :]:
        dataset.append((row + [None] * width)[:width])
    return dataset


# Writing ------------------------------------------------------------------------------------


def cell(sheet, value):
    """What to put in a row of `sheet` (write-only or not) for `value`: text as text."""
    if not isinstance(value, str):
        return value
    written = Cell(sheet, row=1, column=1)  # placed by append()
    written.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    written.data_type = "s"  # "=…" would otherwise become a formula
    return written


def append(sheet, values: Iterable) -> None:
    """`sheet.append(values)`, every text written as text."""
    sheet.append([cell(sheet, value) for value in values])


def put(sheet, row: int, column: int, value):
    """`sheet.cell(row, column, value)` of an ordinary worksheet, text written as text."""
    target = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        target.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        target.data_type = "s"
    else:
        target.value = value
    return target


def write_table(
    title: str,
    headers: list[str],
    rows: Iterable[Iterable],
    widths: dict[str, int] | None = None,
    *,
    default_width: int = 14,
):
    """Rows under their headers in an .xlsx temporary file (write-only mode: flat memory).
    Returns the file at its start (the response streams and closes it) and the row count."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for index, name in enumerate(headers, 1):
        sheet.column_dimensions[get_column_letter(index)].width = (widths or {}).get(
            name, default_width
        )
    sheet.freeze_panes = "A2"
    append(sheet, headers)
    count = 0
    for row in rows:
        append(sheet, row)
        count += 1
    output = tempfile.TemporaryFile()  # noqa: SIM115 - returned open
    book.save(output)
    output.seek(0)
    return output, count


def blank_table(title: str, headers: list[str], *, widths: dict[str, int] | None = None) -> bytes:
    """The headers and nothing else: a template to fill in."""
    output, _count = write_table(title, headers, (), widths=widths, default_width=16)
    with output:
        return output.read()


def file_name(*parts: str) -> str:
    """`台账事项-花园社区-2026-12-06.xlsx`: what the file holds, then today's date."""
    stamp = f"{timezone.localdate():%Y-%m-%d}"
    return "-".join(str(part) for part in (*parts, stamp) if part) + ".xlsx"


def template_response(title: str, headers) -> HttpResponse:
    """The blank template an import page offers: exactly the headers the import reads."""
    return response(
        blank_table(title, list(headers)), _("%(name)s (template).xlsx") % {"name": title}
    )


def workbook_bytes(book: Workbook) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def response(content, filename: str) -> HttpResponse:
    """An .xlsx download of bytes or of an open file (streamed, then closed); `filename` may
    be Chinese (sent as RFC 5987 `filename*=utf-8''…`)."""
    if not isinstance(content, bytes):
        return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    sent = HttpResponse(content, content_type=XLSX_TYPE)
    sent["Content-Disposition"] = content_disposition_header(True, filename)
    return sent
