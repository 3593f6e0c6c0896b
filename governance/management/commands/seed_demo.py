"""Demo data: Laiwu District and Zhenghe County, their cadres and grid workers, demo accounts.

The data is planned first, in plain Python from a fixed seed, and then written: only rows whose
natural key (unit code, ID card number, username) is missing are created, so running the command
again changes nothing. The small demo goes through governance.services, so it passes the same
validation as data typed in by staff; `--scale district` writes its thousands of rows with
bulk_create and computes the tree paths itself.
"""

import argparse
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import translation

from governance import services
from governance.models import Area, Membership, Person, Role, Unit, WorkZone
from governance.registry import registry
from governance.workdays import load_from_library

SEED = 20240601
PASSWORD = "shanzhi-demo"
# Memberships start on a fixed day so that every run plans the same rows.
STARTED_ON = date(2024, 6, 1)
# Laiwu had about 862 villages and communities (2020) and is re-drawing them into ~3,000 grids.
DISTRICT_VILLAGES = 860
DISTRICT_GRIDS = 3000
# District-scale villages beyond the demo's handful form further work zones of this size,
# about the size of a former township management district (管区).
ZONE_SIZE = 10


@dataclass(frozen=True)
class DistrictData:
    name: str
    code: str
    #: Common surnames there; the most common are listed more than once so they come up more.
    surnames: str
    #: (first birth year, region prefix) of ID numbers: a number carries the code of the county
    #: that issued it, and the code changes when the county is re-organised.
    id_regions: tuple[tuple[int, str], ...]
    landline: tuple[str, int]  # (prefix, random digits after it)
    officials: tuple[str, ...]  # posts of the people working at the district itself
    departments: tuple[str, ...]
    #: (name, area, villages or communities); a name ending in 街道 is a street.
    townships: tuple[tuple[str, str | None, tuple[str, ...]], ...]


LAIWU = DistrictData(
    name="莱芜区",
    code="370116",
    surnames="王王王李李李张张刘刘亓亓陈陈吕吕杨赵韩孙朱高徐马魏段毕吴周孟郭宋苏鹿谷尚任邢田",
    id_regions=(
        (0, "372622"),  # 莱芜县, Tai'an
        (1983, "372602"),  # 莱芜市, Tai'an
        (1985, "370919"),
        (1986, "379004"),  # directly under the province
        (1989, "370981"),
        (1992, "371202"),  # 莱城区, prefecture-level 莱芜市
        (2018, "370116"),  # 莱芜区, Jinan
    ),
    landline=("0531-76", 6),
    officials=("区委副书记", "系统管理员"),
    departments=(
        "区住建局",
        "区民政局",
        "区人社局",
        "区卫健局",
        "区城管局",
        "区委社会工作部",
        "区委组织部",
    ),
    townships=(
        ("凤城街道", "城区片区", ("花园社区", "府前社区", "汶源社区", "凤凰社区")),
        ("张家洼街道", "城区片区", ("张家洼社区", "矿区社区", "莲河社区")),
        ("高庄街道", "城区片区", ("高庄社区", "五福社区", "城子坡社区", "南港社区")),
        ("鹏泉街道", "城区片区", ("鹏泉社区", "香山社区", "嬴城社区", "龙潭社区", "泰钢社区")),
        ("羊里街道", "城区片区", ("羊里社区", "汶阳社区", "东汶南社区", "西汶南社区")),
        ("口镇街道", "北部片区", ("口镇社区", "莱城社区", "卧铺社区")),
        ("雪野街道", "北部片区", ("雪野社区", "吉山社区", "九龙社区", "石门社区")),
        ("大王庄镇", "北部片区", ("大王庄村", "下水河村", "郑王庄村")),
        ("茶业口镇", "北部片区", ("茶业口村", "卧云铺村", "逯家岭村", "上王庄村")),
        ("和庄镇", "北部片区", ("和庄村", "北港村", "郭家沟村")),
        ("方下街道", "西南片区", ("方下社区", "嘶马河社区", "北王社区")),
        ("牛泉镇", "西南片区", ("牛泉村", "刘家庄村", "庞家庄村", "西上庄村", "亓家庄村")),
        ("苗山镇", "西南片区", ("苗山村", "常庄村", "东泉村", "南文字现村")),
        ("寨里镇", "西南片区", ("寨里村", "小寨村", "北白龙村", "张家庄村")),
        ("杨庄镇", "西南片区", ("杨庄村", "南冶村", "下陈村", "西峪村")),
    ),
)

