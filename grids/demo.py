"""The grids app's part of seed_demo (registered in GridsConfig.ready; runs after the ledger's).

What it adds
- Per district: a monthly visiting round and the care tags (独居老人 every 7 days, 残疾人 14,
  低保户 30, 留守儿童 14, 退役军人, 重病患者 7).
- Per grid: a profile (boundary; a few dedicated grids serve a school, a market, an
  enterprise), the grid worker seed_demo planned there registered and assigned (through the
  services at demo scale), and households: blocks of flats (compound, building, entrance,
  room) in communities, village groups and house numbers in villages; heads of household with
  names, mobile phones and ID numbers with valid check digits; about one in ten tagged.
- Visit logs over the last rounds: almost every household in past rounds, part of them in the
  current one (wanggeyuan's grid is always partly covered), tagged households more often,
  mostly door visits, mostly "all well", some demands, review states by age; at demo scale a
  few visits raise ledger items in the community's grid problem ledger (item_create).
  `household.last_visited_at` is the latest `visited_at` of its logs, computed while planning.
- `--scale district`: every further grid of Laiwu gets households, ~375,000 in all (rural grids
  30-130, urban grids the rest: hundreds each) and DISTRICT_ROUNDS rounds of visits.

Who files: visit logs are filed by the grid's worker account when the worker has one (demo:
wanggeyuan, wanggeyuan2); other grids' workers have no login in the demo, so their logs are
recorded under the nearest staff account above the grid (as when paper sheets are typed in).
Reviews are by the nearest staff account at or above the community.

Idempotent: tags, rounds, profiles, workers and assignments are created when missing;
households and visits only for grids that have no households yet. Each grid's layout and
residents are drawn from a random stream of its own (seeded by the grid's code), so the data
of a grid does not depend on which other grids were seeded in the same run.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from governance import access
from governance.demo import day_start, district_of, insert_rows, localdate
from governance.management.commands.seed_demo import (
    FEMALE_CHARS,
    ID_CHECK,
    ID_WEIGHTS,
    LAIWU,
    MALE_CHARS,
    MOBILE_PREFIXES,
    SEED,
    STARTED_ON,
    ZHENGHE,
    DistrictData,
    cn_number,
    foundation_plan,
)
from governance.models import (
    Ledger,
    LedgerKind,
    MatterCategory,
    Membership,
    Person,
    Role,
    Source,
    Unit,
)
from grids.coverage import round_for
from grids.models import (
    CareTag,
    GridAssignment,
    GridKind,
    GridProfile,
    GridWorker,
    Household,
    ReviewStatus,
    RoundPolicy,
    VisitKind,
    VisitLog,
    WorkerKind,
)

DISTRICTS = {LAIWU.code: LAIWU, ZHENGHE.code: ZHENGHE}
CARE_TAGS = (
    ("独居老人", 7),
    ("残疾人", 14),
    ("低保户", 30),
    ("留守儿童", 14),
    ("退役军人", None),
    ("重病患者", 7),
)
TAG_WEIGHTS = (35, 15, 20, 10, 15, 5)
TAGGED_SHARE = 0.1
DEMO_ROUNDS = 3
#: District scale: rounds of visits (months) and households. Tests make them smaller.
DISTRICT_ROUNDS = 6
DISTRICT_HOUSEHOLDS = 375_000
DISTRICT_GRIDS = 3000
RURAL_GRID = (30, 130)
#: Households planned and written per batch at district scale (bounds the memory used).
BATCH_GRIDS = 150
# Dedicated grids of the demo: the last grid of these communities serves …
DEDICATED = {"府前社区": "莱芜区实验学校", "汶源社区": "汶源农贸市场", "泰钢社区": "泰钢集团"}
DEMO_GRID = "莱芜区/凤城街道/花园社区/第一网格"  # wanggeyuan's
CENTRES = {LAIWU.code: (36.214, 117.676), ZHENGHE.code: (27.366, 118.858)}

COMPOUND_FIRST = "锦翠金华康泰安和福馨悦景丰龙凤汶嬴鹏香明阳春兴"
COMPOUND_SECOND = ("苑", "花园", "小区", "家园", "嘉园", "新村", "公寓")
KINDS = [VisitKind.DOOR] * 70 + [VisitKind.PHONE] * 15 + [VisitKind.WECHAT] * 10
KINDS += [VisitKind.VENUE] * 5
OBSERVED = (
    "老人身体状况良好，子女每周回来探望",
    "家中有人卧病在床，生活基本能自理",
    "住户反映楼道灯时亮时不亮",
    "孩子在外地上学，家中只有老两口",
    "租户刚搬入，已登记联系方式",
    "家庭和睦，对社区服务满意",
    "楼道堆放杂物，已提醒清理",
    "宣传了防诈骗和燃气安全知识",
)
DEMANDS = (
    "希望社区多组织老年人活动",
    "咨询养老保险缴费",
    "希望小区增设电动车充电桩",
    "反映楼上装修噪音大",
    "咨询老年人优待证办理",
    "希望加强小区停车管理",
)
# Problems a visit raises into the grid problem ledger: (title, category code).
RAISED = (
    ("楼道灯不亮，夜间上下楼不便", "0202"),
    ("单元门口电动车飞线充电", "0208"),
    ("顶楼住户屋顶漏水", "0101"),
    ("独居老人申请助餐服务", "0301"),
    ("小区垃圾桶满溢、清运不及时", "0203"),
    ("村内道路破损，雨天积水", "0201"),
)
RAISED_WITHIN = datetime.timedelta(hours=20)
REVIEW_NOTES = {
    ReviewStatus.REJECTED: ("走访记录过于简单，请补充民情", "走访时间与定位不符，请核实"),
    ReviewStatus.ON_HOLD: ("待入户核实", "需与住户再次确认"),
}
VISIT_FIELDS = (
    "household_id",
    "grid_id",
    "worker_id",
    "kind",
    "all_well",
    "observed",
    "demands",
    "photo",
    "visited_at",
    "filed_at",
    "latitude",
    "longitude",
    "accuracy_m",
    "handled_on_spot",
    "review_status",
    "review_note",
    "reviewed_by_id",
    "reviewed_at",
)
HOUSEHOLD_FIELDS = (
    "id",
    "grid_id",
    "building",
    "entrance",
    "room",
    "address",
    "head_name",
    "head_phone",
    "head_id_number",
    "members",
    "note",
    "is_active",
    "last_visited_at",
    "created_at",
    "updated_at",
)
MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)


@dataclass
class GridPlan:
    grid: Unit
    village: Unit
    district: DistrictData
    size: int
    rng: random.Random
    places: list[tuple[str, str, str, str]] = field(default_factory=list)
    boundary: str = ""


# The grid matters catalogue (网格事项清单): which catalogue matters a grid worker settles on the
# spot and which ones go up the ledger. Matters not listed are not grid matters.
GRID_MATTERS = {
    "handle": ("0203", "0204", "0208", "0209", "0402", "0403"),
    "report": (
        "0101",
        "0102",
        "0103",
        "0105",
        "0106",
        "0201",
        "0202",
        "0205",
        "0206",
        "0301",
        "0302",
        "0303",
        "0304",
        "0305",
        "0401",
    ),
}


def seed_grid_matters(districts) -> None:
    """Mark the grid matters; only blank marks are filled, so an administrator's edits stay."""
    for action, codes in GRID_MATTERS.items():
        MatterCategory.objects.filter(
            district__in=districts.values(), code__in=codes, grid_action=""
        ).update(grid_action=action)


