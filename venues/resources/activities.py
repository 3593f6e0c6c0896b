"""Excel (.xlsx) export and import of activities.

Column headers are Chinese whatever the interface language: they are data, and a file must
read back the same whoever exported it. The export writes exactly the columns the import reads
(plus 编号 and 状态, which the import ignores), so an exported sheet, emptied of its rows and
filled in, imports back.

Import (`ActivityImporter`: new activities, e.g. a term's plan or last year's paper records),
through governance.importing: upload, preview, confirm; all or nothing. Every row is
checked: the venue (a venue the importer manages activities at, found by 场所 and, when two
venues share a name, 所属单位), the category (a name from the venue's district list), title,
date, start and end time, capacity, 报名 (是/否), and, for activities that have already
happened, 参与人次 and 活动简报. Each problem names the
spreadsheet row (the header is row 1), the column and the reason. The import runs through
services.activity_create and services.attendance_record in one transaction; a confirmed
import is recorded as an AuditEvent.

Exports hold only activities in the user's scope and no personal data (registrations are not
exported); the export is recorded with its row count.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access, excel, importing
from governance import services as governance_services
from governance.models import AuditEvent, Unit
from governance.normalize import clean_compact, clean_text
from venues.models import Activity, ActivityCategory, ActivityStatus, Venue
from venues.services import activities as services

COLUMNS = {
    "unit": "所属单位",
    "venue": "场所",
    "category": "活动类别",
    "title": "活动名称",
    "day": "日期",
    "start": "开始时间",
    "end": "结束时间",
    "organiser": "主办单位",
    "partners": "协办单位",
    "target_group": "服务对象",
    "capacity": "人数上限",
    "registration": "报名",
    "attendance": "参与人次",
    "report": "活动简报",
}
EXPORT_ONLY = ("编号", "状态")
REQUIRED_COLUMNS = ("场所", "活动类别", "活动名称", "日期", "开始时间", "结束时间")
COLUMN_ALIASES = {"活动场所": "场所", "类别": "活动类别", "名称": "活动名称", "活动日期": "日期",
                  "主办": "主办单位", "协办": "协办单位", "对象": "服务对象", "人次": "参与人次",
                  "简报": "活动简报", "名额": "人数上限"}  # fmt: skip
YES_NO = {"是": True, "否": False, "": False, "Y": True, "N": False}
_WIDTHS = {"所属单位": 16, "场所": 20, "活动类别": 14, "活动名称": 30, "活动简报": 40}


def _text(value) -> str:
    return clean_text(value)


def _parse_day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_compact(value)
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("“%(value)s” is not a date such as 2026-07-01.") % {"value": text})


def _parse_time(value) -> datetime.time:
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time typed as a fraction of a day
        minutes = round(value * 24 * 60)
        return datetime.time(minutes // 60, minutes % 60)
    text = clean_compact(value).replace("：", ":")
    try:  # an Excel time typed as a fraction of a day, read as text
        fraction = float(text)
    except ValueError:
        pass
    else:
        if 0 <= fraction < 1:
            minutes = round(fraction * 24 * 60)
            return datetime.time(minutes // 60, minutes % 60)
    for pattern in ("%H:%M", "%H:%M:%S", "%H点%M分", "%H点", "%H时%M分"):
        try:
            return datetime.datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise ValidationError(_("“%(value)s” is not a time such as 09:30.") % {"value": text})


class ActivityImporter(importing.Importer):
    """New activities, one a row, with their attendance when they have already happened
    (governance.importing: preview, then all or nothing)."""

    label = "活动"
    model = Activity
    columns = tuple(COLUMNS.values())
    required = REQUIRED_COLUMNS
    preview_columns = ("场所", "活动类别", "活动名称", "开始", "结束", "人数上限", "参与人次")
    help_template = "venues/activities/_import_help.html"

    def read(self, data: bytes):
        """The sheet below its header row (found by 活动名称), the known aliases renamed."""
        dataset = excel.read_table(data, max_rows=importing.max_rows(), header=COLUMNS["title"])
        if dataset.headers:
            dataset.headers = [COLUMN_ALIASES.get(h, h) for h in dataset.headers]
        return dataset

    def prepare(self, dataset) -> None:
        self.now = timezone.now()
        self.venues = self._venues()
        self.categories = self._categories(self.venues)
        self.created = 0

    def write_row(self, number: int, row: dict) -> list:
        errors: dict[str, list[str]] = {}
        values = self._read(row, self.venues, self.categories, errors, self.now)
        if errors:
            raise ValidationError(errors)
        attendance, report = values.pop("attendance"), values.pop("report")
        activity = services.activity_create(actor=self.user, **values)
        if attendance is not None or report:
            services.attendance_record(
                activity=activity, attendance=attendance or 0, report=report, actor=self.user
            )
        self.created += 1
        local = timezone.localtime
        return [
            f"{activity.venue.unit.name} · {activity.venue.name}",
            activity.category.name,
            activity.title,
            local(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
            local(activity.ends_at).strftime("%H:%M"),
            activity.capacity,
            attendance,
        ]

    def _venues(self) -> dict[str, list[Venue]]:
        found: dict[str, list[Venue]] = {}
        for venue in (
            Venue.objects.for_user(self.user).filter(is_active=True).select_related("unit")
        ):
            if access.can(self.user, services.MANAGE, venue.unit):
                found.setdefault(venue.name, []).append(venue)
        return found

    @staticmethod
    def _categories(venues) -> dict[tuple[str, str], ActivityCategory]:
        districts = {v.unit.path[: Unit.steplen] for vs in venues.values() for v in vs}
        for district in Unit.objects.filter(path__in=districts):
            services.categories_ensure(district)
        return {
            (c.district.path, c.name): c
            for c in ActivityCategory.objects.filter(
                district__path__in=districts, is_active=True
            ).select_related("district")
        }

    def _read(self, record, venues, categories, errors, now) -> dict:
        def text(key):
            return _text(record.get(COLUMNS[key]))

        def required(key):
            value = text(key)
            if not value:
                errors.setdefault(COLUMNS[key], []).append(_("This field is required."))
            return value

        values: dict = {}
        venue = None
        venue_name, unit_name = required("venue"), text("unit")
        if venue_name:
            candidates = venues.get(venue_name, [])
            if unit_name:
                candidates = [v for v in candidates if v.unit.name == unit_name]
            if not candidates:
                errors.setdefault(COLUMNS["venue"], []).append(
                    _("There is no venue “%(name)s” among the venues you manage.")
                    % {"name": venue_name}
                )
            elif len(candidates) > 1:
                errors.setdefault(COLUMNS["unit"], []).append(
                    _("Several venues are called “%(name)s”: name the unit in 所属单位.")
                    % {"name": venue_name}
                )
            else:
                venue = candidates[0]
        category_name = required("category")
        if venue is not None and category_name:
            category = categories.get((venue.unit.path[: Unit.steplen], category_name))
            if category is None:
                names = sorted(
                    {name for (path, name) in categories if venue.unit.path.startswith(path)}
                )
                errors.setdefault(COLUMNS["category"], []).append(
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": category_name, "choices": "、".join(names)}
                )
            values["category"] = category
        values["venue"] = venue
        values["title"] = required("title")
        day = start = end = None
        for key, parse in (("day", _parse_day), ("start", _parse_time), ("end", _parse_time)):
            raw = record.get(COLUMNS[key])
            if _text(raw) == "":
                errors.setdefault(COLUMNS[key], []).append(_("This field is required."))
                continue
            try:
                parsed = parse(raw)
            except ValidationError as error:
                errors.setdefault(COLUMNS[key], []).extend(error.messages)
                continue
            if key == "day":
                day = parsed
            elif key == "start":
                start = parsed
            else:
                end = parsed
        tz = timezone.get_current_timezone()
        if day and start and end:
            values["starts_at"] = datetime.datetime.combine(day, start, tz)
            values["ends_at"] = datetime.datetime.combine(day, end, tz)
        for key in ("organiser", "partners", "target_group"):
            values[key] = text(key)
            limit = Activity._meta.get_field(key).max_length
            if len(values[key]) > limit:
                errors.setdefault(COLUMNS[key], []).append(
                    _("At most %(max)s characters.") % {"max": limit}
                )
        if len(values["title"]) > 100:
            errors.setdefault(COLUMNS["title"], []).append(
                _("At most %(max)s characters.") % {"max": 100}
            )
        values["capacity"] = self._number(text("capacity"), "capacity", errors, minimum=1)
        registration = text("registration")
        if registration not in YES_NO:
            errors.setdefault(COLUMNS["registration"], []).append(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": registration, "choices": "是、否"}
            )
        values["registration_enabled"] = YES_NO.get(registration, False)
        attendance = self._number(text("attendance"), "attendance", errors, minimum=0)
        report = str(record.get(COLUMNS["report"]) or "").strip()
        if (
            (attendance is not None or report)
            and values.get("starts_at")
            and values["starts_at"] > now
        ):
            errors.setdefault(COLUMNS["attendance"], []).append(
                _("Attendance can be recorded once the activity has started.")
            )
        values["attendance"], values["report"] = attendance, report
        if not errors:
            try:
                services.clean_activity_values(
                    {k: v for k, v in values.items() if k not in ("attendance", "report")}
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    column = {"starts_at": "start", "ends_at": "end"}.get(name, name)
                    errors.setdefault(COLUMNS.get(column, ""), []).extend(messages)
        return values

    @staticmethod
    def _number(text: str, key: str, errors: dict, *, minimum: int) -> int | None:
        if not text:
            return None
        compact = clean_compact(text)
        if (
            not compact.isdigit()
            or int(compact) < minimum
            or int(compact) > services.MAX_ATTENDANCE
        ):
            errors.setdefault(COLUMNS[key], []).append(
                _("“%(value)s” is not a whole number from %(min)s to %(max)s.")
                % {"value": text, "min": minimum, "max": services.MAX_ATTENDANCE}
            )
            return None
        return int(compact)


STATUS_LABELS = {ActivityStatus.PLANNED: "计划", ActivityStatus.CANCELLED: "已取消"}


def export_rows(activities) -> list[list]:
    rows = []
    for a in activities:
        starts, ends = timezone.localtime(a.starts_at), timezone.localtime(a.ends_at)
        rows.append(
            [
                a.pk,
                a.unit.name,
                a.venue.name,
                a.category.name,
                a.title,
                starts.date(),
                starts.strftime("%H:%M"),
                ends.strftime("%H:%M"),
                a.organiser,
                a.partners,
                a.target_group,
                a.capacity,
                "是" if a.registration_enabled else "否",
                a.attendance,
                a.report,
                STATUS_LABELS.get(a.status, a.status),
            ]
        )
    return rows


def export_activities(user, activities, *, detail: dict | None = None):
    output, count = excel.write_table(
        "活动",
        ["编号", *COLUMNS.values(), "状态"],
        export_rows(activities.select_related("unit", "venue", "category").iterator()),
        widths=_WIDTHS,
        default_width=12,
    )
    governance_services.audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        target=Activity._meta.label_lower,
        unit=access.primary_unit(user),
        row_count=count,
        detail=detail or {},
    )
    return output