ZHENGHE = DistrictData(
    name="政和县",
    code="350725",
    surnames="陈陈陈林林黄黄张张吴吴李魏许叶周杨范宋刘郑王翁游詹何",
    id_regions=((0, "352129"), (1994, "350725")),  # 建阳地区, then 南平市
    landline=("0599-33", 5),
    officials=("县委社会工作部干部",),
    departments=("县住建局", "县人社局"),
    townships=(
        ("熊山街道", None, ("凤凰山社区", "南门社区", "东峰社区")),
        ("东平镇", None, ("东平村", "凤头村")),
        ("石屯镇", None, ("石屯村", "长城村")),
        ("铁山镇", None, ("铁山村", "东涧村")),
        ("镇前镇", None, ("镇前村", "茶溪村")),
        ("星溪乡", None, ("念山村", "富美村")),
        ("外屯乡", None, ("外屯村", "稠岭村")),
        ("杨源乡", None, ("杨源村", "坂头村")),
        ("澄源乡", None, ("澄源村", "上洋村")),
        ("岭腰乡", None, ("岭腰村", "锦屏村")),
    ),
)

# At district scale: each Laiwu township's share of the villages and communities, and how many
# of its units are urban communities (the rest are villages).
LAIWU_SCALE = {
    "凤城街道": (45, 20),
    "张家洼街道": (70, 8),
    "高庄街道": (62, 8),
    "鹏泉街道": (48, 14),
    "羊里街道": (58, 5),
    "口镇街道": (75, 6),
    "雪野街道": (52, 4),
    "方下街道": (55, 4),
    "大王庄镇": (60, 0),
    "茶业口镇": (65, 0),
    "和庄镇": (40, 0),
    "牛泉镇": (68, 0),
    "苗山镇": (50, 0),
    "寨里镇": (62, 0),
    "杨庄镇": (50, 0),
}
# Urban community grids hold hundreds of households, rural ones a few dozen: a community is
# split into more grids than a village.
GRID_WEIGHT = {Unit.Kind.COMMUNITY: 7.5, Unit.Kind.VILLAGE: 3}

DEMO_ACCOUNTS = (
    # username, where its person works and which of the people planned there, memberships
    ("admin", "莱芜区", 1, (("莱芜区", Role.DISTRICT_ADMIN), ("政和县", Role.DISTRICT_ADMIN))),
    ("laiwu_admin", "莱芜区/区委社会工作部", 1, (("莱芜区", Role.DISTRICT_ADMIN),)),
    ("laiwu_leader", "莱芜区", 0, (("莱芜区", Role.LEADER),)),
    ("fengcheng_staff", "莱芜区/凤城街道", 2, (("莱芜区/凤城街道", Role.TOWNSHIP_STAFF),)),
    (
        "shequ_shuji",
        "莱芜区/凤城街道/花园社区",
        0,
        (("莱芜区/凤城街道/花园社区", Role.COMMUNITY_SECRETARY),),
    ),
    (
        "wanggeyuan",
        "莱芜区/凤城街道/花园社区/第一网格",
        0,
        (("莱芜区/凤城街道/花园社区/第一网格", Role.GRID_WORKER),),
    ),
    (
        "wanggeyuan2",
        "莱芜区/牛泉镇/牛泉村/第一网格",
        0,
        (("莱芜区/牛泉镇/牛泉村/第一网格", Role.GRID_WORKER),),
    ),
    ("zhujianju", "莱芜区/区住建局", 1, (("莱芜区/区住建局", Role.DEPARTMENT_HANDLER),)),
    ("zhenghe_admin", "政和县", 0, (("政和县", Role.DISTRICT_ADMIN),)),
)
SUPERUSERS = {"admin"}
STAFF = {"admin", "laiwu_admin", "zhenghe_admin"}

