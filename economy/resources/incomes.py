"""The sheet of village collective incomes (村集体经济收入): one row per village and year."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from economy import services
from economy.models import VillageIncome
from economy.resources.sheets import VILLAGE, VILLAGE_COLUMNS, Sheet, village_cells, wan
from governance.importing import RowProblem

INCOME_HEADERS = {
    "operating_income": "经营性收入",
    "resource_income": "资源发包收入",
    "asset_income": "资产租赁收入",
    "service_income": "服务创收",
    "investment_income": "投资收益",
    "other_income": "其他经营收入",
}


class IncomeSheet(Sheet):
    kind = "incomes"
    label = "村集体经济收入"
    anchor = "年度"
    required = ("年度", "经营性收入")
    columns = (
        "年度",
        *VILLAGE_COLUMNS,
        *(f"{h}（万元）" for h in INCOME_HEADERS.values()),
        "备注",
    )
    preview_columns = ("年度", VILLAGE, "经营性收入（元）")
    done_url = "economy:village-list"
    help_template = "economy/_import_help.html"
    title = _("Village collective incomes")

    def write(self, row):
        village = row.village()
        values = {
            f: row.money(h, required=f == "operating_income") for f, h in INCOME_HEADERS.items()
        }
        year = row.year()
        try:
            services.income_record(
                village=village, year=year, actor=self.user, note=row.text("备注")[:200], **values
            )
        except ValidationError as error:
            raise RowProblem(self.header("经营性收入"), " ".join(error.messages)) from None
        return [year, village.name, values["operating_income"]]

    def export_rows(self, unit, year):
        qs = (
            VillageIncome.objects.for_user(self.user)
            .within(unit)
            .select_related("village", "village__parent")
        )
        if year:
            qs = qs.filter(year=year)
        return [
            [
                i.year,
                *village_cells(i.village),
                *(wan(getattr(i, f)) for f in INCOME_HEADERS),
                i.note,
            ]
            for i in qs.order_by("-year", "village__path")
        ]
