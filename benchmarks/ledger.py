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
import sys
from pathlib import Path

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
from django.utils import timezone  # noqa: E402

from benchmarks.timing import existing, machine, measure, once, print_table, stopwatch  # noqa: E402
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
            r = once(lambda d=day: notifications.run_sweeps(d, kinds=LEDGER_KINDS))
            sent = r["result"]
            detail = ", ".join(f"{k.split('.')[-1]} {n}" for k, n in sent.items() if n)
            rows.append(
                (
                    label,
                    {
                        "seconds": r["seconds"],
                        "queries": r["queries"],
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
        with stopwatch("seed_demo --scale district"):
            call_command("seed_demo", scale="district", stdout=io.StringIO())

    print(machine())
    if connection.vendor != "postgresql":
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
        rows = []
        for username in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                print(f"{username}: no such account (run with --build)")
                continue
            client = Client()
            client.force_login(user)
            rows += [
                (label, username, measure(client, existing(url), args.runs)) for label, url in PAGES
            ]
        print_table(rows, width=34)

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