MOBILE_PREFIXES = (
    *(f"13{d}" for d in range(10)),
    *(f"15{d}" for d in "012356789"),
    *(f"18{d}" for d in range(10)),
)
MALE_CHARS = "建国军伟强明志海涛磊勇峰刚鹏飞斌华林波文东庆振兴成俊杰宏广德永春长卫新平"
FEMALE_CHARS = "秀英丽娟敏静燕玲芳霞红梅艳萍婷雪慧琳丹莉晓云桂兰凤洁颖倩"
VILLAGE_DIRECTIONS = ("", "", "", "东", "西", "南", "北", "前", "后", "上", "下", "大", "小")
VILLAGE_SUFFIXES = ("庄", "峪", "泉", "岭", "沟", "洼", "河", "坡", "埠", "店", "楼", "疃", "官庄")
COMMUNITY_FIRST = "汶嬴凤鹏香龙莲泰新和安康福阳明锦华翠金文兴春花府孝义德仁"
COMMUNITY_SECOND = "源泉河山苑城园兴华安康泰和丰景秀湖庭馨悦"
CN_DIGITS = "零一二三四五六七八九"
# GB 11643: weight of each of the first 17 digits of an ID number, and the check character for
# the weighted sum modulo 11.
ID_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))
ID_CHECK = "10X98765432"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一: the numerals of 第一网格 and 第二党建工作区 (1-99)."""
    tens, ones = divmod(n, 10)
    head = ("" if tens == 1 else CN_DIGITS[tens]) + "十" if tens else ""
    return head + (CN_DIGITS[ones] if ones else "")


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), each at least `minimum`."""
    rest = max(total - minimum * len(weights), 0)
    exact = [rest * w / sum(weights) for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: rest - sum(shares)]:
        shares[i] += 1
    return [minimum + s for s in shares]


@dataclass
class UnitPlan:
    code: str
    name: str
    kind: str
    parent_code: str | None
    label: str  # names from the district down, "莱芜区/凤城街道/花园社区"
    area: str | None = None
    work_zone: str | None = None
    phone: str = ""


@dataclass
class PersonPlan:
    unit_code: str
    name: str
    gender: str
    phone: str
    id_number: str
    birth_date: date
    posts: str
    is_party_member: bool
    party_joined_on: date | None

    def fields(self) -> dict:
        return {
            "name": self.name,
            "gender": self.gender,
            "phone": self.phone,
            "id_number": self.id_number,
            "birth_date": self.birth_date,
            "posts": self.posts,
            "is_party_member": self.is_party_member,
            "party_joined_on": self.party_joined_on,
        }


@dataclass
class Plan:
    units: list[UnitPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)  # label → code
    #: ID numbers already handed out, so that no two planned people share one.
    id_numbers: set[str] = field(default_factory=set)

    def add_unit(self, unit: UnitPlan) -> UnitPlan:
        self.units.append(unit)
        self.codes[unit.label] = unit.code
        return unit

    def people_at(self, label: str) -> list[PersonPlan]:
        code = self.codes[label]
        return [p for p in self.people if p.unit_code == code]


