"""The community part of seed_demo: for each district's villages and communities, reception days
(outreach.demo.reception), dual reporting (outreach.demo.dual) and red property
(outreach.demo.property).

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

from collections import Counter

from django.utils import timezone

from governance.models import Ledger, LedgerKind, Membership, Role, Unit
from outreach.demo.dual import seed_dual
from outreach.demo.property import seed_complaints, seed_property
from outreach.demo.reception import link_demands, seed_schedules

DISTRICTS = ("370116", "350725")


def districts():
    return {u.code: u for u in Unit.objects.filter(code__in=DISTRICTS, depth=1)}


def units_in(district):
    return Unit.objects.filter(path__startswith=district.path)


def seed_community(*, stdout, scale="demo", rng):
    by_code = districts()
    if not by_code:
        return
    created = Counter()
    today = timezone.localdate()
    secretaries = dict(
        Membership.objects.current(today)
        .filter(role=Role.COMMUNITY_SECRETARY, user__person__isnull=False)
        .values_list("unit_id", "user__person")
    )
    for code in DISTRICTS:
        district = by_code.get(code)
        if district is None:
            continue
        with_ledgers = set(
            Ledger.objects.filter(kind=LedgerKind.RECEPTION_DAY).values_list("unit_id", flat=True)
        )
        communities = list(
            units_in(district)
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
