"""Economy benchmark at district scale: the economy figures page and the lists it drills into.

    DATABASE_URL=postgres://… python benchmarks/economy.py [--build] [--runs 20]

--build first runs the economy seeder at district scale (incomes for four years, models and
measures for every Laiwu village, pairings extended to 507 villages with 281 enterprises); it
skips what is already there.

Pages are requested in-process with django.test.Client, signed in (force_login): the median
and the 95th percentile of the server time over --runs requests after two warm-up requests,
and the number of SQL queries of one more request.

- the figures page of the whole district (`economy:figures?unit=<莱芜区>`) as laiwu_admin;
- the same for one street (凤城街道) as fengcheng_staff;
- the village list of the district (first page), the village list filtered to the villages
  that moved up, the project list and the late-measure list of the district, as laiwu_admin.

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
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.timing import machine, measure, print_table, stopwatch  # noqa: E402
from economy.demo import seed_economy  # noqa: E402
from economy.models import IncomeMeasure, Pairing, Project, VillageIncome  # noqa: E402
from governance.models import Unit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="seed the economy at district scale")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    args = parser.parse_args()

    if args.build:
        with stopwatch("economy seeder, district scale"):
            seed_economy(stdout=io.StringIO(), scale="district", rng=random.Random(1))

    print(machine())
    if connection.vendor != "postgresql":
        print("warning: the figures that matter are PostgreSQL's")
    laiwu = Unit.objects.get(depth=1, name="莱芜区")
    villages = Unit.objects.filter(
        path__startswith=laiwu.path, kind__in=(Unit.Kind.VILLAGE, Unit.Kind.COMMUNITY)
    ).count()
    print(
        f"Laiwu villages/communities: {villages}  incomes: {VillageIncome.objects.count()}  "
        f"measures: {IncomeMeasure.objects.count()}  projects: {Project.objects.count()}  "
        f"pairings: {Pairing.objects.count()}"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    User = get_user_model()
    admin = Client()
    admin.force_login(User.objects.get(username="laiwu_admin"))
    staff = Client()
    staff.force_login(User.objects.get(username="fengcheng_staff"))
    street = Unit.objects.get(parent=laiwu, name="凤城街道")
    year = timezone.localdate().year
    q = f"?unit={laiwu.pk}&year={year}"
    pages = [
        ("figures, district", "laiwu_admin", reverse("economy:figures") + q),
        (
            "figures, 凤城街道",
            "fengcheng_staff",
            reverse("economy:figures") + f"?unit={street.pk}&year={year}",
        ),
        ("village list, district", "laiwu_admin", reverse("economy:village-list") + q),
        ("village list, moved up", "laiwu_admin", reverse("economy:village-list") + q + "&move=up"),
        ("project list, district", "laiwu_admin", reverse("economy:project-list") + q),
        (
            "measures late, district",
            "laiwu_admin",
            reverse("economy:measure-list") + q + "&state=late",
        ),
        ("pairings, district", "laiwu_admin", reverse("economy:pairing-list") + q),
    ]
    clients = {"laiwu_admin": admin, "fengcheng_staff": staff}
    rows = [(label, user, measure(clients[user], url, args.runs)) for label, user, url in pages]
    print_table(rows, width=30)


if __name__ == "__main__":
    main()