class PeopleMaker:
    """Believable people: names, phones and ID numbers with correct check digits."""

    def __init__(self, rng: random.Random, plan: Plan):
        self.rng = rng
        self.plan = plan

    def add(
        self,
        district: DistrictData,
        unit_code: str,
        posts: str,
        *,
        born: tuple[int, int],
        male_share: float = 0.5,
        party_share: float = 0.5,
    ) -> PersonPlan:
        rng = self.rng
        male = rng.random() < male_share
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = "".join(rng.sample(chars, rng.choice((1, 2, 2))))
        birth = date.fromordinal(
            rng.randint(date(born[0], 1, 1).toordinal(), date(born[1], 12, 31).toordinal())
        )
        joined = None
        if rng.random() < party_share:
            joined = date.fromordinal(
                rng.randint(
                    date(birth.year + 20, 1, 1).toordinal(),
                    min(date(birth.year + 40, 12, 31), STARTED_ON).toordinal(),
                )
            )
        person = PersonPlan(
            unit_code=unit_code,
            name=rng.choice(district.surnames) + given,
            gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
            phone=rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            id_number=self._id_number(district, birth, male),
            birth_date=birth,
            posts=posts,
            is_party_member=joined is not None,
            party_joined_on=joined,
        )
        self.plan.people.append(person)
        return person

    def _id_number(self, district: DistrictData, birth: date, male: bool) -> str:
        prefix = next(code for since, code in reversed(district.id_regions) if birth.year >= since)
        while True:
            # The order code's last digit is odd for men and even for women.
            order = self.rng.randrange(500) * 2 + (1 if male else 0)
            body = f"{prefix}{birth:%Y%m%d}{order:03d}"
            weighted = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
            number = body + ID_CHECK[weighted % 11]
            if number not in self.plan.id_numbers:
                self.plan.id_numbers.add(number)
                return number


def foundation_plan() -> Plan:
    """Both districts with a few villages per township and the people working there."""
    plan = Plan()
    rng = random.Random(f"{SEED}:foundation")
    people = PeopleMaker(rng, plan)
    for district in (LAIWU, ZHENGHE):
        _plan_district(plan, people, rng, district)
    return plan


def _landline(rng: random.Random, district: DistrictData) -> str:
    prefix, digits = district.landline
    return prefix + f"{rng.randrange(10**digits):0{digits}d}"


def _plan_district(
    plan: Plan, people: PeopleMaker, rng: random.Random, district: DistrictData
) -> None:
    top = plan.add_unit(
        UnitPlan(
            district.code,
            district.name,
            Unit.Kind.DISTRICT,
            None,
            district.name,
            phone=_landline(rng, district),
        )
    )
    for post in district.officials:
        people.add(district, top.code, post, born=(1968, 1988), male_share=0.7, party_share=1)
    for n, name in enumerate(district.departments, 1):
        dept = plan.add_unit(
            UnitPlan(
                f"{district.code}D{n:02d}",
                name,
                Unit.Kind.DEPARTMENT,
                top.code,
                f"{top.label}/{name}",
            )
        )
        for post in ("科长", "科员"):
            people.add(district, dept.code, post, born=(1970, 1995), party_share=0.8)

    for t, (name, area, villages) in enumerate(district.townships, 1):
        street = name.endswith("街道")
        township = plan.add_unit(
            UnitPlan(
                f"{district.code}{t:03d}",
                name,
                Unit.Kind.STREET if street else Unit.Kind.TOWNSHIP,
                top.code,
                f"{top.label}/{name}",
                area=area,
                phone=_landline(rng, district),
            )
        )
        committee = "党工委" if street else "党委"
        for post in (f"{committee}书记", f"{committee}委员、组织委员", "党建工作办公室干事"):
            people.add(district, township.code, post, born=(1970, 1992), party_share=0.9)
        # The few demo villages of a township form two work zones (recorded for Laiwu only).
        first_zone = (len(villages) + 1) // 2
        for v, village_name in enumerate(villages):
            zone = None
            if district is LAIWU:
                zone = f"第{cn_number(1 if v < first_zone else 2)}党建工作区"
            village = _plan_village(
                plan, township, v + 1, village_name, zone, _landline(rng, district)
            )
            _plan_village_people(people, district, village)
            for g in range(1, rng.choice((2, 3)) + 1):
                grid = _plan_grid(plan, village, g)
                _plan_grid_worker(people, district, village, grid)


def _plan_village(
    plan: Plan, township: UnitPlan, seq: int, name: str, zone: str | None, phone: str = ""
) -> UnitPlan:
    kind = Unit.Kind.COMMUNITY if name.endswith("社区") else Unit.Kind.VILLAGE
    return plan.add_unit(
        UnitPlan(
            f"{township.code}{seq:03d}",
            name,
            kind,
            township.code,
            f"{township.label}/{name}",
            work_zone=zone,
            phone=phone,
        )
    )


