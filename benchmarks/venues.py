"""Venues benchmark at district scale: the venue list and the venue pages (sites part), and
the weekly activity preview (activities part).

    DATABASE_URL=postgres://… python benchmarks/venues.py [--build | --seed-venues] [--runs 20]

--build first runs `seed_demo --scale district` (it skips what is already there);
--seed-venues runs only the venues seeders at district scale (on a copy of a database that
already holds the foundation, ledgers and grids at district scale).

Pages are requested in-process with django.test.Client, signed in (force_login): the median
and the 95th percentile of the server time over --runs requests after two warm-up requests,
and the number of SQL queries of one more request. One function per measurement group:
`venue_list_rows` (sites) and any the activities part adds to MEASUREMENTS.

Sites measurements, as laiwu_admin over the whole of 莱芜区 (~1,000 venues):
- the venue list (first page of 50, each with "open now" computed);
- the venue list filtered to "open now" (the hours of every venue in scope are read);
- the venue list filtered by a label (24-hour);
- the venue figures page of the district;
- the request log (first page);
- the public page of a venue (anonymous).

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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from benchmarks.timing import machine, measure, print_table, stopwatch, url_for  # noqa: E402
from governance.models import Unit  # noqa: E402
from venues.models import ServiceRequest, Venue  # noqa: E402


def venue_list_rows(runs: int) -> list[tuple[str, str, dict]]:
    """The sites part: the venue list and pages at district scale."""
    admin = get_user_model().objects.filter(username="laiwu_admin").first()
    if admin is None:
        return [("venue list", "laiwu_admin", {"status": "no demo accounts"})]
    laiwu = Unit.objects.get(code="370116")
    as_admin = Client()
    as_admin.force_login(admin)
    venue = Venue.objects.filter(unit__path__startswith=laiwu.path, is_active=True).first()
    return [
        (
            "venue list, district",
            "laiwu_admin",
            measure(as_admin, url_for("venues:venue-list", query=f"unit={laiwu.pk}"), runs),
        ),
        (
            "venue list, open now",
            "laiwu_admin",
            measure(
                as_admin, url_for("venues:venue-list", query=f"unit={laiwu.pk}&open=now"), runs
            ),
        ),
        (
            "venue list, 24-hour",
            "laiwu_admin",
            measure(
                as_admin,
                url_for("venues:venue-list", query=f"unit={laiwu.pk}&label=all_day"),
                runs,
            ),
        ),
        (
            "venue figures, district",
            "laiwu_admin",
            measure(as_admin, url_for("venues:venue-figures", query=f"unit={laiwu.pk}"), runs),
        ),
        (
            "request log, district",
            "laiwu_admin",
            measure(as_admin, url_for("venues:request-list"), runs),
        ),
        (
            "public venue page (anonymous)",
            "-",
            measure(Client(), venue.get_public_url() if venue else None, runs),
        ),
    ]


def week_preview_rows(runs: int) -> list[tuple[str, str, dict]]:
    """The activities part: the public weekly preview at district scale, and the staff pages.

    Next week's previews are published for every unit first (the demo leaves next week as a
    draft for staff), so the public pages show a full week; this writes to the benchmark's
    own copy of the database.
    """
    from venues.models import Activity, WeekPreview, WeekStatus
    from venues.services import activities

    admin = get_user_model().objects.filter(username="laiwu_admin").first()
    laiwu = Unit.objects.filter(code="370116").first()
    if admin is None or laiwu is None:
        return [("weekly preview", "-", {"status": "no demo data"})]
    week = activities.next_week()
    units = set(Activity.objects.filter(week_start=week).values_list("unit_id", flat=True))
    WeekPreview.objects.bulk_create(
        [WeekPreview(unit_id=u, week_start=week, status=WeekStatus.PUBLISHED) for u in units],
        ignore_conflicts=True,
    )
    WeekPreview.objects.filter(week_start=week, unit_id__in=units).update(
        status=WeekStatus.PUBLISHED
    )
    community = Unit.objects.get(name="花园社区", parent__name="凤城街道")
    township = community.parent
    venue = Venue.objects.filter(unit=community, is_active=True).order_by("pk").first()
    boards = {u: activities.board_for(u).public_token for u in (laiwu, township, community)}
    print(
        f"activities: {Activity.objects.count()}  in {laiwu.name} next week: "
        f"{Activity.objects.within(laiwu).filter(week_start=week).count()}"
    )
    anonymous, as_admin = Client(), Client()
    as_admin.force_login(admin)
    query = f"week={week.isoformat()}"
    return [
        (
            "weekly preview, district (public)",
            "-",
            measure(anonymous, url_for("venues:week-board", boards[laiwu], query=query), runs),
        ),
        (
            "weekly preview, township (public)",
            "-",
            measure(anonymous, url_for("venues:week-board", boards[township], query=query), runs),
        ),
        (
            "weekly preview, community (public)",
            "-",
            measure(anonymous, url_for("venues:week-board", boards[community], query=query), runs),
        ),
        (
            "weekly poster, community (public)",
            "-",
            measure(
                anonymous, url_for("venues:week-board-poster", boards[community], query=query), runs
            ),
        ),
        (
            "weekly preview, venue (public)",
            "-",
            measure(
                anonymous,
                url_for("venues:week-venue", venue.public_token, query=query) if venue else None,
                runs,
            ),
        ),
        (
            "iCalendar feed, district (public)",
            "-",
            measure(anonymous, url_for("venues:week-board-ical", boards[laiwu]), runs),
        ),
        (
            "activity list, district",
            "laiwu_admin",
            measure(as_admin, url_for("venues:activity-list", query=f"unit={laiwu.pk}"), runs),
        ),
        (
            "activity figures, district, year",
            "laiwu_admin",
            measure(as_admin, url_for("venues:activity-figures", query=f"unit={laiwu.pk}"), runs),
        ),
        (
            "weekly preview status, district",
            "laiwu_admin",
            measure(as_admin, url_for("venues:week-list", query=query), runs),
        ),
    ]


#: One entry per part: a function (runs) -> rows. The activities part appends its own.
MEASUREMENTS = [venue_list_rows, week_preview_rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="seed_demo --scale district first")
    parser.add_argument("--seed-venues", action="store_true", help="only the venues seeders")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    args = parser.parse_args()

    if args.build:
        with stopwatch("seed_demo --scale district"):
            call_command("seed_demo", scale="district", stdout=io.StringIO())
    elif args.seed_venues:
        from governance.registry import registry

        for seeder in registry.demo_seeders:
            if seeder.__module__.startswith("venues."):
                with stopwatch(f"{seeder.__module__}.{seeder.__name__}"):
                    seeder(stdout=sys.stdout, scale="district", rng=random.Random(20240601))

    print(machine())
    if connection.vendor != "postgresql":
        print("warning: the figures that matter are PostgreSQL's")
    print(f"venues: {Venue.objects.count()}  service requests: {ServiceRequest.objects.count()}")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    rows = [row for measurement in MEASUREMENTS for row in measurement(args.runs)]
    print_table(rows, user_width=13)


if __name__ == "__main__":
    main()
