"""Dashboards benchmark: the leaders' dashboard at district scale and at a tenth of it.

    python benchmarks/dashboards.py [--build] [--runs 20] \\
        --database-url postgres://postgres@127.0.0.1:5432/shanzhi_bench \\
        --small-database-url postgres://postgres@127.0.0.1:5432/shanzhi_bench_small

--build runs `seed_demo --scale district` on each database first (every app's district-scale
data: Laiwu's 860 villages/communities and 3,000 grids, ~365,000 households and ~2 million
visit logs, ~100,000 ledger items, contact activities, venues, economy, teams), and on the
small one with a tenth of the villages and grids (`--villages 86 --grids 300`); it skips what
exists, so it can be repeated.

Each database is measured in its own process (the settings are read once per process). For
each view: the median and 95th percentile of the server time over --runs requests made
in-process with django.test.Client after two warm-up requests, and the number of SQL queries of
one more request. A bare Django view (returns "ok", no database) is measured in the same run as
the baseline. The snapshot refresh (the Celery task recomputing every district/township
dashboard of the five standard periods) is timed once.

Views, signed in as the demo accounts:
- the district's dashboard (莱芜区, this month) as laiwu_leader, from its snapshot;
- a street's dashboard (凤城街道, this month) as laiwu_leader and as fengcheng_staff;
- the big screen of the district, whole page and the htmx refresh of its body;
- the .xlsx export of the district's dashboard;
- a custom range (the last 30 days): the district's once stored (what a second viewer or the
  big screen's refresh reads), and the district's and the street's first view, which computes
  and stores it;
- computed on the spot: a community (花园社区, this month).
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker(args) -> None:
    """Measure one database (the one DATABASE_URL names) and print the results as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SHANZHI_PRODUCTION", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import clear_url_caches, reverse
    from django.utils import timezone

    from benchmarks.timing import machine, measure, once, stopwatch
    from dashboards import snapshots
    from dashboards.models import Snapshot
    from governance.models import LedgerItem, Unit
    from grids.models import Household, VisitLog

    log = sys.stderr
    call_command("migrate", verbosity=0)
    if args.build:
        options = {"scale": "district"}
        if args.small:
            options.update(villages=86, grids=300)
        with contextlib.redirect_stdout(log), stopwatch("seed_demo"):
            call_command("load_holidays", verbosity=0)
            call_command("seed_demo", stdout=log, **options)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.ROOT_URLCONF = "benchmarks.bare_urls"
    clear_url_caches()

    users = get_user_model().objects.in_bulk(
        ["laiwu_leader", "fengcheng_staff"], field_name="username"
    )
    leader, staff = Client(), Client()
    leader.force_login(users["laiwu_leader"])
    staff.force_login(users["fengcheng_staff"])
    district = Unit.objects.get(code="370116")
    street = Unit.objects.get(name="凤城街道", parent=district)
    community = Unit.objects.get(name="花园社区", parent=street)
    sizes = {
        "villages": Unit.objects.filter(path__startswith=district.path, depth=3).count(),
        "grids": Unit.objects.filter(path__startswith=district.path, kind="grid").count(),
        "households": Household.objects.count(),
        "visit logs": VisitLog.objects.count(),
        "ledger items": LedgerItem.objects.count(),
    }
    refresh = once(snapshots.refresh)

    today = timezone.localdate()
    last30 = f"period=custom&start={today - timezone.timedelta(days=29)}&end={today}"
    dash, screen = reverse("dashboards:dashboard"), reverse("dashboards:screen")

    def drop():  # a custom range nobody has asked for yet: computed by the request
        Snapshot.objects.filter(preset="custom").delete()

    runs = args.runs
    rows = [
        ("bare Django view (baseline)", "laiwu_leader", measure(leader, "/__bare__/", runs)),
        (
            "dashboard, district, this month",
            "laiwu_leader",
            measure(leader, f"{dash}?unit={district.pk}&period=month", runs),
        ),
        (
            "dashboard, street, this month",
            "laiwu_leader",
            measure(leader, f"{dash}?unit={street.pk}&period=month", runs),
        ),
        (
            "dashboard, street, this month",
            "fengcheng_staff",
            measure(staff, f"{dash}?unit={street.pk}&period=month", runs),
        ),
        (
            "big screen, district",
            "laiwu_leader",
            measure(leader, f"{screen}?unit={district.pk}&period=month", runs),
        ),
        (
            "big screen refresh (htmx)",
            "laiwu_leader",
            measure(leader, f"{screen}?unit={district.pk}&period=month", runs, HX_Request="true"),
        ),
        (
            "export .xlsx, district",
            "laiwu_leader",
            measure(
                leader, f"{reverse('dashboards:export')}?unit={district.pk}", max(3, runs // 4)
            ),
        ),
        (
            "district, last 30 days, stored",
            "laiwu_leader",
            measure(leader, f"{dash}?unit={district.pk}&{last30}", runs),
        ),
        (
            "district, last 30 days, 1st view",
            "laiwu_leader",
            measure(leader, f"{dash}?unit={district.pk}&{last30}", max(3, runs // 4), before=drop),
        ),
        (
            "street, last 30 days, 1st view",
            "laiwu_leader",
            measure(leader, f"{dash}?unit={street.pk}&{last30}", max(3, runs // 4), before=drop),
        ),
        (
            "live: community, this month",
            "laiwu_leader",
            measure(leader, f"{dash}?unit={community.pk}&period=month", runs),
        ),
    ]
    print(
        json.dumps(
            {
                "machine": machine(),
                "sizes": sizes,
                "refresh": {**refresh["result"], "seconds": round(refresh["seconds"], 1)},
                "rows": rows,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--small-database-url", required=True)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--small", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    results = {}
    for label, url, small in (
        ("district", args.database_url, False),
        ("tenth", args.small_database_url, True),
    ):
        command = [sys.executable, __file__, "--worker", "--runs", str(args.runs)]
        command += ["--database-url", url, "--small-database-url", url]
        command += ["--small"] if small else []
        command += ["--build"] if args.build else []
        env = {**os.environ, "DATABASE_URL": url}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"measuring {label} failed")
        results[label] = json.loads(done.stdout.strip().splitlines()[-1])
    for label, result in results.items():
        sizes = ", ".join(f"{k} {v:,}" for k, v in result["sizes"].items())
        refresh = result["refresh"]
        print(f"{label}: {result['machine']}")
        print(f"  {sizes}")
        print(
            f"  snapshot refresh (Celery task): {refresh['snapshots']} dashboards in "
            f"{refresh['seconds']} s"
        )
    print()
    print(
        f"{'view':<34}{'user':<16}"
        f"{'median ms':>10}{'p95 ms':>9}{'queries':>8}   "
        f"{'1/10 median':>12}{'1/10 p95':>9}{'queries':>8}"
    )
    big, small = results["district"]["rows"], results["tenth"]["rows"]
    for (view, user, a), (_v, _u, b) in zip(big, small, strict=True):

        def cells(r):
            if "median" not in r:
                return f"{'status ' + str(r['status']):>27}"
            return f"{r['median']:>10.1f}{r['p95']:>9.1f}{r['queries']:>8}"

        print(f"{view:<34}{user:<16}{cells(a)}   {cells(b).rjust(29)}")


if __name__ == "__main__":
    main()
