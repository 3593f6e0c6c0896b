"""Dual reporting in seed_demo (run by outreach.demo.community): work units posted to
communities, Party members, service projects with records, and evaluations."""

import datetime
from collections import Counter
from decimal import Decimal

from outreach import evaluation_periods as periods
from outreach.demo.names import person_name, phone
from outreach.models import ServiceProject, UnitEvaluation, WorkUnit, WorkUnitPosting
from outreach.services import dual as dual_services

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

PROJECTS = (
    ("周末助老理发", "理发志愿者2名"),
    ("楼道环境清理", "志愿者6名"),
    ("政策宣讲进小区", "宣讲员1名"),
    ("关爱留守儿童课后辅导", "辅导老师2名"),
)


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
            contact_name=person_name(rng),
            contact_phone=phone(rng),
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
                name=person_name(rng),
                phone=phone(rng),
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
