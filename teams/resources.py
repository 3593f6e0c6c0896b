"""Excel (.xlsx) import of training sign-in sheets and exports of the teams registers.

Column headers are Chinese whatever the interface language: they are the data staff keep.

Sign-in import (签到表, governance.importing: upload, preview, confirm): columns 姓名
(required), 身份证号, 手机号, 所属单位. Each row names a person already registered in the user's
scope: by ID card number when given, otherwise by name (narrowed by 所属单位 or the phone's last
four digits when several share it). All or nothing: one row that names nobody, or several
people, and no row is added; every problem names the spreadsheet row, the column and the
reason. A person listed twice, or already on the list, is kept once.

Exports hold only rows in the user's scope, mask phones and ID numbers unless the user may see
personal data at the person's unit, and are recorded as AuditEvents.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access, excel
from governance import services as governance_services
from governance.importing import Importer, RowProblem
from governance.masking import mask_id_number, mask_phone
from governance.models import AuditEvent, Person
from governance.normalize import clean_compact, clean_text
from teams import rules
from teams.models import Attendance, TrainingSession
from teams.services.training import attendance_add


class SignInImporter(Importer):
    """The sign-in sheet of one training session (`session`)."""

    label = "培训签到"
    columns = ("姓名", "身份证号", "手机号", "所属单位")
    required = ("姓名",)
    preview_columns = ("姓名", "所属单位")
    help_template = "teams/training_import_help.html"

    def __init__(self, user, *, session: TrainingSession):
        super().__init__(user, session=session)
        self.session = session

    def prepare(self, dataset) -> None:
        self.people = Person.objects.for_user(self.user).select_related("unit")
        self.rows = 0
        self.added = 0

    def write_row(self, number: int, row: dict) -> list:
        person = self._person(row)
        self.added += attendance_add(actor=self.user, session=self.session, people=[person])
        self.rows += 1
        return [person.name, person.unit.name]

    def _person(self, row: dict) -> Person:
        name = clean_text(row.get("姓名"))
        number = clean_compact(row.get("身份证号")).upper()
        if number:
            person = self.people.filter(id_number=number).first()
            if person is None:
                raise RowProblem("身份证号", _("No one in your scope has this ID card number."))
            if name and person.name != name:
                raise RowProblem(
                    "姓名", _("The ID card number belongs to %(name)s.") % {"name": person.name}
                )
            return person
        if not name:
            raise RowProblem("姓名", _("This field is required."))
        matches = list(self.people.filter(name=name)[:50])
        unit = clean_text(row.get("所属单位"))
        if unit and len(matches) > 1:
            matches = [p for p in matches if p.unit.name == unit]
        phone = clean_compact(row.get("手机号"))
        if phone and len(matches) > 1:
            matches = [p for p in matches if p.phone and p.phone[-4:] == phone[-4:]]
        if not matches:
            raise RowProblem(
                "姓名",
                _("No one named %(name)s is registered in your scope; add them under People first.")
                % {"name": name},
            )
        if len(matches) > 1:
            raise RowProblem(
                "姓名",
                _("Several people are named %(name)s; add the ID card number.") % {"name": name},
            )
        return matches[0]

    def finish(self) -> list[tuple]:
        if not self.rows:
            return [(None, "", _("The file holds no rows."))]
        return []

    def audit_target(self) -> str:
        return "teams.attendance"

    def audit_unit(self):
        return self.session.unit

    def audit_detail(self, outcome) -> dict:
        return {"session": self.session.pk, "added": self.added}


def _response(title: str, headers: list[str], rows) -> tuple[HttpResponse, int]:
    output, count = excel.write_table(title, headers, rows)
    with output:
        return excel.response(output.read(), excel.file_name(title)), count


def _audit(user, target: str, count: int, unmasked: int) -> None:
    governance_services.audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        target=target,
        unit=access.primary_unit(user),
        row_count=count,
        detail={"unmasked_rows": unmasked},
    )


class _Masker:
    def __init__(self, user):
        self.user = user
        self.unmasked = 0
        self._cache: dict[int, bool] = {}

    def __call__(self, person: Person) -> tuple[str, str]:
        allowed = self._cache.get(person.unit_id)
        if allowed is None:
            allowed = access.can(self.user, "view_personal_data", person.unit)
            self._cache[person.unit_id] = allowed
        if allowed and (person.phone or person.id_number):
            self.unmasked += 1
            return person.phone, person.id_number or ""
        return mask_phone(person.phone), mask_id_number(person.id_number or "")


def training_export(*, user, sessions) -> HttpResponse:
    """One row per person signed in: 培训日期 培训名称 层级 主题 主讲人 地点 姓名 所属单位 手机号."""
    masker = _Masker(user)
    attendances = (
        Attendance.objects.filter(session__in=sessions.for_user(user).values("pk"))
        .select_related("session", "person__unit")
        .order_by("session__held_on", "session_id", "person__name")
    )

    def rows():
        for a in attendances.iterator(chunk_size=2000):
            phone, _id = masker(a.person)
            s = a.session
            yield [
                s.held_on,
                s.title,
                s.get_tier_display(),
                s.get_topic_display(),
                s.trainer,
                s.place,
                a.person.name,
                a.person.unit.name,
                phone,
            ]

    response, count = _response(
        "培训签到",
        ["培训日期", "培训名称", "层级", "主题", "主讲人", "地点", "姓名", "所属单位", "手机号"],
        rows(),
    )
    _audit(user, "teams.attendance", count, masker.unmasked)
    return response


def reserve_export(*, user, cadres) -> HttpResponse:
    masker = _Masker(user)
    day = timezone.localdate()
    cadres = (
        cadres.for_user(user)
        .select_related("village__parent", "person__unit")
        .order_by("village__path", "added_on", "pk")
    )

    def rows():
        for c in cadres.iterator(chunk_size=2000):
            phone, number = masker(c.person)
            yield [
                c.village.parent.name if c.village.parent else "",
                c.village.name,
                c.person.name,
                rules.age_on(c.person.birth_date, day),
                number,
                phone,
                c.get_education_display(),
                c.get_source_display(),
                c.added_on,
                c.removed_on,
            ]

    response, count = _response(
        "后备干部",
        [
            "乡镇街道",
            "村社区",
            "姓名",
            "年龄",
            "身份证号",
            "手机号",
            "学历",
            "来源",
            "纳入日期",
            "退出日期",
        ],
        rows(),
    )
    _audit(user, "teams.reservecadre", count, masker.unmasked)
    return response
