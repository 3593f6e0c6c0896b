"""The economy's part of seed_demo (registered in EconomyConfig.ready).

What it adds, for 莱芜区 and 政和县
- The district's income bands (below 10万, 10–50万, 50–100万, 100万 and above) and the eight
  development models of Laiwu's 村级集体经济跃升行动.
- Every village and community: operating income for the last four years (this one included),
  split into its sources to the cent, growing most years so that villages move up bands (跃升),
  a few falling back; one or two development models; one to three income measures with
  deadlines this year (most past ones done, some late, shown red).
- Projects: Laiwu's six projects holding 3020万元 of higher-level fiscal funds (上级财政资金) and
  a street project of 凤城街道, Zhenghe's two; each with a milestone tree (weights), progress
  recorded on part of the leaves through the services, so the roll-up is the real one.
- Enterprises and village–enterprise pairings with yearly results; common-prosperity companies
  (共富公司) in six Laiwu townships, their shareholding villages, revenue and dividends.
- `--scale district`: every Laiwu village of the district-scale tree gets incomes, models and
  measures (bulk inserts), and pairings are extended to 507 villages with 281 enterprises.

Idempotent: bands and models when the district has none; incomes, models and measures for
villages that have none; projects and companies by name; pairings up to the target counts.
Each village draws from a random stream of its own (seeded by its code), so its data does not
depend on which other villages were seeded in the same run.
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from economy import services
from economy.models import (
    VILLAGE_KINDS,
    DevelopmentModel,
    Enterprise,
    IncomeBand,
    IncomeMeasure,
    MeasureStatus,
    Milestone,
    Pairing,
    PairingResult,
    Project,
    ProsperityCompany,
    VillageIncome,
    VillageModel,
)
from governance.management.commands.seed_demo import LAIWU, ZHENGHE, foundation_plan
from governance.models import Unit

WAN = Decimal(10000)
CENT = Decimal("0.01")
BANDS = (
    ("10万元以下", 0, 100000),
    ("10万—50万元", 100000, 500000),
    ("50万—100万元", 500000, 1000000),
    ("100万元以上", 1000000, None),
)
MODELS = (
    ("资源开发型", "发包集体山林、水面、“四荒”地等资源收取承包费"),
    ("资产租赁型", "盘活闲置校舍、厂房、办公用房等集体资产对外租赁"),
    ("服务创收型", "成立劳务、物业、农机等服务组织承接服务取得收入"),
    ("土地股份合作型", "土地经营权入股合作社，统一经营、按股分红"),
    ("乡村旅游型", "依托山水和红色资源发展民宿、采摘、研学"),
    ("产业带动型", "发展特色种养、农产品加工，村集体参股或领办"),
    ("物业经济型", "建设标准化厂房、商铺、仓储设施收取租金"),
    ("联合发展型", "多村抱团、强村带弱村，联合投资共享收益"),
)
MEASURES = (
    "盘活闲置校舍对外租赁",
    "集体林地、果园重新发包",
    "成立劳务合作社承接村内工程",
    "土地流转收取服务费",
    "建设大棚对外出租",
    "发展乡村民宿与采摘游",
    "屋顶光伏发电收益",
    "领办农机服务合作社",
    "清理收回被侵占集体资产",
    "参股镇级共富公司取得分红",
    "开展农产品电商销售",
    "建设小型仓储冷库出租",
)
SURNAMES = "王李张刘亓陈吕杨赵韩孙朱高徐马魏段毕吴周"
GIVEN = "建国军伟强明志海涛磊勇峰刚鹏飞斌华林波文东庆振兴成俊杰宏广德永春秀英丽娟敏静燕玲芳霞"
ENTERPRISE_PREFIXES = (
    "莱芜", "泰钢", "鲁中", "汶源", "嬴城", "雪野", "九龙", "凤城", "鹏泉", "口镇", "钢城",
    "莲河", "香山", "龙潭", "吉山", "茶乡", "山泉", "金鼎", "华兴", "聚丰", "润土", "康源",
    "恒通", "盛和", "瑞丰", "绿源", "天元", "中兴", "齐鲁", "泰山",
)  # fmt: skip
ENTERPRISE_SUFFIXES = (
    ("钢铁集团有限公司", "钢铁"), ("农业科技有限公司", "农业"), ("建材有限公司", "建材"),
    ("食品有限公司", "食品加工"), ("旅游开发有限公司", "文旅"), ("物流有限公司", "物流"),
    ("机械制造有限公司", "制造"), ("生态农业有限公司", "农业"), ("电力工程有限公司", "能源"),
    ("商贸有限公司", "商贸"), ("生物科技有限公司", "生物医药"), ("建筑工程有限公司", "建筑"),
    ("新能源有限公司", "能源"), ("矿业有限公司", "矿业"), ("纺织有限公司", "纺织"),
)  # fmt: skip
AGREEMENTS = (
    "产业帮扶：企业订单收购村集体农产品，保底价收购",
    "就业帮扶：优先吸纳村民到企业务工，开展技能培训",
    "资金帮扶：企业出资参与村级集体经济项目建设",
    "消费帮扶：企业食堂定向采购村内农副产品",
    "项目共建：企业与村集体合作建设厂房，租金归村集体",
    "技术帮扶：企业派技术人员指导特色种养",
)
# Laiwu's six funded projects (上级财政资金 3020万元 in all) and the street's own.
PROJECTS = {
    LAIWU.name: (
        ("牛泉镇", "牛泉镇农产品冷链仓储项目", "资产租赁型", ("牛泉村", "刘家庄村"),
         {"higher_level": 600, "village": 80}),
        ("茶业口镇", "茶业口镇乡村旅游民宿集群项目", "乡村旅游型", ("卧云铺村", "逯家岭村"),
         {"higher_level": 550, "enterprise": 200}),
        ("大王庄镇", "大王庄镇标准化厂房建设项目", "物业经济型", ("大王庄村", "下水河村"),
         {"higher_level": 500, "village": 60}),
        ("苗山镇", "苗山镇分布式光伏发电项目", "联合发展型", ("苗山村", "常庄村", "东泉村"),
         {"higher_level": 450, "loan": 150}),
        ("寨里镇", "寨里镇大棚蔬菜产业园项目", "产业带动型", ("寨里村", "小寨村"),
         {"higher_level": 520, "social": 100}),
        ("", "莱芜区村级集体经济抱团发展项目", "联合发展型", ("和庄村", "杨庄村", "南冶村"),
         {"higher_level": 400, "village": 50}),
        ("凤城街道", "凤城街道社区物业服务提升项目", "服务创收型", ("花园社区", "府前社区"),
         {"village": 120}),
    ),
    ZHENGHE.name: (
        ("东平镇", "东平镇白茶初制加工厂项目", "产业带动型", ("东平村", "凤头村"),
         {"higher_level": 300, "enterprise": 120}),
        ("镇前镇", "镇前镇高山茶园提质项目", "资源开发型", ("镇前村", "茶溪村"),
         {"higher_level": 180, "village": 30}),
    ),
}  # fmt: skip
MILESTONES = (
    ("前期手续", 1, (("立项批复", 1), ("用地及规划手续", 1))),
    ("工程建设", 3, (("主体工程", 2), ("配套设施", 1))),
    ("竣工验收", 1, ()),
    ("运营见效", 1, ()),
)
COMPANY_TOWNSHIPS = ("茶业口镇", "大王庄镇", "和庄镇", "牛泉镇", "苗山镇", "杨庄镇")
DISTRICT_PAIRED_VILLAGES = 507
DISTRICT_ENTERPRISES = 281
BATCH = 2000


def _rng(key: str) -> random.Random:
    return random.Random(f"economy:{key}")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _yuan(value: float) -> Decimal:
    return Decimal(int(value * 100)) / 100


def _split(total: Decimal, shares: list[int]) -> list[Decimal]:
    """Split an amount by integer shares, exact to the cent (the last part takes the rest)."""
    weight = sum(shares)
    parts = [(total * s / weight).quantize(CENT, rounding="ROUND_DOWN") for s in shares[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]


def seed_economy(*, stdout, scale, rng):
    districts = list(Unit.objects.filter(depth=1, name__in=(LAIWU.name, ZHENGHE.name)))
    if not districts:
        return
    created = Counter()
    today = timezone.localdate()
    foundation = {u.code for u in foundation_plan().units}
    for district in districts:
        _bands_and_models(district, created)
        villages = list(
            Unit.objects.filter(path__startswith=district.path, kind__in=VILLAGE_KINDS)
            .select_related("parent")
            .order_by("path")
        )
        if scale != "district":
            villages = [v for v in villages if v.code in foundation]
        _village_records(district, villages, today, created)
        _projects(district, today, created)
        target = None
        if scale == "district" and district.name == LAIWU.name:
            target = (DISTRICT_PAIRED_VILLAGES, DISTRICT_ENTERPRISES)
        _pairings(district, villages, today, target, created)
        if district.name == LAIWU.name:
            _companies(district, today, created)
    if created.total():
        stdout.write(
            "集体经济演示数据：收入记录 {incomes} 条、增收措施 {measures} 条、项目 {projects} 个、"
            "企业 {enterprises} 家、村企结对 {pairings} 对、共富公司 {companies} 家。".format_map(
                created
            )
        )


def _bands_and_models(district: Unit, created: Counter) -> None:
    if not IncomeBand.objects.filter(district=district).exists():
        IncomeBand.objects.bulk_create(
            IncomeBand(district=district, name=name, lower=lower, upper=upper)
            for name, lower, upper in BANDS
        )
    if not DevelopmentModel.objects.filter(district=district).exists():
        DevelopmentModel.objects.bulk_create(
            DevelopmentModel(district=district, name=name, description=text, order=i)
            for i, (name, text) in enumerate(MODELS, start=1)
        )


def _village_records(district: Unit, villages: list[Unit], today, created: Counter) -> None:
    models = list(DevelopmentModel.objects.filter(district=district).order_by("order"))
    with_income = set(
        VillageIncome.objects.filter(village__in=villages).values_list("village_id", flat=True)
    )
    with_models = set(
        VillageModel.objects.filter(village__in=villages).values_list("village_id", flat=True)
    )
    with_measures = set(
        IncomeMeasure.objects.filter(village__in=villages).values_list("village_id", flat=True)
    )
    incomes, links, measures = [], [], []
    year = today.year
    for village in villages:
        rng = _rng(village.code or str(village.pk))
        if village.pk not in with_income:
            incomes.extend(_incomes(village, rng, year))
        if village.pk not in with_models:
            for model in rng.sample(models, rng.choice((1, 1, 2))):
                links.append(
                    VillageModel(village=village, model=model, since_year=rng.randint(2019, year))
                )
        if village.pk not in with_measures:
            measures.extend(_measures(village, rng, today))
    VillageIncome.objects.bulk_create(incomes, batch_size=BATCH)
    VillageModel.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    IncomeMeasure.objects.bulk_create(measures, batch_size=BATCH)
    created["incomes"] += len(incomes)
    created["measures"] += len(measures)


def _incomes(village: Unit, rng: random.Random, year: int) -> list[VillageIncome]:
    roll = rng.random()
    if roll < 0.3:
        base = rng.uniform(40000, 99000)
    elif roll < 0.8:
        base = rng.uniform(100000, 480000)
    elif roll < 0.93:
        base = rng.uniform(500000, 950000)
    else:
        base = rng.uniform(1000000, 3500000)
    rows = []
    amount = base
    shares = [rng.randint(0, 6) for _ in VillageIncome.SOURCE_FIELDS]
    shares[rng.randrange(len(shares))] += 4
    for y in range(year - 3, year + 1):
        total = _yuan(amount)
        parts = _split(total, shares)
        rows.append(
            VillageIncome(
                village=village,
                year=y,
                operating_income=total,
                **dict(zip(VillageIncome.SOURCE_FIELDS, parts, strict=True)),
            )
        )
        amount *= rng.choice((1.05, 1.12, 1.2, 1.3, 1.45, 0.9))
    return rows


def _measures(village: Unit, rng: random.Random, today) -> list[IncomeMeasure]:
    rows = []
    for title in rng.sample(MEASURES, rng.choice((1, 2, 2, 3))):
        deadline = datetime.date(today.year, 1, 31) + datetime.timedelta(days=rng.randint(0, 330))
        roll = rng.random()
        if deadline < today:
            status = (
                MeasureStatus.DONE
                if roll < 0.75
                else MeasureStatus.CANCELLED
                if roll < 0.8
                else MeasureStatus.IN_PROGRESS
            )
        else:
            status = (
                MeasureStatus.IN_PROGRESS
                if roll < 0.45
                else MeasureStatus.DONE
                if roll < 0.55
                else MeasureStatus.PLANNED
            )
        done_on = None
        if status == MeasureStatus.DONE:
            done_on = min(today, deadline - datetime.timedelta(days=rng.randint(0, 20)))
        rows.append(
            IncomeMeasure(
                village=village,
                title=title,
                owner_name=_name(rng),
                target_amount=Decimal(rng.randrange(2, 60)) * Decimal(5000),
                deadline=deadline,
                status=status,
                done_on=done_on,
            )
        )
    return rows


def _projects(district: Unit, today, created: Counter) -> None:
    models = {m.name: m for m in DevelopmentModel.objects.filter(district=district)}
    units = {
        (u.parent.name if u.parent_id else "", u.name): u
        for u in Unit.objects.filter(path__startswith=district.path)
        .territory()
        .select_related("parent")
    }
    townships = {name: u for (parent, name), u in units.items() if parent == district.name}
    by_name = {}
    for (_parent, name), unit in units.items():
        if unit.kind in VILLAGE_KINDS:
            by_name.setdefault(name, unit)
    year = today.year
    for index, (township, name, model, village_names, funding) in enumerate(
        PROJECTS.get(district.name, ())
    ):
        owner = townships.get(township) if township else district
        if owner is None or Project.objects.filter(owner_unit=owner, name=name).exists():
            continue
        villages = [by_name[v] for v in village_names if v in by_name]
        amounts = {kind: Decimal(wan) * WAN for kind, wan in funding.items()}
        project = services.project_create(
            actor=None,
            owner_unit=owner,
            name=name,
            year=year,
            villages=villages,
            model=models.get(model),
            budget=sum(amounts.values(), Decimal(0)),
            funding=amounts,
            description=f"{name}，由{owner.name}统筹实施，收益按股份分配给参与村集体。",
        )
        _milestones(project, index, today)
        created["projects"] += 1


def _milestones(project: Project, index: int, today) -> None:
    """The milestone tree; the first projects are further along, one is done."""
    rng = _rng(f"project:{project.name}")
    start = datetime.date(today.year, 3, 1)
    leaves: list[Milestone] = []
    step = 0
    for name, weight, parts in MILESTONES:
        due = start + datetime.timedelta(days=45 * step + 40)
        top = services.milestone_add(
            actor=None,
            project=project,
            name=name,
            weight=Decimal(weight),
            due_on=None if parts else due,
        )
        if not parts:
            leaves.append(top)
            step += 1
        for part, part_weight in parts:
            due = start + datetime.timedelta(days=45 * step + 30)
            leaves.append(
                services.milestone_add(
                    actor=None,
                    project=project,
                    name=part,
                    weight=Decimal(part_weight),
                    due_on=due,
                    parent=top,
                )
            )
            step += 1
    done = len(leaves) if index == 0 else max(0, len(leaves) - 2 - index % 4)
    for position, leaf in enumerate(leaves):
        if position < done:
            services.milestone_record(
                actor=None, milestone=leaf, progress=Decimal(100), on=min(today, leaf.due_on)
            )
        elif position == done:
            services.milestone_record(
                actor=None, milestone=leaf, progress=Decimal(rng.choice((20, 40, 60)))
            )
            break


def _pairings(district: Unit, villages: list[Unit], today, target, created: Counter) -> None:
    """Demo: about 45% of the villages paired; district scale: `target` (villages, enterprises)."""
    rng = _rng(f"pairings:{district.name}")
    enterprises = list(
        Enterprise.objects.filter(unit__path__startswith=district.path).order_by("pk")
    )
    paired = set(Pairing.objects.filter(village__in=villages).values_list("village_id", flat=True))
    want_villages = target[0] if target else round(len(villages) * 0.45)
    want_enterprises = target[1] if target else max(3, round(want_villages * 0.55))
    names = {e.name for e in enterprises}
    combos = [(p, s) for s in ENTERPRISE_SUFFIXES for p in ENTERPRISE_PREFIXES]
    rng.shuffle(combos)
    new = []
    for prefix, (suffix, industry) in combos:
        if len(enterprises) + len(new) >= want_enterprises:
            break
        name = f"{'政和' if district.name == ZHENGHE.name else ''}{prefix}{suffix}"
        if name in names:
            continue
        names.add(name)
        new.append(Enterprise(unit=district, name=name, industry=industry, contact=_name(rng)))
    Enterprise.objects.bulk_create(new, batch_size=BATCH)
    created["enterprises"] += len(new)
    enterprises += new
    if not enterprises:
        return
    todo = [v for v in villages if v.pk not in paired]
    rng.shuffle(todo)
    todo = todo[: max(0, want_villages - len(paired))]
    pairings = []
    for i, village in enumerate(todo):
        # Every enterprise pairs at least once; big ones with several villages.
        firms = [enterprises[i % len(enterprises)]]
        if rng.random() < 0.15:
            firms.append(rng.choice(enterprises))
        for firm in {f.pk: f for f in firms}.values():
            since = datetime.date(
                rng.randint(today.year - 3, today.year - 1), rng.randint(1, 12), 1
            )
            pairings.append(
                Pairing(
                    village=village, enterprise=firm, since=since, agreement=rng.choice(AGREEMENTS)
                )
            )
    Pairing.objects.bulk_create(pairings, batch_size=BATCH)
    created["pairings"] += len(pairings)
    results = []
    for pairing in pairings:
        for year in range(pairing.since.year, today.year):
            results.append(
                PairingResult(
                    pairing=pairing,
                    year=year,
                    investment=Decimal(rng.randrange(2, 80)) * Decimal(5000),
                    income_increase=Decimal(rng.randrange(1, 30)) * Decimal(2000),
                    jobs=rng.randint(0, 25),
                    description=rng.choice(
                        ("吸纳村民务工", "收购农产品", "援建村级项目", "开展技能培训")
                    ),
                )
            )
    PairingResult.objects.bulk_create(results, batch_size=BATCH)


def _companies(district: Unit, today, created: Counter) -> None:
    townships = {
        u.name: u for u in Unit.objects.filter(parent=district, name__in=COMPANY_TOWNSHIPS)
    }
    for name in COMPANY_TOWNSHIPS:
        township = townships.get(name)
        company_name = f"{name.removesuffix('镇')}共富强村发展有限公司"
        if township is None or ProsperityCompany.objects.filter(name=company_name).exists():
            continue
        rng = _rng(f"company:{name}")
        capital = Decimal(rng.choice((500, 600, 800, 1000))) * WAN
        company = services.company_create(
            actor=None,
            township=township,
            name=company_name,
            registered_capital=capital,
            founded_on=datetime.date(today.year - 2, rng.randint(3, 9), 1),
            business="统一经营镇域村集体闲置资产、承接农业社会化服务与小型工程",
        )
        villages = list(
            Unit.objects.filter(parent=township, kind__in=VILLAGE_KINDS).order_by("path")[:12]
        )
        if not villages:
            continue
        shares = _split(Decimal(100), [1] * len(villages))
        capitals = _split(capital, [1] * len(villages))
        for village, share, part in zip(villages, shares, capitals, strict=True):
            services.shareholding_set(
                actor=None, company=company, village=village, capital=part, share=share
            )
        for year in (today.year - 2, today.year - 1):
            revenue = Decimal(rng.randrange(150, 600)) * WAN
            profit = (revenue * Decimal(rng.choice(("0.12", "0.15", "0.2")))).quantize(CENT)
            paid = _split((profit * Decimal("0.4")).quantize(CENT), [1] * len(villages))
            services.company_year_record(
                actor=None,
                company=company,
                year=year,
                revenue=revenue,
                profit=profit,
                dividends={v.pk: amount for v, amount in zip(villages, paid, strict=True)},
            )
        created["companies"] += 1