def seed_grids(*, stdout, scale, rng):
    districts = {u.code: u for u in Unit.objects.filter(code__in=DISTRICTS, depth=1)}
    if not districts:
        return
    created = Counter()
    now = timezone.now().replace(microsecond=0)
    tags = seed_rounds_and_tags(districts, created)
    seed_grid_matters(districts)
    in_districts = Q()
    for district in districts.values():
        in_districts |= Q(path__startswith=district.path)
    units = {u.pk: u for u in Unit.objects.filter(in_districts)}
    grids = sorted((u for u in units.values() if u.kind == Unit.Kind.GRID), key=lambda u: u.path)
    foundation = {p.code for p in foundation_plan().units}
    demo_grids = [g for g in grids if g.code in foundation]
    district_grids = [g for g in grids if g.code not in foundation]

    seeded = set(Household.objects.values_list("grid_id", flat=True).distinct())
    world = World(units, districts, tags, now, seeded)
    plans = [world.demo_plan(g) for g in demo_grids]
    if scale == "district" and LAIWU.code in districts:
        plans += world.district_plans(
            [g for g in district_grids if g.path.startswith(districts[LAIWU.code].path)]
        )
    seed_profiles(world, plans, created)
    seed_community_addresses(world, [p.village for p in plans if p.grid.code in foundation])
    seed_workers(world, grids, bulk=scale == "district", created=created)
    world.load_accounts()

    todo = [p for p in plans if p.grid.pk not in seeded]
    demo_todo = [p for p in todo if p.grid.code in foundation]
    raised = world.write(demo_todo, DEMO_ROUNDS, created, raise_items=True)
    district_todo = [p for p in todo if p.grid.code not in foundation]
    for start in range(0, len(district_todo), BATCH_GRIDS):
        world.write(district_todo[start : start + BATCH_GRIDS], DISTRICT_ROUNDS, created)
    raise_ledger_items(world, raised, created)

    if created.total():
        stdout.write(
            "网格演示数据：新建网格档案 {profiles} 个、网格员 {workers} 人、住户 {households} 户、"
            "走访记录 {visits} 条、由走访上报的台账事项 {items} 条。".format_map(created)
        )


