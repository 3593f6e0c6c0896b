"""Grids benchmark at district scale: the grid worker's pages and the district's coverage.

    DATABASE_URL=postgres://… python benchmarks/grids.py [--build] [--runs 20]

--build first runs `seed_demo --scale district` (3,000 grids, ~375,000 households and a few
million visit logs over the last rounds); it skips what is already there.

Pages are requested in-process with django.test.Client, signed in (force_login): the median
and the 95th percentile of the server time over --runs requests after two warm-up requests,
and the number of SQL queries of one more request. A URL name that does not exist yet is
reported as "missing".

- the grid worker's home (`governance:home`) as wanggeyuan;
- the visit form submit: a POST of a routine "visited, all well" door visit to
  `grids:visit-form` for a household of wanggeyuan's grid, redirect expected; every POST runs
  inside a transaction that is rolled back at the end, so the data does not change;
- the unvisited-households list of wanggeyuan's grid (`grids:unvisited`) as wanggeyuan;
- the coverage table of the whole district (`grids:coverage?unit=<莱芜区>`) as laiwu_admin,
  and its unvisited list (first page) for the district.

Settings come from the environment as for manage.py; DEBUG defaults to off. Prints a table.
"""

import argparse
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

from benchmarks.timing import machine, measure, print_table, stopwatch, url_for  # noqa: E402
from governance.models import Unit  # noqa: E402
from grids.models import Household, VisitLog  # noqa: E402

DEMO_GRID = ("花园社区", "第一网格")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="seed_demo --scale district first")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    args = parser.parse_args()

    if args.build:
        with stopwatch("seed_demo --scale district"):
            call_command("seed_demo", scale="district", stdout=io.StringIO())

    print(machine())
    if connection.vendor != "postgresql":
        print("warning: the figures that matter are PostgreSQL's")
    print(
        f"grids: {Unit.objects.filter(kind=Unit.Kind.GRID).count()}  "
        f"households: {Household.objects.count()}  visit logs: {VisitLog.objects.count()}"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    User = get_user_model()
    worker = User.objects.filter(username="wanggeyuan").first()
    admin = User.objects.filter(username="laiwu_admin").first()
    if worker is None or admin is None:
        print("no demo accounts: run with --build")
        return
    grid = Unit.objects.get(name=DEMO_GRID[1], parent__name=DEMO_GRID[0])
    laiwu = Unit.objects.get(code="370116")
    household = Household.objects.filter(grid=grid).order_by("pk").first()

    as_worker, as_admin = Client(), Client()
    as_worker.force_login(worker)
    as_admin.force_login(admin)
    rows = [
        (
            "grid worker's home",
            "wanggeyuan",
            measure(as_worker, url_for("governance:home"), args.runs),
        ),
    ]
    with transaction.atomic():
        rows.append(
            (
                "visit form submit (all well)",
                "wanggeyuan",
                measure(
                    as_worker,
                    url_for("grids:visit-form", household.pk),
                    args.runs,
                    data={"all_well": "on", "kind": "door"},
                ),
            )
        )
        transaction.set_rollback(True)
    rows += [
        (
            "unvisited households of the grid",
            "wanggeyuan",
            measure(as_worker, url_for("grids:unvisited", grid.pk), args.runs),
        ),
        (
            "coverage table, whole district",
            "laiwu_admin",
            measure(as_admin, url_for("grids:coverage", query=f"unit={laiwu.pk}"), args.runs),
        ),
        (
            "unvisited households, district",
            "laiwu_admin",
            measure(as_admin, url_for("grids:unvisited", laiwu.pk), args.runs),
        ),
        (
            "public grid page (anonymous)",
            "-",
            measure(Client(), grid.grid_profile.get_public_url(), args.runs),
        ),
    ]
    print_table(rows, user_width=13)


if __name__ == "__main__":
    main()
