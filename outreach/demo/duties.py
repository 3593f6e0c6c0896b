"""Demo data of the duties part: liaison duties for every tier and a year of contact activities.

scale "demo": in both districts, through the services (outreach.services.duties and the
ledger's): district leaders cover the townships, the second township member each work zone,
township officials the villages, village cadres the village's households; then a year of
activities, most periods with a contact (the current one with fewer, so the matrix shows done,
due and behind), about one in eight raising a problem, most older problems replied and solved.

scale "district": adds, for Laiwu's villages beyond the demo's, the same duties with
bulk_create, and DISTRICT_YEARS years of activities (~20,000 a year) with their duty contacts
and problems (ledger items written directly, numbered from the ledger's sequence, replied and
solved in the same shares; without event history).

Idempotent: a target that already has an open duty is skipped, and activities are only made
for duties that have none yet.
"""

import datetime
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from governance.ledger import services as ledger_services
from governance.models import (
    LedgerItem,
    Membership,
    NumberSequence,
    Person,
    Role,
    Source,
    Status,
    Unit,
    WorkZone,
)
from grids.models import Household
from outreach.figures.duties import period_of
from outreach.models import (
    ActivityProblem,
    ContactActivity,
    ContactSystem,
    DutyContact,
    DutyPolicy,
    DutyTier,
    Frequency,
    LiaisonDuty,
)
from outreach.services.contacts import activity_file, contact_ledger
from outreach.services.duties import TOWNSHIP_KINDS, VILLAGE_KINDS, duty_assign

DEMO_MONTHS = 12
DISTRICT_YEARS = 3
HOUSEHOLDS_PER_CADRE = 15
PROBLEM_SHARE = 0.12
POLICY = {
    DutyTier.TOWNSHIP: Frequency.MONTHLY,
    DutyTier.WORK_ZONE: Frequency.MONTHLY,
    DutyTier.VILLAGE: Frequency.MONTHLY,
    DutyTier.HOUSEHOLDS: Frequency.QUARTERLY,
}
SYSTEMS = {
    DutyTier.TOWNSHIP: [
        ContactSystem.CONSULTATION,
        ContactSystem.PUBLICITY,
        ContactSystem.VISITING,
    ],
    DutyTier.WORK_ZONE: [
        ContactSystem.CONSULTATION,
        ContactSystem.PUBLICITY,
        ContactSystem.VISITING,
    ],
    DutyTier.VILLAGE: list(ContactSystem.values),
    DutyTier.HOUSEHOLDS: [ContactSystem.TALK, ContactSystem.VISITING, ContactSystem.VISITING],
}
SUMMARIES = {
    ContactSystem.CONSULTATION: [
        "召开议事协商会，围绕{topic}听取群众意见，形成解决方案。",
        "组织党员、居民代表共商{topic}事项，明确责任人和时限。",
    ],
    ContactSystem.PUBLICITY: [
        "宣讲党的二十届三中全会精神，结合{topic}解读惠民政策。",
        "开展政策宣讲进村居活动，讲解{topic}相关政策。",
    ],
    ContactSystem.VISITING: [
        "入户走访了解群众生产生活情况，重点询问{topic}。",
        "到党群服务中心接待来访群众，现场答复{topic}问题。",
    ],
    ContactSystem.TALK: [
        "与困难群众谈心谈话，了解{topic}方面的困难和诉求。",
        "与党员、群众代表谈心，听取对{topic}工作的意见建议。",
    ],
}
TOPICS = ["养老服务", "医疗保障", "就业帮扶", "人居环境整治", "老旧小区改造", "物业管理",
          "集体经济发展", "乡村振兴", "防汛安全", "燃气安全", "教育入学", "文明实践"]  # fmt: skip
PROBLEMS = ["楼道照明损坏需维修", "小区雨后积水严重", "村道路面破损", "独居老人需要助餐服务",
            "下水管道堵塞", "垃圾清运不及时", "农田灌溉用水困难", "电动车充电桩不足",
            "学校周边交通拥堵", "路灯不亮影响夜间出行", "健身器材老化", "困难家庭申请临时救助"]  # fmt: skip
PLACES = ["党群服务中心", "村委会议室", "居民家中", "小区广场", "新时代文明实践站", "田间地头"]


