"""Excel (.xlsx) import and export of contact activities (联系服务群众活动).

Column headers and the labels of 联系制度 are Chinese whatever the interface language: they are
data, and an exported file reads back in. Units and people are named as in the duties' sheet
(outreach.resources.duties). The import goes through governance.importing (upload → preview →
confirm, all or nothing): every row goes through the same service as the filing page
(outreach.services.contacts.activity_file), which raises each problem as a ledger item.
Exports hold only rows in the user's scope; names of people reached are masked unless the user
may see personal data over the activity's unit.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils.translation import gettext as _

from governance import access, excel
from governance.importing import Importer, RowProblem
from governance.models import DONE_STATUSES, AuditEvent
from governance.normalize import clean_compact
from outreach.models import ActivityProblem, ContactActivity, ContactSystem
from outreach.resources.duties import Lookup, audit, parse_date, split_names, texts
from outreach.services.contacts import activity_file

SYSTEM_LABELS = {
    ContactSystem.CONSULTATION: "共商共议",
    ContactSystem.PUBLICITY: "宣传宣讲",
    ContactSystem.VISITING: "走访接访",
    ContactSystem.TALK: "谈心谈话",
}
SYSTEM_BY_LABEL = {label: value for value, label in SYSTEM_LABELS.items()}

COLUMNS = ["日期", "联系制度", "覆盖单位", "牵头人", "牵头人单位", "参加人员", "地点",
           "覆盖人数", "群众姓名", "活动内容", "反映问题"]  # fmt: skip
REQUIRED = ["日期", "联系制度", "覆盖单位", "牵头人", "牵头人单位", "活动内容"]
EXPORT_COLUMNS = [*COLUMNS, "问题台账编号", "已答复", "已解决"]


class ContactImporter(Importer):
    label = "联系群众活动"
    model = ContactActivity
    columns = tuple(COLUMNS)
    required = tuple(REQUIRED)
    preview_columns = ("日期", "联系制度", "覆盖单位", "牵头人", "覆盖人数", "反映问题")
    help_template = "outreach/contacts/_import_help.html"

    def prepare(self, dataset) -> None:
        self.lookup = Lookup(self.user)
        self.created = 0

    def write_row(self, number: int, row: dict) -> list:
        try:
            activity, items = self._write(row)
        except PermissionDenied as error:
            raise RowProblem("", str(error)) from None
        self.created += 1
        return [
            activity.held_on,
            SYSTEM_LABELS[activity.system],
            activity.unit.name,
            activity.leader.name,
            activity.people_reached,
            len(items),
        ]

    def _write(self, record: dict):
        lookup, user = self.lookup, self.user
        text = texts(record, COLUMNS)
        for column in REQUIRED:
            if not text[column]:
                raise RowProblem(column, _("This column must be filled in."))
        system = SYSTEM_BY_LABEL.get(text["联系制度"])
        if system is None:
            raise RowProblem(
                "联系制度",
                _("Write one of: %(choices)s.") % {"choices": "、".join(SYSTEM_LABELS.values())},
            )
        unit = lookup.unit(text["覆盖单位"], "覆盖单位")
        leader = lookup.person(
            text["牵头人"], lookup.unit(text["牵头人单位"], "牵头人单位"), "牵头人"
        )
        attendees = [lookup.people_near(n, unit, "参加人员") for n in split_names(text["参加人员"])]
        reached = clean_compact(text["覆盖人数"]) or "0"
        if not reached.isdigit():
            raise RowProblem("覆盖人数", _("Write a whole number of people."))
        problems = [
            line.strip()
            for line in str(record.get("反映问题") or "")
            .replace("；", "\n")
            .replace(";", "\n")
            .splitlines()
        ]
        return activity_file(
            actor=user,
            system=system,
            unit=unit,
            leader=leader,
            held_on=parse_date(record["日期"], "日期"),
            summary=str(record.get("活动内容") or "").strip(),
            people_reached=int(reached),
            attendees=attendees,
            place=text["地点"],
            reached_names=text["群众姓名"],
            problems=problems,
        )

    def audit_detail(self, outcome) -> dict:
        return {"new": self.created}


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
        "联系群众活动", EXPORT_COLUMNS, lines(), {"活动内容": 40, "反映问题": 30}
    )
    audit(user, AuditEvent.Action.EXPORT, ContactActivity._meta.label_lower, count, {})
    return output
