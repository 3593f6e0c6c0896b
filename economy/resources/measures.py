"""The sheet of income measures (增收措施): one row per measure, matched by village and title."""

from django.utils.translation import gettext_lazy as _

from economy import figures as fig
from economy import services
from economy.models import IncomeMeasure, MeasureStatus
from economy.resources.sheets import VILLAGE, VILLAGE_COLUMNS, Sheet, village_cells, wan

MEASURE_STATUS_LABELS = {
    MeasureStatus.PLANNED: "未开始",
    MeasureStatus.IN_PROGRESS: "推进中",
    MeasureStatus.DONE: "已完成",
    MeasureStatus.CANCELLED: "已取消",
}


class MeasureSheet(Sheet):
    kind = "measures"
    label = "增收措施"
    anchor = "增收措施"
    required = ("增收措施", "责任人", "完成时限")
    columns = (
        *VILLAGE_COLUMNS,
        "增收措施",
        "责任人",
        "目标金额（万元）",
        "完成时限",
        "状态",
        "完成日期",
        "备注",
    )
    preview_columns = (VILLAGE, "增收措施", "责任人", "完成时限", "状态")
    done_url = "economy:measure-list"
    help_template = "economy/_import_help.html"
    title = _("Income measures")

    def write(self, row):
        village = row.village()
        values = {
            "owner_name": row.text("责任人", required=True)[:50],
            "target_amount": row.money("目标金额"),
            "deadline": row.date("完成时限", required=True),
            "status": row.choice("状态", MEASURE_STATUS_LABELS, MeasureStatus.PLANNED),
            "note": row.text("备注"),
        }
        values["done_on"] = row.date("完成日期") if values["status"] == MeasureStatus.DONE else None
        title = row.text("增收措施", required=True)[:200]
        existing = IncomeMeasure.objects.filter(village=village, title=title).first()
        if existing:
            services.measure_update(measure=existing, actor=self.user, **values)
        else:
            services.measure_create(village=village, actor=self.user, title=title, **values)
        return [
            village.name,
            title,
            values["owner_name"],
            values["deadline"],
            MEASURE_STATUS_LABELS[values["status"]],
        ]

    def export_rows(self, unit, year):
        qs = fig.measures_of(unit, year, self.user).select_related("village", "village__parent")
        return [
            [
                *village_cells(m.village),
                m.title,
                m.owner_name,
                wan(m.target_amount),
                m.deadline,
                MEASURE_STATUS_LABELS[m.status],
                m.done_on,
                m.note,
            ]
            for m in qs.order_by("village__path", "deadline", "pk")
        ]
