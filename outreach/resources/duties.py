"""Excel (.xlsx) import and export of liaison duties (包联责任).

Column headers and the labels of 层级, 联系频次 and 状态 are Chinese whatever the interface
language: they are data, and an exported file reads back in.

Units are named by their official code or, when unique in the importer's scope, by name; people
by name within their unit (the 包联人单位 column). The import goes through governance.importing
(upload → preview → confirm, all or nothing): every row goes through the same service as the
pages (outreach.services.duties.duty_assign). Imports and exports are recorded as AuditEvents;
exports hold only rows in the user's scope.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from governance import access, excel, services
from governance.importing import Importer, RowProblem
from governance.models import AuditEvent, Person, Unit, WorkZone
from governance.normalize import clean_compact, clean_text
from grids.models import Household
from outreach.models import DutyTier, Frequency, LiaisonDuty
from outreach.services.duties import duty_assign

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
STATUS_LABELS = {"done": "已联系", "due": "待联系", "behind": "滞后"}

COLUMNS = ["包联人", "包联人单位", "包联乡镇/村(社区)", "包联党建工作区", "包联户", "开始日期",
           "联系频次", "备注"]  # fmt: skip
REQUIRED = ["包联人", "包联人单位", "开始日期"]
EXPORT_COLUMNS = [*COLUMNS, "层级", "本期", "本期联系次数", "状态"]
TARGETS = ("包联乡镇/村(社区)", "包联党建工作区", "包联户")

SEPARATORS = ("，", ",", "；", ";", "\n")


def split_names(text: str) -> list[str]:
    for sep in SEPARATORS:
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def parse_date(value, column: str) -> datetime.date:
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


class Lookup:
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
        places = split_names(text)
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


def texts(row: dict, columns) -> dict:
    """The row's cells as trimmed text (dates stay dates); "" for an empty or missing cell."""
    return {
        c: row.get(c) if isinstance(row.get(c), datetime.date) else clean_text(row.get(c))
        for c in columns
    }


def audit(user, action, target: str, count: int, detail: dict) -> None:
    services.audit_record(
        actor=user,
        action=action,
        target=target,
        unit=access.primary_unit(user),
        row_count=count,
        detail=detail,
    )


class DutyImporter(Importer):
    label = "包联责任"
    model = LiaisonDuty
    columns = tuple(COLUMNS)
    required = tuple(REQUIRED)
    preview_columns = ("包联人", "包联人单位", "层级", "包联对象", "开始日期", "联系频次")
    help_template = "outreach/duties/_import_help.html"

    def prepare(self, dataset) -> None:
        self.lookup = Lookup(self.user)
        self.created = 0

    def write_row(self, number: int, row: dict) -> list:
        try:
            duty = self._write(row)
        except PermissionDenied as error:
            raise RowProblem("", str(error)) from None
        self.created += 1
        target = next(c for c in TARGETS if row.get(c))
        return [
            duty.holder.name,
            duty.holder.unit.name,
            TIER_LABELS[duty.tier],
            clean_text(row[target]),
            duty.starts_on,
            FREQUENCY_LABELS.get(duty.frequency, ""),
        ]

    def _write(self, record: dict) -> LiaisonDuty:
        lookup, user = self.lookup, self.user
        text = texts(record, COLUMNS)
        for column in REQUIRED:
            if not text[column]:
                raise RowProblem(column, _("This column must be filled in."))
        holder_unit = lookup.unit(text["包联人单位"], "包联人单位")
        holder = lookup.person(text["包联人"], holder_unit, "包联人")
        frequency = text["联系频次"] or ""
        if frequency not in FREQUENCY_BY_LABEL:
            raise RowProblem("联系频次", _("Write 每周, 每月 or 每季度, or leave it empty."))
        targets = [c for c in TARGETS if text[c]]
        if len(targets) != 1:
            raise ValidationError(
                _("Fill in exactly one of 包联乡镇/村(社区), 包联党建工作区 and 包联户.")
            )
        return duty_assign(
            holder=holder,
            actor=user,
            starts_on=parse_date(record["开始日期"], "开始日期"),
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

    def audit_detail(self, outcome) -> dict:
        return {"new": self.created}


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
                f"{r.period.start:%Y-%m-%d}至{r.period.last:%Y-%m-%d}",
                r.contacts,
                STATUS_LABELS[r.status],
            ]

    output, count = excel.write_table(
        "包联责任", EXPORT_COLUMNS, lines(), {"包联户": 30, "本期": 24, "层级": 24}
    )
    audit(user, AuditEvent.Action.EXPORT, LiaisonDuty._meta.label_lower, count, {"unit": unit.pk})
    return output
