"""The activities part of seed_demo (registered in venues/hooks_activities.py; runs after the
sites part, whose venues it fills).

What it adds, for every active venue of 莱芜区 and 政和县 that has no activity yet, over the
year up to three weeks ahead of today:
- a term of weekly classes (点亮空房子: 书法, 合唱, 太极, 剪纸 …) as a series, every term,
  skipping public holidays;
- a 睦邻市集 on the second Saturday of each month (the big one: hundreds of person-times);
- a policy talk, a skills training or a live-stream recruitment, a health clinic or a salon,
  a volunteer service now and then, with partner units (区妇联, 区人社局, 实验小学 …);
- attendance and a short report for everything already held, registrations (a few on the
  waiting list) for the coming ones that take them;
- the weekly previews published for every week up to the current one; next week stays a draft
  for staff to check and publish (the weekly reminder asks them to).

Demo scale goes through the services; `--scale district` writes the same plan for every
further venue of Laiwu with bulk_create (about 40 activities a venue a year).

Idempotent: venues with activities are skipped; previews and categories are created when missing.
"""

import datetime
import random
from collections import Counter

from django.utils import timezone

from governance.management.commands.seed_demo import LAIWU, MOBILE_PREFIXES, ZHENGHE
from governance.models import Unit
from venues.models import (
    Activity,
    ActivityCategory,
    RegistrationSource,
    Venue,
    WeekPreview,
    WeekStatus,
)
from venues.services import activities as services