def seed_rounds_and_tags(districts: dict[str, Unit], created: Counter) -> dict[int, dict]:
    """The monthly round and the care tags of each district: district pk → {name: tag}."""
    for district in districts.values():
        RoundPolicy.objects.get_or_create(district=district, defaults={"months": 1})
    have = defaultdict(dict)
    for tag in CareTag.objects.filter(district__in=list(districts.values())):
        have[tag.district_id][tag.name] = tag
    missing = [
        CareTag(district=d, name=name, visit_every_days=days)
        for d in districts.values()
        for name, days in CARE_TAGS
        if name not in have[d.pk]
    ]
    for tag in CareTag.objects.bulk_create(missing):
        have[tag.district_id][tag.name] = tag
    return have


class World:
    """What the plans need: the units, accounts, tags and the clock."""

    def __init__(self, units, districts, tags, now, seeded):
        self.units = units
        self.districts = districts
        self.by_path = {d.path: d for d in districts.values()}
        self.tags = tags
        self.now = now
        self.seeded = seeded
        self.id_numbers: set[str] = set()
        self.filers: dict[int, int] = {}
        self.reviewers: dict[int, int | None] = {}

    def data_of(self, unit: Unit):
        return DISTRICTS[district_of(unit, self.by_path).code]

    # --- planning ------------------------------------------------------------------------

    def demo_plan(self, grid: Unit) -> GridPlan:
        rng = random.Random(f"{SEED}:grid:{grid.code}")
        return self._plan(grid, rng.randint(30, 60), rng)

    def district_plans(self, grids: list[Unit]) -> list[GridPlan]:
        """Rural grids RURAL_GRID households; urban grids share the rest of the district's
        ~DISTRICT_HOUSEHOLDS (in proportion to the grids planned)."""
        rng = random.Random(f"{SEED}:grid-sizes:{len(grids)}")
        sizes = {}
        urban = []
        for grid in grids:
            if self.units[grid.parent_id].kind == Unit.Kind.COMMUNITY:
                urban.append((grid, rng.uniform(0.6, 1.4)))
            else:
                sizes[grid.pk] = rng.randint(*RURAL_GRID)
        total = round(DISTRICT_HOUSEHOLDS * len(grids) / DISTRICT_GRIDS)
        rest = max(total - sum(sizes.values()), 150 * len(urban))
        weight = sum(w for _, w in urban) or 1
        for grid, w in urban:
            sizes[grid.pk] = max(150, round(rest * w / weight))
        return [self._plan(g, sizes[g.pk], random.Random(f"{SEED}:grid:{g.code}")) for g in grids]

    def _plan(self, grid: Unit, size: int, rng: random.Random) -> GridPlan:
        village = self.units[grid.parent_id]
        plan = GridPlan(grid, village, self.data_of(grid), size, rng)
        if village.kind == Unit.Kind.COMMUNITY:
            compound = rng.choice(COMPOUND_FIRST) + rng.choice(COMPOUND_FIRST)
            compound += rng.choice(COMPOUND_SECOND)
            building = 0
            while len(plan.places) < size:
                building += 1
                floors = rng.choice((6, 6, 7, 11, 18))
                for entrance in range(1, rng.choice((2, 3, 3, 4)) + 1):
                    for floor in range(1, floors + 1):
                        for flat in (1, 2):
                            if len(plan.places) < size and rng.random() > 0.08:
                                b, e, r = (
                                    f"{compound}{building}号楼",
                                    f"{entrance}单元",
                                    f"{floor}0{flat}",
                                )
                                plan.places.append((b, e, r, f"{village.name}{b}{e}{r}室"))
            plan.boundary = f"{compound}1-{building}号楼" if building > 1 else f"{compound}1号楼"
        else:
            seq = int(grid.code[-3:]) if grid.code and grid.code[-3:].isdigit() else 1
            group = (seq - 1) * 3
            first = group + 1
            while len(plan.places) < size:
                group += 1
                name = f"{cn_number(group)}组"
                for number in range(1, rng.randint(25, 45) + 1):
                    if len(plan.places) < size:
                        plan.places.append(
                            (name, "", f"{number}号", f"{village.name}{name}{number}号")
                        )
            plan.boundary = (
                f"第{cn_number(first)}至第{cn_number(group)}村民小组"
                if group > first
                else f"第{cn_number(first)}村民小组"
            )
        return plan

    def person(self, rng: random.Random, data, born: tuple[int, int]) -> tuple[str, str, str]:
        male = rng.random() < 0.6
        given = "".join(rng.sample(MALE_CHARS if male else FEMALE_CHARS, rng.choice((1, 2, 2))))
        name = rng.choice(data.surnames) + given
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        birth = datetime.date.fromordinal(
            rng.randint(
                datetime.date(born[0], 1, 1).toordinal(), datetime.date(born[1], 12, 28).toordinal()
            )
        )
        prefix = next(code for since, code in reversed(data.id_regions) if birth.year >= since)
        while True:
            order = rng.randrange(500) * 2 + (1 if male else 0)
            body = f"{prefix}{birth:%Y%m%d}{order:03d}"
            weighted = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
            number = body + ID_CHECK[weighted % 11]
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return name, phone, number

    # --- accounts ------------------------------------------------------------------------

    def load_accounts(self) -> None:
        """Who files each grid's visits and who reviews them (see the module docstring)."""
        staff: dict[int, int] = {}
        for user_id, unit_id, role in (
            Membership.objects.current(localdate(self.now))
            .filter(unit_id__in=list(self.units), user__is_active=True)
            .order_by("user__is_superuser", "user__username")
            .values_list("user_id", "unit_id", "role")
        ):
            if role == Role.GRID_WORKER:
                self.filers.setdefault(unit_id, user_id)
            elif "handle_items" in access.CAPABILITIES.get(role, ()):
                staff.setdefault(unit_id, user_id)
        self.staff = staff

    def nearest_staff(self, unit: Unit) -> int | None:
        while unit is not None:
            if unit.pk in self.staff:
                return self.staff[unit.pk]
            unit = self.units.get(unit.parent_id)
        return None

    # --- writing -------------------------------------------------------------------------

    def write(self, plans: list[GridPlan], rounds: int, created: Counter, raise_items=False):
        """Households, tags and visits of the plans' grids, in one batch."""
        if not plans:
            return []
        rounds_list = []
        day = localdate(self.now)
        for _ in range(rounds):
            rnd = round_for(1, day)
            rounds_list.append(rnd)
            day = rnd.start - DAY
        rounds_list.reverse()
        ids = iter(_new_ids(Household, sum(len(p.places) for p in plans)))
        stamp = self.now
        households, links, visits, raised = [], [], [], []
        for plan in plans:
            writer = GridWriter(self, plan, rounds_list, raise_items)
            for row, tag_ids, rows, raise_rows in writer.households(ids, stamp):
                households.append(row)
                links += [(row[0], tag_id) for tag_id in tag_ids]
                visits += rows
                raised += raise_rows
        insert_rows(Household, HOUSEHOLD_FIELDS, households)
        insert_rows(Household.tags.through, ("household_id", "caretag_id"), links)
        insert_rows(VisitLog, VISIT_FIELDS, visits)
        created["households"] += len(households)
        created["visits"] += len(visits)
        return raised


