"""Excel (.xlsx) export and import of liaison duties and contact activities.

Column headers and the labels of 层级, 联系频次, 联系制度 and 状态 are Chinese whatever the
interface language: they are data, and an exported file reads back in.

Units are named by their official code or, when unique in the importer's scope, by name; people
by name within their unit (a 包联人单位 / 牵头人单位 column). Imports are all or nothing: every
row goes through the same service as the pages (outreach.services_duties), each in a savepoint,
and if any row fails the whole import is rolled back; each problem names the spreadsheet row
(the header is row 1), the column and the reason. Imports and exports are recorded as
AuditEvents. Exports hold only rows in the user's scope; names of people reached are masked
unless the user may see personal data over the activity's unit.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from governance import access, excel, services
from governance.models import DONE_STATUSES, AuditEvent, Person, Unit, WorkZone
from governance.normalize import clean_compact, clean_text
from grids.models import Household
from outreach.models import (
    ActivityProblem,
    ContactActivity,
    ContactSystem,
    DutyTier,
    Frequency,
    LiaisonDuty,
)
from outreach.services_duties import activity_file, duty_assign

MAX_ROWS = 5_000

TIER_LABELS = {
    DutyTier.TOWNSHIP: "区级领导包乡镇",
    DutyTier.WORK_ZONE: "乡镇班子成员包党建工作区",
    DutyTier.VILLAGE: "乡镇机关干部包村(社区)",
    DutyTier.HOUSEHOLDS: "两委干部包户",
}
FREQUENCY_LABELS = {
    Frequency.WEEKLY: "每周",
    Frequency.MONTHLY: "每月",
    Frequency.QUARTERLY: "每季度",
}
FREQUENCY_BY_LABEL = {
    "": "",
    **{label: value for value, label in FREQUENCY_LABELS.items()},
    "每季": Frequency.QUARTERLY,
    "周": Frequency.WEEKLY,
    "月": Frequency.MONTHLY,
    "季度": Frequency.QUARTERLY,
}
SYSTEM_LABELS = {
    ContactSystem.CONSULTATION: "共商共议",
    ContactSystem.PUBLICITY: "宣传宣讲",
    ContactSystem.VISITING: "走访接访",
    ContactSystem.TALK: "谈心谈话",
}
SYSTEM_BY_LABEL = {label: value for value, label in SYSTEM_LABELS.items()}
STATUS_LABELS = {"done": "已联系", "due": "待联系", "behind": "滞后"}

DUTY_COLUMNS = ["包联人", "包联人单位", "包联乡镇/村(社区)", "包联党建工作区", "包联户", "开始日期",
                "联系频次", "备注"]  # fmt: skip
DUTY_REQUIRED = ["包联人", "包联人单位", "开始日期"]
DUTY_EXPORT_COLUMNS = [*DUTY_COLUMNS, "层级", "本期", "本期联系次数", "状态"]

ACTIVITY_COLUMNS = ["日期", "联系制度", "覆盖单位", "牵头人", "牵头人单位", "参加人员", "地点",
                    "覆盖人数", "群众姓名", "活动内容", "反映问题"]  # fmt: skip
ACTIVITY_REQUIRED = ["日期", "联系制度", "覆盖单位", "牵头人", "牵头人单位", "活动内容"]
ACTIVITY_EXPORT_COLUMNS = [*ACTIVITY_COLUMNS, "问题台账编号", "已答复", "已解决"]

_SEPARATORS = ("，", ",", "；", ";", "\n")


@dataclass
class Problem:
    row: int | None
    column: str
    reason: str


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _split(text: str) -> list[str]:
    for sep in _SEPARATORS:
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def _date(value, column: str) -> datetime.date:
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
    raise ValidationError(
        {column: _("“%(value)s” is not a date such as 2026-03-01.") % {"value": text}}
    )


class _Lookup:
    """Units, zones and people by name or code, within the importer's scope."""

    def __init__(self, user):
        self.user = user
        self.units = Unit.objects.for_user(user).territory()

    def unit(self, text: str, column: str) -> Unit:
        text = clean_compact(text)
        found = list(self.units.filter(code=text)[:1]) or list(self.units.filter(name=text)[:2])
        if not found:
            raise ValidationError(
                {column: _("No unit “%(value)s” in your scope.") % {"value": text}}
            )
        if len(found) > 1:
            raise ValidationError(
                {
                    column: _("Several units are called “%(value)s”; give the code.")
                    % {"value": text}
                }
            )
        return found[0]

    def zone(self, text: str, column: str) -> WorkZone:
        found = list(WorkZone.objects.for_user(self.user).filter(name=clean_text(text))[:2])
        if len(found) != 1:
            raise ValidationError(
                {column: _("No single work zone “%(value)s” in your scope.") % {"value": text}}
            )
        return found[0]

    def person(self, name: str, unit: Unit, column: str) -> Person:
        found = list(Person.objects.filter(unit=unit, name=clean_text(name))[:2])
        if not found:
            raise ValidationError(
                {column: _("No person “%(name)s” at %(unit)s.") % {"name": name, "unit": unit.name}}
            )
        if len(found) > 1:
            raise ValidationError(
                {
                    column: _("Several people called “%(name)s” at %(unit)s.")
                    % {"name": name, "unit": unit.name}
                }
            )
        return found[0]

    def people_near(self, name: str, unit: Unit, column: str) -> Person:
        """A person at the unit or above it (attendees), or anywhere in scope when unique."""
        near = list(
            Person.objects.filter(unit__path__in=[*unit.ancestor_paths()], name=clean_text(name))[
                :2
            ]
        )
        if len(near) == 1:
            return near[0]
        found = list(Person.objects.for_user(self.user).filter(name=clean_text(name))[:2])
        if len(found) != 1:
            raise ValidationError(
                {column: _("No single person called “%(name)s” to record.") % {"name": name}}
            )
        return found[0]

    def households(self, text: str, village: Unit, column: str) -> list[Household]:
        places = _split(text)
        result = []
        active = Household.objects.active().filter(grid__path__startswith=village.path)
        for place in places:
            parts = place.split("-")
            query = active.filter(building=parts[0])
            if len(parts) > 1:
                query = query.filter(entrance=parts[1])
            if len(parts) > 2:
                query = query.filter(room=parts[2])
            found = list(query[:2])
            if len(found) != 1:
                raise ValidationError(
                    {
                        column: _(
                            "No single household “%(place)s” in %(unit)s (write 楼栋-单元-房号)."
                        )
                        % {"place": place, "unit": village.name}
                    }
                )
            result.append(found[0])
        return result


