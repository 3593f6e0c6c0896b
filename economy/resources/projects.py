"""The sheet of collective-economy projects (集体经济项目): one row per project, matched by owner,
name and year; funding by source in 万元."""

import re

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from economy import figures as fig
from economy import services
from economy.models import (
    DevelopmentModel,
    FundingKind,
    Project,
    ProjectStatus,
    ProjectVillage,
)
from economy.resources.sheets import Sheet, wan
from governance.importing import RowProblem
from governance.models import Unit
from governance.normalize import clean_text

SEPARATORS = re.compile(r"[、,，;；\n]+")
PROJECT_STATUS_LABELS = {
    ProjectStatus.PLANNED: "计划",
    ProjectStatus.IN_PROGRESS: "在建",
    ProjectStatus.COMPLETED: "已完工",
    ProjectStatus.SUSPENDED: "暂停",
}
FUNDING_HEADERS = {
    FundingKind.HIGHER_LEVEL: "上级财政资金",
    FundingKind.VILLAGE: "村集体自筹",
    FundingKind.ENTERPRISE: "企业投资",
    FundingKind.LOAN: "金融贷款",
    FundingKind.SOCIAL: "社会资本",
    FundingKind.OTHER: "其他资金",
}


class ProjectSheet(Sheet):
    kind = "projects"
    label = "集体经济项目"
    anchor = "项目名称"
    required = ("项目名称", "年度", "所属单位")
    columns = (
        "项目名称",
        "年度",
        "所属单位",
        "涉及村（社区）",
        "发展模式",
        "预算（万元）",
        *(f"{h}（万元）" for h in FUNDING_HEADERS.values()),
        "状态",
        "进度（%）",
        "说明",
    )
    preview_columns = ("项目名称", "年度", "所属单位", "涉及村（社区）", "预算（元）")
    done_url = "economy:project-list"
    help_template = "economy/_import_help.html"
    title = gettext_lazy("Projects")

    def prepare(self, dataset) -> None:
        super().prepare(dataset)
        self.owners = {u.name: u for u in services.project_owners(self.user)}

    def write(self, row):
        owner_name = row.text("所属单位", required=True)
        owner = self.owners.get(owner_name)
        if owner is None:
            raise RowProblem(
                "所属单位",
                _("“%(unit)s” is not a township or district you keep projects for.")
                % {"unit": owner_name},
            )
        villages = []
        for name in filter(
            None, (clean_text(n) for n in SEPARATORS.split(row.text("涉及村（社区）")))
        ):
            township, _sep, village = name.rpartition("/")
            matches = [
                v
                for (t, n), units in self.villages.by_name.items()
                if n == village and (not township or t == township)
                for v in units
                if v.path.startswith(owner.path[: Unit.steplen])
            ]
            if len(matches) != 1:
                raise RowProblem(
                    "涉及村（社区）",
                    _("There is no village or community “%(name)s” in your scope.") % {"name": name}
                    if not matches
                    else _("Several villages are named “%(name)s”; write 乡镇/村.")
                    % {"name": name},
                )
            villages.append(matches[0])
        model = None
        if model_name := row.text("发展模式"):
            model = DevelopmentModel.objects.filter(
                district__path=owner.path[: Unit.steplen], name=model_name
            ).first()
            if model is None:
                raise RowProblem(
                    "发展模式",
                    _("“%(name)s” is not in the district's development models.")
                    % {"name": model_name},
                )
        funding = {kind: row.money(header) for kind, header in FUNDING_HEADERS.items()}
        name, year = row.text("项目名称", required=True)[:200], row.year()
        values = {"model": model, "budget": row.money("预算"), "description": row.text("说明")}
        existing = Project.objects.filter(owner_unit=owner, name=name, year=year).first()
        if existing is None:
            services.project_create(
                owner_unit=owner,
                actor=self.user,
                name=name,
                year=year,
                villages=villages,
                funding=funding,
                **values,
            )
        else:
            services.project_update(project=existing, actor=self.user, villages=villages, **values)
            for kind, amount in funding.items():
                services.funding_set(project=existing, actor=self.user, kind=kind, amount=amount)
        return [name, year, owner.name, "、".join(v.name for v in villages), values["budget"]]

    def export_rows(self, unit, year):
        qs = (
            fig.projects_of(unit, year, self.user)
            .select_related("owner_unit", "model")
            .prefetch_related(
                Prefetch(
                    "project_villages",
                    ProjectVillage.objects.select_related("village", "village__parent"),
                ),
                "funding",
            )
        )
        rows = []
        for p in qs.order_by("-year", "owner_unit__path", "name"):
            funding = {f.kind: f.amount for f in p.funding.all()}
            rows.append(
                [
                    p.name,
                    p.year,
                    p.owner_unit.name,
                    "、".join(
                        f"{pv.village.parent.name}/{pv.village.name}"
                        for pv in p.project_villages.all()
                    ),
                    p.model.name if p.model else "",
                    wan(p.budget),
                    *(wan(funding.get(kind, services.ZERO)) for kind in FUNDING_HEADERS),
                    PROJECT_STATUS_LABELS[p.status],
                    p.progress,
                    p.description,
                ]
            )
        return rows