class GridWriter:
    """Plans one grid's households and their visits with the grid's own random stream."""

    def __init__(self, world: World, plan: GridPlan, rounds, raise_items: bool):
        self.world = world
        self.plan = plan
        self.rng = plan.rng
        self.rounds = rounds
        self.current = rounds[-1]
        self.raise_items = raise_items
        grid = plan.grid
        district = district_of(grid, world.by_path)
        self.tags = [world.tags[district.pk][name] for name, _days in CARE_TAGS]
        self.filer = world.filers.get(grid.pk) or world.nearest_staff(plan.village)
        self.reviewer = world.nearest_staff(plan.village)
        self.demo_grid = _label(world.units, grid) == DEMO_GRID
        lat, lon = CENTRES[district.code]
        self.centre = (lat + self.rng.uniform(-0.08, 0.08), lon + self.rng.uniform(-0.08, 0.08))
        self.now = world.now
        self.today = localdate(self.now)

    def households(self, ids, stamp):
        rng, plan = self.rng, self.plan
        elapsed = (self.now - self.current.start_at) / (self.current.end_at - self.current.start_at)
        current_share = min(0.95, max(0.05, elapsed * rng.uniform(0.8, 1.1)))
        if self.demo_grid:
            current_share = 0.6
        past_share = [rng.uniform(0.85, 1.0) for _ in self.rounds[:-1]]
        last = len(plan.places) - 1
        for index, (building, entrance, room, address) in enumerate(plan.places):
            tags = []
            if rng.random() < TAGGED_SHARE:
                tags = [rng.choices(self.tags, TAG_WEIGHTS)[0]]
                if rng.random() < 0.15:
                    extra = rng.choice(self.tags)
                    if extra not in tags:
                        tags.append(extra)
            elderly = any(t.name == "独居老人" for t in tags)
            name, phone, id_number = self.world.person(
                rng, plan.district, (1935, 1958) if elderly else (1940, 1998)
            )
            members = 1 if elderly else rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
            visited_now = rng.random() < current_share
            if self.demo_grid:
                # wanggeyuan's grid is always partly covered: the first household visited,
                # the last two not yet.
                visited_now = index == 0 or (visited_now and index < last - 1)
            pk = next(ids)
            times = self.visit_times(tags, visited_now, past_share)
            raise_at = None
            if (
                self.raise_items
                and visited_now
                and (rng.random() < 0.002 or (self.demo_grid and index in (0, 3)))
            ):
                # Raised in the last day: the item is still fresh, so it carries nothing the
                # ledger's reminder sweep would already have done (yellow, supervised).
                since = max(self.now - RAISED_WITHIN, self.current.start_at)
                raise_at = self.moment(since, self.now)
                times = sorted({*times, raise_at})
            rows, raise_rows = [], []
            for at in times:
                raise_title = None
                if at == raise_at:
                    raise_title = rng.choice(RAISED)
                    raise_rows.append((pk, at, raise_title, plan, name, phone))
                rows.append(self.visit_row(pk, at, raise_title))
            row = (
                pk,
                plan.grid.pk,
                building,
                entrance,
                room,
                address,
                name,
                phone,
                id_number,
                members,
                "",
                True,
                max(times) if times else None,
                stamp,
                stamp,
            )
            yield row, [t.pk for t in tags], rows, raise_rows

    def moment(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        """A moment in working hours between start and end (local days), before now."""
        end = min(end, self.now)
        first, last = localdate(start), localdate(end - MINUTE)
        days = (last - first).days
        day = first + datetime.timedelta(days=self.rng.randint(0, max(days, 0)))
        at = day_start(day) + datetime.timedelta(minutes=self.rng.randint(8 * 60 + 30, 18 * 60))
        if at >= end or at < start:
            at = start + (end - start) * self.rng.random()
        return at

    def visit_times(self, tags, visited_now: bool, past_share) -> list[datetime.datetime]:
        rng = self.rng
        times = []
        every = min((t.visit_every_days for t in tags if t.visit_every_days), default=None)
        window_start = self.rounds[0].start_at
        if every:
            # Tagged households are visited about every `every` days; one in five has fallen
            # behind lately.
            stop = self.now - (every * 1.5 * DAY if rng.random() < 0.2 else datetime.timedelta())
            at = window_start + rng.uniform(0, every) * DAY
            while at < stop:
                times.append(self.moment(at, at + DAY))
                at += (every + rng.randint(-2, 1)) * DAY
        for rnd, share in zip(self.rounds[:-1], past_share, strict=True):
            if not any(rnd.start_at <= t < rnd.end_at for t in times) and rng.random() < share:
                times.append(self.moment(rnd.start_at, rnd.end_at))
            if rng.random() < 0.03:
                times.append(self.moment(rnd.start_at, rnd.end_at))
        current = self.current.start_at
        if not visited_now:
            times = [t for t in times if t < current]
        elif not any(t >= current for t in times):
            times.append(self.moment(current, self.now))
        return sorted(t for t in times if t <= self.now)

    def visit_row(self, household_id: int, at, raised) -> tuple:
        rng = self.rng
        kind = rng.choice(KINDS)
        all_well = raised is None and rng.random() < 0.85
        observed = "" if all_well and rng.random() < 0.7 else rng.choice(OBSERVED)
        demands = (
            raised[0] if raised else ("" if all_well or rng.random() < 0.6 else rng.choice(DEMANDS))
        )
        handled = bool(demands) and not raised and rng.random() < 0.3
        filed = min(at + rng.randint(1, 15) * MINUTE, self.now)
        lat = lon = accuracy = None
        if kind == VisitKind.DOOR and rng.random() < 0.8:
            lat = round(self.centre[0] + rng.uniform(-0.004, 0.004), 6)
            lon = round(self.centre[1] + rng.uniform(-0.004, 0.004), 6)
            accuracy = rng.randint(5, 60)
        status, note, reviewer, reviewed_at = ReviewStatus.PENDING, "", None, None
        r = rng.random()
        if at < self.current.start_at:
            status = (
                ReviewStatus.APPROVED
                if r < 0.88
                else ReviewStatus.REJECTED
                if r < 0.91
                else ReviewStatus.ON_HOLD
                if r < 0.93
                else ReviewStatus.PENDING
            )
        elif at < self.now - 3 * DAY:
            status = ReviewStatus.APPROVED if r < 0.5 else ReviewStatus.PENDING
        if status != ReviewStatus.PENDING and self.reviewer:
            reviewer = self.reviewer
            reviewed_at = min(at + rng.uniform(1, 6) * DAY, self.now)
            note = rng.choice(REVIEW_NOTES[status]) if status in REVIEW_NOTES else ""
        else:
            status = ReviewStatus.PENDING
        return (
            household_id,
            self.plan.grid.pk,
            self.filer,
            kind,
            all_well,
            observed,
            demands,
            "",
            at,
            filed,
            lat,
            lon,
            accuracy,
            handled,
            status,
            note,
            reviewer,
            reviewed_at,
        )


def _label(units: dict[int, Unit], unit: Unit) -> str:
    names = []
    while unit is not None:
        names.append(unit.name)
        unit = units.get(unit.parent_id)
    return "/".join(reversed(names))


def _new_ids(model, n: int) -> list[int]:
    """Primary keys for `n` rows inserted with explicit ids (the visits need their
    households' ids): from the sequence on PostgreSQL, after the largest elsewhere (the
    seeder runs inside one transaction, SQLite writers are serialised)."""
    if not n:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, n],
            )
            return [row[0] for row in cursor.fetchall()]
    first = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    return list(range(first, first + n))


