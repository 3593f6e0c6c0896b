"""The sheet of village–enterprise pairings (村企结对): one row per pairing and year's results;
an enterprise not yet registered is registered at the village's township."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from economy import figures as fig
from economy import services
from economy.models import Enterprise, Pairing, PairingResult
from economy.resources.sheets import VILLAGE, VILLAGE_COLUMNS, Sheet, village_cells, wan
from governance.importing import RowProblem
from governance.models import Unit
from governance.normalize import clean_compact


class PairingSheet(Sheet):
    kind = "pairings"
    label = "村企结对"
    anchor = "企业名称"
    required = ("企业名称", "结对时间")
    columns = (
        *VILLAGE_COLUMNS,
        "企业名称",
        "统一社会信用代码",
        "结对时间",
        "共建内容",
        "年度",
        "企业投入（万元）",
        "带动增收（万元）",
        "带动就业（人）",
        "成效",
    )
    preview_columns = (VILLAGE, "企业名称", "结对时间", "年度")
    done_url = "economy:pairing-list"
    help_template = "economy/_import_help.html"
    title = _("Village–enterprise pairings")

    def write(self, row):
        village = row.village()
        name = row.text("企业名称", required=True)[:200]
        since = row.date("结对时间", required=True)
        enterprise = (
            Enterprise.objects.filter(
                unit__path__startswith=village.path[: Unit.steplen], name=name
            )
            .order_by("unit__depth", "pk")
            .first()
        )
        if enterprise is None:
            enterprise = services.enterprise_create(
                unit=village.parent,
                actor=self.user,
                name=name,
                credit_code=clean_compact(row.text("统一社会信用代码"))[:18],
            )
        agreement = row.text("共建内容")
        pairing = Pairing.objects.filter(
            village=village, enterprise=enterprise, ended_on__isnull=True
        ).first()
        if pairing is None:
            pairing = services.pairing_create(
                village=village,
                enterprise=enterprise,
                actor=self.user,
                since=since,
                agreement=agreement,
            )
        elif agreement and agreement != pairing.agreement:
            services.pairing_agreement_set(pairing=pairing, actor=self.user, agreement=agreement)
        year = None
        if row.text("年度"):
            year = row.year()
            try:
                services.pairing_result_record(
                    pairing=pairing,
                    actor=self.user,
                    year=year,
                    investment=row.money("企业投入"),
                    income_increase=row.money("带动增收"),
                    jobs=row.integer("带动就业（人）") or 0,
                    description=row.text("成效"),
                )
            except ValidationError as error:
                raise RowProblem("年度", " ".join(error.messages)) from None
        return [village.name, enterprise.name, since, year]

    def export_rows(self, unit, year):
        qs = (
            fig.pairings_of(unit, year, self.user)
            .select_related("village", "village__parent", "enterprise")
            .prefetch_related(Prefetch("results", PairingResult.objects.order_by("year")))
        )
        rows = []
        for p in qs.order_by("village__path", "enterprise__name", "pk"):
            results = [r for r in p.results.all() if year is None or r.year == year] or [None]
            for r in results:
                rows.append(
                    [
                        *village_cells(p.village),
                        p.enterprise.name,
                        p.enterprise.credit_code,
                        p.since,
                        p.agreement,
                        r.year if r else "",
                        wan(r.investment) if r else "",
                        wan(r.income_increase) if r else "",
                        r.jobs if r else "",
                        r.description if r else "",
                    ]
                )
        return rows
