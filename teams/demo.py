"""The teams app's part of seed_demo (registered in TeamsConfig.ready).

What it adds, for 莱芜区 and 政和县
- The district's rules (3 reserve cadres per village, secondments up to 6 months, scores due by
  the 10th) and four monthly scoring criteria (工作实绩 40, 服务群众 30, 学习培训 10,
  考勤纪律 20).
- Per village/community: its Party leader, 1-5 reserve cadres (so that some villages fall
  below 3 and show on the shortfall list), community workers (communities 3-6, villages 1-2).
  花园社区 (shequ_shuji's) always has five workers.
- Monthly scores for the last eight months through `scores_save` (a few months left out, so
  quarters show missing months); the previous half-year's ranking of 凤城街道 is published.
- Training: the district's six sessions (三级培训), one per township, some in villages, with
  sign-in lists drawn from the people to be trained (some left out: "not trained this year").
- Secondments: approved and returned, unapproved, overdue and overlong ones.
- Staffing quotas of every township, with Laiwu's additions of 10 administrative and 90
  public-institution posts (莱编发〔2025〕18号) apportioned over its townships.
- 43 community Party-building brands in Laiwu and five model communities a year.
- Zhenghe: talent registry, the talent window's requests (无息购房借款 …), salons ('夜话经济',
  人才沙龙) with 85 '惊喜点' project ideas and their follow-up, gig workers, job postings and
  placements.
- `--scale district`: every village/community of Laiwu gets reserve cadres (~3,000 in all),
  leaders and workers with monthly scores (bulk inserts, quarters and rankings rebuilt), and
  Zhenghe's gig-work market 5,202 registered workers.

Idempotent: each part is skipped for a district that already has rows of it.
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from governance.management.commands.seed_demo import (
    FEMALE_CHARS,
    LAIWU,
    MALE_CHARS,
    MOBILE_PREFIXES,
    ZHENGHE,
    foundation_plan,
)
from governance.models import Membership, Person, Role, Unit
from teams import rules
from teams.models import (
    Attendance,
    BrandTheme,
    CommunityWorker,
    Education,
    GigWorker,
    JobPosting,
    ModelCommunity,
    MonthlyScore,
    PartyBrand,
    Placement,
    ProjectIdea,
    QuarterlyAssessment,
    QuotaKind,
    ReserveCadre,
    ReserveSource,
    Salon,
    ScoreCriterion,
    ScoreLine,
    Secondment,
    StaffingQuota,
    Talent,
    TalentRequest,
    TeamsPolicy,
    Topic,
    TrainingSession,
    VillageLeader,
)
from teams.services.assessments import (
    quarters_rebuild,
    ranking_publish,
    ranking_refresh,
    scores_save,
)
from teams.services.brands import brand_save, model_community_add
from teams.services.salons import idea_create, idea_follow_up, salon_save
from teams.services.secondments import secondment_save
from teams.services.staffing import quota_add, quota_set
from teams.services.training import training_create

DISTRICTS = {LAIWU.code: LAIWU, ZHENGHE.code: ZHENGHE}
CRITERIA = (("工作实绩", 40), ("服务群众", 30), ("学习培训", 10), ("考勤纪律", 20))
SCORED_MONTHS = 8
BRAND_NAMES = (
    "红心暖夕阳",
    "幸福童年",
    "书香邻里",
    "健康驿站",
    "邻里守望",
    "银龄互助",
    "四点半课堂",
    "爱心食堂",
    "红色港湾",
    "同心圆",
    "家门口的课堂",
    "暖心帮扶",
    "杏林惠民",
    "安心托育",
    "夕阳红",
    "助残之家",
)
THEMES = (
    BrandTheme.CHILDCARE,
    BrandTheme.EDUCATION,
    BrandTheme.HEALTH,
    BrandTheme.ELDERLY,
    BrandTheme.VULNERABLE,
)
OFFICES = ("区委办公室", "区信访局", "区行政审批服务局", "街道党政办", "区创城办")
SALON_TITLES = (
    "夜话经济·茶产业",
    "夜话经济·文旅融合",
    "夜话经济·电商直播",
    "人才沙龙·返乡创业",
    "人才沙龙·乡村振兴",
    "夜话经济·白茶品牌",
    "人才沙龙·科技特派员",
    "夜话经济·民宿经济",
    "人才沙龙·青年人才",
    "夜话经济·竹木加工",
)
IDEAS = (
    "白茶民宿",
    "茶旅研学线路",
    "直播带货基地",
    "竹编文创",
    "林下经济示范",
    "乡村咖啡馆",
    "茶园认养",
    "农产品冷链",
    "古村落修缮",
    "红色研学",
    "青年创业孵化",
    "康养基地",
)
JOBS = (
    ("政和白茶有限公司", "采茶工", "150元/天"),
    ("政和竹具厂", "竹编工", "4500元/月"),
    ("县物流园", "装卸工", "180元/天"),
    ("城区家政公司", "家政服务员", "4000元/月"),
    ("锦屏村民宿", "客房服务员", "3500元/月"),
    ("县建筑公司", "钢筋工", "300元/天"),
)


class People:
    """Makes the Person rows the demo needs (no ID numbers), in bulk."""

    def __init__(self, district, rng: random.Random):
        self.district = district
        self.rng = rng
        self.pending: list[Person] = []

    def make(self, unit: Unit, *, age=(25, 55), posts: str = "", party: bool = True) -> Person:
        rng = self.rng
        female = rng.random() < 0.45
        chars = FEMALE_CHARS if female else MALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
        today = timezone.localdate()
        born = datetime.date(today.year - rng.randint(*age), rng.randint(1, 12), rng.randint(1, 28))
        person = Person(
            name=rng.choice(self.district.surnames) + given,
            gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
            phone=rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}",
            birth_date=born,
            unit=unit,
            is_party_member=party and rng.random() < 0.8,
            posts=posts,
        )
        self.pending.append(person)
        return person

    def save(self) -> None:
        Person.objects.bulk_create(self.pending, batch_size=2000)
        self.pending = []


def _actor(district: Unit):
    """Whom the demo acts as in a district (every service checks its actor): the district's
    administrator, else a superuser."""
    membership = (
        Membership.objects.filter(unit=district, role=Role.DISTRICT_ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def seed_teams(*, stdout, scale, rng):
    districts = {u.code: u for u in Unit.objects.filter(code__in=DISTRICTS, depth=1)}
    if not districts:
        return
    created = Counter()
    today = timezone.localdate()
    foundation = {p.code for p in foundation_plan().units}
    for code, district in sorted(districts.items()):
        data = DISTRICTS[code]
        with transaction.atomic():
            _rules(district)
            people = People(data, rng)
            units = list(
                Unit.objects.filter(
                    path__startswith=district.path,
                    kind__in=Unit.KINDS_BY_LEVEL[3],
                    is_active=True,
                ).order_by("path")
            )
            demo_units = [u for u in units if u.code in foundation]
            if scale == "district" and code == LAIWU.code:
                demo_units = units
            _leaders_reserve_workers(district, demo_units, people, rng, created, today)
        _scores(district, rng, created, today, bulk=scale == "district")
        with transaction.atomic():
            _training(district, people, rng, created, today)
            _secondments(district, rng, created, today)
            _staffing(district, data, rng, created)
            if code == LAIWU.code:
                _brands(district, rng, created, today)
            if code == ZHENGHE.code:
                _talent(district, People(data, rng), rng, created, today)
                _employment(
                    district,
                    People(data, rng),
                    rng,
                    created,
                    today,
                    total=5202 if scale == "district" else 300,
                )
    if created.total():
        stdout.write(
            "队伍建设演示数据："
            + "、".join(f"{label} {count}" for label, count in sorted(created.items()))
            + "。\n"
        )


def _rules(district):
    TeamsPolicy.objects.get_or_create(district=district)
    if not ScoreCriterion.objects.filter(district=district).exists():
        for order, (name, points) in enumerate(CRITERIA, start=1):
            ScoreCriterion.objects.create(
                district=district, name=name, max_points=Decimal(points), order=order
            )


def _leaders_reserve_workers(district, units, people, rng, created, today):
    have_leader = set(VillageLeader.objects.within(district).values_list("village_id", flat=True))
    have_reserve = set(ReserveCadre.objects.within(district).values_list("village_id", flat=True))
    have_workers = set(
        CommunityWorker.objects.within(district).values_list("community_id", flat=True)
    )
    leaders, cadres, workers = [], [], []
    for unit in units:
        community = unit.kind == Unit.Kind.COMMUNITY
        if unit.pk not in have_leader:
            person = people.make(unit, age=(35, 58), posts="党组织书记")
            term = datetime.date(2021, 1, 1)
            leaders.append(
                VillageLeader(
                    village=unit,
                    person=person,
                    post=VillageLeader.Post.SECRETARY_DIRECTOR
                    if rng.random() < 0.7
                    else VillageLeader.Post.SECRETARY,
                    term_start=term,
                    term_end=datetime.date(2026, 12, 31),
                    education=rng.choice([Education.COLLEGE, Education.BACHELOR, Education.SENIOR]),
                    profile=f"{unit.name}党组织书记，带领群众发展特色产业。",
                )
            )
        if unit.pk not in have_reserve:
            n = 5 if unit.name == "花园社区" else rng.choice([1, 2, 3, 3, 4, 4, 5])
            for _i in range(n):
                person = people.make(unit, age=(22, 40), posts="后备干部")
                cadres.append(
                    ReserveCadre(
                        village=unit,
                        person=person,
                        education=rng.choice(
                            [
                                Education.SENIOR,
                                Education.COLLEGE,
                                Education.BACHELOR,
                                Education.BACHELOR,
                            ]
                        ),
                        source=rng.choice(ReserveSource.values[:-2]),
                        added_on=today - datetime.timedelta(days=rng.randint(30, 900)),
                    )
                )
        if unit.pk not in have_workers:
            n = (
                5
                if unit.name == "花园社区"
                else (rng.randint(3, 6) if community else rng.randint(1, 2))
            )
            for _i in range(n):
                person = people.make(unit, age=(23, 50), posts="社区工作者")
                workers.append(
                    CommunityWorker(
                        person=person,
                        community=unit,
                        post=rng.choice(["网格员", "综合岗", "民政岗", "党建岗"]),
                        started_on=today - datetime.timedelta(days=rng.randint(400, 3000)),
                    )
                )
    people.save()
    for rows in (leaders, cadres, workers):
        for row in rows:
            row.person_id = row.person.pk
    VillageLeader.objects.bulk_create(leaders, batch_size=2000)
    ReserveCadre.objects.bulk_create(cadres, batch_size=2000)
    CommunityWorker.objects.bulk_create(workers, batch_size=2000)
    created["村党组织带头人"] += len(leaders)
    created["后备干部"] += len(cadres)
    created["社区工作者"] += len(workers)


def _months(today):
    last = rules.add_months(rules.month_start(today), -1)
    return [rules.add_months(last, -i) for i in range(SCORED_MONTHS - 1, -1, -1)]


def _points(rng, criteria, good: float):
    return {
        c.pk: Decimal(
            max(0, min(int(c.max_points), round(float(c.max_points) * good + rng.uniform(-3, 2))))
        )
        for c in criteria
    }


def _scores(district, rng, created, today, *, bulk: bool):
    actor = _actor(district)
    if MonthlyScore.objects.within(district).exists():
        return
    criteria = list(rules.criteria_for(district))
    months = _months(today)
    workers = list(
        CommunityWorker.objects.within(district)
        .active()
        .select_related("community")
        .order_by("community__path", "pk")
    )
    skill = {w.pk: rng.uniform(0.72, 0.97) for w in workers}
    if not bulk:
        by_community = {}
        for worker in workers:
            by_community.setdefault(worker.community, []).append(worker)
        for community, members in by_community.items():
            for month in months:
                rows = [
                    {"worker": w, "version": None, "points": _points(rng, criteria, skill[w.pk])}
                    for w in members
                    if rng.random() > 0.06  # now and then a month is left out
                ]
                if rows:
                    scores_save(
                        actor=actor, community=community, month=month, rows=rows, today=today
                    )
                    created["月度评分"] += len(rows)
    else:
        scores, lines = [], []
        for w in workers:
            for month in months:
                if rng.random() < 0.04:
                    continue
                points = _points(rng, criteria, skill[w.pk])
                scores.append(MonthlyScore(worker=w, month=month, total=sum(points.values())))
                lines.append(points)
        MonthlyScore.objects.bulk_create(scores, batch_size=5000)
        ScoreLine.objects.bulk_create(
            (
                ScoreLine(score=s, criterion_id=c, points=p)
                for s, points in zip(scores, lines, strict=True)
                for c, p in points.items()
            ),
            batch_size=5000,
        )
        created["月度评分"] += len(scores)
        quarters = sorted({(m.year, rules.quarter_of(m)) for m in months})
        QuarterlyAssessment.objects.filter(worker__in=workers).delete()
        for year, quarter in quarters:
            for start in range(0, len(workers), 2000):
                quarters_rebuild(
                    actor=actor,
                    workers=workers[start : start + 2000],
                    year=year,
                    quarter=quarter,
                    today=today,
                )
    townships = Unit.objects.filter(path__startswith=district.path, kind__in=Unit.KINDS_BY_LEVEL[2])
    halves = sorted({(m.year, rules.half_of(m)) for m in months})
    for township in townships:
        for year, half in halves:
            ranking_refresh(actor=actor, township=township, year=year, half=half, today=today)
    # The previous half year of 凤城街道 is published (半年一晾晒).
    previous = rules.add_months(datetime.date(today.year, 1 if today.month <= 6 else 7, 1), -6)
    from teams.models import Ranking

    for ranking in Ranking.objects.filter(
        unit__path__startswith=district.path,
        unit__name="凤城街道",
        year=previous.year,
        half=rules.half_of(previous),
    ):
        if ranking.entries.exists() and not ranking.is_published:
            ranking_publish(actor=actor, ranking=ranking)


def _training(district, people, rng, created, today):
    actor = _actor(district)
    if TrainingSession.objects.within(district).exists():
        return
    townships = list(
        Unit.objects.filter(
            path__startswith=district.path, kind__in=Unit.KINDS_BY_LEVEL[2]
        ).order_by("path")
    )
    villages = list(
        Unit.objects.filter(
            path__startswith=district.path, kind__in=Unit.KINDS_BY_LEVEL[3]
        ).order_by("path")[:40]
    )
    year = today.year
    sessions = [
        (district, title, topic, trainer)
        for title, topic, trainer in (
            (
                "全区村（社区）党组织书记乡村振兴专题培训",
                Topic.RURAL_REVITALISATION,
                "区委党校 王教授",
            ),
            ("矛盾纠纷多元化解专题培训", Topic.MEDIATION, "区司法局 李科长"),
            ("基层党务工作实务培训", Topic.PARTY_AFFAIRS, "区委组织部 张科长"),
            ("网格化治理能力提升培训", Topic.GOVERNANCE, "区委社会工作部 刘部长"),
            ("后备干部能力素质提升班", Topic.SKILLS, "区委党校 陈老师"),
            ("基层法治与政策解读", Topic.POLICY, "区司法局 赵律师"),
        )
    ]
    sessions += [(t, f"{t.name}社区工作者业务培训", Topic.GOVERNANCE, "") for t in townships]
    sessions += [(v, f"{v.name}两委干部学习会", Topic.PARTY_AFFAIRS, "") for v in villages[::4]]
    from teams import figures

    start = datetime.date(year, 1, 1)
    span = max((today - start).days, 1)
    for i, (unit, title, topic, trainer) in enumerate(sessions):
        held = start + datetime.timedelta(days=(i * 37) % span)
        session = training_create(
            actor=actor,
            unit=unit,
            title=title,
            topic=topic,
            trainer=trainer,
            held_on=held,
            place=f"{unit.name}党群服务中心",
        )
        pool = list(figures.to_be_trained(unit, today).values_list("pk", flat=True)[:400])
        chosen = [pk for pk in pool if rng.random() < 0.45]
        Attendance.objects.bulk_create(
            [Attendance(session=session, person_id=pk) for pk in chosen], ignore_conflicts=True
        )
        created["培训签到"] += len(chosen)
    created["培训班次"] += len(sessions)


def _secondments(district, rng, created, today):
    actor = _actor(district)
    if Secondment.objects.within(district).exists():
        return
    workers = list(
        CommunityWorker.objects.within(district)
        .active()
        .select_related("community")
        .order_by("pk")[:60]
    )
    rng.shuffle(workers)
    plans = [
        # (months ago started, planned months, returned?, approved?)
        (8, 3, True, True),
        (5, 2, True, True),
        (4, 6, False, False),  # unapproved
        (5, 3, False, True),  # overdue
        (3, 9, False, True),  # planned longer than allowed
        (1, 2, False, True),
    ]
    for worker, (ago, planned, returned, approved) in zip(workers, plans, strict=False):
        started = rules.add_months(today, -ago)
        planned_end = rules.add_months(started, planned)
        secondment_save(
            actor=actor,
            worker=worker,
            to_office=rng.choice(OFFICES),
            reason="专项工作",
            started_on=started,
            planned_end_on=planned_end,
            returned_on=planned_end if returned else None,
            approval_document=f"组干字〔{started.year}〕{rng.randint(1, 60)}号" if approved else "",
            approved_on=started if approved else None,
        )
        created["借调记录"] += 1


def _staffing(district, data, rng, created):
    actor = _actor(district)
    if StaffingQuota.objects.within(district).exists():
        return
    townships = list(
        Unit.objects.filter(
            path__startswith=district.path, kind__in=Unit.KINDS_BY_LEVEL[2]
        ).order_by("path")
    )
    quotas = {}
    for t in townships:
        for kind, low, high in (
            (QuotaKind.ADMINISTRATIVE, 28, 45),
            (QuotaKind.PUBLIC_INSTITUTION, 40, 80),
        ):
            allocated = rng.randint(low, high)
            quotas[(t.pk, kind)] = quota_set(
                actor=actor,
                township=t,
                kind=kind,
                allocated=allocated,
                filled=allocated - rng.randint(0, 4),
            )
            created["编制"] += 1
    if data.code == LAIWU.code and townships:
        for kind, total in ((QuotaKind.ADMINISTRATIVE, 10), (QuotaKind.PUBLIC_INSTITUTION, 90)):
            share, extra = divmod(total, len(townships))
            for i, t in enumerate(townships):
                posts = share + (1 if i < extra else 0)
                if posts:
                    quota_add(
                        actor=actor,
                        quota=quotas[(t.pk, kind)],
                        posts=posts,
                        approved_on=datetime.date(2025, 9, 1),
                        document="莱编发〔2025〕18号",
                    )
                    created["新增编制"] += posts


def _brands(district, rng, created, today):
    actor = _actor(district)
    if PartyBrand.objects.within(district).exists():
        return
    communities = list(
        Unit.objects.filter(path__startswith=district.path, kind=Unit.Kind.COMMUNITY).order_by(
            "path"
        )
    )
    if not communities:
        return
    for i in range(43):
        community = communities[i % len(communities)]
        theme = THEMES[i % len(THEMES)] if i % 9 else BrandTheme.OTHER
        name = f"{BRAND_NAMES[i % len(BRAND_NAMES)]}" + (
            f"·{i // len(BRAND_NAMES) + 1}" if i >= len(BRAND_NAMES) else ""
        )
        if PartyBrand.objects.filter(community=community, name=name).exists():
            continue
        brand_save(
            actor=actor,
            community=community,
            name=name,
            theme=theme,
            year=today.year - (i % 3),
            description=f"{community.name}以“{name}”为品牌，围绕{theme.label}开展党建引领服务。",
        )
        created["党建品牌"] += 1
    for year in (today.year - 1, today.year):
        for community in rng.sample(communities, min(5, len(communities))):
            if not ModelCommunity.objects.filter(community=community, year=year).exists():
                model_community_add(
                    actor=actor,
                    community=community,
                    year=year,
                    citation=f"{year}年度党建引领样板社区",
                )
                created["样板社区"] += 1


def _talent(district, people, rng, created, today):
    actor = _actor(district)
    if Talent.objects.within(district).exists():
        return
    townships = list(
        Unit.objects.filter(
            path__startswith=district.path, kind__in=Unit.KINDS_BY_LEVEL[2]
        ).order_by("path")
    )
    talents = []
    for i in range(40):
        unit = townships[i % len(townships)] if townships else district
        person = people.make(unit, age=(24, 50), posts="人才")
        talents.append(
            Talent(
                unit=unit,
                person=person,
                category=rng.choice(Talent.Category.values),
                specialty=rng.choice(
                    ["茶叶加工", "电子商务", "乡村规划", "中医", "教育", "农业技术"]
                ),
                employer=rng.choice(
                    ["县茶业协会", "县医院", "县第一中学", "返乡创业", "县农业农村局"]
                ),
                registered_on=today - datetime.timedelta(days=rng.randint(10, 700)),
            )
        )
    people.save()
    for t in talents:
        t.person_id = t.person.pk
    Talent.objects.bulk_create(talents)
    created["人才"] += len(talents)
    statuses = [
        TalentRequest.Status.SUBMITTED,
        TalentRequest.Status.REVIEWING,
        TalentRequest.Status.APPROVED,
        TalentRequest.Status.DONE,
        TalentRequest.Status.REJECTED,
    ]
    for i, talent in enumerate(talents[:28]):
        home_loan = i % 3 != 2
        status = statuses[i % len(statuses)]
        TalentRequest.objects.create(
            talent=talent,
            kind=TalentRequest.Kind.HOME_LOAN
            if home_loan
            else rng.choice([TalentRequest.Kind.SCHOOLING, TalentRequest.Kind.HOUSING]),
            amount=Decimal(rng.choice([100000, 150000, 200000])) if home_loan else None,
            status=status,
            submitted_on=today - datetime.timedelta(days=rng.randint(5, 200)),
            decided_on=today
            if status
            in (
                TalentRequest.Status.APPROVED,
                TalentRequest.Status.REJECTED,
                TalentRequest.Status.DONE,
            )
            else None,
        )
        created["人才服务申请"] += 1
    ideas_left = 85
    for i, title in enumerate(SALON_TITLES):
        salon = salon_save(
            actor=actor,
            unit=district,
            kind=Salon.Kind.NIGHT_TALK if "夜话" in title else Salon.Kind.SALON,
            title=title,
            held_on=today - datetime.timedelta(days=20 + 30 * i),
            place="政和县人才驿站",
            participants=rng.randint(20, 60),
            summary="围绕产业发展和人才服务交流，收集“惊喜点”项目。",
        )
        created["沙龙座谈"] += 1
        count = ideas_left if i == len(SALON_TITLES) - 1 else min(ideas_left, rng.randint(7, 10))
        ideas_left -= count
        for j in range(count):
            idea = idea_create(
                actor=actor,
                salon=salon,
                title=f"{IDEAS[(i + j) % len(IDEAS)]}项目{j + 1}",
                proposer=rng.choice(["返乡青年", "茶企负责人", "科技特派员", "村书记"]),
            )
            created["惊喜点项目"] += 1
            roll = rng.random()
            if roll < 0.7:
                idea_follow_up(
                    actor=actor,
                    idea=idea,
                    status=ProjectIdea.Status.FOLLOWING,
                    note="已对接相关部门",
                )
                if roll < 0.35:
                    idea_follow_up(
                        actor=actor, idea=idea, status=ProjectIdea.Status.LANDED, note="项目已落地"
                    )
            elif roll < 0.8:
                idea_follow_up(
                    actor=actor, idea=idea, status=ProjectIdea.Status.DROPPED, note="条件暂不具备"
                )


def _employment(district, people, rng, created, today, *, total: int):
    have = GigWorker.objects.within(district).count()
    if have >= total:
        return
    units = list(
        Unit.objects.filter(
            path__startswith=district.path, kind__in=Unit.KINDS_BY_LEVEL[2]
        ).order_by("path")
    ) or [district]
    gigs = []
    for i in range(total - have):
        unit = units[i % len(units)]
        person = people.make(unit, age=(20, 60), posts="零工", party=False)
        gigs.append(
            GigWorker(
                unit=unit,
                person=person,
                skills=rng.choice(["采茶", "竹编", "装卸", "家政", "泥瓦工", "电工", "餐饮"]),
                registered_on=today - datetime.timedelta(days=rng.randint(1, 700)),
                is_available=rng.random() < 0.6,
            )
        )
    people.save()
    for g in gigs:
        g.person_id = g.person.pk
    GigWorker.objects.bulk_create(gigs, batch_size=2000)
    created["零工"] += len(gigs)
    if JobPosting.objects.within(district).exists():
        return
    postings = []
    for i in range(max(25, total // 40)):
        employer, title, wage = JOBS[i % len(JOBS)]
        postings.append(
            JobPosting.objects.create(
                unit=units[i % len(units)],
                employer=employer,
                title=title,
                positions=rng.randint(20, 120),
                wage=wage,
                posted_on=today - datetime.timedelta(days=rng.randint(1, 300)),
            )
        )
    created["招聘岗位"] += len(postings)
    placements = []
    for g in gigs:
        if rng.random() < 0.6:
            posting = postings[rng.randrange(len(postings))]
            placed = rng.random() < 0.5
            matched = max(posting.posted_on, g.registered_on)
            placements.append(
                Placement(
                    posting=posting,
                    worker=g,
                    status=Placement.Status.PLACED if placed else Placement.Status.MATCHED,
                    matched_on=matched,
                    placed_on=matched if placed else None,
                )
            )
    Placement.objects.bulk_create(placements, batch_size=2000, ignore_conflicts=True)
    created["就业匹配"] += len(placements)