def seed_profiles(world: World, plans: list[GridPlan], created: Counter) -> None:
    have = set(GridProfile.objects.values_list("grid_id", flat=True))
    dedicated = {}
    for plan in plans:
        to = DEDICATED.get(plan.village.name)
        if to:
            dedicated[plan.village.pk] = (plan.grid.pk, to)  # the last grid in path order
    missing = []
    for plan in plans:
        if plan.grid.pk in have:
            continue
        profile = GridProfile(grid=plan.grid, boundary=plan.boundary)
        pick = dedicated.get(plan.village.pk)
        if pick and pick[0] == plan.grid.pk and plan.grid.code.endswith(("002", "003")):
            profile.kind, profile.dedicated_to = GridKind.DEDICATED, pick[1]
            profile.boundary = f"{pick[1]}及周边商户、家属楼"
        missing.append(profile)
    GridProfile.objects.bulk_create(missing, batch_size=2000)
    created["profiles"] += len(missing)


def seed_community_addresses(world: World, villages: list[Unit]) -> None:
    """The public grid page shows the community's address: where its Party-mass service
    centre is, for the demo's villages and communities that have none."""
    from governance.services import unit_update

    for village in {v.pk: v for v in villages}.values():
        if not village.address:
            township = world.units[village.parent_id]
            centre = "党群服务中心" if village.kind == Unit.Kind.COMMUNITY else "村委会"
            unit_update(unit=village, address=f"{township.name}{village.name}{centre}")