def _records(data: bytes, columns: list[str], required: list[str], result: ImportResult):
    dataset = excel.read_table(data, max_rows=MAX_ROWS, header=required[0])
    headers = list(dataset.headers or [])
    missing = [c for c in required if c not in headers]
    if missing:
        result.problems.append(
            Problem(
                None,
                "",
                _("The file lacks the columns: %(columns)s.") % {"columns": "、".join(missing)},
            )
        )
        return []
    records = []
    for index, row in enumerate(dataset):
        record = {h: row[i] for i, h in enumerate(headers) if h in columns}
        if all(clean_text(v) == "" for v in record.values()):
            continue
        records.append((index + 2, {c: record.get(c) for c in columns}))
    if not records:
        result.problems.append(
            Problem(None, "", _("The file has no data rows below the column headers."))
        )
    elif len(records) > MAX_ROWS:
        result.problems.append(
            Problem(
                None,
                "",
                _("The file has %(rows)s rows; import at most %(max)s at a time.")
                % {"rows": len(records), "max": MAX_ROWS},
            )
        )
        return []
    return records


def _problems(number: int, error) -> list[Problem]:
    if isinstance(error, PermissionDenied):
        return [Problem(number, "", str(error))]
    if hasattr(error, "error_dict"):
        return [
            Problem(number, "" if column == "__all__" else column, message)
            for column, messages in error.message_dict.items()
            for message in messages
        ]
    return [Problem(number, "", message) for message in error.messages]


