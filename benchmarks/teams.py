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
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.timing import machine, measure, print_table, stopwatch  # noqa: E402
from governance.models import Unit  # noqa: E402
from teams import rules  # noqa: E402
from teams.demo import seed_teams  # noqa: E402
from teams.models import CommunityWorker, GigWorker, MonthlyScore, ReserveCadre  # noqa: E402
from teams.rules import month_start  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="seed the teams at district scale")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    args = parser.parse_args()
    if args.build:
        with stopwatch("seed_teams district"):
            seed_teams(stdout=io.StringIO(), scale="district", rng=random.Random(20240601))
    print(machine())
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
        rows.append(
            (
                "score sheet (POST, whole sheet)",
                "fengcheng_staff",
                measure(staff, url, args.runs, data=sheet),
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
    print_table(rows, user_width=16)


if __name__ == "__main__":
    main()