def seed_workers(world: World, grids: list[Unit], *, bulk: bool, created: Counter) -> None:
    """The grid workers seed_demo planned (a person posted 专职/兼职网格员 at each grid, and
    the people of grid-worker accounts) registered and assigned to their grid."""
    from grids.services.workers import grid_worker_assign, grid_worker_register

    grid_ids = {g.pk for g in grids}
    people = {
        p.pk: p
        for p in Person.objects.filter(
            unit_id__in=grid_ids, posts__endswith="网格员"
        ).select_related("user")
    }
    posted = {p.pk: p.unit_id for p in people.values()}
    for person_id, unit_id in (
        Membership.objects.current(STARTED_ON)
        .filter(role=Role.GRID_WORKER, unit_id__in=grid_ids, user__person__isnull=False)
        .values_list("user__person", "unit_id")
    ):
        posted.setdefault(person_id, unit_id)
    missing_people = set(posted) - set(people)
    for p in Person.objects.filter(pk__in=missing_people).select_related("user"):
        people[p.pk] = p

    workers = {w.person_id: w for w in GridWorker.objects.filter(person_id__in=list(posted))}
    assigned = set(
        GridAssignment.objects.filter(worker__person_id__in=list(posted)).values_list(
            "worker__person_id", "grid_id"
        )
    )
    rng = random.Random(f"{SEED}:workers")
    new_workers, new_assignments = [], []
    for person_id in sorted(posted):
        person, grid_id = people[person_id], posted[person_id]
        kind = WorkerKind.PART_TIME if "兼职" in person.posts else WorkerKind.FULL_TIME
        # A work phone for the public page, not the private one.
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        worker = workers.get(person_id)
        if worker is None:
            if bulk:
                worker = GridWorker(person=person, kind=kind, public_phone=phone)
                new_workers.append(worker)
            else:
                worker = grid_worker_register(person=person, kind=kind, public_phone=phone)
            workers[person_id] = worker
            created["workers"] += 1
        if (person_id, grid_id) not in assigned:
            if bulk:
                new_assignments.append((worker, grid_id))
            else:
                grid_worker_assign(worker=worker, grid=world.units[grid_id], started_on=STARTED_ON)
    GridWorker.objects.bulk_create(new_workers, batch_size=2000)
    GridAssignment.objects.bulk_create(
        [GridAssignment(worker=w, grid_id=g, started_on=STARTED_ON) for w, g in new_assignments],
        batch_size=2000,
    )
    # Accounts posted in bulk get their grid role here (the services do it at demo scale).
    accounts = [(w.person.user_id, g) for w, g in new_assignments if w.person.user_id]
    held = set(
        Membership.objects.filter(
            role=Role.GRID_WORKER, ended_on__isnull=True, user_id__in=[u for u, _ in accounts]
        ).values_list("user_id", "unit_id")
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=u, unit_id=g, role=Role.GRID_WORKER, started_on=STARTED_ON)
            for u, g in accounts
            if (u, g) not in held
        ]
    )


