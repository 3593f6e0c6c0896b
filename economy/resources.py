"""Excel (.xlsx) import and export of incomes, measures, projects and pairings, with Chinese
column headers (data, not UI text: a file reads back the same whoever exported it).

Money columns say their unit in the header: “经营性收入（万元）” is read in 万元 and multiplied by
10,000 exactly (Decimal), “经营性收入（元）” or a header without a unit is read in yuan. A cell
that is not a plain number (“abc”, “1,2,3”, “1.2.3”, a negative) is refused with the row and
column; more than two decimals in yuan are refused, not rounded.

Every import is all or nothing: each row is read, checked and written through the services in
one transaction; if any row fails, the transaction is rolled back and the problems are listed by
spreadsheet row (the header is row 1, a title row above it shifts the numbers as Excel shows).
Villages are named by 乡镇（街道） + 村（社区） (or 村（社区）代码); only villages the importer
keeps records of (manage_ledgers) may be written. Exports hold the rows in the user's scope.
Both are recorded as AuditEvents.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from economy import figures as fig
from economy import services
from economy.models import (
    VILLAGE_KINDS,
    DevelopmentModel,
    Enterprise,
    FundingKind,
    IncomeMeasure,
    MeasureStatus,
    Pairing,
    PairingResult,
    Project,
    ProjectStatus,
    ProjectVillage,
    VillageIncome,
)
from governance import access, excel
from governance.excel import SheetError
from governance.models import AuditEvent, Unit
from governance.normalize import clean_compact, clean_text

MAX_ROWS = 5_000
_UNIT_SUFFIX = re.compile(r"^(?P<base>.+?)\s*[（(]\s*(?P<unit>万元|元)\s*[)）]$")
_SEPARATORS = re.compile(r"[、,，;；\n]+")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

TOWNSHIP = "乡镇（街道）"
VILLAGE = "村（社区）"
VILLAGE_CODE = "村（社区）代码"

MEASURE_STATUS_LABELS = {
    MeasureStatus.PLANNED: "未开始",
    MeasureStatus.IN_PROGRESS: "推进中",
    MeasureStatus.DONE: "已完成",
    MeasureStatus.CANCELLED: "已取消",
}
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
INCOME_HEADERS = {
    "operating_income": "经营性收入",
    "resource_income": "资源发包收入",
    "asset_income": "资产租赁收入",
    "service_income": "服务创收",
    "investment_income": "投资收益",
    "other_income": "其他经营收入",
}


@dataclass
class Problem:
    row: int | None
    column: str
    reason: str


class RowError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _text(value) -> str:
    return clean_text(_cell(value))


@dataclass
class Header:
    """The file's headers: base name (without the unit) → (header as written, yuan per unit)."""

    columns: dict[str, tuple[str, Decimal]] = field(default_factory=dict)

    @classmethod
    def read(cls, headers: list[str]) -> "Header":
        found = cls()
        for header in headers:
            header = clean_text(header)
            match = _UNIT_SUFFIX.match(header)
            if match:
                unit = services.WAN if match["unit"] == "万元" else Decimal(1)
                found.columns[match["base"]] = (header, unit)
            elif header:
                found.columns.setdefault(header, (header, Decimal(1)))
        return found

    def has(self, base: str) -> bool:
        return base in self.columns