def _run(user, records, write, result: ImportResult, target: str, file_name: str) -> ImportResult:
    """Every row in its savepoint inside one transaction; any problem rolls back the lot."""
    with transaction.atomic():
        for number, record in records:
            try:
                with transaction.atomic():
                    result.created.append(write(record))
            except (ValidationError, PermissionDenied) as error:
                result.problems.extend(_problems(number, error))
        if result.problems:
            transaction.set_rollback(True)
            result.created = []
            return result
        services.audit_record(
            actor=user,
            action=AuditEvent.Action.IMPORT,
            target=target,
            unit=access.primary_unit(user),
            row_count=len(result.created),
            detail={"file": file_name[:200], "new": len(result.created)},
        )
    return result


def import_duties(user, data: bytes, *, file_name: str = "") -> ImportResult:
    result = ImportResult()
    records = _records(data, DUTY_COLUMNS, DUTY_REQUIRED, result)
    if result.problems:
        return result
    lookup = _Lookup(user)

    def write(record):
        text = {
            k: clean_text(v) if not isinstance(v, datetime.date) else v for k, v in record.items()
        }
        for column in DUTY_REQUIRED:
            if not text[column]:
                raise ValidationError({column: _("This column must be filled in.")})
        holder_unit = lookup.unit(text["包联人单位"], "包联人单位")
        holder = lookup.person(text["包联人"], holder_unit, "包联人")
        frequency = text["联系频次"] or ""
        if frequency not in FREQUENCY_BY_LABEL:
            raise ValidationError({"联系频次": _("Write 每周, 每月 or 每季度, or leave it empty.")})
        targets = [c for c in ("包联乡镇/村(社区)", "包联党建工作区", "包联户") if text[c]]
        if len(targets) != 1:
            raise ValidationError(
                _("Fill in exactly one of 包联乡镇/村(社区), 包联党建工作区 and 包联户.")
            )
        return duty_assign(
            holder=holder,
            actor=user,
            starts_on=_date(record["开始日期"], "开始日期"),
            target_unit=lookup.unit(text["包联乡镇/村(社区)"], "包联乡镇/村(社区)")
            if text["包联乡镇/村(社区)"]
            else None,
            target_zone=lookup.zone(text["包联党建工作区"], "包联党建工作区")
            if text["包联党建工作区"]
            else None,
            households=lookup.households(text["包联户"], holder.unit, "包联户")
            if text["包联户"]
            else (),
            frequency=FREQUENCY_BY_LABEL[frequency],
            note=text["备注"] or "",
        )

    return _run(user, records, write, result, LiaisonDuty._meta.label_lower, file_name)


def import_activities(user, data: bytes, *, file_name: str = "") -> ImportResult:
    result = ImportResult()
    records = _records(data, ACTIVITY_COLUMNS, ACTIVITY_REQUIRED, result)
    if result.problems:
        return result
    lookup = _Lookup(user)

    def write(record):
        text = {
            k: clean_text(v) if not isinstance(v, datetime.date) else v for k, v in record.items()
        }
        for column in ACTIVITY_REQUIRED:
            if not text[column]:
                raise ValidationError({column: _("This column must be filled in.")})
        system = SYSTEM_BY_LABEL.get(text["联系制度"])
        if system is None:
            raise ValidationError(
                {
                    "联系制度": _("Write one of: %(choices)s.")
                    % {"choices": "、".join(SYSTEM_LABELS.values())}
                }
            )
        unit = lookup.unit(text["覆盖单位"], "覆盖单位")
        leader = lookup.person(
            text["牵头人"], lookup.unit(text["牵头人单位"], "牵头人单位"), "牵头人"
        )
        attendees = [
            lookup.people_near(n, unit, "参加人员") for n in _split(text["参加人员"] or "")
        ]
        reached = (
            clean_compact(record["覆盖人数"] if record["覆盖人数"] is not None else "0") or "0"
        )
        if isinstance(record["覆盖人数"], float):
            reached = str(int(record["覆盖人数"]))
        if not reached.isdigit():
            raise ValidationError({"覆盖人数": _("Write a whole number of people.")})
        problems = [
            line.strip()
            for line in str(record["反映问题"] or "")
            .replace("；", "\n")
            .replace(";", "\n")
            .splitlines()
        ]
        activity, _items = activity_file(
            actor=user,
            system=system,
            unit=unit,
            leader=leader,
            held_on=_date(record["日期"], "日期"),
            summary=str(record["活动内容"] or "").strip(),
            people_reached=int(reached),
            attendees=attendees,
            place=text["地点"] or "",
            reached_names=text["群众姓名"] or "",
            problems=problems,
        )
        return activity

    return _run(user, records, write, result, ContactActivity._meta.label_lower, file_name)