def _plan_grid(plan: Plan, village: UnitPlan, seq: int) -> UnitPlan:
    name = f"第{cn_number(seq)}网格"
    return plan.add_unit(
        UnitPlan(
            f"{village.code}{seq:03d}",
            name,
            Unit.Kind.GRID,
            village.code,
            f"{village.label}/{name}",
        )
    )


def _plan_village_people(people: PeopleMaker, district: DistrictData, village: UnitPlan) -> None:
    if village.kind == Unit.Kind.COMMUNITY:
        posts = ("社区党委书记、居委会主任", "社区党委委员、居委会委员", "居委会委员")
    else:
        posts = ("村党支部书记、村委会主任", "村党支部委员", "村委会委员")
    people.add(district, village.code, posts[0], born=(1965, 1988), male_share=0.7, party_share=1)
    for post in posts[1:]:
        people.add(district, village.code, post, born=(1970, 1998), party_share=0.7)


def _plan_grid_worker(
    people: PeopleMaker, district: DistrictData, village: UnitPlan, grid: UnitPlan
) -> None:
    full_time = village.kind == Unit.Kind.COMMUNITY
    people.add(
        district,
        grid.code,
        "专职网格员" if full_time else "兼职网格员",
        born=(1975, 2000),
        male_share=0.45,
        party_share=0.35,
    )


def district_scale_plan(
    foundation: Plan,
    villages: int = DISTRICT_VILLAGES,
    grids: int = DISTRICT_GRIDS,
    taken: Iterable[str] = (),
) -> Plan:
    """More villages for Laiwu's townships, up to `villages` in all, and `grids` grids in all.

    Only new units are planned here; the foundation's villages keep their grids. Each new grid
    gets a grid worker, whose ID number is none of those `taken`: an earlier run with other
    sizes gave the same grids other workers, and those workers are in the database.
    """
    plan = Plan(id_numbers={*foundation.id_numbers, *taken})
    rng = random.Random(f"{SEED}:district")
    people = PeopleMaker(rng, plan)
    children = defaultdict(list)
    for unit in foundation.units:
        children[unit.parent_code].append(unit)
    townships = [u for u in children[LAIWU.code] if u.kind != Unit.Kind.DEPARTMENT]
    shares = apportion(villages, [LAIWU_SCALE[t.name][0] for t in townships])
    grids_left = grids - sum(len(children[v.code]) for t in townships for v in children[t.code])

    new_villages = []
    for township, share in zip(townships, shares, strict=True):
        existing = children[township.code]
        names = {v.name for v in existing}
        communities = LAIWU_SCALE[township.name][1]
        for i in range(len(existing), share):
            community = i < communities
            name = _village_name(rng, community)
            while name in names:
                name = _village_name(rng, community)
            names.add(name)
            zone = f"第{cn_number(3 + (i - len(existing)) // ZONE_SIZE)}党建工作区"
            new_villages.append(_plan_village(plan, township, i + 1, name, zone))

    weights = [GRID_WEIGHT[v.kind] * rng.uniform(0.5, 1.5) for v in new_villages]
    counts = apportion(grids_left, weights, minimum=1)
    for village, count in zip(new_villages, counts, strict=True):
        for g in range(1, count + 1):
            _plan_grid_worker(people, LAIWU, village, _plan_grid(plan, village, g))
    return plan


def _village_name(rng: random.Random, community: bool) -> str:
    if community:
        first, second = rng.choice(COMMUNITY_FIRST), rng.choice(COMMUNITY_SECOND)
        return f"{first}{second}社区" if first != second else f"{first}城社区"
    core = rng.choice(LAIWU.surnames) + rng.choice(("", "家"))
    return f"{rng.choice(VILLAGE_DIRECTIONS)}{core}{rng.choice(VILLAGE_SUFFIXES)}村"