@dataclass
class Row:
    number: int
    cells: dict
    header: Header

    def text(self, base: str, *, required: bool = False) -> str:
        name, _unit = self.header.columns.get(base, (base, 1))
        value = _text(self.cells.get(name))
        if required and not value:
            raise RowError(name, _("This field is required."))
        return value

    def money(self, base: str, *, required: bool = False) -> Decimal:
        name, unit = self.header.columns.get(base, (base, Decimal(1)))
        raw = _cell(self.cells.get(name))
        if required and (raw is None or clean_text(raw) == ""):
            raise RowError(name, _("This field is required."))
        try:
            return services.to_money(raw, unit=unit)
        except ValidationError as error:
            raise RowError(name, " ".join(error.messages)) from None

    def integer(self, base: str, *, required: bool = False, low=0, high=10**9) -> int | None:
        text = self.text(base, required=required)
        if not text:
            return None
        name = self.header.columns.get(base, (base, 1))[0]
        if not re.fullmatch(r"\d+", text) or not (low <= int(text) <= high):
            raise RowError(name, _("“%(value)s” is not a whole number.") % {"value": text})
        return int(text)

    def year(self, base: str = "年度") -> int:
        text = self.text(base, required=True).removesuffix("年")
        name = self.header.columns.get(base, (base, 1))[0]
        if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
            raise RowError(name, _("“%(value)s” is not a year such as 2025.") % {"value": text})
        return int(text)

    def date(self, base: str, *, required: bool = False) -> datetime.date | None:
        name = self.header.columns.get(base, (base, 1))[0]
        value = self.cells.get(name)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = clean_compact(_cell(value))
        if not text:
            if required:
                raise RowError(name, _("This field is required."))
            return None
        for pattern in _DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise RowError(name, _("“%(value)s” is not a date such as 2025-06-30.") % {"value": text})

    def choice(self, base: str, labels: dict, default=None):
        text = self.text(base)
        if not text:
            return default
        by_label = {label: value for value, label in labels.items()}
        by_label.update({str(value): value for value in labels})
        if text in by_label:
            return by_label[text]
        raise RowError(
            self.header.columns.get(base, (base, 1))[0],
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": "、".join(labels.values())},
        )


class Villages:
    """The villages the importer may see, found by code or by township + name (one query)."""

    def __init__(self, user):
        self.user = user
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[tuple[str, str], list[Unit]] = {}
        for unit in (
            Unit.objects.for_user(user).filter(kind__in=VILLAGE_KINDS).select_related("parent")
        ):
            if unit.code:
                self.by_code[unit.code] = unit
            self.by_name.setdefault((unit.parent.name, unit.name), []).append(unit)

    def find(self, row: Row) -> Unit:
        code = clean_compact(row.cells.get(row.header.columns.get(VILLAGE_CODE, ("", 1))[0]))
        if code:
            unit = self.by_code.get(code)
            if unit is None:
                raise RowError(
                    VILLAGE_CODE,
                    _("There is no village or community with the code “%(code)s” in your scope.")
                    % {"code": code},
                )
        else:
            township, name = row.text(TOWNSHIP, required=True), row.text(VILLAGE, required=True)
            found = self.by_name.get((township, name), [])
            if len(found) != 1:
                raise RowError(
                    VILLAGE,
                    _("There is no village or community “%(name)s” in %(township)s in your scope.")
                    % {"name": name, "township": township}
                    if not found
                    else _("Several units are named “%(name)s”; give the code.") % {"name": name},
                )
            unit = found[0]
        if not access.can(self.user, "manage_ledgers", unit):
            raise RowError(
                VILLAGE, _("“%(unit)s” is outside the units you manage.") % {"unit": unit.name}
            )
        return unit


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class Importer:
    """Subclasses set `kind`, `label`, `required` and `columns` and write one row in `write_row`."""

    kind = ""
    label = ""
    required: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()

    def __init__(self, user):
        self.user = user

    def run(self, data: bytes, file_name: str = "") -> Outcome:
        outcome = Outcome()
        try:
            dataset = excel.read_table(data, max_rows=MAX_ROWS)
        except SheetError as error:
            outcome.problems.append(Problem(None, "", str(error)))
            return outcome
        header = Header.read(list(dataset.headers or []))
        missing = [c for c in self.required if not header.has(c)]
        if missing:
            outcome.problems.append(
                Problem(
                    None,
                    "",
                    _("The file lacks the columns: %(columns)s.") % {"columns": "、".join(missing)},
                )
            )
            return outcome
        rows = [
            Row(number=i + 2, cells=dict(zip(dataset.headers, values, strict=False)), header=header)
            for i, values in enumerate(dataset)
            if any(_text(v) for v in values)
        ]
        if not rows:
            outcome.problems.append(
                Problem(None, "", _("The file has no data rows below the column headers."))
            )
            return outcome
        if len(rows) > MAX_ROWS:
            outcome.problems.append(
                Problem(None, "", _("One file imports at most %(max)s rows.") % {"max": MAX_ROWS})
            )
            return outcome
        self.prepare()
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        self.write_row(row)
                    outcome.written += 1
                except RowError as error:
                    outcome.problems.append(Problem(row.number, error.column, error.reason))
                except ValidationError as error:
                    for message in error.messages:
                        outcome.problems.append(Problem(row.number, "", message))
                except IntegrityError:
                    outcome.problems.append(
                        Problem(
                            row.number, "", _("This row conflicts with a record already saved.")
                        )
                    )
            if outcome.problems:
                transaction.set_rollback(True)
                outcome.written = 0
            else:
                services_audit(
                    self.user, AuditEvent.Action.IMPORT, self.kind, outcome.written, file_name
                )
        return outcome

    def prepare(self) -> None:
        self.villages = Villages(self.user)

    def write_row(self, row: Row) -> None:
        raise NotImplementedError

    # Export ---------------------------------------------------------------------------------

    def export_rows(self, unit: Unit, year: int | None) -> list[list]:
        raise NotImplementedError

    def workbook(self, unit: Unit, year: int | None) -> bytes:
        rows = self.export_rows(unit, year)
        output, count = excel.write_table(self.label, list(self.columns), rows)
        services_audit(self.user, AuditEvent.Action.EXPORT, self.kind, count, "", unit)
        with output:
            return output.read()

    def blank(self) -> bytes:
        return excel.blank_table(self.label, list(self.columns))


