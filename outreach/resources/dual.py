"""Excel (.xlsx) import and export of the dual-reporting registers (双报到): work units,
registered Party members and service projects.

Headers are Chinese whatever the interface language: they are data (an exported file reads back
in) and are the labels of the pages' forms. Every row is written through outreach.services.dual
with the importing user as the actor, so the pages' rules and role checks apply to it. A
community is named by its official code, its name, or "街道 · 社区" as the forms show it, and
must be in the user's scope: another one is that row's problem ("no such unit in your scope"),
never a sign that it exists.

Natural keys: re-importing a file creates nothing twice. A row whose key exists is a problem of
that row (nothing is updated, the whole file is refused until the row is removed):
- work unit: its name in the district (the service refuses a second one; re-assign it instead);
- Party member: community + name, among the members who have not left;
- service project: community + title + start date.

Exports hold the rows of the list as filtered on the page, in the user's scope, under the same
headers (plus read-only columns after them, which the import ignores). Phone numbers are masked;
a masked number ("138****1234") reads back as no number. Exports are recorded as AuditEvents.
"""

import datetime
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from governance import access, excel
from governance import services as governance_services
from governance.importing import Importer, RowProblem
from governance.masking import mask_phone
from governance.models import AuditEvent, Unit
from governance.normalize import clean_compact, clean_text, normalize_phone
from outreach.models import (
    ProjectStatus,
    ReportedMember,
    ServiceProject,
    WorkUnit,
    WorkUnitKind,
    WorkUnitPosting,
)
from outreach.services import dual as services

COMMUNITY_KINDS = (Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE)

KIND_LABELS = {
    WorkUnitKind.OFFICE: "党政机关",
    WorkUnitKind.INSTITUTION: "事业单位",
    WorkUnitKind.ENTERPRISE: "企业",
    WorkUnitKind.OTHER: "其他组织",
}
KIND_BY_LABEL = {label: value for value, label in KIND_LABELS.items()}
STATUS_LABELS = {
    ProjectStatus.OPEN: "待认领",
    ProjectStatus.CLAIMED: "已认领",
    ProjectStatus.DONE: "办结",
    ProjectStatus.CANCELLED: "已取消",
}

UNIT_COLUMNS = ("报到社区", "名称", "类型", "联系人", "联系电话", "登记日期")
UNIT_REQUIRED = ("报到社区", "名称", "类型", "登记日期")
MEMBER_COLUMNS = ("社区", "姓名", "手机号", "报到单位", "登记日期")
MEMBER_REQUIRED = ("社区", "姓名", "登记日期")
PROJECT_COLUMNS = ("社区", "标题", "问题描述", "办理需求", "开始日期", "结束日期")
PROJECT_REQUIRED = ("社区", "标题", "开始日期", "结束日期")
PROJECT_EXPORT_COLUMNS = (*PROJECT_COLUMNS, "状态")

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


# Reading cells (shared with outreach.resources.property) --------------------------------------


def community_label(unit: Unit) -> str:
    """How the forms and the exports name a community: "凤城街道 · 花园社区"."""
    return f"{unit.parent.name} · {unit.name}" if unit.parent_id else unit.name


def required(row: dict, column: str) -> str:
    text = clean_text(row.get(column))
    if not text:
        raise RowProblem(column, _("This column must be filled in."))
    return text