# Exports --------------------------------------------------------------------------------------


def _audit(user, target: str, count: int, detail: dict) -> None:
    services.audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        target=target,
        unit=access.primary_unit(user),
        row_count=count,
        detail=detail,
    )


def export_duties(user, rows, *, unit: Unit):
    """The matrix rows (current duties with their status) in the import's columns and more."""
    ids = [r.duty.pk for r in rows if r.duty.tier == DutyTier.HOUSEHOLDS]
    places: dict[int, list[str]] = {}
    through = LiaisonDuty.households.through
    for duty_id, building, entrance, room in (
        through.objects.filter(liaisonduty_id__in=ids)
        .values_list(
            "liaisonduty_id", "household__building", "household__entrance", "household__room"
        )
        .order_by("liaisonduty_id", "household__building", "household__entrance", "household__room")
    ):
        places.setdefault(duty_id, []).append("-".join(p for p in (building, entrance, room) if p))

    def lines():
        for r in rows:
            d = r.duty
            yield [
                d.holder.name,
                d.holder.unit.code or d.holder.unit.name,
                (d.target_unit.code or d.target_unit.name) if d.target_unit_id else "",
                d.target_zone.name if d.target_zone_id else "",
                "、".join(places.get(d.pk, [])),
                d.starts_on,
                FREQUENCY_LABELS.get(d.frequency, ""),
                d.note,
                TIER_LABELS[d.tier],
                f"{r.period.start:%Y-%m-%d}至{r.period.last_day:%Y-%m-%d}",
                r.contacts,
                STATUS_LABELS[r.status],
            ]

    output, count = excel.write_table(
        "包联责任", DUTY_EXPORT_COLUMNS, lines(), {"包联户": 30, "本期": 24, "层级": 24}
    )
    _audit(user, LiaisonDuty._meta.label_lower, count, {"unit": unit.pk})
    return output


def export_activities(user, activities):
    may_see: dict[int, bool] = {}
    raised: dict[int, list[dict]] = {}
    for item in (
        ActivityProblem.objects.filter(activity__in=activities.values("pk"))
        .order_by("item_id")
        .values(
            "activity_id",
            title=F("item__title"),
            number=F("item__number"),
            replied_at=F("item__replied_at"),
            status=F("item__status"),
        )
    ):
        raised.setdefault(item["activity_id"], []).append(item)

    def lines():
        for a in (
            activities.select_related("unit", "leader", "leader__unit")
            .prefetch_related("attendees")
            .iterator(chunk_size=2000)
        ):
            if a.unit_id not in may_see:
                may_see[a.unit_id] = access.can(user, "view_personal_data", a.unit)
            items = raised.get(a.pk, [])
            yield [
                a.held_on,
                SYSTEM_LABELS[a.system],
                a.unit.code or a.unit.name,
                a.leader.name,
                a.leader.unit.code or a.leader.unit.name,
                "、".join(p.name for p in a.attendees.all()),
                a.place,
                a.people_reached,
                a.reached_names if may_see[a.unit_id] else a.reached_names_masked,
                a.summary,
                "\n".join(i["title"] for i in items),
                "、".join(i["number"] for i in items),
                sum(i["replied_at"] is not None for i in items),
                sum(i["status"] in DONE_STATUSES for i in items),
            ]

    output, count = excel.write_table(
        "联系群众活动", ACTIVITY_EXPORT_COLUMNS, lines(), {"活动内容": 40, "反映问题": 30}
    )
    _audit(user, ContactActivity._meta.label_lower, count, {})
    return output