def _wan(amount: Decimal) -> Decimal:
    return services.to_wan(amount)


def services_audit(user, action, kind, count, file_name, unit=None):
    from governance import services as gov

    gov.audit_record(
        actor=user,
        action=action,
        target=f"economy.{kind}",
        unit=unit or access.primary_unit(user),
        row_count=count,
        detail={"file": file_name} if file_name else {},
    )


def _village_cells(unit: Unit) -> list:
    return [unit.parent.name if unit.parent_id else "", unit.name, unit.code or ""]


# Incomes ----------------------------------------------------------------------------------


class IncomeImporter(Importer):
    kind = "incomes"
    label = "村集体经济收入"
    required = ("年度", "经营性收入")
    columns = (
        "年度",
        TOWNSHIP,
        VILLAGE,
        VILLAGE_CODE,
        *(f"{h}（万元）" for h in INCOME_HEADERS.values()),
        "备注",
    )

    def write_row(self, row: Row) -> None:
        village = self.villages.find(row)
        values = {
            f: row.money(h, required=f == "operating_income") for f, h in INCOME_HEADERS.items()
        }
        try:
            services.income_record(
                village=village,
                year=row.year(),
                actor=self.user,
                note=row.text("备注")[:200],
                **values,
            )
        except ValidationError as error:
            raise RowError(row.header.columns["经营性收入"][0], " ".join(error.messages)) from None

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
                *_village_cells(i.village),
                *(_wan(getattr(i, f)) for f in INCOME_HEADERS),
                i.note,
            ]
            for i in qs.order_by("-year", "village__path")
        ]


# Measures ---------------------------------------------------------------------------------


class MeasureImporter(Importer):
    kind = "measures"
    label = "增收措施"
    required = ("增收措施", "责任人", "完成时限")
    columns = (
        TOWNSHIP,
        VILLAGE,
        VILLAGE_CODE,
        "增收措施",
        "责任人",
        "目标金额（万元）",
        "完成时限",
        "状态",
        "完成日期",
        "备注",
    )

    def write_row(self, row: Row) -> None:
        village = self.villages.find(row)
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
            services.measure_update(measure=existing, **values)
        else:
            services.measure_create(village=village, title=title, **values)

    def export_rows(self, unit, year):
        qs = fig.measures_of(unit, year, self.user).select_related("village", "village__parent")
        return [
            [
                *_village_cells(m.village),
                m.title,
                m.owner_name,
                _wan(m.target_amount),
                m.deadline,
                MEASURE_STATUS_LABELS[m.status],
                m.done_on,
                m.note,
            ]
            for m in qs.order_by("village__path", "deadline", "pk")
        ]