def read_date(value, column: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_compact(value)
    if not text:
        raise RowProblem(column, _("This column must be filled in."))
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowProblem(column, _("“%(value)s” is not a date such as 2026-03-01.") % {"value": text})


def read_phone(value, column: str) -> str:
    """A phone number; a number masked by an export ("138****1234") reads as none."""
    text = clean_compact(value)
    if "*" in text:
        return ""
    try:
        return normalize_phone(text)
    except ValidationError as error:
        raise RowProblem(column, " ".join(error.messages)) from None


@contextmanager
def through_service(column: str = ""):
    """A service's refusal of a row becomes that row's problem (in `column`)."""
    try:
        yield
    except PermissionDenied:
        raise RowProblem(column, _("Your role does not allow this.")) from None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise RowProblem(column, " ".join(error.messages)) from None


class Communities:
    """Communities and villages in the user's scope, by code, name or "街道 · 社区"."""

    def __init__(self, user):
        self.units = Unit.objects.for_user(user).filter(kind__in=COMMUNITY_KINDS, is_active=True)
        self.found: dict[str, Unit] = {}

    def get(self, row: dict, column: str) -> Unit:
        text = required(row, column)
        if text not in self.found:
            self.found[text] = self._find(text, column)
        return self.found[text]

    def _find(self, text: str, column: str) -> Unit:
        parent, sep, name = text.rpartition("·")
        if sep:
            found = list(self.units.filter(parent__name=parent.strip(), name=name.strip())[:2])
        else:
            found = list(self.units.filter(code=text)[:1]) or list(self.units.filter(name=text)[:2])
        if not found:
            raise RowProblem(column, _("No unit “%(value)s” in your scope.") % {"value": text})
        if len(found) > 1:
            raise RowProblem(
                column, _("Several units are called “%(value)s”; give the code.") % {"value": text}
            )
        return found[0]


def audit_export(user, model, count: int, detail: dict) -> None:
    governance_services.audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        target=model._meta.label_lower,
        unit=access.primary_unit(user),
        row_count=count,
        detail=detail,
    )


def _day(value) -> str:
    return value.isoformat() if value else ""


# Work units -----------------------------------------------------------------------------------


class WorkUnitImporter(Importer):
    """双报到单位: registers each work unit with the community it serves from 登记日期."""

    label = "双报到单位"
    model = WorkUnit
    help_template = "outreach/dual/_import_help.html"
    columns = UNIT_COLUMNS
    required = UNIT_REQUIRED

    def prepare(self, dataset):
        self.communities = Communities(self.user)
        self.count = 0

    def write_row(self, number, row):
        community = self.communities.get(row, "报到社区")
        name = required(row, "名称")
        kind = KIND_BY_LABEL.get(required(row, "类型"))
        if kind is None:
            raise RowProblem(
                "类型", _("Write one of: %(choices)s.") % {"choices": "、".join(KIND_BY_LABEL)}
            )
        started_on = read_date(row.get("登记日期"), "登记日期")
        phone = read_phone(row.get("联系电话"), "联系电话")
        with through_service("名称"):
            unit = services.work_unit_register(
                community=community,
                name=name,
                kind=kind,
                started_on=started_on,
                contact_name=clean_text(row.get("联系人")),
                contact_phone=phone,
                actor=self.user,
            )
        self.count += 1
        return [
            community_label(community),
            unit.name,
            KIND_LABELS[kind],
            unit.contact_name,
            mask_phone(unit.contact_phone),
            _day(started_on),
        ]


def export_work_units(user, units):
    """The work units (a queryset in the user's scope) with their current posting."""
    current = WorkUnitPosting.objects.current().select_related("community__parent")
    postings = {p.work_unit_id: p for p in current.filter(work_unit__in=units)}

    def rows():
        for unit in units.order_by("name", "pk"):
            posting = postings.get(unit.pk)
            yield [
                community_label(posting.community) if posting else "",
                unit.name,
                KIND_LABELS.get(unit.kind, unit.kind),
                unit.contact_name,
                mask_phone(unit.contact_phone),
                _day(posting.started_on) if posting else "",
            ]

    output, count = excel.write_table("双报到单位", list(UNIT_COLUMNS), rows(), {"名称": 28})
    audit_export(user, WorkUnit, count, {})
    return output


# Party members --------------------------------------------------------------------------------