def seed_duties(*, stdout, scale, rng):
    districts = list(Unit.objects.filter(depth=1, kind=Unit.Kind.DISTRICT).order_by("path"))
    if not districts:
        return
    today = timezone.localdate()
    created = Counter()
    for district in districts:
        for tier, frequency in POLICY.items():
            DutyPolicy.objects.get_or_create(
                district=district, tier=tier, defaults={"frequency": frequency}
            )
    demo_start = _month_start(today, -DEMO_MONTHS)
    foundation = _foundation_codes()
    plans = []
    for district in districts:
        plans += _plan(district, foundation)
    demo_plans = [p for p in plans if p["demo"]]
    district_plans = [p for p in plans if not p["demo"]]
    before = created["duties"]
    _assign(demo_plans, demo_start, created)
    # A year of activities goes with the demo duties when they are created; a later run must
    # not give more to a duty whose schedule happened to produce none (seeding twice changes
    # nothing).
    if created["duties"] > before:
        _activities_demo(districts, today, demo_start, rng, created, foundation)
    if scale == "district":
        start = _month_start(today, -12 * DISTRICT_YEARS)
        with transaction.atomic():
            new_duties = _assign_bulk(district_plans, start, created)
        # Only the duties this run created get activities: a duty whose schedule happened to
        # produce none must not get some on the next run (seeding twice changes nothing).
        _activities_bulk(today, start, rng, created, new_duties)
    if created.total():
        stdout.write(
            "包联演示数据：新建包联责任 {duties} 条、联系群众活动 {activities} 条、"
            "由活动上报的台账事项 {items} 条。".format_map(created)
        )


