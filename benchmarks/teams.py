"""Teams benchmark at district scale: the reserve-cadre, worker and ranking pages of Laiwu.

    DATABASE_URL=postgres://… python benchmarks/teams.py [--build] [--runs 20]

--build first runs the teams seeder at district scale (teams.demo.seed_teams: ~3,000 reserve
cadres over ~860 villages/communities, ~1,500 community workers with eight months of scores,
5,202 gig workers in Zhenghe); it skips what is already there. The foundation (units, demo
accounts) must be in the database already (seed_demo --scale district).

Pages are requested in-process with django.test.Client, signed in (force_login): the median
and the 95th percentile of the server time over --runs requests after two warm-up requests,
and the number of SQL queries of one more request.

- the teams hub and the figures page of the whole district as laiwu_admin;
- the villages below the reserve minimum (district), the reserve-cadre list (first page),
  not trained this year (district) as laiwu_admin;
- the score sheet of 花园社区 (GET, and a POST of the whole sheet inside a transaction that is
  rolled back) and the half-year ranking of 凤城街道 as fengcheng_staff;
- the gig-worker list of Zhenghe as zhenghe_admin.

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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from governance.models import Unit  # noqa: E402
from teams import rules  # noqa: E402
from teams.demo import seed_teams  # noqa: E402
from teams.models import CommunityWorker, GigWorker, MonthlyScore, ReserveCadre  # noqa: E402
from teams.rules import month_start  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def measure(client: Client, url: str, runs: int, data: dict | None = None) -> dict:
    def request():
        return client.post(url, data) if data is not None else client.get(url)

    ok = (302,) if data is not None else (200,)
    for _ in range(2):
        response = request()
    if response.status_code not in ok:
        return {"status": str(response.status_code)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        request()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return {
        "status": str(response.status_code),
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": len(queries),
        "kb": len(response.content) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="seed the teams at district scale")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    args = parser.parse_args()
    if args.build:
        start = time.perf_counter()
        seed_teams(stdout=io.StringIO(), scale="district", rng=random.Random(20240601))
        print(f"seed_teams district: {time.perf_counter() - start:.1f} s")
    print(
        f"database: {connection.vendor} {connection.settings_dict.get('NAME')}  "
        f"DEBUG={settings.DEBUG}"
    )
    print(
        f"reserve cadres: {ReserveCadre.objects.count()}  community workers: "
        f"{CommunityWorker.objects.count()}  monthly scores: {MonthlyScore.objects.count()}  "
        f"gig workers: {GigWorker.objects.count()}"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["laiwu_admin", "fengcheng_staff", "zhenghe_admin"]
        )
    }
    if len(users) < 3:
        print("no demo accounts: seed the foundation first")
        return
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    laiwu = Unit.objects.get(code="370116")
    community = Unit.objects.get(name="花园社区", parent__name="凤城街道")
    township = community.parent
    admin, staff = clients["laiwu_admin"], clients["fengcheng_staff"]
    rows = [
        ("teams hub, district", "laiwu_admin", measure(admin, reverse("teams:index"), args.runs)),
        (
            "figures, district",
            "laiwu_admin",
            measure(admin, reverse("teams:figures") + f"?unit={laiwu.pk}", args.runs),
        ),
        (
            "villages below the minimum",
            "laiwu_admin",
            measure(admin, reverse("teams:reserve-shortfall") + f"?unit={laiwu.pk}", args.runs),
        ),
        (
            "reserve cadres, first page",
            "laiwu_admin",
            measure(admin, reverse("teams:reserve-list"), args.runs),
        ),
        (
            "not trained this year",
            "laiwu_admin",
            measure(admin, reverse("teams:untrained") + f"?unit={laiwu.pk}", args.runs),
        ),
        (
            "score sheet (GET)",
            "fengcheng_staff",
            measure(staff, reverse("teams:scores", args=[community.pk]), args.runs),
        ),
    ]
    month = month_start(timezone.localdate())
    criteria = list(rules.criteria_for(community))
    workers = CommunityWorker.objects.filter(community=community, is_active=True)
    with transaction.atomic():
        # Each POST is a new version of the same sheet: send the version on file every time.
        def sheet():
            versions = dict(
                MonthlyScore.objects.filter(worker__in=workers, month=month).values_list(
                    "worker_id", "version"
                )
            )
            data = {"month": f"{month:%Y-%m}"}
            for w in workers:
                data[f"v-{w.pk}"] = str(versions.get(w.pk, ""))
                for c in criteria:
                    data[f"p-{w.pk}-{c.pk}"] = str(int(c.max_points) - 1)
            return data

        url = reverse("teams:scores", args=[community.pk])
        times = []
        for _ in range(args.runs):
            data = sheet()
            start = time.perf_counter()
            response = staff.post(url, data)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            staff.post(url, sheet())
        rows.append(
            (
                "score sheet (POST, whole sheet)",
                "fengcheng_staff",
                {
                    "status": str(response.status_code),
                    "median": statistics.median(times),
                    "p95": percentile(times, 0.95),
                    "queries": len(queries),
                    "kb": 0,
                },
            )
        )
        transaction.set_rollback(True)
    rows += [
        (
            "half-year ranking of the street",
            "fengcheng_staff",
            measure(staff, reverse("teams:ranking", args=[township.pk]), args.runs),
        ),
        (
            "gig workers, Zhenghe",
            "zhenghe_admin",
            measure(clients["zhenghe_admin"], reverse("teams:gig-list"), args.runs),
        ),
    ]
    print()
    print(
        f"{'page':<36}{'user':<16}{'status':>7}{'median ms':>11}{'p95 ms':>9}{'queries':>9}"
        f"{'KiB':>8}"
    )
    for label, user, r in rows:
        if "median" not in r:
            print(f"{label:<36}{user:<16}{r['status']:>7}")
            continue
        print(
            f"{label:<36}{user:<16}{r['status']:>7}{r['median']:>11.1f}{r['p95']:>9.1f}"
            f"{r['queries']:>9}{r['kb']:>8.0f}"
        )


if __name__ == "__main__":
    main()
