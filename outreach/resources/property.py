"""Excel (.xlsx) import and export of the red-property registers (红色物业): property
companies, estates (with the company serving them) and the communities' quarterly evaluations.

Headers are Chinese whatever the interface language, the labels of the pages' forms; rows are
written through outreach.services.property with the importing user as the actor (the same role
checks and rules as the pages). Communities are named as in outreach.resources.dual and must be
in the user's scope; a company is named by its unified social credit code or its name, among the
companies of the community's district the user sees.

Natural keys: re-importing a file creates nothing twice. A row whose key exists is a problem of
that row (nothing is updated):
- property company: its name in the district, and its credit code (the service refuses both);
- estate: community + estate name (the service refuses a second one);
- evaluation: community + company + quarter (the service refuses a second one).

The evaluation sheet has one column per active criterion of the district (its name, scored 0 to
100), so its template is the district's. Exports hold the rows of the list as filtered on the
page, in the user's scope, under the same headers (plus read-only columns the import ignores);
contact phones are masked and read back as no number. Exports are recorded as AuditEvents.
"""

from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _

from governance import excel
from governance.importing import Importer, RowProblem
from governance.masking import mask_phone
from governance.normalize import clean_compact, clean_text
from outreach.models import Estate, PropertyCompany, PropertyContract, PropertyEvaluation
from outreach.resources.dual import (
    Communities,
    audit_export,
    community_label,
    read_date,
    read_phone,
    required,
    through_service,
)
from outreach.services import property as services

COMPANY_COLUMNS = ("名称", "统一社会信用代码", "联系人", "联系电话")
COMPANY_REQUIRED = ("名称",)
ESTATE_COLUMNS = ("社区", "小区", "地址", "住户", "物业企业", "服务起始日期")
ESTATE_REQUIRED = ("社区", "小区")
EVALUATION_HEAD = ("社区", "物业企业", "季度")
EVALUATION_TAIL = ("备注",)


def _day(value) -> str:
    return value.isoformat() if value else ""


def _company(companies, row: dict, column: str) -> PropertyCompany:
    text = required(row, column)
    code = clean_compact(text).upper()
    found = list(companies.filter(Q(credit_code=code) | Q(name=text))[:2])
    if len(found) != 1:
        raise RowProblem(
            column, _("No property company “%(value)s” in your scope.") % {"value": text}
        )
    return found[0]


# Property companies ---------------------------------------------------------------------------


class CompanyImporter(Importer):
    """物业企业: registers each company with the page's district (scope `district`)."""

    label = "物业企业"
    model = PropertyCompany
    help_template = "outreach/property/_import_help.html"
    columns = COMPANY_COLUMNS
    required = COMPANY_REQUIRED

    def prepare(self, dataset):
        self.count = 0

    def write_row(self, number, row):
        name = required(row, "名称")
        with through_service("统一社会信用代码"):
            code = services.normalize_credit_code(clean_text(row.get("统一社会信用代码")))
        if code and PropertyCompany.objects.filter(credit_code=code).exists():
            raise RowProblem(
                "统一社会信用代码", _("A company with this credit code is already registered.")
            )
        phone = read_phone(row.get("联系电话"), "联系电话")
        with through_service("名称"):
            company = services.company_register(
                district=self.scope["district"],
                name=name,
                credit_code=code,
                contact_name=clean_text(row.get("联系人")),
                contact_phone=phone,
                actor=self.user,
            )
        self.count += 1
        return [
            company.name,
            company.credit_code or "",
            company.contact_name,
            mask_phone(company.contact_phone),
        ]


def export_companies(user, companies):
    def rows():
        for company in companies:
            yield [
                company.name,
                company.credit_code or "",
                company.contact_name,
                mask_phone(company.contact_phone),
            ]

    output, count = excel.write_table(
        "物业企业", list(COMPANY_COLUMNS), rows(), {"名称": 28, "统一社会信用代码": 22}
    )
    audit_export(user, PropertyCompany, count, {})
    return output


# Estates --------------------------------------------------------------------------------------