DAYS_BACK = 364
DAYS_AHEAD = 21
COURSES = ("书法", "合唱", "太极拳", "剪纸", "葫芦丝", "国画", "手机摄影", "舞蹈", "象棋", "编织")
TALKS = (
    ("policy", "医保政策宣讲", "区医保局", "中老年居民"),
    ("policy", "反诈宣传进社区", "区公安分局", "全体居民"),
    ("policy", "党的二十届三中全会精神宣讲", "街道党工委", "党员群众"),
    ("training", "家政服务技能培训", "区人社局", "待业人员"),
    ("training", "电商直播技能培训", "区人社局、区妇联", "青年、妇女"),
    ("livestream", "直播带岗·家门口就业", "区人社局", "求职居民"),
    ("clinic", "义诊进社区", "区人民医院", "老年人"),
    ("clinic", "口腔健康义诊", "区妇幼保健院", "儿童"),
    ("salon", "亲子阅读沙龙", "区妇联、实验小学", "亲子家庭"),
    ("salon", "睦邻议事沙龙", "社区党委", "居民代表"),
    ("volunteer", "文明城市志愿服务", "区团委", "志愿者"),
    ("culture", "邻里文化节", "街道文化站", "全体居民"),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗"
GIVEN = "秀英桂兰玉兰建国志强海燕丽娟明华淑珍文静国华春梅晓东"
REPORTS = (
    "活动现场气氛热烈，居民积极参与，反响良好。",
    "活动按计划开展，收集居民意见建议若干条，已纳入台账跟踪。",
    "邀请专业人员现场讲解并答疑，发放宣传资料。",
)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def _plan(
    venue: Venue, categories: dict, today: datetime.date, rng: random.Random, *, markets: bool
) -> list:
    """(category, title, start, end, extra fields) of a venue's year."""
    first = today - datetime.timedelta(days=DAYS_BACK)
    last = today + datetime.timedelta(days=DAYS_AHEAD)
    plan = []
    # Markets on the second Saturday of each month, at the unit's first venue.
    month = first.replace(day=1)
    while markets and month <= last:
        saturdays = [
            month + datetime.timedelta(days=i)
            for i in range(14)
            if (month + datetime.timedelta(days=i)).weekday() == 5
        ]
        day = saturdays[1]
        if first <= day <= last:
            plan.append(
                (
                    categories["market"],
                    f"{venue.unit.name}睦邻市集",
                    _at(day, 9),
                    _at(day, 11, 30),
                    {"organiser": f"{venue.unit.name}党委", "partners": "辖区商户、共建单位",
                     "target_group": "全体居民"},
                )
            )  # fmt: skip
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    # Two talks or services a month on weekdays.
    day = first + datetime.timedelta(days=rng.randrange(7))
    while day <= last:
        if day.weekday() < 5:
            code, title, partners, target = rng.choice(TALKS)
            hour = rng.choice((9, 14, 15))
            registration = code in ("training", "clinic", "salon")
            plan.append(
                (
                    categories[code],
                    title,
                    _at(day, hour),
                    _at(day, hour + 1, 30),
                    {
                        "organiser": f"{venue.unit.name}党委",
                        "partners": partners,
                        "target_group": target,
                        "registration_enabled": registration,
                        "capacity": rng.choice((20, 30, 40)) if registration else None,
                    },
                )
            )
        day += datetime.timedelta(days=rng.choice((12, 15, 18)))
    return plan


def _terms(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """Spring and autumn terms of the interest classes within the year seeded."""
    first = today - datetime.timedelta(days=DAYS_BACK)
    terms = []
    for year in (first.year, today.year, today.year + 1):
        for start, end in (((3, 1), (6, 30)), ((9, 1), (12, 31))):
            a, b = datetime.date(year, *start), datetime.date(year, *end)
            a, b = max(a, first), min(b, today + datetime.timedelta(days=DAYS_AHEAD))
            if a <= b:
                terms.append((a, b))
    return terms


def seed_activities(*, stdout, scale, rng):
    created = Counter()
    now = timezone.now()
    today = timezone.localdate(now)
    districts = {
        u.code: u for u in Unit.objects.filter(depth=1, code__in=[LAIWU.code, ZHENGHE.code])
    }
    for district in districts.values():
        services.categories_ensure(district)
    venues = list(
        Venue.objects.filter(is_active=True)
        .filter(unit__path__regex="^(" + "|".join(d.path for d in districts.values()) + ")")
        .exclude(activities__isnull=False)
        .select_related("unit")
        .order_by("unit__path", "pk")
        if districts
        else []
    )
    if not venues:
        stdout.write("活动演示数据：每个场所都已有活动。")
        return
    categories = {
        d.path: {c.code: c for c in ActivityCategory.objects.filter(district=d)}
        for d in districts.values()
    }
    # Demo scale: every venue, through the services. District scale: the demo accounts'
    # places through the services, every further venue in bulk.
    if scale == "district":
        shown = _demo_paths(districts)
        detailed = [v for v in venues if v.unit.path.startswith(shown)]
        bulk = [v for v in venues if not v.unit.path.startswith(shown)]
    else:
        detailed, bulk = venues, []
    market_venues = _market_venues()
    for venue in detailed:
        stream = random.Random(f"{venue.unit.path}:{venue.name}")
        _seed_venue(
            venue,
            categories[venue.unit.path[: Unit.steplen]],
            today,
            now,
            stream,
            created,
            markets=venue.pk in market_venues,
        )
    if bulk:
        _seed_bulk(bulk, categories, today, created)
    _publish_past_weeks(today, created)
    stdout.write(
        f"活动演示数据：新建活动 {created['activities']} 场、系列活动 {created['series']} 个、"
        f"报名 {created['registrations']} 人次、已公布的周活动预告 {created['previews']} 份。"
    )


def _demo_paths(districts: dict) -> tuple[str, ...]:
    """Where the demo accounts look (政和县 and 莱芜区's 花园社区): seeded in detail, through the
    services, even at district scale; the rest of Laiwu is written in bulk."""
    paths = [d.path for code, d in districts.items() if code == ZHENGHE.code]
    laiwu = districts.get(LAIWU.code)
    if laiwu is not None:
        paths += list(
            Unit.objects.filter(path__startswith=laiwu.path, depth=3, name="花园社区").values_list(
                "path", flat=True
            )
        )
    return tuple(paths)


def _market_venues() -> set[int]:
    """The first venue of each unit (its centre) holds the unit's monthly market."""
    first: dict[int, int] = {}
    for unit_id, pk in (
        Venue.objects.filter(is_active=True).order_by("unit_id", "pk").values_list("unit_id", "pk")
    ):
        first.setdefault(unit_id, pk)
    return set(first.values())


def _seed_venue(venue, categories, today, now, rng, created, *, markets: bool) -> None:
    for first, last in _terms(today):
        course = rng.choice(COURSES)
        weekday = rng.choice((2, 4))
        try:
            series = services.series_create(
                venue=venue,
                category=categories["course"],
                title=f"点亮空房子·{course}班",
                weekdays=[weekday],
                first_day=first,
                last_day=last,
                start_time=datetime.time(15, 0),
                end_time=datetime.time(16, 30),
                skip_holidays=True,
                actor=None,
                organiser=f"{venue.unit.name}党委",
                partners="区妇联、老年大学",
                target_group="老年人、青少年",
                capacity=25,
                registration_enabled=True,
            )
        except Exception:
            continue
        created["series"] += 1
        created["activities"] += series.activities.count()
    for category, title, starts, ends, extra in _plan(
        venue, categories, today, rng, markets=markets
    ):
        services.activity_create(
            venue=venue,
            category=category,
            title=title,
            starts_at=starts,
            ends_at=ends,
            actor=None,
            **extra,
        )
        created["activities"] += 1
    for activity in Activity.objects.filter(venue=venue).order_by("starts_at"):
        if activity.starts_at <= now:
            people = (
                rng.randint(150, 400)
                if activity.category.code == "market"
                else rng.randint(12, activity.capacity or 60)
            )
            services.attendance_record(
                activity=activity,
                attendance=people,
                report=rng.choice(REPORTS),
                actor=None,
                now=now,
            )
        elif activity.registration_enabled and activity.starts_at <= now + datetime.timedelta(
            days=14
        ):
            wanted = rng.randint(3, (activity.capacity or 10) + 3)
            for i in range(wanted):
                try:
                    services.registration_create(
                        activity=activity,
                        name=_name(rng),
                        phone=_phone(rng),
                        source=RegistrationSource.PUBLIC if i % 3 else RegistrationSource.STAFF,
                        now=now,
                        actor=None,
                    )
                except Exception:
                    continue
                created["registrations"] += 1


def _seed_bulk(venues, categories, today, created) -> None:
    """The same year for many venues at once: rows planned in memory, bulk_create in batches."""
    tz = timezone.get_current_timezone()
    now = timezone.now()
    batch: list[Activity] = []
    market_venues = _market_venues()
    for venue in venues:
        rng = random.Random(f"{venue.unit.path}:{venue.name}")
        cats = categories[venue.unit.path[: Unit.steplen]]
        rows = list(_plan(venue, cats, today, rng, markets=venue.pk in market_venues))
        course = rng.choice(COURSES)
        for first, last in _terms(today):
            for day in services.series_dates(
                [rng.choice((2, 4))], first, last, skip_holidays=False
            ):
                if rng.random() < 0.5:  # every other week at the smaller venues
                    continue
                rows.append(
                    (
                        cats["course"],
                        f"点亮空房子·{course}班",
                        datetime.datetime.combine(day, datetime.time(15), tz),
                        datetime.datetime.combine(day, datetime.time(16, 30), tz),
                        {"target_group": "老年人、青少年", "capacity": 25},
                    )
                )
        for category, title, starts, ends, extra in rows:
            held = starts <= now
            people = None
            if held:
                people = rng.randint(150, 400) if category.code == "market" else rng.randint(10, 50)
            batch.append(
                Activity(
                    unit_id=venue.unit_id,
                    venue=venue,
                    category=category,
                    title=title,
                    starts_at=starts,
                    ends_at=ends,
                    week_start=services.week_of(timezone.localtime(starts).date()),
                    attendance=people,
                    report=REPORTS[0] if held else "",
                    attendance_recorded_at=now if held else None,
                    **{k: v for k, v in extra.items() if v is not None},
                )
            )
        if len(batch) >= 5000:
            Activity.objects.bulk_create(batch)
            created["activities"] += len(batch)
            batch = []
    Activity.objects.bulk_create(batch)
    created["activities"] += len(batch)


def _publish_past_weeks(today, created) -> None:
    """Every week up to the current one published for each unit with activities in it."""
    this_week = services.week_of(today)
    pairs = set(
        Activity.objects.filter(week_start__lte=this_week)
        .values_list("unit_id", "week_start")
        .distinct()
    )
    existing = set(
        WeekPreview.objects.filter(week_start__lte=this_week).values_list("unit_id", "week_start")
    )
    rows = [
        WeekPreview(
            unit_id=unit_id,
            week_start=week,
            status=WeekStatus.PUBLISHED,
            published_at=_at(week - datetime.timedelta(days=2), 17),
        )
        for unit_id, week in sorted(pairs - existing)
    ]
    WeekPreview.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    created["previews"] += len(rows)
