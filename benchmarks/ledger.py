"""Ledger benchmark at district scale: list and figures pages, and the reminder sweep.

    DATABASE_URL=postgres://… python benchmarks/ledger.py [--build] [--runs 20]

--build first runs `seed_demo --scale district` (Laiwu's 860 villages and communities, 3,000
grids, ~100,000 ledger items with their histories); it skips what is already there.

Pages are requested in-process with django.test.Client, signed in (force_login) as
laiwu_admin (the whole district) and fengcheng_staff (one street): the median and the 95th
percentile of the time spent serving each request over --runs requests after two warm-up
requests, and the number of SQL queries of one more request (CaptureQueriesContext). A page
whose URL does not resolve yet is reported as "missing".

The reminder sweep runs every ledger kind (notifications.run_sweeps) inside a transaction
that is rolled back, so the benchmark can be rerun and leaves no notifications behind. The
demo data has accounts only for the demo users, so before sweeping the benchmark gives every
village/community, township and department of the districts one staff account (inside the
same rolled-back transaction): the sweep then fans out to recipients as it would in a
deployment. Three sweeps: today (what the first beat of the day does), the same sweep again
(what every further 15-minute beat costs), and the next working day judged at its end (more
items turn yellow, fall due and are escalated).

Settings come from the environment as for manage.py; DEBUG defaults to off here so that
templates and queries run as in production. Prints a plain table.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SHANZHI_PRODUCTION", "0")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402
from django.utils import timezone  # noqa: E402

from governance import access, notifications, workdays  # noqa: E402
from governance.ledger import reminders  # noqa: E402
from governance.models import (  # noqa: E402
    LedgerEvent,
    LedgerItem,
    Membership,
    Role,
    Unit,
)

USERS = ("laiwu_admin", "fengcheng_staff")
PAGES = (
    ("item list", "/ledger/items/"),
    ("item list: open, red", "/ledger/items/?open=true&light=red"),
    ("item list: handed over, by due", "/ledger/items/?status=handed_over&ordering=due"),
    ("item list: search (漏水)", "/ledger/items/?q=%E6%BC%8F%E6%B0%B4"),
    ("item list: page 20", "/ledger/items/?page=20"),
    ("figures", "/ledger/figures/"),
)
LEDGER_KINDS = [kind.name for kind in reminders.KINDS]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def measure_page(client: Client, url: str, runs: int) -> dict:
    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return {"status": "missing"}
    for _ in range(2):
        response = client.get(url)
    if response.status_code != 200:
        return {"status": str(response.status_code)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {
        "status": "200",
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": len(queries),
        "kb": len(response.content) / 1024,
    }


def staff_everywhere() -> int:
    """One staff account for every unit that has none (rolled back by the caller)."""
    User = get_user_model()
    roles = {
        Unit.Kind.DISTRICT: Role.DISTRICT_ADMIN,
        Unit.Kind.TOWNSHIP: Role.TOWNSHIP_STAFF,
        Unit.Kind.STREET: Role.TOWNSHIP_STAFF,
        Unit.Kind.VILLAGE: Role.COMMUNITY_SECRETARY,
        Unit.Kind.COMMUNITY: Role.COMMUNITY_SECRETARY,
        Unit.Kind.DEPARTMENT: Role.DEPARTMENT_HANDLER,
    }
    handling = [r for r, caps in access.CAPABILITIES.items() if "handle_items" in caps]
    staffed = set(Membership.objects.filter(role__in=handling).values_list("unit_id", flat=True))
    units = list(
        Unit.objects.filter(kind__in=roles).exclude(pk__in=staffed).values_list("pk", "kind")
    )
    users = User.objects.bulk_create(
        [User(username=f"bench-{pk}", password="!") for pk, _ in units], batch_size=2000
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=user, unit_id=pk, role=roles[kind], started_on=datetime.date(2020, 1, 1)
            )
            for user, (pk, kind) in zip(users, units, strict=True)
        ],
        batch_size=2000,
    )
    return len(units)


def measure_sweeps() -> list[tuple[str, dict]]:
    rows = []
    today = timezone.localdate()
    next_workday = workdays.add_workdays(today, 1)
    with transaction.atomic():
        accounts = staff_everywhere()
        rows.append(("(staff accounts added for the sweep)", {"sent": accounts}))
        for label, day in (
            (f"sweep today {today}", today),
            ("same sweep again (next beat)", today),
            (f"sweep next working day {next_workday}", next_workday),
        ):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                sent = notifications.run_sweeps(day, kinds=LEDGER_KINDS)
                elapsed = time.perf_counter() - start
            detail = ", ".join(f"{k.split('.')[-1]} {n}" for k, n in sent.items() if n)
            rows.append(
                (
                    label,
                    {
                        "seconds": elapsed,
                        "queries": len(queries),
                        "sent": sum(sent.values()),
                        "detail": detail,
                    },
                )
            )
        transaction.set_rollback(True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="seed_demo --scale district first")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--no-sweep", action="store_true")
    args = parser.parse_args()

    if args.build:
        start = time.perf_counter()
        call_command("seed_demo", scale="district", stdout=io.StringIO())
        print(f"seed_demo --scale district: {time.perf_counter() - start:.1f} s")

    vendor = connection.vendor
    print(f"database: {vendor} {connection.settings_dict.get('NAME')}  DEBUG={settings.DEBUG}")
    if vendor != "postgresql":
        print("warning: the figures that matter are PostgreSQL's")
    open_items = LedgerItem.objects.open().count()
    print(
        f"items: {LedgerItem.objects.count()}  open: {open_items}  "
        f"overdue: {LedgerItem.objects.overdue().count()}  events: {LedgerEvent.objects.count()}  "
        f"units: {Unit.objects.count()}"
    )

    if not args.no_pages:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        User = get_user_model()
        print()
        print(
            f"{'page':<34}{'user':<17}{'status':>7}{'median ms':>11}{'p95 ms':>9}"
            f"{'queries':>9}{'KiB':>8}"
        )
        for username in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                print(f"{username}: no such account (run with --build)")
                continue
            client = Client()
            client.force_login(user)
            for label, url in PAGES:
                r = measure_page(client, url, args.runs)
                if r["status"] != "200":
                    print(f"{label:<34}{username:<17}{r['status']:>7}")
                    continue
                print(
                    f"{label:<34}{username:<17}{r['status']:>7}{r['median']:>11.1f}"
                    f"{r['p95']:>9.1f}{r['queries']:>9}{r['kb']:>8.0f}"
                )

    if not args.no_sweep:
        print()
        print(f"reminder sweep over {open_items} open items (rolled back)")
        print(f"{'sweep':<40}{'seconds':>9}{'queries':>9}{'sent':>8}  by kind")
        for label, r in measure_sweeps():
            if "seconds" not in r:
                print(f"{label:<40}{'':>9}{'':>9}{r['sent']:>8}")
                continue
            print(f"{label:<40}{r['seconds']:>9.2f}{r['queries']:>9}{r['sent']:>8}  {r['detail']}")


if __name__ == "__main__":
    main()
