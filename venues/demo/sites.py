"""The venues (sites) part of seed_demo (registered in venues/hooks_sites.py).

What it adds, per district (莱芜区, 政和县)
- The three built-in venue kinds and an assisted/proxy service catalogue of high-frequency
  matters from townships, departments and banks (social security card, medical insurance,
  pension certification, residence permit, disability card, minimum living allowance, …).
- A Party-mass service centre for every township or street (staggered and extended hours:
  weekdays 08:00–18:30 through lunch, Saturday mornings; streets open on holidays, with summer
  hours in July and August) and for every village or community (08:30–12:00, 14:00–17:30 on
  weekdays; some open through lunch; a few villages only on market days).
- Red stations (Laiwu: half the communities and about one village in six, ~170 in all; one
  always in 花园社区):
  staffed 09:00–17:00 (some until 20:00) and self-service the rest of the day, every day, so
  they are 24-hour (不打烊) and open on holidays; with their upgrade history ("new" or
  "upgraded" in 2022–2025 with funding), and 4 centres renovated.
- In Zhenghe, Party-mass heart-to-heart homes (党群连心家园) in the town communities.
- Services offered by every centre and station (5–9 matters), and at demo scale a log of
  assisted and proxy requests over the last 60 days at the demo units' venues, in every status,
  a few relayed to departments and two followed up into the community's ledger.

`--scale district`: the same for every unit of Laiwu that has no venue yet, written with
bulk_create (~860 centres, ~170 red stations, ~6,000 spans, ~7,000 offers).

Idempotent: a unit that already has a venue of the planned name is skipped; the catalogue
and kinds are created when missing; requests only for venues that have none.
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from governance.models import Unit
from venues import hours
from venues.models import (
    OpeningPeriod,
    OpeningSpan,
    ServiceMatter,
    ServiceRequest,
    Venue,
    VenueService,
    VenueUpgrade,
)
from venues.services import requests as request_services
from venues.services import sites as services

DISTRICTS = ("370116", "350725")
LAIWU_CODE = "370116"

# (name, provider kind, provider name, department name or "", materials)
CATALOGUE = [
    ("社保卡申领与补换", "department", "区人社局", "人社局", "身份证原件；近期免冠照片"),
    ("城乡居民养老保险参保登记", "department", "区人社局", "人社局", "身份证；户口簿"),
    ("养老金领取资格认证", "department", "区人社局", "人社局", "身份证"),
    ("城乡居民医保参保缴费", "department", "区医保局", "", "身份证或社保卡"),
    ("医保异地就医备案", "department", "区医保局", "", "身份证；异地居住证明"),
    ("居住证办理", "department", "公安分局", "", "身份证；居住证明；照片"),
    ("残疾人证申领", "department", "区残联", "", "身份证；户口簿；近期照片"),
    ("老年人优待证办理", "department", "区民政局", "民政局", "身份证；照片"),
    ("最低生活保障申请", "township", "乡镇（街道）社会事务办", "", "身份证；户口簿；收入证明"),
    ("临时救助申请", "township", "乡镇（街道）社会事务办", "", "身份证；困难情况说明"),
    ("高龄津贴申领", "township", "乡镇（街道）社会事务办", "", "身份证；银行卡"),
    ("社保卡金融功能激活", "bank", "农商银行", "", "社保卡；身份证"),
    ("养老金代发与查询", "bank", "农商银行", "", "社保卡或存折"),
    ("水电气费代缴", "other", "供水供电燃气公司", "", "户号"),
    ("住房维修资金查询", "department", "区住建局", "住建局", "不动产权证"),
]

CENTRE_TOWNSHIP = "周一至周五 08:00-18:30; 周六 09:00-12:00"
CENTRE_SUMMER = "周一至周五 08:00-12:00,15:00-19:00; 周六 09:00-12:00"
CENTRE_COMMUNITY = "周一至周五 08:30-12:00,14:00-17:30"
CENTRE_THROUGH_LUNCH = "周一至周五 08:30-17:30; 周六 09:00-11:30"
CENTRE_MARKET_DAYS = "周二 08:30-11:30; 周五 08:30-11:30"
STATION = "每天 09:00-17:00; 每天 00:00-24:00 自助"
STATION_EVENING = "每天 09:00-20:00; 每天 00:00-24:00 自助"
ROOMS = ["党员活动室", "会议室", "图书阅览室", "便民服务窗口", "老年活动室", "儿童之家", "医疗服务站",
         "心理咨询室", "调解室", "新时代文明实践站"]  # fmt: skip
STATION_ROOMS = ["休息区", "饮水机", "充电设施", "微波炉", "应急药箱", "雨具借用", "图书角"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗亓吕毕"
GIVEN = "芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红"


def seed_sites(*, stdout, scale, rng):
    districts = list(Unit.objects.filter(code__in=DISTRICTS, depth=1).order_by("path"))
    if not districts:
        return
    created = Counter()
    for district in districts:
        kinds = {k.code: k for k in services.ensure_kinds(district)}
        matters = _catalogue(district, created)
        units = list(
            Unit.objects.filter(
                path__startswith=district.path,
                is_active=True,
                kind__in=(
                    Unit.Kind.TOWNSHIP,
                    Unit.Kind.STREET,
                    Unit.Kind.VILLAGE,
                    Unit.Kind.COMMUNITY,
                ),
            ).order_by("path")
        )
        from governance.management.commands.seed_demo import foundation_plan

        foundation = {p.code for p in foundation_plan().units}
        demo_units = [u for u in units if u.code in foundation]
        plans = [p for u in demo_units for p in _plans(district, u, kinds)]
        with transaction.atomic():
            _write_with_services(plans, matters, rng, created)
        if scale == "district" and district.code == LAIWU_CODE:
            others = [u for u in units if u.code not in foundation]
            plans = [p for u in others for p in _plans(district, u, kinds)]
            _write_bulk(plans, matters, created)
    if created.total():
        stdout.write(
            "场所演示数据：新建场所 {venues} 个、开放时段 {spans} 条、帮办代办事项 {matters} 项、"
            "服务清单 {offers} 条、帮办代办记录 {requests} 条。".format_map(created)
        )


def _catalogue(district: Unit, created: Counter) -> list[ServiceMatter]:
    departments = list(
        Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, path__startswith=district.path)
    )
    matters = []
    for order, (name, kind, provider, department, materials) in enumerate(CATALOGUE, 1):
        dept = next((d for d in departments if department and department in d.name), None)
        if district.code != LAIWU_CODE:
            provider = provider.replace("区", "县", 1)
        matter, made = ServiceMatter.objects.get_or_create(
            district=district,
            name=name,
            defaults={
                "provider_kind": kind,
                "provider_name": provider,
                "department": dept,
                "materials": materials,
                "order": order * 10,
            },
        )
        created["matters"] += made
        matters.append(matter)
    return matters


def _stream(unit: Unit) -> random.Random:
    # Each unit's venues are drawn from a stream of its own, so reruns plan the same rows.
    return random.Random(f"venues-{unit.code or unit.path}")


def _plans(district: Unit, unit: Unit, kinds: dict) -> list[dict]:
    rnd = _stream(unit)
    plans = []
    laiwu = district.code == LAIWU_CODE
    if unit.kind in (Unit.Kind.TOWNSHIP, Unit.Kind.STREET):
        plans.append(
            {
                "unit": unit,
                "kind": kinds["service_centre"],
                "name": f"{unit.name}党群服务中心",
                "hours": CENTRE_TOWNSHIP,
                "summer": True,
                "open_on_holidays": unit.kind == Unit.Kind.STREET,
                "area": rnd.choice([800, 1200, 1500, 2000, 2600]),
                "rooms": rnd.sample(ROOMS, 6),
                "upgrade": ("renovated", rnd.choice([2023, 2024]), rnd.choice([280000, 450000]))
                if rnd.random() < 0.3
                else None,
                "offers": 9,
                "rnd": rnd,
            }
        )
        return plans
    community = unit.kind == Unit.Kind.COMMUNITY
    hours_text = CENTRE_COMMUNITY
    roll = rnd.random()
    if community and roll < 0.35:
        hours_text = CENTRE_THROUGH_LUNCH
    elif not community and roll < 0.15:
        hours_text = CENTRE_MARKET_DAYS
    plans.append(
        {
            "unit": unit,
            "kind": kinds["service_centre"],
            "name": f"{unit.name}党群服务中心",
            "hours": hours_text,
            "summer": False,
            "open_on_holidays": False,
            "area": rnd.choice([150, 220, 300, 450, 600]),
            "rooms": rnd.sample(ROOMS, 4),
            "upgrade": None,
            "offers": 5,
            "rnd": rnd,
        }
    )
    # Laiwu: 171 red stations built or upgraded, in communities and along village roads.
    station = unit.name == "花园社区" or rnd.random() < (0.5 if community else 0.17)
    if station and laiwu:
        plans.append(
            {
                "unit": unit,
                "kind": kinds["red_station"],
                "name": f"{unit.name}红色驿站",
                "hours": STATION_EVENING if rnd.random() < 0.3 else STATION,
                "summer": False,
                "open_on_holidays": True,
                "area": rnd.choice([30, 45, 60, 80]),
                "rooms": rnd.sample(STATION_ROOMS, 4),
                "upgrade": (
                    rnd.choice(["new", "upgraded"]),
                    rnd.choice([2022, 2023, 2024, 2025]),
                    rnd.choice([50000, 80000, 120000, 150000]),
                ),
                "offers": 3,
                "rnd": rnd,
            }
        )
    if community and not laiwu and rnd.random() < 0.5:
        plans.append(
            {
                "unit": unit,
                "kind": kinds["heart_home"],
                "name": f"{unit.name}党群连心家园",
                "hours": CENTRE_THROUGH_LUNCH,
                "summer": False,
                "open_on_holidays": True,
                "area": rnd.choice([200, 300, 400]),
                "rooms": ["党员活动室", "老年活动室", "儿童之家", "便民服务窗口"],
                "upgrade": ("new", 2023, 600000),
                "offers": 6,
                "rnd": rnd,
            }
        )
    return plans


def _person(rnd: random.Random) -> tuple[str, str]:
    name = (
        rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.6 else "")
    )
    phone = rnd.choice(["138", "139", "150", "152", "158", "187"]) + f"{rnd.randrange(10**8):08d}"
    return name, phone


def _fields(plan: dict) -> dict:
    rnd = plan["rnd"]
    contact, phone = _person(rnd)
    unit = plan["unit"]
    return {
        "address": unit.address or f"{unit.name}综合服务楼",
        "floor_area": Decimal(plan["area"]),
        "rooms": "\n".join(plan["rooms"]),
        "contact_name": contact,
        "contact_phone": phone,
        "public_phone": unit.phone or f"0634-{rnd.randrange(6000000, 6999999)}",
        "open_on_holidays": plan["open_on_holidays"],
    }


def _summer(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 7, 1), datetime.date(year, 8, 31)


def _write_with_services(plans, matters, rng, created: Counter) -> None:
    existing = set(
        Venue.objects.filter(unit__in={p["unit"] for p in plans}).values_list("unit_id", "name")
    )
    year = timezone.localdate().year
    for plan in plans:
        if (plan["unit"].pk, plan["name"]) in existing:
            continue
        venue = services.venue_create(
            unit=plan["unit"], kind=plan["kind"], actor=None, name=plan["name"], **_fields(plan)
        )
        spans = hours.parse(plan["hours"])
        services.regular_hours_set(venue=venue, spans=spans, actor=None)
        created["venues"] += 1
        created["spans"] += len(spans)
        if plan["summer"]:
            start, end = _summer(year)
            services.period_save(
                venue=venue,
                actor=None,
                name="夏季作息",
                start=start,
                end=end,
                spans=hours.parse(CENTRE_SUMMER),
            )
        if plan["upgrade"]:
            kind, when, funding = plan["upgrade"]
            services.upgrade_add(
                venue=venue, actor=None, kind=kind, year=when, funding=Decimal(funding)
            )
        offered = plan["rnd"].sample(matters, min(plan["offers"], len(matters)))
        services.venue_services_set(venue=venue, matters=offered, actor=None)
        created["offers"] += len(offered)
        _requests(venue, offered, plan["rnd"], created)


def _requests(venue: Venue, offered, rnd: random.Random, created: Counter) -> None:
    """Assisted and proxy requests over the last 60 days, in every status."""
    if ServiceRequest.objects.filter(venue=venue).exists():
        return
    now = timezone.now().replace(microsecond=0)
    departments = {m.pk: m.department for m in offered if m.department_id}
    count = rnd.randint(4, 12) if venue.kind.code != "red_station" else rnd.randint(1, 4)
    for _i in range(count):
        matter = rnd.choice(offered)
        name, phone = _person(rnd)
        received = now - datetime.timedelta(days=rnd.randint(0, 59), hours=rnd.randint(0, 6))
        row = request_services.request_create(
            venue=venue,
            matter=matter,
            kind=rnd.choice(["assisted", "assisted", "proxy"]),
            resident_name=name,
            resident_phone=phone,
            note=rnd.choice(["", "行动不便，由社区代办", "材料已收齐", "需补充材料后再办"]),
            actor=None,
            received_at=received,
        )
        created["requests"] += 1
        age = (now - received).days
        department = departments.get(matter.pk)
        if department is not None and rnd.random() < 0.6:
            request_services.request_step(
                request=row, step="relay", actor=None, department=department
            )
            if age > 7:
                request_services.request_step(
                    request=row, step="done", actor=None, answer="已办结，已告知居民"
                )
        elif age > 2:
            if rnd.random() < 0.9:
                request_services.request_step(
                    request=row, step="done", actor=None, answer="当场办结"
                )
            else:
                request_services.request_step(
                    request=row, step="return", actor=None, answer="材料不全，已告知补齐"
                )
        if (
            row.status == "returned"
            and request_services.follow_up_ledger(venue.unit) is not None
            and not ServiceRequest.objects.filter(
                venue__unit=venue.unit, ledger_item__isnull=False
            ).exists()
        ):
            request_services.request_follow_up(request=row, actor=None)


def _write_bulk(plans, matters, created: Counter) -> None:
    """District scale: the same venues with bulk_create, labels computed in Python."""
    existing = set(
        Venue.objects.filter(unit__in={p["unit"] for p in plans}).values_list("unit_id", "name")
    )
    plans = [p for p in plans if (p["unit"].pk, p["name"]) not in existing]
    if not plans:
        return
    year = timezone.localdate().year
    venues = []
    for plan in plans:
        spans = hours.parse(plan["hours"])
        tags = hours.labels(spans, plan["open_on_holidays"])
        plan["spans"] = spans
        venues.append(
            Venue(
                unit=plan["unit"],
                kind=plan["kind"],
                name=plan["name"],
                weekly_hours=Decimal(str(tags.staffed_hours)),
                self_service_hours=Decimal(str(tags.self_service_hours)),
                is_extended=tags.extended,
                is_through_lunch=tags.through_lunch,
                is_all_day=tags.all_day,
                **_fields(plan),
            )
        )
    with transaction.atomic():
        Venue.objects.bulk_create(venues, batch_size=1000)
        by_key = {
            (v.unit_id, v.name): v
            for v in Venue.objects.filter(unit__in={p["unit"] for p in plans})
        }
        spans, upgrades, offers, periods = [], [], [], []
        for plan in plans:
            venue = by_key[(plan["unit"].pk, plan["name"])]
            for s in plan["spans"]:
                spans.append(
                    OpeningSpan(
                        venue=venue,
                        weekday=s.weekday,
                        start=s.start,
                        end=s.end,
                        state=s.state.value,
                    )
                )
            if plan["upgrade"]:
                kind, when, funding = plan["upgrade"]
                upgrades.append(
                    VenueUpgrade(venue=venue, kind=kind, year=when, funding=Decimal(funding))
                )
            if plan["summer"]:
                start, end = _summer(year)
                periods.append(
                    (venue, OpeningPeriod(venue=venue, name="夏季作息", start=start, end=end))
                )
            for matter in plan["rnd"].sample(matters, min(plan["offers"], len(matters))):
                offers.append(VenueService(venue=venue, matter=matter))
        OpeningPeriod.objects.bulk_create([p for _v, p in periods])
        for venue, period in periods:
            for s in hours.parse(CENTRE_SUMMER):
                spans.append(
                    OpeningSpan(
                        venue=venue,
                        period=period,
                        weekday=s.weekday,
                        start=s.start,
                        end=s.end,
                        state=s.state.value,
                    )
                )
        OpeningSpan.objects.bulk_create(spans, batch_size=2000)
        VenueUpgrade.objects.bulk_create(upgrades, batch_size=1000)
        VenueService.objects.bulk_create(offers, batch_size=2000)
    created["venues"] += len(venues)
    created["spans"] += len(spans)
    created["offers"] += len(offers)
