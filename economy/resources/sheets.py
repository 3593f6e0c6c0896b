"""What every economy sheet shares (the sheets themselves: incomes, measures, projects,
pairings, one module each). Chinese column headers: data, not UI text, so that a file reads back
the same whoever exported it.

Money columns say their unit in the header: “经营性收入（万元）” is read in 万元 and multiplied by
10,000 exactly (Decimal), “经营性收入（元）” or a header without a unit is read in yuan. A cell
that is not a plain number (“abc”, “1,2,3”, “1.2.3”, a negative) is refused with the row and
column; more than two decimals in yuan are refused, not rounded.

Imports go through governance.importing (upload → preview → confirm, all or nothing); rows are
written through economy.services with the importer as the actor, so an import may do exactly
what its user may do on the pages. Villages are named by 乡镇（街道） + 村（社区） (or 村（社区）代码).
Exports hold the rows in the user's scope. Both are recorded as AuditEvents.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from economy import services
from economy.models import VILLAGE_KINDS
from governance import access, excel, importing
from governance import services as governance_services
from governance.importing import RowProblem
from governance.models import AuditEvent, Unit
from governance.normalize import clean_compact, clean_text

UNIT_SUFFIX = re.compile(r"^(?P<base>.+?)\s*[（(]\s*(?P<unit>万元|元)\s*[)）]$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

TOWNSHIP = "乡镇（街道）"
VILLAGE = "村（社区）"
VILLAGE_CODE = "村（社区）代码"
VILLAGE_COLUMNS = (TOWNSHIP, VILLAGE, VILLAGE_CODE)


def village_cells(unit: Unit) -> list:
    return [unit.parent.name if unit.parent_id else "", unit.name, unit.code or ""]


def wan(amount: Decimal) -> Decimal:
    return services.to_wan(amount)


def audit(user, action: str, kind: str, count: int, unit: Unit | None = None) -> None:
    governance_services.audit_record(
        actor=user,
        action=action,
        target=f"economy.{kind}",
        unit=unit or access.primary_unit(user),
        row_count=count,
    )


class Villages:
    """The villages the importer may see, found by code or by township + name (one query)."""

    def __init__(self, user):
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[tuple[str, str], list[Unit]] = {}
        for unit in (
            Unit.objects.for_user(user).filter(kind__in=VILLAGE_KINDS).select_related("parent")
        ):
            if unit.code:
                self.by_code[unit.code] = unit
            self.by_name.setdefault((unit.parent.name, unit.name), []).append(unit)


class Sheet(importing.Importer):
    """An economy sheet: money headers may carry their unit (read in `prepare`), rows name
    villages, a service's refusal becomes the row's problem, and the sheet exports what it
    imports (`export_rows`)."""

    kind = ""
    title = ""
    #: The header the reader looks for to find the header row (below a title).
    anchor = ""

    def read(self, data: bytes):
        dataset = excel.read_table(data, max_rows=importing.max_rows(), header=self.anchor)
        # “经营性收入（万元）” is read as the column “经营性收入” in 万元.
        self.units: dict[str, Decimal] = {}
        headers = []
        for header in dataset.headers or []:
            header = clean_text(header)
            match = UNIT_SUFFIX.match(header)
            if match:
                self.units[match["base"]] = services.WAN if match["unit"] == "万元" else Decimal(1)
                header = match["base"]
            headers.append(header or None)
        if headers:
            dataset.headers = headers
        return dataset

    def header(self, base: str) -> str:
        """The column as the template writes it (for problems)."""
        for column in self.columns:
            if column == base or UNIT_SUFFIX.sub(r"\g<base>", column) == base:
                return column
        return base

    def prepare(self, dataset) -> None:
        self.villages = Villages(self.user)
        self.written = 0

    def audit_target(self) -> str:
        return self.kind

    def write_row(self, number: int, row: dict) -> list | None:
        try:
            preview = self.write(Row(self, row))
        except PermissionDenied as error:
            raise RowProblem("", str(error) or _("Permission denied.")) from None
        self.written += 1
        return preview

    def write(self, row: "Row") -> list:
        raise NotImplementedError

    # Export ---------------------------------------------------------------------------------

    def export_rows(self, unit: Unit, year: int | None) -> list[list]:
        raise NotImplementedError

    def page_title(self) -> str:
        return " · ".join((str(_("Import from Excel")), str(self.title)))

    def response(self, unit: Unit, year: int | None):
        """The sheet of `unit`'s rows (of `year`, None: every year) as a download."""
        name = excel.file_name(f"{unit.name}{self.label}{year or ''}")
        return excel.response(self.workbook(unit, year), name)

    def workbook(self, unit: Unit, year: int | None) -> bytes:
        rows = self.export_rows(unit, year)
        output, count = excel.write_table(self.label, list(self.columns), rows)
        audit(self.user, AuditEvent.Action.EXPORT, self.kind, count, unit)
        with output:
            return output.read()