def _month_start(today: datetime.date, months: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


# Duties -------------------------------------------------------------------------------------


def _foundation_codes() -> set[str]:
    from governance.management.commands.seed_demo import foundation_plan

    return {unit.code for unit in foundation_plan().units}


def _plan(district: Unit, foundation: set[str]) -> list[dict]:
    """What each person covers; "demo" marks the foundation's units, the rest are district
    scale."""
    units = list(Unit.objects.filter(path__startswith=district.path).exclude(kind=Unit.Kind.GRID))
    by_parent = defaultdict(list)
    for unit in units:
        by_parent[unit.parent_id].append(unit)
    people = defaultdict(list)
    for person in (
        Person.objects.filter(unit__in=units)
        .order_by(F("user").asc(nulls_last=True), "pk")
        .only("pk", "unit_id", "user_id", "name")
    ):
        people[person.unit_id].append(person)
    zones = defaultdict(list)
    for zone in WorkZone.objects.filter(township__path__startswith=district.path).order_by("pk"):
        zones[zone.township_id].append(zone)
    covered = _covered(district)
    plans = []
    townships = sorted(
        (u for u in by_parent[district.pk] if u.kind in TOWNSHIP_KINDS), key=lambda u: u.path
    )
    leaders = people[district.pk]
    for i, township in enumerate(townships):
        if leaders and ("unit", township.pk) not in covered:
            plans.append(_p(leaders[i % len(leaders)], target_unit=township, demo=True))
        staff = people[township.pk]
        if not staff:
            continue
        member = staff[1 % len(staff)]
        for zone in zones[township.pk]:
            if ("zone", zone.pk) not in covered:
                plans.append(_p(member, target_zone=zone, demo=True))
        villages = sorted(
            (u for u in by_parent[township.pk] if u.kind in VILLAGE_KINDS), key=lambda u: u.path
        )
        for v, village in enumerate(villages):
            demo = village.code in foundation
            if ("unit", village.pk) not in covered:
                plans.append(_p(staff[v % len(staff)], target_unit=village, demo=demo))
            cadres = people[village.pk]
            if cadres and ("households", village.pk) not in covered:
                plans.append({"village": village, "cadres": cadres, "demo": demo})
    return plans


def _p(holder, *, demo, target_unit=None, target_zone=None) -> dict:
    return {"holder": holder, "target_unit": target_unit, "target_zone": target_zone, "demo": demo}


def _covered(district: Unit) -> set:
    covered = set()
    for tier, unit_id, zone_id, scope_id in LiaisonDuty.objects.filter(
        scope_unit__path__startswith=district.path, ends_on__isnull=True
    ).values_list("tier", "target_unit_id", "target_zone_id", "scope_unit_id"):
        if tier == DutyTier.WORK_ZONE:
            covered.add(("zone", zone_id))
        elif tier == DutyTier.HOUSEHOLDS:
            covered.add(("households", scope_id))
        else:
            covered.add(("unit", unit_id))
    return covered


def _household_groups(village: Unit, cadres: list, limit: int | None) -> list[tuple]:
    households = list(
        Household.objects.active()
        .filter(grid__path__startswith=village.path)
        .order_by("grid__path", "building", "entrance", "room", "pk")
        .values_list("pk", flat=True)
    )
    groups = []
    for c, cadre in enumerate(cadres):
        share = households[c :: len(cadres)]
        if limit:
            share = share[:limit]
        if share:
            groups.append((cadre, share))
    return groups


def _assign(plans: list[dict], start, created: Counter) -> None:
    for plan in plans:
        if "village" in plan:
            for cadre, ids in _household_groups(plan["village"], plan["cadres"], None):
                duty_assign(
                    holder=cadre,
                    actor=None,
                    starts_on=start,
                    households=list(Household.objects.filter(pk__in=ids)),
                )
                created["duties"] += 1
            continue
        duty_assign(
            holder=Person.objects.select_related("unit").get(pk=plan["holder"].pk),
            actor=None,
            starts_on=start,
            target_unit=plan["target_unit"],
            target_zone=plan["target_zone"],
        )
        created["duties"] += 1


def _assign_bulk(plans: list[dict], start, created: Counter) -> list[int]:
    """Create the district-scale duties not yet there; return the ids of those created."""
    duties, groups = [], []
    for plan in plans:
        if "village" in plan:
            for cadre, ids in _household_groups(
                plan["village"], plan["cadres"], HOUSEHOLDS_PER_CADRE
            ):
                duty = LiaisonDuty(
                    holder_id=cadre.pk,
                    tier=DutyTier.HOUSEHOLDS,
                    scope_unit=plan["village"],
                    starts_on=start,
                )
                duties.append(duty)
                groups.append((duty, ids))
            continue
        target = plan["target_unit"]
        duties.append(
            LiaisonDuty(
                holder_id=plan["holder"].pk,
                tier=DutyTier.VILLAGE if target.kind in VILLAGE_KINDS else DutyTier.TOWNSHIP,
                scope_unit=target,
                target_unit=target,
                starts_on=start,
            )
        )
    LiaisonDuty.objects.bulk_create(duties, batch_size=2000)
    through = LiaisonDuty.households.through
    through.objects.bulk_create(
        [through(liaisonduty_id=d.pk, household_id=h) for d, ids in groups for h in ids],
        batch_size=5000,
    )
    created["duties"] += len(duties)
    return [d.pk for d in duties]


# Activities ---------------------------------------------------------------------------------


def _periods(frequency: str, start: datetime.date, today: datetime.date):
    period = period_of(frequency, start)
    while period.start <= today:
        yield period
        period = period_of(frequency, period.end)


def _schedule(duty, frequency, start, today, rng, busy=False):
    """(day, system) of the duty's activities: most periods one, some two, the current one
    less often. `busy` (district scale, where the villages' own cadres are not on record):
    officials covering a village hold two on average, as Laiwu's ~20,000 a year imply."""
    for period in _periods(frequency, max(start, duty.starts_on), today):
        current = period.end > today
        chance = 0.5 if current else (0.8 if duty.tier == DutyTier.HOUSEHOLDS else 0.9)
        count = 0 if rng.random() > chance else (2 if rng.random() < 0.15 else 1)
        if busy and count and duty.tier == DutyTier.VILLAGE:
            count = rng.choice((1, 2, 2, 3))
        # A period can begin before the duty does (a quarter from 1 October for a duty from 1
        # December): its activities fall on days of the duty.
        first = max(period.start, duty.starts_on)
        last = min(period.last, today)
        span = (last - first).days
        for _ in range(count):
            day = first + datetime.timedelta(days=rng.randint(0, span))
            yield day, rng.choice(SYSTEMS[duty.tier])


def _reached(tier, rng) -> int:
    if tier == DutyTier.HOUSEHOLDS:
        return rng.randint(1, 4)
    if tier == DutyTier.VILLAGE:
        return rng.randint(5, 40)
    return rng.randint(10, 80)


def _summary(system, rng) -> str:
    return rng.choice(SUMMARIES[system]).format(topic=rng.choice(TOPICS))


def _fresh_duties(foundation: set[str]):
    """Open duties of the foundation's units without any contact yet."""
    duties = (
        LiaisonDuty.objects.filter(ends_on__isnull=True, starts_on__lte=timezone.localdate())
        .filter(scope_unit__code__in=foundation)
        .exclude(pk__in=DutyContact.objects.values("duty_id"))
        .select_related("holder", "holder__unit", "scope_unit", "target_unit", "target_zone")
        .order_by("pk")
    )
    # Work zones of the district-scale villages belong to foundation townships too; their
    # activities are the district scale's.
    demo_zones = set(
        Unit.objects.filter(code__in=foundation, work_zone__isnull=False).values_list(
            "work_zone_id", flat=True
        )
    )
    return [d for d in duties if d.tier != DutyTier.WORK_ZONE or d.target_zone_id in demo_zones]


def _admins(districts) -> dict[str, object]:
    User = get_user_model()
    admins = {}
    for district in districts:
        membership = (
            Membership.objects.filter(unit=district, role=Role.DISTRICT_ADMIN)
            .order_by("pk")
            .first()
        )
        admins[district.path] = (
            User.objects.get(pk=membership.user_id) if membership is not None else None
        )
    return admins


def _zone_villages() -> dict[int, list[Unit]]:
    villages = defaultdict(list)
    for unit in Unit.objects.filter(work_zone__isnull=False).order_by("path"):
        villages[unit.work_zone_id].append(unit)
    return villages


def _activities_demo(districts, today, start, rng, created: Counter, foundation) -> None:
    """A year of activities for the demo duties without any, through the services."""
    duties = _fresh_duties(foundation)
    if not duties:
        return
    admins = _admins(districts)
    zone_villages = _zone_villages()
    frequencies = {(d.path, t): f for d in districts for t, f in POLICY.items()}
    for row in DutyPolicy.objects.values_list("district__path", "tier", "frequency"):
        frequencies[(row[0], row[1])] = row[2]
    households = defaultdict(list)
    through = LiaisonDuty.households.through
    for duty_id, household_id in through.objects.filter(
        liaisonduty_id__in=[d.pk for d in duties]
    ).values_list("liaisonduty_id", "household_id"):
        households[duty_id].append(household_id)
    raised = []
    for duty in duties:
        district_path = duty.scope_unit.path[: duty.scope_unit.steplen]
        actor = admins.get(district_path)
        if actor is None:
            continue
        frequency = duty.frequency or frequencies.get((district_path, duty.tier), "monthly")
        for day, system in _schedule(duty, frequency, start, today, rng):
            unit, picked = _covered_unit(duty, zone_villages, households, rng)
            if unit is None:
                continue
            problems = [rng.choice(PROBLEMS)] if rng.random() < PROBLEM_SHARE else []
            _activity, items = activity_file(
                actor=actor,
                system=system,
                unit=unit,
                leader=duty.holder,
                held_on=day,
                summary=_summary(system, rng),
                people_reached=_reached(duty.tier, rng) if not picked else len(picked) * 2,
                households=list(Household.objects.filter(pk__in=picked)) if picked else [],
                place=rng.choice(PLACES),
                problems=problems,
            )
            created["activities"] += 1
            created["items"] += len(items)
            raised += [(item, day, actor) for item in items]
    _progress(raised, today, rng)


def _covered_unit(duty, zone_villages, households, rng):
    if duty.tier == DutyTier.WORK_ZONE:
        villages = zone_villages.get(duty.target_zone_id)
        return (rng.choice(villages) if villages else None), []
    if duty.tier == DutyTier.HOUSEHOLDS:
        ids = households.get(duty.pk)
        if not ids:
            return None, []
        return duty.scope_unit, rng.sample(ids, min(len(ids), rng.randint(1, 3)))
    return duty.target_unit, []


def _progress(raised, today, rng) -> None:
    """Most problems older than two weeks are replied and resolved; some are closed."""
    for item, day, actor in raised:
        if (today - day).days < 14 or rng.random() > 0.85:
            continue
        item = ledger_services.item_accept(item=item, actor=actor)
        item = ledger_services.item_resolve(
            item=item, actor=actor, result="已协调相关部门处理完毕，并向群众答复。"
        )


def _activities_bulk(today, start, rng, created: Counter, duty_ids: list[int]) -> None:
    """District scale: activities of the duties just created, with bulk_create."""
    duties = list(
        LiaisonDuty.objects.filter(pk__in=duty_ids, ends_on__isnull=True)
        .select_related("scope_unit", "target_unit")
        .order_by("pk")
    )
    if not duties:
        return
    zone_villages = _zone_villages()
    frequencies = dict(
        ((path, tier), f)
        for path, tier, f in DutyPolicy.objects.values_list("district__path", "tier", "frequency")
    )
    households = defaultdict(list)
    through = LiaisonDuty.households.through
    for duty_id, household_id in through.objects.filter(
        liaisonduty_id__in=[d.pk for d in duties]
    ).values_list("liaisonduty_id", "household_id"):
        households[duty_id].append(household_id)
    for chunk in range(0, len(duties), 500):
        _bulk_chunk(
            duties[chunk : chunk + 500], frequencies, zone_villages, households, today, start, rng,
            created,
        )  # fmt: skip


@transaction.atomic
def _bulk_chunk(duties, frequencies, zone_villages, households, today, start, rng, created):
    rows = []  # (activity, duty, household ids, problem title or None)
    for duty in duties:
        path = duty.scope_unit.path[: duty.scope_unit.steplen]
        frequency = duty.frequency or frequencies.get((path, duty.tier), "monthly")
        for day, system in _schedule(duty, frequency, start, today, rng, busy=True):
            unit, picked = _covered_unit(duty, zone_villages, households, rng)
            if unit is None:
                continue
            activity = ContactActivity(
                system=system,
                unit=unit,
                work_zone_id=duty.target_zone_id or unit.work_zone_id,
                leader_id=duty.holder_id,
                held_on=day,
                place=rng.choice(PLACES),
                people_reached=_reached(duty.tier, rng),
                summary=_summary(system, rng),
            )
            problem = rng.choice(PROBLEMS) if rng.random() < PROBLEM_SHARE else None
            rows.append((activity, duty, picked, problem))
    ContactActivity.objects.bulk_create([r[0] for r in rows], batch_size=2000)
    DutyContact.objects.bulk_create(
        [DutyContact(duty=d, activity=a, held_on=a.held_on) for a, d, _h, _p in rows],
        batch_size=5000,
    )
    links = ContactActivity.households.through
    links.objects.bulk_create(
        [links(contactactivity_id=a.pk, household_id=h) for a, _d, ids, _p in rows for h in ids],
        batch_size=5000,
    )
    created["activities"] += len(rows)
    created["items"] += _bulk_items([(a, p) for a, _d, _h, p in rows if p], today, rng)


def _bulk_items(raised, today, rng) -> int:
    if not raised:
        return 0
    activity_type = ContentType.objects.get_for_model(ContactActivity)
    ledgers = {}
    items = []
    for activity, title in raised:
        ledger = ledgers.get(activity.unit_id)
        if ledger is None:
            ledger = ledgers[activity.unit_id] = contact_ledger(activity.unit)
        received = timezone.make_aware(
            datetime.datetime.combine(activity.held_on, datetime.time(17, 0))
        )
        due = received + datetime.timedelta(days=21)
        item = LedgerItem(
            ledger=ledger,
            title=title,
            description=activity.summary,
            source=Source.CONTACT_ACTIVITY,
            source_type=activity_type,
            source_id=activity.pk,
            unit_id=activity.unit_id,
            responsible_unit_id=activity.unit_id,
            received_at=received,
            accept_due_at=received + datetime.timedelta(days=1),
            due_at=due,
            original_due_at=due,
            warn_at=received + datetime.timedelta(days=15),
            status=Status.RECEIVED,
        )
        if (today - activity.held_on).days >= 14 and rng.random() < 0.85:
            done = received + datetime.timedelta(days=rng.randint(2, 12))
            item.accepted_at = received + datetime.timedelta(hours=rng.randint(2, 20))
            item.replied_at = item.resolved_at = done
            item.status = Status.CLOSED if rng.random() < 0.6 else Status.RESOLVED
            item.result = "已协调相关部门处理完毕，并向群众答复。"
            if item.status == Status.CLOSED:
                item.close_reason = "resolved"
                item.closed_at = done + datetime.timedelta(days=3)
        items.append(item)
    by_key = defaultdict(list)
    for item in items:
        by_key[(item.ledger.prefix, timezone.localdate(item.received_at).year)].append(item)
    for (prefix, year), group in by_key.items():
        sequence, _ = NumberSequence.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        for n, item in enumerate(group, sequence.last + 1):
            item.number = f"{prefix}-{year}-{n:06d}"
        NumberSequence.objects.filter(pk=sequence.pk).update(last=sequence.last + len(group))
    LedgerItem.objects.bulk_create(items, batch_size=2000)
    ActivityProblem.objects.bulk_create(
        [ActivityProblem(activity_id=item.source_id, item=item) for item in items], batch_size=5000
    )
    return len(items)
