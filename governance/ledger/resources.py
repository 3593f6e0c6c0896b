"""Excel (.xlsx) import and export of ledger items, in the columns staff keep their ledgers in.

Column headers and the labels of 来源, 状态 and 满意度 are Chinese whatever the interface
language: they are data, and a file must read back the same whoever exported it.

Export: one row per item, the rows of the list the user filtered (governance.ledger.filters),
written by governance.excel in write-only mode so that a district's ~100,000 items stay cheap
in memory. It is for people first (the ledger, units and category by name, the light), with
the codes the import reads in the last columns (EXPORT_COLUMNS). Residents' names and phones
are masked unless the user may see personal data over the unit where the item arose or the
unit now responsible. Every export is recorded.

Import (`ItemImporter`, shown by governance.importing.import_page): into one ledger, all or
nothing (one bad row and no row is saved), every row through `item_create`. An imported item
is registered as received, with the file's number, units, category, handler, measures and
deadline; 状态, 办理结果 and 满意度 are read only to catch shifted columns: later steps happen
on the item, so that its history is true. Each error names the spreadsheet row, the column and
the reason.

What a cell may hold:
- 发生单位代码 / 责任单位代码: a unit's code, or its name where the unit has no code (the
  export writes the name then); empty 发生单位代码 means the ledger's own unit, empty
  责任单位代码 the unit where the item arose. The user must be allowed to register items
  where the item arose; the responsible unit is one in their scope, a functional department
  of the district, or a unit above the one where the item arose.
- 事项类别: a code or a name of the ledger's district's matters catalogue.
- 承办人: an account name or a person's name; the handler must hold a role at the responsible
  unit, above it or below it.
- 登记时间 / 办理时限: see governance.ledger.dates; a deadline given as a date is due at the
  end of that day. Empty 登记时间 means now; empty 办理时限 lets the category's time limit set it.
- A masked name or phone (李*, 138****1234) stands for the value on file; a new item has none,
  so such a row is refused until the cell is filled in or emptied.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.fields import Field

from governance import access, excel
from governance.excel import SheetError
from governance.importing import Importer, max_rows
from governance.ledger import services
from governance.ledger.dates import as_deadline_cell, as_moment_cell, end_of, read_date, start_of
from governance.models import (
    AuditEvent,
    Ledger,
    LedgerItem,
    LedgerKind,
    MatterCategory,
    Membership,
    Satisfaction,
    Source,
    Status,
    Unit,
)
from governance.normalize import clean_compact, clean_text, normalize_phone
from governance.resources import ScopedResource, in_scope

SOURCE_LABELS = {
    Source.RECEPTION_DAY: "书记接待日",
    Source.GRID_VISIT: "网格走访",
    Source.CONTACT_ACTIVITY: "联系服务群众",
    Source.HOTLINE: "12345热线",
    Source.RECTIFICATION: "整改清单",
    Source.PROPERTY: "物业投诉",
    Source.WALK_IN: "群众来访",
    Source.OTHER: "其他",
}
STATUS_LABELS = {
    Status.RECEIVED: "待受理",
    Status.ACCEPTED: "已受理",
    Status.IN_PROGRESS: "办理中",
    Status.HANDED_OVER: "已转职能部门",
    Status.RESOLVED: "已解决待核实",
    Status.VERIFIED: "已核实待回访",
    Status.CLOSED: "已办结",
}
SATISFACTION_LABELS = {
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASIC: "基本满意",
    Satisfaction.UNSATISFIED: "不满意",
}
# What people type instead of the label, and the stored values themselves.
SOURCE_BY_LABEL = {
    **{label: source for source, label in SOURCE_LABELS.items()},
    **{source.value: source for source in Source},
    "接待日": Source.RECEPTION_DAY,
    "社区书记接待日": Source.RECEPTION_DAY,
    "走访": Source.GRID_VISIT,
    "入户走访": Source.GRID_VISIT,
    "网格": Source.GRID_VISIT,
    "联系群众": Source.CONTACT_ACTIVITY,
    "12345": Source.HOTLINE,
    "热线": Source.HOTLINE,
    "问题清单": Source.RECTIFICATION,
    "来访": Source.WALK_IN,
    "其它": Source.OTHER,
}
STATUS_BY_LABEL = {
    **{label: status for status, label in STATUS_LABELS.items()},
    **{status.value: status for status in Status},
    "已登记": Status.RECEIVED,
    "转办": Status.HANDED_OVER,
    "已解决": Status.RESOLVED,
    "已核实": Status.VERIFIED,
    "办结": Status.CLOSED,
}
SATISFACTION_BY_LABEL = {
    **{label: value for value, label in SATISFACTION_LABELS.items()},
    **{value.value: value for value in Satisfaction},
}
# An item registered from a ledger of this kind came, unless the file says otherwise, from …
SOURCE_OF_KIND = {
    LedgerKind.RECEPTION_DAY: Source.RECEPTION_DAY,
    LedgerKind.GRID_PROBLEM: Source.GRID_VISIT,
    LedgerKind.RECTIFICATION: Source.RECTIFICATION,
    LedgerKind.HOTLINE: Source.HOTLINE,
}

LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": ""}
# The export is for people first: names, the ledger and the light. The import reads the codes
# at the end (a name may be shared); the columns only the export has are not "ignored" there.
EXPORT_COLUMNS = ("台账", "编号", "标题", "问题描述", "来源", "反映人", "联系电话", "发生单位",
                  "事项类别", "责任单位", "承办人", "措施", "长效机制", "登记时间", "办理时限",
                  "亮灯", "状态", "办理结果", "满意度", "发生单位代码", "事项类别代码",
                  "责任单位代码")  # fmt: skip
# The columns the import reads, in the order of the template.
IMPORT_COLUMNS = ("编号", "标题", "问题描述", "来源", "反映人", "联系电话", "发生单位代码", "事项类别",
                  "责任单位代码", "承办人", "措施", "长效机制", "登记时间", "办理时限", "状态",
                  "办理结果", "满意度")  # fmt: skip
REQUIRED_COLUMNS = ("标题",)
# A service's errors name model fields: the column each came from.
_COLUMN_OF_FIELD = {"number": "编号", "title": "标题", "description": "问题描述", "source": "来源",
                    "resident_name": "反映人", "resident_phone": "联系电话", "unit": "发生单位代码",
                    "category": "事项类别", "responsible_unit": "责任单位代码", "handler": "承办人",
                    "measures": "措施", "long_term_mechanism": "长效机制", "received_at": "登记时间",
                    "due_at": "办理时限"}  # fmt: skip

_WIDTHS = {"台账": 24, "标题": 30, "问题描述": 40, "发生单位": 20, "责任单位": 20, "措施": 30,
           "长效机制": 30, "办理结果": 30}  # fmt: skip


def _line(value) -> str:
    return clean_text(value)


def _code(value) -> str:
    return clean_compact(value)


def _paragraph(value) -> str:
    """Free text (description, measures): line breaks kept, each line trimmed."""
    if value is None:
        return ""
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(clean_text(line) for line in lines).strip()


def _person_name(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person is not None else user.username


def _masked(text: str) -> bool:
    return "*" in text or "＊" in text


class LedgerItemResource(ScopedResource):
    """The export of the items one user may see (the import is `ItemImporter`)."""

    number = Field(attribute="number", column_name="编号")
    title = Field(attribute="title", column_name="标题")
    description = Field(attribute="description", column_name="问题描述")
    source = Field(attribute="source", column_name="来源")
    resident_name = Field(attribute="resident_name", column_name="反映人")
    resident_phone = Field(attribute="resident_phone", column_name="联系电话")
    unit = Field(attribute="unit", column_name="发生单位代码")
    category = Field(attribute="category", column_name="事项类别")
    responsible_unit = Field(attribute="responsible_unit", column_name="责任单位代码")
    handler = Field(attribute="handler", column_name="承办人")
    measures = Field(attribute="measures", column_name="措施")
    long_term_mechanism = Field(attribute="long_term_mechanism", column_name="长效机制")
    received_at = Field(attribute="received_at", column_name="登记时间")
    due_at = Field(attribute="due_at", column_name="办理时限")
    status = Field(attribute="status", column_name="状态")
    result = Field(attribute="result", column_name="办理结果")
    satisfaction = Field(attribute="satisfaction", column_name="满意度")

    class Meta:
        model = LedgerItem
        name = LedgerItem._meta.verbose_name_plural
        fields = (
            "number",
            "title",
            "description",
            "source",
            "resident_name",
            "resident_phone",
            "unit",
            "category",
            "responsible_unit",
            "handler",
            "measures",
            "long_term_mechanism",
            "received_at",
            "due_at",
            "status",
            "result",
            "satisfaction",
        )

    def __init__(self, *, user, **kwargs):
        super().__init__(user=user, **kwargs)
        self.unmasked_rows = 0
        self._seen: tuple[int | None, bool] = (None, False)

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("ledger", "unit", "category", "responsible_unit", "handler__person")
        )

    def export_row(self, item: LedgerItem, *, now=None) -> list:
        # Direct calls: export_field() looks each field's name up again, 17 times per row.
        cells = {
            self.fields[name].column_name: getattr(self, f"dehydrate_{name}")(item)
            for name in self._meta.fields
        }
        cells.update(
            {
                "台账": item.ledger.name,
                "发生单位": item.unit.name,
                "事项类别": item.category.name if item.category_id else "",
                "责任单位": item.responsible_unit.name,
                "亮灯": LIGHT_LABELS[item.light(now)],
                "事项类别代码": cells["事项类别"],
            }
        )
        return [cells[column] for column in EXPORT_COLUMNS]

    def export_workbook(self, queryset, *, detail: dict | None = None):
        """Write `queryset` (already filtered and scoped) to an .xlsx temporary file, record
        the export, and return the file positioned at its start."""
        now = timezone.now()
        rows = (
            self.export_row(item, now=now)
            for item in self.filter_export(queryset).iterator(chunk_size=2000)
        )
        output, count = excel.write_table(
            str(_("Ledger items")), list(EXPORT_COLUMNS), rows, widths=_WIDTHS, default_width=16
        )
        self._audit(
            AuditEvent.Action.EXPORT,
            count,
            {**(detail or {}), "unmasked_rows": self.unmasked_rows},
        )
        return output

    def export_detail(self) -> dict:
        return {"unmasked_rows": self.unmasked_rows}

    def _may_see(self, item: LedgerItem) -> bool:
        """Full name and phone over the unit where the item arose or the unit responsible;
        each row shown in full is counted once for the audit record."""
        if self._seen[0] != item.pk:
            seen = any(
                access.can(self.user, "view_personal_data", unit)
                for unit in (item.unit, item.responsible_unit)
            )
            self._seen = (item.pk, seen)
            if seen and (item.resident_name or item.resident_phone):
                self.unmasked_rows += 1
        return self._seen[1]

    def dehydrate_number(self, item):
        return item.number

    def dehydrate_title(self, item):
        return item.title

    def dehydrate_description(self, item):
        return item.description

    def dehydrate_source(self, item):
        return SOURCE_LABELS.get(item.source, item.source)

    def dehydrate_resident_name(self, item):
        return item.resident_name if self._may_see(item) else item.resident_name_masked

    def dehydrate_resident_phone(self, item):
        return item.resident_phone if self._may_see(item) else item.resident_phone_masked

    def dehydrate_unit(self, item):
        return item.unit.code or item.unit.name

    def dehydrate_category(self, item):
        return item.category.code if item.category_id else ""

    def dehydrate_responsible_unit(self, item):
        return item.responsible_unit.code or item.responsible_unit.name

    def dehydrate_handler(self, item):
        return _person_name(item.handler) if item.handler_id else ""

    def dehydrate_measures(self, item):
        return item.measures

    def dehydrate_long_term_mechanism(self, item):
        return item.long_term_mechanism

    def dehydrate_received_at(self, item):
        return as_moment_cell(item.received_at)

    def dehydrate_due_at(self, item):
        return as_deadline_cell(item.due_at)

    def dehydrate_status(self, item):
        return STATUS_LABELS.get(item.status, item.status)

    def dehydrate_result(self, item):
        return item.result

    def dehydrate_satisfaction(self, item):
        return SATISFACTION_LABELS.get(item.satisfaction, "")


class ItemImporter(Importer):
    """Registers one item per row in `scope["ledger"]` (see the module's docstring)."""

    columns = IMPORT_COLUMNS
    required = REQUIRED_COLUMNS
    preview_columns = ("编号", "标题", "发生单位", "事项类别", "责任单位", "承办人", "办理时限",
                       "反映人", "联系电话")  # fmt: skip
    help_template = "ledger/_import_help.html"
    template = "ledger/import.html"

    model = LedgerItem

    def __init__(self, user, *, ledger: Ledger | None):
        super().__init__(user, ledger=ledger)
        self.ledger = ledger
        self.dry_run = True
        #: Headers of the file that are none of the columns read or exported.
        self.ignored_columns: list[str] = []
        #: Rows whose 状态, 办理结果 or 满意度 say more than "received": not imported.
        self.history_rows = 0

    @property
    def label(self) -> str:
        return self.ledger.name

    def blank(self) -> bytes:
        return excel.blank_table(str(_("Ledger items")), list(self.columns), widths=_WIDTHS)

    def read(self, data: bytes):
        """The sheet, checked as a whole first: with a column missing, no row is looked at."""
        # The header row is the one with 标题 (the template's first column, 编号, is optional).
        dataset = excel.read_table(data, max_rows=max_rows(), header=REQUIRED_COLUMNS[0])
        headers = dataset.headers or []
        missing = [column for column in self.required if column not in headers]
        if missing:
            raise SheetError(
                _("The file lacks the columns: %(columns)s.") % {"columns": "、".join(missing)}
            )
        twice = sorted({h for h in headers if h and headers.count(h) > 1})
        if twice:
            raise SheetError(
                " ".join(
                    _("The column “%(column)s” appears more than once.") % {"column": column}
                    for column in twice
                )
            )
        if not any(any(clean_text(value) for value in row) for row in dataset):
            raise SheetError(_("The file has no data rows below the column headers."))
        return dataset

    def run(self, data: bytes, *, dry_run: bool):
        self.dry_run = dry_run
        return super().run(data, dry_run=dry_run)

    def audit_detail(self, outcome) -> dict:
        return {"new": outcome.count, "updated": 0, "ledger": self.ledger.pk}

    def prepare(self, dataset) -> None:
        known = set(IMPORT_COLUMNS) | set(EXPORT_COLUMNS)
        self.ignored_columns = [h for h in dataset.headers if h and h not in known]
        self.history_rows = 0
        self._numbers: dict[str, int] = {}
        self._units: dict[str, list[Unit]] = {}
        self._handlers: dict[str, list] = {}
        self._categories: dict[str, list[MatterCategory]] | None = None

    def write_row(self, number: int, row: dict) -> list:
        self._number = number
        values = self.read_row(row)
        numbered = values["number"] is not None
        changes = {key: value for key, value in values.items() if value is not None}
        if self.dry_run and not numbered:
            # The preview is rolled back: a placeholder spares it the lock on the ledger's
            # number sequence, which would hold up everyone registering items meanwhile.
            changes["number"] = f"~{number}"
        try:
            item = services.item_create(ledger=self.ledger, actor=self.user, **changes)
        except ValidationError as error:
            raise _by_column(error) from None
        due = as_deadline_cell(item.due_at)
        return [
            item.number if numbered else _("given on import"),
            item.title,
            item.unit.name,
            item.category.name if item.category_id else "",
            item.responsible_unit.name,
            _person_name(item.handler) if item.handler_id else "",
            f"{due:%Y-%m-%d}" if due else "",
            item.resident_name_masked,
            item.resident_phone_masked,
        ]

    def read_row(self, row: dict) -> dict:
        """The row's values for `item_create`; ValidationError keyed by column."""
        errors: dict[str, list[str]] = defaultdict(list)
        values: dict = {}

        def read(column, parse):
            try:
                return parse(row.get(column))
            except ValidationError as error:
                errors[column].extend(error.messages)
                return None

        values["number"] = self._read_number(row.get("编号"), errors)
        values["title"] = _line(row.get("标题"))
        if not values["title"]:
            errors["标题"].append(_("This field is required."))
        elif len(values["title"]) > 200:
            errors["标题"].append(_("A title has at most 200 characters."))
        values["description"] = _paragraph(row.get("问题描述"))
        values["measures"] = _paragraph(row.get("措施"))
        values["long_term_mechanism"] = _paragraph(row.get("长效机制"))
        values["source"] = self._label(
            row, "来源", SOURCE_BY_LABEL, SOURCE_LABELS, errors
        ) or SOURCE_OF_KIND.get(self.ledger.kind, Source.OTHER)
        status = self._label(row, "状态", STATUS_BY_LABEL, STATUS_LABELS, errors)
        satisfaction = self._label(
            row, "满意度", SATISFACTION_BY_LABEL, SATISFACTION_LABELS, errors
        )
        if status not in (None, Status.RECEIVED) or satisfaction or _paragraph(row.get("办理结果")):
            self.history_rows += 1

        values["resident_name"] = _line(row.get("反映人"))
        values["resident_phone"] = _code(row.get("联系电话"))
        for key, column in (("resident_name", "反映人"), ("resident_phone", "联系电话")):
            if _masked(values[key]):
                errors[column].append(
                    _(
                        "A masked value stands for the one on file, and a new item has none: "
                        "enter it in full or leave the cell empty."
                    )
                )
        if "联系电话" not in errors:
            try:
                values["resident_phone"] = normalize_phone(values["resident_phone"])
            except ValidationError as error:
                errors["联系电话"].extend(error.messages)

        values["unit"] = self._read_unit(row.get("发生单位代码"), "发生单位代码", errors)
        if values["unit"] is not None and not access.can(self.user, "create_items", values["unit"]):
            errors["发生单位代码"].append(self._outside(values["unit"]))
        values["responsible_unit"] = self._read_unit(
            row.get("责任单位代码"), "责任单位代码", errors, default=None
        )
        responsible = values["responsible_unit"]
        # Responsible: a unit in the user's scope, a department of the district (hand-over),
        # or a unit above the one where the item arose (a matter the street takes on).
        if not (
            responsible is None
            or in_scope(self.user, responsible)
            or responsible.kind == Unit.Kind.DEPARTMENT
            or (values["unit"] is not None and values["unit"].path.startswith(responsible.path))
        ):
            errors["责任单位代码"].append(self._outside(responsible))
        values["category"] = self._read_category(
            row.get("事项类别代码") or row.get("事项类别"), errors
        )
        values["handler"] = self._read_handler(
            row.get("承办人"), responsible or values["unit"], errors
        )

        received = read("登记时间", read_date)
        due = read("办理时限", read_date)
        values["received_at"] = start_of(received) if received is not None else None
        values["due_at"] = end_of(due) if due is not None else None
        now = timezone.now()
        if values["received_at"] is not None and values["received_at"] > now:
            errors["登记时间"].append(_("The registration time is in the future."))
        if values["due_at"] is None or "登记时间" in errors:
            pass
        elif values["received_at"] is None and values["due_at"] <= now:
            errors["办理时限"].append(
                _("The deadline has passed; give the registration time (登记时间) as well.")
            )
        elif values["received_at"] is not None and values["due_at"] <= values["received_at"]:
            errors["办理时限"].append(_("The deadline is before the registration time."))
        if errors:
            raise ValidationError(dict(errors))
        return values

    # Reading the cells that name something

    def _read_number(self, value, errors) -> str | None:
        number = _code(value)
        if not number:
            return None
        if len(number) > LedgerItem._meta.get_field("number").max_length:
            errors["编号"].append(
                _("A number has at most %(max)s characters.")
                % {"max": LedgerItem._meta.get_field("number").max_length}
            )
        elif number in self._numbers:
            errors["编号"].append(
                _("The number “%(number)s” is already used in row %(row)s of this file.")
                % {"number": number, "row": self._numbers[number]}
            )
        elif LedgerItem.objects.filter(number=number).exists():
            errors["编号"].append(
                _("The number “%(number)s” is already taken by another item.") % {"number": number}
            )
        else:
            self._numbers[number] = self._number
        return number

    @staticmethod
    def _label(row, column, by_label, labels, errors):
        text = _line(row.get(column))
        if not text:
            return None
        if text in by_label:
            return by_label[text]
        errors[column].append(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": "、".join(labels.values())}
        )
        return None

    @property
    def district_path(self) -> str:
        return self.ledger.unit.path[: Unit.steplen]

    def _read_unit(self, value, column, errors, *, default=...) -> Unit | None:
        text = _line(value)
        if not text:
            return self.ledger.unit if default is ... else default
        if text not in self._units:
            by_code = list(Unit.objects.filter(code=_code(value)))
            self._units[text] = by_code or list(
                Unit.objects.filter(name=text, path__startswith=self.district_path)[:2]
            )
        found = self._units[text]
        if not found:
            errors[column].append(
                _("There is no unit with the code or name “%(value)s”.") % {"value": text}
            )
            return None
        if len(found) > 1:
            errors[column].append(
                _("Several units are named “%(value)s”; write the unit's code instead.")
                % {"value": text}
            )
            return None
        unit = found[0]
        if not unit.path.startswith(self.district_path):
            errors[column].append(
                _("“%(unit)s” is not in the district this ledger belongs to.") % {"unit": unit.name}
            )
            return None
        return unit

    def _read_category(self, value, errors) -> MatterCategory | None:
        text = _line(value)
        if not text:
            return None
        if self._categories is None:
            self._categories = defaultdict(list)
            for category in MatterCategory.objects.filter(district__path=self.district_path):
                self._categories[category.code].append(category)
                if category.name != category.code:
                    self._categories[category.name].append(category)
        found = self._categories.get(_code(value)) or self._categories.get(text, [])
        if len(found) == 1:
            return found[0]
        if not found:
            message = _("The matters catalogue has no category “%(value)s”.")
        else:
            message = _(
                "Several categories are named “%(value)s”; write the category's code instead."
            )
        errors["事项类别"].append(message % {"value": text})
        return None

    def _read_handler(self, value, responsible: Unit | None, errors):
        text = _line(value)
        if not text or responsible is None:
            return None
        if text not in self._handlers:
            users = get_user_model().objects.filter(is_active=True)
            found = list(users.filter(username__iexact=text)) or list(
                users.filter(person__name=text)
            )
            held = defaultdict(list)
            for membership in (
                Membership.objects.current(timezone.localdate())
                .filter(user__in=found)
                .select_related("unit")
            ):
                held[membership.user_id].append(membership.unit.path)
            self._handlers[text] = [(user, held[user.pk]) for user in found]
        # Someone who works at the responsible unit, above it or below it.
        found = [
            user
            for user, paths in self._handlers[text]
            if any(responsible.path.startswith(p) or p.startswith(responsible.path) for p in paths)
        ]
        if len(found) == 1:
            return found[0]
        errors["承办人"].append(
            (
                _("No one called “%(value)s” works at, above or below %(unit)s.")
                if not found
                else _("Several people are called “%(value)s”; write the account name instead.")
            )
            % {"value": text, "unit": responsible.name}
        )
        return None

    @staticmethod
    def _outside(unit: Unit) -> str:
        return _("“%(unit)s” is outside the units you manage.") % {"unit": unit.name}


def _by_column(error: ValidationError) -> ValidationError:
    """A service's errors, keyed by model field, re-keyed by the column they came from."""
    if not hasattr(error, "error_dict"):
        return error
    errors: dict[str, list[str]] = {}
    for name, messages in error.message_dict.items():
        errors.setdefault(_COLUMN_OF_FIELD.get(name, NON_FIELD_ERRORS), []).extend(messages)
    return ValidationError(errors)
