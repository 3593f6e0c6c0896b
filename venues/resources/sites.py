"""Excel (.xlsx) import and export of venues, in Chinese columns staff recognise.

Import (`VenueImporter`, through governance.importing: upload, preview, confirm; all or
nothing). Every row is checked and written in a transaction: the unit (its code,
or its exact name when that is unique among the units the importer manages), the kind (a
kind of that unit's district, by name), the name (required; not twice for one unit, in the
file or already registered), the floor area (a number), the opening hours (written as
"周一至周五 08:30-12:00,14:00-17:30; 周六 09:00-12:00; 每天 00:00-24:00 自助", see
venues.hours.parse) and 假日不打烊 (是/否). Each problem names the spreadsheet row (the header is
row 1), the column and the reason. A confirmed import is recorded as an AuditEvent.

Export: the venues in scope as filtered, in the import's columns plus the derived labels and
the upgrade history; the contact person's name and phone are masked unless the user may see
personal data over the venue's unit. Every export is recorded.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from governance import access, excel, importing
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
YES = {"是", "Y", "y", "yes", "1", "√", "true", "TRUE"}
NO = {"", "否", "N", "n", "no", "0", "×", "false", "FALSE"}


class VenueImporter(importing.Importer):
    """New venues with their regular hours, one a row (governance.importing: preview, then
    all or nothing)."""

    label = "场所"
    model = Venue
    columns = tuple(COLUMNS.values())
    required = REQUIRED_COLUMNS
    preview_columns = (
        "所属单位",
        "场所名称",
        "场所类型",
        "地址",
        "联系人",
        "开放时间",
        "假日不打烊",
    )
    help_template = "venues/sites/_import_help.html"

    def read(self, data: bytes):
        """The sheet below its header row (found by 场所名称), the known aliases renamed."""
        dataset = excel.read_table(data, max_rows=importing.max_rows(), header=COLUMNS["name"])
        if dataset.headers:
            dataset.headers = [COLUMN_ALIASES.get(h, h) for h in dataset.headers]
        return dataset

    def prepare(self, dataset) -> None:
        from venues.forms.sites import units_managed

        managed = list(units_managed(self.user))
        self.by_code = {u.code: u for u in managed if u.code}
        self.by_name: dict[str, list[Unit]] = {}
        for unit in managed:
            self.by_name.setdefault(unit.name, []).append(unit)
        self.kinds = {
            (k.district.path, k.name): k for k in VenueKind.objects.select_related("district")
        }
        self.existing = set(Venue.objects.filter(unit__in=managed).values_list("unit_id", "name"))
        self.seen: dict[tuple[int, str], int] = {}
        self.created = 0

    def write_row(self, number: int, row: dict) -> list:
        errors: dict[str, list[str]] = {}
        values = self._values(row, errors)
        unit = values.get("unit")
        if unit is not None and values.get("name"):
            key = (unit.pk, values["name"])
            column = COLUMNS["name"]
            if key in self.seen:
                errors.setdefault(column, []).append(
                    _("The same venue as row %(row)s of this file.") % {"row": self.seen[key]}
                )
            elif key in self.existing:
                errors.setdefault(column, []).append(
                    _("%(unit)s already has a venue of this name.") % {"unit": unit.name}
                )
            else:
                self.seen[key] = number
        if errors:
            raise ValidationError(errors)
        spans = values.pop("spans", ())
        venue = services.venue_create(
            unit=values.pop("unit"), kind=values.pop("kind"), actor=self.user, **values
        )
        services.regular_hours_set(venue=venue, spans=spans, actor=self.user)
        self.created += 1
        return [
            venue.unit.name,
            venue.name,
            venue.kind.name,
            venue.address,
            f"{mask_name(venue.contact_name)} {mask_phone(venue.contact_phone)}".strip(),
            hours.format_week(spans) or "—",
            "是" if venue.open_on_holidays else "否",
        ]

    def _values(self, row: dict, errors: dict) -> dict:
        def text(key):
            return clean_text(row.get(COLUMNS[key]))

        values: dict = {}
        reference = text("unit")
        unit = self.by_code.get(reference)
        if unit is None and reference:
            named = self.by_name.get(reference, [])
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
        kind = self.kinds.get((unit.district.path, kind_name)) if unit is not None else None
        if not kind_name:
            errors[COLUMNS["kind"]] = [_("This field is required.")]
        elif unit is not None and kind is None:
            errors[COLUMNS["kind"]] = [
                _("“%(kind)s” is not a venue kind of this district.") % {"kind": kind_name}
            ]
        values["kind"] = kind
        for key in ("address", "contact_name", "contact_phone", "public_phone"):
            values[key] = text(key)
        values["rooms"] = str(row.get(COLUMNS["rooms"]) or "").strip()
        values["description"] = str(row.get(COLUMNS["description"]) or "").strip()
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
            values["spans"] = hours.parse(str(row.get(COLUMNS["hours"]) or ""))
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