class EstateImporter(Importer):
    """小区: registers each estate of a community and, when 物业企业 is given, the company that
    serves it from 服务起始日期."""

    label = "小区"
    model = Estate
    help_template = "outreach/property/_import_help.html"
    columns = ESTATE_COLUMNS
    required = ESTATE_REQUIRED

    def prepare(self, dataset):
        self.communities = Communities(self.user)
        self.companies = PropertyCompany.objects.for_user(self.user).filter(is_active=True)
        self.count = 0

    def write_row(self, number, row):
        community = self.communities.get(row, "社区")
        name = required(row, "小区")
        households = clean_compact(row.get("住户")) or "0"
        if not households.isdigit():
            raise RowProblem("住户", _("Give the number of households as a whole number."))
        company = started_on = None
        if clean_text(row.get("物业企业")):
            company = _company(self.companies.filter(district=community.district), row, "物业企业")
            if not row.get("服务起始日期"):
                raise RowProblem("服务起始日期", _("Say since when the company serves the estate."))
            started_on = read_date(row.get("服务起始日期"), "服务起始日期")
        with through_service("小区"):
            estate = services.estate_add(
                community=community,
                name=name,
                address=clean_text(row.get("地址")),
                households=int(households),
                actor=self.user,
            )
        if company is not None:
            with through_service("物业企业"):
                services.contract_start(
                    estate=estate, company=company, started_on=started_on, actor=self.user
                )
        self.count += 1
        return [
            community_label(community),
            estate.name,
            estate.address,
            estate.households,
            company.name if company else "",
            _day(started_on),
        ]


def export_estates(user, estates):
    estates = estates.select_related("community__parent")
    current = {
        c.estate_id: c
        for c in PropertyContract.objects.filter(estate__in=estates)
        .current()
        .select_related("company")
    }

    def rows():
        for estate in estates:
            contract = current.get(estate.pk)
            yield [
                community_label(estate.community),
                estate.name,
                estate.address,
                estate.households,
                contract.company.name if contract else "",
                _day(contract.started_on) if contract else "",
            ]

    output, count = excel.write_table("小区", list(ESTATE_COLUMNS), rows(), {"小区": 24})
    audit_export(user, Estate, count, {})
    return output


# Evaluations ----------------------------------------------------------------------------------


def evaluation_columns(criteria) -> tuple[str, ...]:
    return (*EVALUATION_HEAD, *(c.name for c in criteria), *EVALUATION_TAIL)


class EvaluationImporter(Importer):
    """物业企业考评: each row is one community's evaluation of a company for a quarter
    ("2026-Q3"), one score column per active criterion of the district (scope `district`)."""

    label = "物业企业考评"
    model = PropertyEvaluation
    help_template = "outreach/property/_import_help.html"

    def __init__(self, user, **scope):
        super().__init__(user, **scope)
        self.criteria = services.active_criteria(scope.get("district"))
        self.columns = evaluation_columns(self.criteria)
        self.required = (*EVALUATION_HEAD, *(c.name for c in self.criteria))

    def prepare(self, dataset):
        self.communities = Communities(self.user)
        self.companies = PropertyCompany.objects.for_user(self.user).filter(
            district=self.scope["district"]
        )
        self.count = 0

    def write_row(self, number, row):
        community = self.communities.get(row, "社区")
        company = _company(self.companies, row, "物业企业")
        period = required(row, "季度")
        scores = {}
        for criterion in self.criteria:
            try:
                value = Decimal(clean_compact(row.get(criterion.name)))
            except (InvalidOperation, ValueError):
                value = None
            if value is None or not 0 <= value <= 100:
                raise RowProblem(
                    criterion.name, _("Score “%(name)s” from 0 to 100.") % {"name": criterion.name}
                )
            scores[criterion.pk] = value
        with through_service("季度"):
            evaluation = services.property_evaluate(
                community=community,
                company=company,
                period=period,
                scores=scores,
                note=str(row.get("备注") or ""),
                actor=self.user,
            )
        self.count += 1
        return [
            community_label(community),
            company.name,
            evaluation.period,
            *(scores[c.pk] for c in self.criteria),
            evaluation.note,
        ]


def export_evaluations(user, evaluations, criteria):
    """Evaluations with the district's active criteria as columns (scores matched by the
    criterion's name), then the weighted score (read-only)."""
    names = [c.name for c in criteria]

    def rows():
        for evaluation in evaluations.select_related("community__parent", "company"):
            scores = {s.name: s.score for s in evaluation.scores.all()}
            yield [
                community_label(evaluation.community),
                evaluation.company.name,
                evaluation.period,
                *(scores.get(name) for name in names),
                evaluation.note,
                evaluation.score,
            ]

    output, count = excel.write_table(
        "物业企业考评", [*evaluation_columns(criteria), "综合得分"], rows(), {"物业企业": 24}
    )
    audit_export(user, PropertyEvaluation, count, {})
    return output