# Projects ---------------------------------------------------------------------------------


class ProjectImporter(Importer):
    kind = "projects"
    label = "集体经济项目"
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

    def prepare(self) -> None:
        super().prepare()
        from economy.views_projects import _owners

        self.owners = {u.name: u for u in _owners(self.user)}

    def write_row(self, row: Row) -> None:
        owner_name = row.text("所属单位", required=True)
        owner = self.owners.get(owner_name)
        if owner is None:
            raise RowError(
                "所属单位",
                _("“%(unit)s” is not a township or district you keep projects for.")
                % {"unit": owner_name},
            )
        villages = []
        for name in filter(
            None, (clean_text(n) for n in _SEPARATORS.split(row.text("涉及村（社区）")))
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
                raise RowError(
                    "涉及村（社区）",
                    _("There is no village or community “%(name)s” in your scope.") % {"name": name}
                    if not matches
                    else _("Several villages are named “%(name)s”; write 乡镇/村.")
                    % {"name": name},
                )
            villages.append(matches[0])
        model = None
        model_name = row.text("发展模式")
        if model_name:
            model = DevelopmentModel.objects.filter(
                district__path=owner.path[: Unit.steplen], name=model_name
            ).first()
            if model is None:
                raise RowError(
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
                owner_unit=owner, name=name, year=year, villages=villages, funding=funding, **values
            )
        else:
            services.project_update(project=existing, villages=villages, **values)
            for kind, amount in funding.items():
                services.funding_set(project=existing, kind=kind, amount=amount)

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
                    _wan(p.budget),
                    *(_wan(funding.get(kind, services.ZERO)) for kind in FUNDING_HEADERS),
                    PROJECT_STATUS_LABELS[p.status],
                    p.progress,
                    p.description,
                ]
            )
        return rows


# Pairings ---------------------------------------------------------------------------------


class PairingImporter(Importer):
    kind = "pairings"
    label = "村企结对"
    required = ("企业名称", "结对时间")
    columns = (
        TOWNSHIP,
        VILLAGE,
        VILLAGE_CODE,
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

    def write_row(self, row: Row) -> None:
        village = self.villages.find(row)
        name = row.text("企业名称", required=True)[:200]
        since = row.date("结对时间", required=True)
        district_path = village.path[: Unit.steplen]
        enterprise = (
            Enterprise.objects.filter(unit__path__startswith=district_path, name=name)
            .order_by("unit__depth", "pk")
            .first()
        )
        if enterprise is None:
            enterprise = services.enterprise_create(
                unit=village.parent,
                name=name,
                credit_code=clean_compact(row.text("统一社会信用代码"))[:18],
            )
        pairing = Pairing.objects.filter(
            village=village, enterprise=enterprise, ended_on__isnull=True
        ).first()
        if pairing is None:
            pairing = services.pairing_create(
                village=village, enterprise=enterprise, since=since, agreement=row.text("共建内容")
            )
        elif row.text("共建内容") and row.text("共建内容") != pairing.agreement:
            pairing.agreement = row.text("共建内容")
            pairing.save(update_fields=["agreement"])
        if row.text("年度"):
            try:
                services.pairing_result_record(
                    pairing=pairing,
                    year=row.year(),
                    investment=row.money("企业投入"),
                    income_increase=row.money("带动增收"),
                    jobs=row.integer("带动就业（人）") or 0,
                    description=row.text("成效"),
                )
            except ValidationError as error:
                raise RowError("年度", " ".join(error.messages)) from None

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
                        *_village_cells(p.village),
                        p.enterprise.name,
                        p.enterprise.credit_code,
                        p.since,
                        p.agreement,
                        r.year if r else "",
                        _wan(r.investment) if r else "",
                        _wan(r.income_increase) if r else "",
                        r.jobs if r else "",
                        r.description if r else "",
                    ]
                )
        return rows


IMPORTERS: dict[str, Callable] = {
    "incomes": IncomeImporter,
    "measures": MeasureImporter,
    "projects": ProjectImporter,
    "pairings": PairingImporter,
}
