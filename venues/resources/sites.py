"""Excel (.xlsx) import and export of venues, in Chinese columns staff recognise.

Import: all or nothing. Every row is checked before anything is written: the unit (its code,
or its exact name when that is unique among the units the importer manages), the kind (a
kind of that unit's district, by name), the name (required; not twice for one unit, in the
file or already registered), the floor area (a number), the opening hours (written as
"周一至周五 08:30-12:00,14:00-17:30; 周六 09:00-12:00; 每天 00:00-24:00 自助", see
venues.hours.parse) and 假日不打烊 (是/否). Each problem names the spreadsheet row (the header is
row 1), the column and the reason. The import is recorded as an AuditEvent.

Export: the venues in scope as filtered, in the import's columns plus the derived labels and
the upgrade history; the contact person's name and phone are masked unless the user may see
personal data over the venue's unit. Every export is recorded.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.db import transaction
from django.utils.translation import gettext as _

from governance import access, excel
from governance import services as governance_services
from governance.masking import mask_name, mask_phone
from governance.models import AuditEvent, Unit
from governance.normalize import clean_text
from venues import hours
from venues.models import UpgradeKind, Venue, VenueKind
from venues.services import sites as services

COLUMNS = {
    "unit": "所属单位",
    "name": "场所名称",
    "kind": "场所类型",
    "address": "地址",
    "floor_area": "面积（平方米）",
    "rooms": "功能室及设施",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "public_phone": "对外服务电话",
    "hours": "开放时间",
    "open_on_holidays": "假日不打烊",
    "description": "简介",
}
REQUIRED_COLUMNS = ("所属单位", "场所名称", "场所类型")
COLUMN_ALIASES = {"单位": "所属单位", "所属单位代码": "所属单位", "名称": "场所名称", "类型": "场所类型",
                  "面积": "面积（平方米）", "面积(平方米)": "面积（平方米）", "电话": "联系电话",
                  "对外电话": "对外服务电话", "功能室": "功能室及设施"}  # fmt: skip
MAX_ROWS = 3_000
YES = {"是", "Y", "y", "yes", "1", "√", "true", "TRUE"}
NO = {"", "否", "N", "n", "no", "0", "×", "false", "FALSE"}
HEADER_SEARCH_ROWS = 5


@dataclass
class Problem:
    row: int | None
    column: str
    reason: str


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_venues(data: bytes) -> tablib.Dataset:
    """The first sheet, every row as it stands (the header row is found by VenueImport)."""
    return excel.read_table(data, max_rows=MAX_ROWS)


@dataclass
class VenueImport:
    user: object
    file_name: str = ""
    rows: list[tuple[int, dict]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def check(self, dataset: tablib.Dataset) -> None:
        headers, body, first_row = self._locate_header(dataset)
        missing = [c for c in REQUIRED_COLUMNS if c not in headers]
        if missing:
            self.problems.append(
                Problem(
                    None,
                    "",
                    _("The file lacks the columns: %(columns)s.") % {"columns": "、".join(missing)},
                )
            )
            return
        self.ignored_columns = [h for h in headers if h and h not in COLUMNS.values()]
        records = [
            (first_row + i, dict(zip(headers, row, strict=False)))
            for i, row in enumerate(body)
            if any(clean_text(_cell(v)) for v in row)
        ]
        if not records:
            self.problems.append(
                Problem(None, "", _("The file has no data rows below the column headers."))
            )
            return
        if len(records) > MAX_ROWS:
            self.problems.append(
                Problem(
                    None,
                    "",
                    _("The file has %(rows)s rows; import at most %(max)s at a time.")
                    % {"rows": len(records), "max": MAX_ROWS},
                )
            )
            return
        units = self._units()
        kinds = {(k.district.path, k.name): k for k in VenueKind.objects.select_related("district")}
        existing = set(Venue.objects.filter(unit__in=units["all"]).values_list("unit_id", "name"))
        seen: dict[tuple[int, str], int] = {}
        for number, record in records:
            errors: dict[str, list[str]] = {}
            values = self._read(record, units, kinds, errors)
            unit = values.get("unit")
            if unit is not None and values.get("name"):
                key = (unit.pk, values["name"])
                column = COLUMNS["name"]
                if key in seen:
                    errors.setdefault(column, []).append(
                        _("The same venue as row %(row)s of this file.") % {"row": seen[key]}
                    )
                elif key in existing:
                    errors.setdefault(column, []).append(
                        _("%(unit)s already has a venue of this name.") % {"unit": unit.name}
                    )
                else:
                    seen[key] = number
            for column_name, messages in errors.items():
                self.problems.extend(Problem(number, column_name, m) for m in messages)
            if not errors:
                self.rows.append((number, values))

    @staticmethod
    def _locate_header(dataset):
        def names(row) -> list[str]:
            return [COLUMN_ALIASES.get(h, h) for h in (clean_text(_cell(c)) for c in row)]

        headers = names(dataset.headers or [])
        rows = list(dataset)
        if COLUMNS["name"] not in headers:
            for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
                if COLUMNS["name"] in names(row):
                    return names(row), rows[index + 1 :], index + 3
        return headers, rows, 2

    def _units(self) -> dict:
        from venues.forms.sites import units_managed

        managed = list(units_managed(self.user))
        by_name: dict[str, list[Unit]] = {}
        for unit in managed:
            by_name.setdefault(unit.name, []).append(unit)
        return {
            "all": managed,
            "code": {u.code: u for u in managed if u.code},
            "name": by_name,
        }

    def _read(self, record: dict, units: dict, kinds: dict, errors: dict) -> dict:
        def text(key):
            return clean_text(_cell(record.get(COLUMNS[key])))

        values: dict = {}
        reference = text("unit")
        unit = units["code"].get(reference)
        if unit is None and reference:
            named = units["name"].get(reference, [])
            if len(named) > 1:
                errors[COLUMNS["unit"]] = [
                    _("More than one unit is called “%(name)s”; give its code.")
                    % {"name": reference}
                ]
            elif named:
                unit = named[0]
        if not reference:
            errors[COLUMNS["unit"]] = [_("This field is required.")]
        elif unit is None and COLUMNS["unit"] not in errors:
            errors[COLUMNS["unit"]] = [
                _("“%(unit)s” is not a unit whose venues you manage.") % {"unit": reference}
            ]
        values["unit"] = unit
        values["name"] = text("name")[:100]
        if not values["name"]:
            errors[COLUMNS["name"]] = [_("This field is required.")]
        kind_name = text("kind")
        kind = kinds.get((unit.path[: unit.steplen], kind_name)) if unit is not None else None
        if not kind_name:
            errors[COLUMNS["kind"]] = [_("This field is required.")]
        elif unit is not None and kind is None:
            errors[COLUMNS["kind"]] = [
                _("“%(kind)s” is not a venue kind of this district.") % {"kind": kind_name}
            ]
        values["kind"] = kind
        for key in ("address", "contact_name", "contact_phone", "public_phone"):
            values[key] = text(key)
        values["rooms"] = str(_cell(record.get(COLUMNS["rooms"])) or "").strip()
        values["description"] = str(_cell(record.get(COLUMNS["description"])) or "").strip()
        area = text("floor_area")
        values["floor_area"] = None
        if area:
            try:
                values["floor_area"] = Decimal(area.replace(",", "")).quantize(Decimal("0.1"))
                if values["floor_area"] < 0 or values["floor_area"] >= 10_000_000:
                    raise InvalidOperation
            except InvalidOperation:
                errors[COLUMNS["floor_area"]] = [_("Enter the area in square metres.")]
        try:
            values["spans"] = hours.parse(str(_cell(record.get(COLUMNS["hours"])) or ""))
        except hours.HoursSyntaxError as error:
            errors[COLUMNS["hours"]] = [str(error)]
        flag = text("open_on_holidays")
        if flag in YES:
            values["open_on_holidays"] = True
        elif flag in NO:
            values["open_on_holidays"] = False
        else:
            errors[COLUMNS["open_on_holidays"]] = [_("Write 是 or 否.")]
        return values

    @transaction.atomic
    def save(self) -> list[Venue]:
        if self.problems:
            raise ValueError("An import with problems cannot be saved.")
        venues = []
        for _number, values in self.rows:
            values = dict(values)
            spans = values.pop("spans", ())
            venue = services.venue_create(
                unit=values.pop("unit"), kind=values.pop("kind"), actor=self.user, **values
            )
            services.regular_hours_set(venue=venue, spans=spans, actor=self.user)
            venues.append(venue)
        governance_services.audit_record(
            actor=self.user,
            action=AuditEvent.Action.IMPORT,
            target=Venue._meta.label_lower,
            unit=access.primary_unit(self.user),
            row_count=len(venues),
            detail={"file": self.file_name[:200], "new": len(venues)},
        )
        return venues


def preview(values: dict) -> dict:
    """A checked row as the preview shows it (contact masked, as in the list)."""
    return {
        "unit": values["unit"].name,
        "name": values["name"],
        "kind": values["kind"].name,
        "address": values["address"],
        "contact": mask_name(values["contact_name"]),
        "phone": mask_phone(values["contact_phone"]),
        "hours": hours.format_week(values.get("spans", ())),
        "open_on_holidays": values["open_on_holidays"],
    }


EXPORT_COLUMNS = [
    *COLUMNS.values(),
    "每周开放时长（小时）",
    "每周自助时长（小时）",
    "错时延时",
    "午间不间断",
    "24小时不打烊",
    "升级改造",
    "状态",
]
UPGRADE_LABELS = {
    UpgradeKind.RENOVATED: "改造",
    UpgradeKind.NEW: "新建",
    UpgradeKind.UPGRADED: "提升",
}


def export_venues(user, venues, *, detail: dict):
    """The venues (already scoped, filtered and prefetched with_hours and upgrades) as .xlsx."""
    seen: dict[int, bool] = {}
    unmasked = 0

    def may_see(unit) -> bool:
        if unit.pk not in seen:
            seen[unit.pk] = access.can(user, "view_personal_data", unit)
        return seen[unit.pk]

    def yes(flag: bool) -> str:
        return "是" if flag else "否"

    def rows():
        nonlocal unmasked
        for v in venues:
            full = may_see(v.unit)
            if full and (v.contact_name or v.contact_phone):
                unmasked += 1
            regular = [
                hours.Span(s.weekday, s.start, s.end, hours.State(s.state))
                for s in v.spans.all()
                if s.period_id is None
            ]
            upgrades = "；".join(
                f"{u.year}年{UPGRADE_LABELS.get(u.kind, u.kind)}"
                + (f"（{u.funding}元）" if u.funding is not None else "")
                for u in v.upgrades.all()
            )
            yield [
                v.unit.code or v.unit.name,
                v.name,
                v.kind.name,
                v.address,
                v.floor_area,
                v.rooms,
                v.contact_name if full else mask_name(v.contact_name),
                v.contact_phone if full else mask_phone(v.contact_phone),
                v.public_phone,
                hours.format_week(regular),
                yes(v.open_on_holidays),
                v.description,
                v.weekly_hours,
                v.self_service_hours,
                yes(v.is_extended),
                yes(v.is_through_lunch),
                yes(v.is_all_day),
                upgrades,
                "在用" if v.is_active else "停用",
            ]

    output, count = excel.write_table(
        "场所", EXPORT_COLUMNS, rows(), {"场所名称": 24, "地址": 30, "开放时间": 44, "升级改造": 30}
    )
    governance_services.audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        target=Venue._meta.label_lower,
        unit=access.primary_unit(user),
        row_count=count,
        detail={**detail, "unmasked_rows": unmasked},
    )
    return output
