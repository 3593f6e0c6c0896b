"""Community-part benchmark at district scale: reception-day figures and lists, dual reporting
and the property ranking.

    DATABASE_URL=postgres://… python benchmarks/community.py [--build] [--runs 20]

--build first runs the community part's seeder at district scale (outreach.demo.community:
a schedule for every village and community of Laiwu and every reception-day demand of the
ledgers tied to a session); it skips what is already there. The ledger's district-scale items
must exist (seed_demo --scale district, or the shanzhi_base copy).

Pages are requested in-process with django.test.Client, signed in (force_login): the median
and the 95th percentile of the server time over --runs requests after two warm-up requests,
and the number of SQL queries of one more request.

- the reception-day figures of the whole district this year, with a row per township
  (`outreach:reception-figures?unit=<莱芜区>`) as laiwu_admin, and its "collected" drill-down
  list (first page);
- the reception sessions list as fengcheng_staff (凤城街道) and as laiwu_admin;
- a reception session page as shequ_shuji (花园社区);
- the work units list and the property ranking of the last quarter as laiwu_admin.

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
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.timing import machine, measure, print_table, stopwatch, url_for  # noqa: E402
from governance.models import Unit  # noqa: E402
from outreach import evaluation_periods as periods  # noqa: E402
from outreach.demo.community import seed_community  # noqa: E402
from outreach.models import ReceptionDemand, ReceptionSession  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="seed the community part first")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    args = parser.parse_args()

    if args.build:
        out = io.StringIO()
        with stopwatch("seed_community --scale district"):
            seed_community(stdout=out, scale="district", rng=random.Random(20240601))
        print(out.getvalue().strip())
    print(machine())
    print(
        f"reception sessions: {ReceptionSession.objects.count()}  "
        f"demands: {ReceptionDemand.objects.count()}"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = {
        name: get_user_model().objects.filter(username=name).first()
        for name in ("laiwu_admin", "fengcheng_staff", "shequ_shuji")
    }
    if None in users.values():
        print("no demo accounts: seed the demo first")
        return
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    laiwu = Unit.objects.get(code="370116")
    today = timezone.localdate()
    year = f"unit={laiwu.pk}&start={today.year}-01-01&until={today.isoformat()}"
    session = (
        ReceptionSession.objects.filter(
            community__name="花园社区", community__path__startswith=laiwu.path
        )
        .order_by("-date")
        .first()
    )
    quarter = periods.previous(periods.containing(today, periods.QUARTER))
    session_url = url_for("outreach:reception-session-detail", session.pk) if session else None
    figures_url = url_for("outreach:reception-figures", query=year)
    collected_url = url_for("outreach:reception-demand-list", query=year + "&figure=collected")
    ranking_url = url_for("outreach:property-ranking", query=f"period={quarter}")
    sessions_url = url_for("outreach:reception-session-list")
    pages = [
        ("reception figures, district, year", "laiwu_admin", figures_url),
        ("collected demands, district (p.1)", "laiwu_admin", collected_url),
        ("reception sessions, street", "fengcheng_staff", sessions_url),
        ("reception sessions, district", "laiwu_admin", sessions_url),
        ("reception session page", "shequ_shuji", session_url),
        ("work units, district", "laiwu_admin", url_for("outreach:dual-unit-list")),
        ("property ranking, last quarter", "laiwu_admin", ranking_url),
    ]
    rows = [(label, user, measure(clients[user], url, args.runs)) for label, user, url in pages]
    print_table(rows, width=38)


if __name__ == "__main__":
    main()
