"""The community part of seed_demo: reception days, dual reporting and red property.

What it adds (demo scale, both districts)
- A reception-day schedule for every village and community that has a reception-day ledger
  (a weekday, 09:00–11:30 at its Party-mass service centre, its secretary where one is known).
- Sessions: every reception-day demand the ledger demo already registered (source RECEPTION_DAY,
  not yet tied to a session) is tied to a session of its community on the day it was received
  (one session per community and day), "answered on the spot" when it was resolved the same
  day; the item's source record becomes the session. So the reception figures agree with the
  ledger's own. 花园社区's latest reception day is left unrecorded, so its secretary has a
  reminder waiting.
- Dual reporting: Laiwu's 16 work units (Zhenghe: 4) posted to communities, one re-assigned
  (动态调整) with its history, Party members registered with masked phones, service projects
  (open, claimed, done) with service records, and evaluations for the last half-year, two
  units of 凤城街道 left to evaluate.
- Red property: weighted criteria per district (adding up to 100), property companies with
  valid unified social credit codes, estates of the communities served by them, evaluations
  for the last quarter by each community and property complaints entered
  into 花园社区's reception-day ledger through the ledger services.
- `--scale district`: the same linking of sessions and demands for every further village and
  community of Laiwu (bulk inserts), and a schedule for each.

Idempotent: each block runs only where its rows are missing (schedules per community, demands
per item, work units and companies by name, evaluations per unit/company, community, period).
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from governance.ledger.demo import localdate
from governance.models import (
    Ledger,
    LedgerItem,
    LedgerKind,
    Membership,
    Role,
    Source,
    Status,
    Unit,
)
from outreach import evaluation_periods as periods
from outreach.models import (
    Estate,
    EvaluationCriterion,
    PropertyCompany,
    PropertyContract,
    PropertyEvaluation,
    ReceptionDemand,
    ReceptionSchedule,
    ReceptionSession,
    ServiceProject,
    UnitEvaluation,
    WorkUnit,
    WorkUnitPosting,
)
from outreach.reminders.community import last_reception_day
from outreach.services import dual as dual_services
from outreach.services import property as property_services

DISTRICTS = ("370116", "350725")
CHUNK = 2000

LAIWU_UNITS = (
    ("区委组织部机关党支部", "office"),
    ("区委社会工作部机关党支部", "office"),
    ("区人社局机关党支部", "office"),
    ("区住建局机关党支部", "office"),
    ("区财政局机关党支部", "office"),
    ("区教体局机关党支部", "office"),
    ("区卫健局机关党支部", "office"),
    ("区民政局机关党支部", "office"),
    ("区市场监管局机关党支部", "office"),
    ("区自然资源局机关党支部", "office"),
    ("区人民医院党委", "institution"),
    ("莱芜区实验中学党支部", "institution"),
    ("区融媒体中心党支部", "institution"),
    ("国网莱芜供电公司党委", "enterprise"),
    ("莱芜农商银行党委", "enterprise"),
    ("山钢莱芜分公司第三党支部", "enterprise"),
)
ZHENGHE_UNITS = (
    ("县委组织部机关党支部", "office"),
    ("县人社局机关党支部", "office"),
    ("县医院党总支", "institution"),
    ("政和县白茶产业集团党支部", "enterprise"),
)
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
PROJECTS = (
    ("周末助老理发", "理发志愿者2名"),
    ("楼道环境清理", "志愿者6名"),
    ("政策宣讲进小区", "宣讲员1名"),
    ("关爱留守儿童课后辅导", "辅导老师2名"),
)
SURNAMES = "王李张刘亓陈吕杨赵韩孙朱高徐马魏段毕吴周"
GIVEN = "建国立新红梅志强海燕秀英文博晓东丽华春生明亮玉兰德胜"


def _districts():
    return {u.code: u for u in Unit.objects.filter(code__in=DISTRICTS, depth=1)}


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _phone(rng) -> str:
    return rng.choice(("138", "139", "150", "186", "133")) + f"{rng.randrange(10**8):08d}"


def _credit_code(rng) -> str:
    body = "9137" + "".join(rng.choice("0123456789") for _ in range(4)) + "MA"
    body += "".join(rng.choice(property_services.CREDIT_CHARS[:10]) for _ in range(7))
    total = sum(
        property_services.CREDIT_CHARS.index(c) * w
        for c, w in zip(body, property_services.CREDIT_WEIGHTS, strict=False)
    )
    return body + property_services.CREDIT_CHARS[(31 - total % 31) % 31]


def _in(district):
    return Unit.objects.filter(path__startswith=district.path)


def seed_schedules(communities, secretaries, rng, created: Counter) -> None:
    have = set(ReceptionSchedule.objects.values_list("community_id", flat=True))
    rows = []
    for community in communities:
        if community.pk in have:
            continue
        rows.append(
            ReceptionSchedule(
                community=community,
                weekday=rng.randrange(5),
                start_time=datetime.time(9),
                end_time=datetime.time(11, 30),
                place=f"{community.name}党群服务中心一楼接待室",
                secretary_id=secretaries.get(community.pk),
                valid_from=datetime.date(2024, 6, 1),
            )
        )
    ReceptionSchedule.objects.bulk_create(rows, batch_size=CHUNK)
    created["schedules"] += len(rows)


def link_demands(community_ids, created: Counter, *, keep_unrecorded=None) -> None:
    """Tie the reception-day items not yet tied to sessions of their community and day."""
    items = (
        LedgerItem.objects.filter(
            source=Source.RECEPTION_DAY,
            ledger__kind=LedgerKind.RECEPTION_DAY,
            ledger__unit_id__in=community_ids,
            reception_demand__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "ledger__unit_id", "received_at", "resolved_at", "status")
    )
    rows = list(items)
    if not rows:
        return
    schedules = {
        s.community_id: s for s in ReceptionSchedule.objects.filter(community_id__in=community_ids)
    }
    # The community's latest reception day (and anything after it) stays unrecorded.
    skip_from = None
    if keep_unrecorded in schedules:
        skip_from = last_reception_day(schedules[keep_unrecorded], timezone.localdate())
    sessions = {
        (s.community_id, s.date): s.pk
        for s in ReceptionSession.objects.filter(community_id__in=community_ids)
    }
    per_day = Counter((unit, localdate(received)) for _pk, unit, received, _r, _s in rows)
    new_sessions = []
    for (unit, day), count in sorted(per_day.items()):
        if (unit, day) in sessions or (unit == keep_unrecorded and skip_from and day >= skip_from):
            continue
        schedule = schedules.get(unit)
        new_sessions.append(
            ReceptionSession(
                community_id=unit,
                date=day,
                schedule=schedule,
                held_by_id=schedule.secretary_id if schedule else None,
                attendance=count + count // 2,
            )
        )
    ReceptionSession.objects.bulk_create(new_sessions, batch_size=CHUNK)
    created["sessions"] += len(new_sessions)
    sessions = {
        (s.community_id, s.date): s.pk
        for s in ReceptionSession.objects.filter(community_id__in=community_ids)
    }
    session_type = ContentType.objects.get_for_model(ReceptionSession)
    demands, items = [], []
    for pk, unit, received, resolved, status in rows:
        session = sessions.get((unit, localdate(received)))
        if session is None:
            continue
        on_spot = (
            resolved is not None
            and localdate(resolved) == localdate(received)
            and status != Status.HANDED_OVER
        )
        demands.append(ReceptionDemand(session_id=session, item_id=pk, answered_on_spot=on_spot))
        items.append(LedgerItem(pk=pk, source_type=session_type, source_id=session))
    with transaction.atomic():
        ReceptionDemand.objects.bulk_create(demands, batch_size=CHUNK)
        LedgerItem.objects.bulk_update(items, ["source_type", "source_id"], batch_size=500)
    created["demands"] += len(demands)


def seed_dual(district, communities, rng, created: Counter, today) -> None:
    names = LAIWU_UNITS if district.code == "370116" else ZHENGHE_UNITS
    if not communities:
        return
    started = datetime.date(today.year - 1, 3, 1)
    for i, (name, kind) in enumerate(names):
        if WorkUnit.objects.filter(district=district, name=name).exists():
            continue
        community = communities[i % len(communities)]
        unit = dual_services.work_unit_register(
            community=community,
            name=name,
            kind=kind,
            started_on=started,
            actor=None,
            contact_name=_name(rng),
            contact_phone=_phone(rng),
        )
        created["work units"] += 1
        if i == 2 and len(communities) > 1:
            dual_services.work_unit_reassign(
                work_unit=unit,
                community=communities[(i + 1) % len(communities)],
                on=datetime.date(today.year - 1, 9, 1),
                actor=None,
                reason="根据社区需求动态调整",
            )
        for _ in range(rng.randint(2, 4)):
            dual_services.member_register(
                community=dual_services.current_posting(unit).community,
                name=_name(rng),
                phone=_phone(rng),
                work_unit=unit,
                registered_on=started + datetime.timedelta(days=rng.randrange(60)),
                actor=None,
            )
            created["members"] += 1
    posted = {
        p.community_id: p.work_unit
        for p in WorkUnitPosting.objects.current()
        .filter(work_unit__district=district)
        .select_related("work_unit")
    }
    for community in communities:
        if (
            community.pk not in posted
            or ServiceProject.objects.filter(community=community).exists()
        ):
            continue
        unit = posted[community.pk]
        for j, (title, needs) in enumerate(rng.sample(PROJECTS, 3)):
            start = today - datetime.timedelta(days=40 - 15 * j)
            project = dual_services.project_publish(
                community=community,
                title=title,
                needs=needs,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=20),
                actor=None,
            )
            created["projects"] += 1
            if j == 2:
                continue  # still open for claiming
            dual_services.project_claim(project=project, actor=None, work_unit=unit)
            served = min(start + datetime.timedelta(days=3), today)
            dual_services.service_record_add(
                community=community,
                project=project,
                work_unit=unit,
                what=title,
                served_on=served,
                hours=Decimal(rng.choice((2, 3, 4, "2.5"))),
                people=rng.randint(2, 8),
                actor=None,
            )
            created["service records"] += 1
            if j == 0:
                dual_services.project_finish(project=project, actor=None)
    last_half = periods.previous(periods.containing(today, periods.HALF))
    start, end = periods.bounds(last_half)
    postings = (
        WorkUnitPosting.objects.filter(work_unit__district=district)
        .overlapping(start, end)
        .select_related("work_unit", "community")
        .order_by("pk")
    )
    left = 2
    for posting in postings:
        if UnitEvaluation.objects.filter(
            work_unit=posting.work_unit, community=posting.community, period=last_half
        ).exists():
            continue
        if left and posting.community.name == "花园社区":
            left -= 1
            continue
        score = Decimal(rng.randint(700, 980)) / 10
        dual_services.unit_evaluate(
            community=posting.community,
            work_unit=posting.work_unit,
            period=last_half,
            score=score,
            feedback=rng.choice(
                (
                    "积极参与社区志愿服务，认领项目完成及时，希望继续保持。",
                    "党员报到率高，服务时长达标；建议加强与网格员的日常联系。",
                    "服务项目完成较好，居民反映积极；下半年可多参与矛盾纠纷调解。",
                )
            ),
            actor=None,
        )
        created["unit evaluations"] += 1


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
                contact_name=_name(rng),
                contact_phone=_phone(rng),
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
    huayuan = _in(district).filter(name="花园社区").first()
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


def seed_community(*, stdout, scale="demo", rng):
    districts = _districts()
    if not districts:
        return
    created = Counter()
    today = timezone.localdate()
    secretaries = dict(
        Membership.objects.current(today)
        .filter(role=Role.COMMUNITY_SECRETARY, user__person__isnull=False)
        .values_list("unit_id", "user__person")
    )
    for code in DISTRICTS:
        district = districts.get(code)
        if district is None:
            continue
        with_ledgers = set(
            Ledger.objects.filter(kind=LedgerKind.RECEPTION_DAY).values_list("unit_id", flat=True)
        )
        communities = list(
            _in(district)
            .filter(kind__in=(Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE), pk__in=with_ledgers)
            .order_by("path")
        )
        if scale != "district":
            communities = communities[:40] if len(communities) > 40 else communities
        seed_schedules(communities, secretaries, rng, created)
        huayuan = next((c.pk for c in communities if c.name == "花园社区"), None)
        link_demands([c.pk for c in communities], created, keep_unrecorded=huayuan)
        # Work units and companies go to the demo's own communities first (花园社区 first).
        first = sorted(communities, key=lambda c: (c.name != "花园社区", c.path))[:16]
        seed_dual(district, first, rng, created, today)
        seed_property(district, first, rng, created, today)
        seed_complaints(district, created)
    if created.total():
        stdout.write(
            "社区工作演示数据：接待日安排 {schedules} 个、接待日 {sessions} 次、接待诉求 {demands} 件；"
            "双报到单位 {work units} 个、报到党员 {members} 人、服务项目 {projects} 个、服务记录 "
            "{service records} 条、单位评价 {unit evaluations} 条；物业企业 {companies} 家、小区 "
            "{estates} 个、物业评价 {property evaluations} 条、物业投诉 {property complaints} 件。".format_map(
                created
            )
        )