class MemberImporter(Importer):
    """双报到党员: registers each Party member with a community; 报到单位 names a work unit of
    the community's district that the user sees."""

    label = "双报到党员"
    model = ReportedMember
    help_template = "outreach/dual/_import_help.html"
    columns = MEMBER_COLUMNS
    required = MEMBER_REQUIRED

    def prepare(self, dataset):
        self.communities = Communities(self.user)
        self.work_units = WorkUnit.objects.for_user(self.user)
        self.count = 0

    def write_row(self, number, row):
        community = self.communities.get(row, "社区")
        name = required(row, "姓名")
        registered_on = read_date(row.get("登记日期"), "登记日期")
        phone = read_phone(row.get("手机号"), "手机号")
        work_unit = None
        if unit_name := clean_text(row.get("报到单位")):
            work_unit = self.work_units.filter(district=community.district, name=unit_name).first()
            if work_unit is None:
                raise RowProblem(
                    "报到单位",
                    _("No work unit “%(value)s” in your scope.") % {"value": unit_name},
                )
        if ReportedMember.objects.filter(
            community=community, name=name, left_on__isnull=True
        ).exists():
            raise RowProblem(
                "姓名",
                _("%(name)s is already registered with %(unit)s.")
                % {"name": name, "unit": community.name},
            )
        with through_service("社区"):
            member = services.member_register(
                community=community,
                name=name,
                registered_on=registered_on,
                phone=phone,
                work_unit=work_unit,
                actor=self.user,
            )
        self.count += 1
        return [
            community_label(community),
            member.name,
            mask_phone(member.phone),
            work_unit.name if work_unit else "",
            _day(registered_on),
        ]


def export_members(user, members):
    def rows():
        for member in members.select_related("community__parent", "work_unit"):
            yield [
                community_label(member.community),
                member.name,
                mask_phone(member.phone),
                member.work_unit.name if member.work_unit else "",
                _day(member.registered_on),
            ]

    output, count = excel.write_table("双报到党员", list(MEMBER_COLUMNS), rows(), {"报到单位": 24})
    audit_export(user, ReportedMember, count, {})
    return output


# Service projects -----------------------------------------------------------------------------


class ProjectImporter(Importer):
    """服务项目: publishes each project of a community (open for claiming)."""

    label = "服务项目"
    model = ServiceProject
    help_template = "outreach/dual/_import_help.html"
    columns = PROJECT_COLUMNS
    required = PROJECT_REQUIRED

    def prepare(self, dataset):
        self.communities = Communities(self.user)
        self.count = 0

    def write_row(self, number, row):
        community = self.communities.get(row, "社区")
        title = required(row, "标题")
        starts_on = read_date(row.get("开始日期"), "开始日期")
        ends_on = read_date(row.get("结束日期"), "结束日期")
        if ServiceProject.objects.filter(
            community=community, title=title, starts_on=starts_on
        ).exists():
            raise RowProblem(
                "标题",
                _("%(unit)s already has the project “%(title)s” starting that day.")
                % {"unit": community.name, "title": title},
            )
        with through_service("结束日期" if ends_on < starts_on else "社区"):
            project = services.project_publish(
                community=community,
                title=title,
                description=str(row.get("问题描述") or ""),
                needs=clean_text(row.get("办理需求")),
                starts_on=starts_on,
                ends_on=ends_on,
                actor=self.user,
            )
        self.count += 1
        return [
            community_label(community),
            project.title,
            project.description,
            project.needs,
            _day(starts_on),
            _day(ends_on),
        ]


def export_projects(user, projects):
    def rows():
        for project in projects.select_related("community__parent"):
            yield [
                community_label(project.community),
                project.title,
                project.description,
                project.needs,
                _day(project.starts_on),
                _day(project.ends_on),
                STATUS_LABELS.get(project.status, project.status),
            ]

    output, count = excel.write_table(
        "服务项目", list(PROJECT_EXPORT_COLUMNS), rows(), {"标题": 28, "问题描述": 40}
    )
    audit_export(user, ServiceProject, count, {})
    return output