def write_foundation(plan: Plan, created: Counter) -> None:
    """Create what is missing of the foundation through the services, parents before children."""
    units = {u.code: u for u in Unit.objects.filter(code__in=[p.code for p in plan.units])}
    for p in plan.units:
        if p.code in units:
            continue
        parent = units[p.parent_code] if p.parent_code else None
        groupings = {}
        if p.area:
            groupings["area"] = Area.objects.get_or_create(district=parent, name=p.area)[0]
        if p.work_zone:
            groupings["work_zone"] = WorkZone.objects.get_or_create(
                township=parent, name=p.work_zone
            )[0]
        units[p.code] = services.unit_create(
            parent=parent, kind=p.kind, name=p.name, code=p.code, phone=p.phone, **groupings
        )
        created["units"] += 1

    existing = set(
        Person.objects.filter(id_number__in=[p.id_number for p in plan.people]).values_list(
            "id_number", flat=True
        )
    )
    for p in plan.people:
        if p.id_number not in existing:
            services.person_create(unit=units[p.unit_code], **p.fields())
            created["people"] += 1


def write_accounts(plan: Plan, created: Counter) -> None:
    User = get_user_model()
    units = {u.code: u for u in Unit.objects.filter(code__in=plan.codes.values())}
    for username, person_at, index, memberships in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            person_plan = plan.people_at(person_at)[index]
            person = Person.objects.get(id_number=person_plan.id_number)
            user = services.account_create(person=person, username=username, password=PASSWORD)
            user.is_superuser = username in SUPERUSERS
            user.is_staff = username in STAFF
            user.save(update_fields=["is_superuser", "is_staff"])
            created["accounts"] += 1
        for label, role in memberships:
            unit = units[plan.codes[label]]
            held = Membership.objects.filter(user=user, unit=unit, role=role, ended_on__isnull=True)
            if not held.exists():
                services.membership_add(user=user, unit=unit, role=role, started_on=STARTED_ON)
                created["memberships"] += 1


def write_bulk(plan: Plan, created: Counter) -> None:
    """Insert the plan's missing units and people with bulk_create, tree fields computed here.

    A child's path is its parent's path plus the step after the parent's last child, which is
    what treebeard's add_child would give it; numchild of new units is counted from the plan,
    that of existing parents is raised by their new children.
    """
    codes = {u.code for u in plan.units} | {u.parent_code for u in plan.units}
    nodes = {  # code → (pk, path, depth) of the units new ones hang under, and of the new ones
        code: (pk, path, depth)
        for pk, code, path, depth in Unit.objects.filter(code__in=codes).values_list(
            "pk", "code", "path", "depth"
        )
    }
    pending = [u for u in plan.units if u.code not in nodes]
    new_children = Counter(u.parent_code for u in pending)
    for code, (pk, _, _) in nodes.items():
        if new_children[code]:
            Unit.objects.filter(pk=pk).update(numchild=F("numchild") + new_children[code])
    zones = _work_zones(pending, nodes)

    # A round inserts every unit whose parent exists: townships' villages, then their grids.
    while pending:
        ready = [u for u in pending if u.parent_code in nodes]
        pending = [u for u in pending if u.parent_code not in nodes]
        next_step = _next_steps({nodes[u.parent_code][1] for u in ready})
        rows = []
        for u in ready:
            parent_pk, parent_path, parent_depth = nodes[u.parent_code]
            rows.append(
                Unit(
                    code=u.code,
                    name=u.name,
                    kind=u.kind,
                    parent_id=parent_pk,
                    path=Unit._get_path(parent_path, parent_depth + 1, next_step[parent_path]),
                    depth=parent_depth + 1,
                    numchild=new_children[u.code],
                    phone=u.phone,
                    work_zone_id=zones.get((parent_pk, u.work_zone)),
                )
            )
            next_step[parent_path] += 1
        for row in Unit.objects.bulk_create(rows, batch_size=500):
            nodes[row.code] = (row.pk, row.path, row.depth)
        created["units"] += len(rows)

    staffed = set(
        Person.objects.filter(unit__code__in=[p.unit_code for p in plan.people]).values_list(
            "unit__code", flat=True
        )
    )
    people = [
        Person(unit_id=nodes[p.unit_code][0], **p.fields())
        for p in plan.people
        if p.unit_code not in staffed
    ]
    Person.objects.bulk_create(people, batch_size=500)
    created["people"] += len(people)


