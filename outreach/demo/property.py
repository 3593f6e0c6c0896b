"""Red property in seed_demo (run by outreach.demo.community): criteria, companies, estates,
contracts, evaluations and complaints."""

import datetime
from collections import Counter

from governance.models import Ledger, LedgerItem, LedgerKind, Source, Unit
from outreach import evaluation_periods as periods
from outreach.demo.names import person_name, phone
from outreach.models import (
    Estate,
    EvaluationCriterion,
    PropertyCompany,
    PropertyContract,
    PropertyEvaluation,
)
from outreach.services import property as property_services

COMPANIES = {
    "370116": (
        "鲁中物业服务有限公司",
        "莱芜凤城物业管理有限公司",
        "嬴城红色物业有限公司",
        "山钢物业服务有限公司",
        "汶源物业管理有限公司",
        "鹏泉物业服务有限公司",
    ),
    "350725": ("政和县熊山物业有限公司", "政和县星溪物业管理有限公司", "政和白茶小镇物业有限公司"),
}
CRITERIA = (("服务质量", 40), ("环境卫生", 25), ("安全管理", 20), ("党建引领", 15))


def _credit_code(rng) -> str:
    body = "9137" + "".join(rng.choice("0123456789") for _ in range(4)) + "MA"
    body += "".join(rng.choice(property_services.CREDIT_CHARS[:10]) for _ in range(7))
    total = sum(
        property_services.CREDIT_CHARS.index(c) * w
        for c, w in zip(body, property_services.CREDIT_WEIGHTS, strict=False)
    )
    return body + property_services.CREDIT_CHARS[(31 - total % 31) % 31]


def seed_property(district, communities, rng, created: Counter, today) -> None:
    if not EvaluationCriterion.objects.filter(district=district, is_active=True).exists():
        property_services.criteria_set(district=district, rows=list(CRITERIA), actor=None)
    companies = []
    for name in COMPANIES.get(district.code, ()):
        company = PropertyCompany.objects.filter(district=district, name=name).first()
        if company is None:
            company = property_services.company_register(
                district=district,
                name=name,
                credit_code=_credit_code(rng),
                contact_name=person_name(rng),
                contact_phone=phone(rng),
                actor=None,
            )
            created["companies"] += 1
        companies.append(company)
    urban = [c for c in communities if c.kind == Unit.Kind.COMMUNITY]
    since = datetime.date(today.year - 1, 1, 1)
    for i, community in enumerate(urban):
        if Estate.objects.filter(community=community).exists():
            continue
        for j, suffix in enumerate(("小区", "新苑")[: rng.randint(1, 2)]):
            estate = property_services.estate_add(
                community=community,
                name=f"{community.name.removesuffix('社区')}{suffix}",
                address=f"{community.name}{rng.randint(1, 99)}号",
                households=rng.randint(200, 1200),
                actor=None,
            )
            created["estates"] += 1
            property_services.contract_start(
                estate=estate,
                company=companies[(i + j) % len(companies)],
                started_on=since,
                actor=None,
            )
    quarter = periods.previous(periods.containing(today, periods.QUARTER))
    criteria = property_services.active_criteria(district)
    served = (
        PropertyContract.objects.filter(company__district=district)
        .current()
        .values_list("estate__community_id", "company_id")
        .distinct()
        .order_by("estate__community_id", "company_id")
    )
    units = {u.pk: u for u in urban}
    by_pk = {c.pk: c for c in companies}
    for community_id, company_id in served:
        if community_id not in units or company_id not in by_pk:
            continue
        if PropertyEvaluation.objects.filter(
            community_id=community_id, company_id=company_id, period=quarter
        ).exists():
            continue
        values = [rng.randint(70, 98) for _ in criteria]
        property_services.property_evaluate(
            community=units[community_id],
            company=by_pk[company_id],
            period=quarter,
            scores={c.pk: v for c, v in zip(criteria, values, strict=False)},
            note="",
            actor=None,
        )
        created["property evaluations"] += 1


def seed_complaints(district, created: Counter) -> None:
    huayuan = Unit.objects.filter(path__startswith=district.path).filter(name="花园社区").first()
    if huayuan is None:
        return
    estate = Estate.objects.filter(community=huayuan).first()
    ledger = Ledger.objects.filter(unit=huayuan, kind=LedgerKind.RECEPTION_DAY).first()
    if (
        estate is None
        or ledger is None
        or LedgerItem.objects.filter(ledger=ledger, source=Source.PROPERTY).exists()
    ):
        return
    contract = PropertyContract.objects.filter(estate=estate).current().first()
    for title in ("电梯经常停运，物业维修不及时", "小区绿化带长期无人修剪"):
        property_services.complaint_file(
            company=contract.company,
            estate=estate,
            ledger=ledger,
            title=title,
            description="居民到社区反映",
            resident_name="王秀英",
            resident_phone="13806341234",
            actor=None,
        )
        created["property complaints"] += 1
