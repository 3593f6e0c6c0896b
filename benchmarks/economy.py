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
import statistics
import sys
import time
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
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from economy.demo import seed_economy  # noqa: E402
from economy.models import IncomeMeasure, Pairing, Project, VillageIncome  # noqa: E402
from governance.models import Unit  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def measure(client: Client, url: str, runs: int) -> dict:
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
        "status": str(response.status_code),
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": len(queries),
        "kb": len(response.content) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="seed the economy at district scale")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    args = parser.parse_args()

    if args.build:
        start = time.perf_counter()
        seed_economy(stdout=io.StringIO(), scale="district", rng=random.Random(1))
        print(f"economy seeder, district scale: {time.perf_counter() - start:.1f} s")

    print(
        f"database: {connection.vendor} {connection.settings_dict.get('NAME')}  DEBUG={settings.DEBUG}"
    )
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
        ("figures, district (laiwu_admin)", admin, reverse("economy:figures") + q),
        (
            "figures, 凤城街道 (fengcheng_staff)",
            staff,
            reverse("economy:figures") + f"?unit={street.pk}&year={year}",
        ),
        ("village list, district", admin, reverse("economy:village-list") + q),
        ("village list, moved up", admin, reverse("economy:village-list") + q + "&move=up"),
        ("project list, district", admin, reverse("economy:project-list") + q),
        ("measures late, district", admin, reverse("economy:measure-list") + q + "&state=late"),
        ("pairings, district", admin, reverse("economy:pairing-list") + q),
    ]
    print(f"{'page':40} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>7}")
    for label, client, url in pages:
        r = measure(client, url, args.runs)
        if "median" not in r:
            print(f"{label:40} {r['status']:>6}")
            continue
        print(
            f"{label:40} {r['status']:>6} {r['median']:>10.1f} {r['p95']:>8.1f} "
            f"{r['queries']:>8} {r['kb']:>7.1f}"
        )


if __name__ == "__main__":
    main()