def raise_ledger_items(world: World, raised: list, created: Counter) -> None:
    """The few demo visits that raised a problem: an item in the community's grid problem
    ledger through the ledger's own service, linked both ways."""
    if not raised:
        return
    from governance.ledger.services import item_create

    communities = {plan.village.pk for _pk, _at, _t, plan, _n, _p in raised}
    ledgers = {
        ledger.unit_id: ledger
        for ledger in Ledger.objects.filter(unit_id__in=communities, kind=LedgerKind.GRID_PROBLEM)
    }
    categories = {
        (c.district_id, c.code): c
        for c in MatterCategory.objects.filter(district__in=list(world.districts.values()))
    }
    User = get_user_model()
    for household_id, at, (title, code), plan, name, phone in raised:
        ledger = ledgers.get(plan.village.pk)
        visit = VisitLog.objects.filter(household_id=household_id, visited_at=at).first()
        if ledger is None or visit is None:
            continue
        item = item_create(
            ledger=ledger,
            title=title,
            unit=plan.grid,
            actor=User.objects.get(pk=visit.worker_id),
            source=Source.GRID_VISIT,
            description=f"网格员入户走访时发现：{title}。",
            category=categories.get((district_of(plan.grid, world.by_path).pk, code)),
            resident_name=name,
            resident_phone=phone,
            received_at=at,
            source_record=visit,
        )
        VisitLog.objects.filter(pk=visit.pk).update(ledger_item=item)
        created["items"] += 1