class Row:
    """One row's cells read as the economy reads them; each refusal names its column."""

    def __init__(self, sheet: Sheet, cells: dict):
        self.sheet, self.cells = sheet, cells

    def text(self, base: str, *, required: bool = False) -> str:
        value = clean_text(self.cells.get(base))
        if required and not value:
            raise RowProblem(self.sheet.header(base), _("This field is required."))
        return value

    def money(self, base: str, *, required: bool = False) -> Decimal:
        raw = self.cells.get(base)
        if required and (raw is None or clean_text(raw) == ""):
            raise RowProblem(self.sheet.header(base), _("This field is required."))
        try:
            return services.to_money(raw, unit=self.sheet.units.get(base, Decimal(1)))
        except ValidationError as error:
            raise RowProblem(self.sheet.header(base), " ".join(error.messages)) from None

    def integer(self, base: str, *, required: bool = False, low=0, high=10**9) -> int | None:
        text = self.text(base, required=required)
        if not text:
            return None
        if not re.fullmatch(r"\d+", text) or not (low <= int(text) <= high):
            raise RowProblem(
                self.sheet.header(base), _("“%(value)s” is not a whole number.") % {"value": text}
            )
        return int(text)

    def year(self, base: str = "年度") -> int:
        text = self.text(base, required=True).removesuffix("年")
        if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
            raise RowProblem(
                self.sheet.header(base),
                _("“%(value)s” is not a year such as 2025.") % {"value": text},
            )
        return int(text)

    def date(self, base: str, *, required: bool = False) -> datetime.date | None:
        value = self.cells.get(base)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = clean_compact(value)
        if not text:
            if required:
                raise RowProblem(self.sheet.header(base), _("This field is required."))
            return None
        for pattern in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise RowProblem(
            self.sheet.header(base),
            _("“%(value)s” is not a date such as 2025-06-30.") % {"value": text},
        )

    def choice(self, base: str, labels: dict, default=None):
        text = self.text(base)
        if not text:
            return default
        by_label = {label: value for value, label in labels.items()}
        by_label.update({str(value): value for value in labels})
        if text in by_label:
            return by_label[text]
        raise RowProblem(
            self.sheet.header(base),
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": "、".join(labels.values())},
        )

    def village(self) -> Unit:
        """The row's village, by code or by township + name, in the importer's scope."""
        villages = self.sheet.villages
        code = clean_compact(self.cells.get(VILLAGE_CODE))
        if code:
            unit = villages.by_code.get(code)
            if unit is None:
                raise RowProblem(
                    VILLAGE_CODE,
                    _("There is no village or community with the code “%(code)s” in your scope.")
                    % {"code": code},
                )
        else:
            township = self.text(TOWNSHIP, required=True)
            name = self.text(VILLAGE, required=True)
            found = villages.by_name.get((township, name), [])
            if len(found) != 1:
                raise RowProblem(
                    VILLAGE,
                    _("There is no village or community “%(name)s” in %(township)s in your scope.")
                    % {"name": name, "township": township}
                    if not found
                    else _("Several units are named “%(name)s”; give the code.") % {"name": name},
                )
            unit = found[0]
        if not services.may(self.sheet.user, unit):
            raise RowProblem(
                VILLAGE, _("“%(unit)s” is outside the units you manage.") % {"unit": unit.name}
            )
        return unit
