"""Outreach (duties) benchmark at district scale: the duty matrix and the activity list.

    DATABASE_URL=postgres://… python benchmarks/outreach.py [--build] [--runs 20]

--build first runs the duties seeder at district scale (outreach.demo.duties.seed_duties:
duties for every tier over Laiwu's ~860 villages and three years of ~20,000 contact
activities a year); it skips what is already there. The foundation, ledgers and grids must be
seeded already (`seed_demo --scale district`).

Pages are requested in-process with django.test.Client, signed in (force_login): the median
and the 95th percentile of the server time over --runs requests after two warm-up requests,
and the number of SQL queries of one more request.

- the duty matrix of the whole district (`outreach:duty-matrix?unit=<莱芜区>`) as laiwu_admin
  (every current duty's status computed; first page of 100 rows);
- the same filtered to the duties behind;
- the duty matrix of one township (凤城街道) as fengcheng_staff;
- the activity list of the whole district (first page of 50) as laiwu_admin;
- the activity figures of the district for this year as laiwu_admin;
- the activity form (GET) as fengcheng_staff.

Settings come from the environment as for manage.py; DEBUG defaults to off. Prints a table.
"""

import argparse
import io
import os
import random
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
from django.db import connection  # noqa: E402

from benchmarks.timing import machine, measure, print_table, stopwatch, url_for  # noqa: E402
from governance.models import LedgerItem, Unit  # noqa: E402
from outreach.demo.duties import seed_duties  # noqa: E402
from outreach.models import ContactActivity, DutyContact, LiaisonDuty  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="seed the duties at district scale")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    args = parser.parse_args()

    if args.build:
        out = io.StringIO()
        with stopwatch("seed_duties --scale district"):
            seed_duties(stdout=out, scale="district", rng=random.Random(20260101))
        print(out.getvalue().strip())

    print(machine())
    if connection.vendor != "postgresql":
        print("warning: the figures that matter are PostgreSQL's")
    print(
        f"duties: {LiaisonDuty.objects.count()}  activities: {ContactActivity.objects.count()}  "
        f"duty contacts: {DutyContact.objects.count()}  "
        f"activity problems: {LedgerItem.objects.filter(source='contact_activity').count()}"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    User = get_user_model()
    admin = User.objects.filter(username="laiwu_admin").first()
    staff = User.objects.filter(username="fengcheng_staff").first()
    if admin is None or staff is None:
        print("no demo accounts: run seed_demo first")
        return
    laiwu = Unit.objects.get(code="370116")
    township = staff.person.unit

    from django.test import Client

    as_admin, as_staff = Client(), Client()
    as_admin.force_login(admin)
    as_staff.force_login(staff)
    rows = [
        (
            "duty matrix, whole district",
            "laiwu_admin",
            measure(as_admin, url_for("outreach:duty-matrix", query=f"unit={laiwu.pk}"), args.runs),
        ),
        (
            "duty matrix, district, behind",
            "laiwu_admin",
            measure(
                as_admin,
                url_for("outreach:duty-matrix", query=f"unit={laiwu.pk}&status=behind"),
                args.runs,
            ),
        ),
        (
            "duty matrix, one township",
            "fengcheng_staff",
            measure(
                as_staff, url_for("outreach:duty-matrix", query=f"unit={township.pk}"), args.runs
            ),
        ),
        (
            "activity list, whole district",
            "laiwu_admin",
            measure(as_admin, url_for("outreach:activity-list"), args.runs),
        ),
        (
            "activity list, district, page 100",
            "laiwu_admin",
            measure(as_admin, url_for("outreach:activity-list", query="page=100"), args.runs),
        ),
        (
            "activity figures, district, year",
            "laiwu_admin",
            measure(
                as_admin, url_for("outreach:activity-figures", query=f"unit={laiwu.pk}"), args.runs
            ),
        ),
        (
            "activity form (GET)",
            "fengcheng_staff",
            measure(as_staff, url_for("outreach:activity-new"), args.runs),
        ),
    ]
    print_table(rows)


if __name__ == "__main__":
    main()