def _work_zones(units: list[UnitPlan], nodes: dict) -> dict:
    """(township pk, zone name) → work zone pk, creating the zones the units need."""
    wanted = {
        (nodes[u.parent_code][0], u.work_zone)
        for u in units
        if u.work_zone and u.parent_code in nodes
    }
    zones = {
        (township, name): pk
        for pk, township, name in WorkZone.objects.filter(
            township__in={t for t, _ in wanted}
        ).values_list("pk", "township_id", "name")
    }
    missing = [WorkZone(township_id=t, name=n) for t, n in sorted(wanted) if (t, n) not in zones]
    for zone in WorkZone.objects.bulk_create(missing):
        zones[(zone.township_id, zone.name)] = zone.pk
    return zones


def _next_steps(parent_paths: set[str]) -> dict[str, int]:
    """The step each parent's next child takes: one past its last child, 1 when it has none."""
    steps = dict.fromkeys(parent_paths, 1)
    in_trees = Q()
    for root in {path[: Unit.steplen] for path in parent_paths}:
        in_trees |= Q(path__startswith=root)
    depths = {len(path) // Unit.steplen + 1 for path in parent_paths}
    for path in Unit.objects.filter(in_trees, depth__in=depths).values_list("path", flat=True):
        parent_path = path[: -Unit.steplen]
        if parent_path in steps:
            steps[parent_path] = max(steps[parent_path], Unit._str2int(path[-Unit.steplen :]) + 1)
    return steps


class Command(BaseCommand):
    help = "生成演示数据：莱芜区和政和县的单位、网格、人员与演示账号（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=("demo", "district"),
            default="demo",
            help="demo：每个乡镇几个村（社区）；district：莱芜区约 860 个村（社区）、3000 个网格。",
        )
        parser.add_argument("--force", action="store_true", help="在生产配置下也生成演示数据。")
        # Smaller district scale for tests; the defaults are Laiwu's own figures.
        parser.add_argument(
            "--villages", type=int, default=DISTRICT_VILLAGES, help=argparse.SUPPRESS
        )
        parser.add_argument("--grids", type=int, default=DISTRICT_GRIDS, help=argparse.SUPPRESS)

    def handle(self, *args, scale, force, villages, grids, **options):
        if settings.PRODUCTION and not force:
            raise CommandError(
                "这是生产配置（SHANZHI_PRODUCTION），不生成演示数据：演示账号的密码是公开的。"
                "确需生成请加 --force。"
            )
        created = Counter()
        with transaction.atomic():
            plan = foundation_plan()
            write_foundation(plan, created)
            write_accounts(plan, created)
            # Deadlines need the working-day calendar; the years the library knows are loaded.
            load_from_library()
            if scale == "district":
                taken = Person.objects.exclude(id_number=None).values_list("id_number", flat=True)
                write_bulk(district_scale_plan(plan, villages, grids, taken), created)
            for seeder in registry.demo_seeders:
                # Each seeder draws from its own stream, so adding one does not change the others.
                rng = random.Random(f"{SEED}:{seeder.__module__}.{seeder.__qualname__}")
                seeder(stdout=self.stdout, scale=scale, rng=rng)
        if scale == "district" and connection.vendor == "postgresql":
            # Bulk inserts leave the planner's statistics stale; plans need them at this size.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._report(plan, created)

    def _report(self, plan: Plan, created: Counter) -> None:
        if created.total():
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据已生成：新建单位 {created['units']} 个、人员 {created['people']} 人、"
                    f"账号 {created['accounts']} 个、角色 {created['memberships']} 个。"
                )
            )
        else:
            self.stdout.write("单位、人员和账号均已存在，没有改动。")
        self.stdout.write(f"演示账号（密码均为 {PASSWORD}）：")
        with translation.override("zh-hans"):
            for username, person_at, index, memberships in DEMO_ACCOUNTS:
                person = plan.people_at(person_at)[index]
                roles = "；".join(
                    f"{label.replace('/', ' ')} {Role(role).label}" for label, role in memberships
                )
                extra = "（超级管理员）" if username in SUPERUSERS else ""
                self.stdout.write(f"  {username:<16}{person.name}{extra}：{roles}")
