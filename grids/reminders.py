"""Reminder kinds of the grids app (registered in GridsConfig.ready).

Every sweep finds what is due from the rows themselves (households, memberships, the district's
round) for the day it is run for, and `governance.notifications.deliver` claims each reminder
under its unique constraint (recipient, kind, subject, day): at most one per subject, kind and
day, even with two sweeps at once. A beat that was down catches up on its next run, as long as
the reminder is still due then.

Kinds
- grids.round_ending: from `RoundPolicy.remind_days_before_end` days before the district's round
  ends (defaults when it set none; 0 switches it off) to the round's last day, each grid worker
  of a grid with households not yet visited this round gets the count. Subject: the grid.
- grids.grids_behind: the same days, the staff of each community or village get the list of
  their grids behind (coverage < 100%), with each grid's count. Subject: the community.
- grids.care_overdue: every day while a household with care tags is overdue for a visit
  (`coverage.care_overdue_in`), the grid workers of its grid are told. Subject: the household.

Recipients
- Grid workers of a grid: current memberships with role grid_worker at that grid, of active
  accounts.
- Staff of a community: current memberships at the community itself whose role holds
  "handle_items" (governance.access.CAPABILITIES), of active accounts — the ledger's rule.

Cost: a sweep reads the districts' rounds (one query), the households grouped per grid (one
query per distinct round length in the window, at most four), the units it names (one query)
and the recipients (one query), whatever the number of grids and households. The care sweep
reads the overdue households in one query and their grid workers in one more.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from governance.masking import mask_name
from governance.models import Membership, Role, Unit
from governance.recipients import HANDLER_ROLES
from governance.registry import Reminder, ReminderKind
from governance.reminders import sweep_moment
from grids import coverage
from grids.models import Household

COMMUNITY_DEPTH = 3


def _url(name: str, *args, query: str = "") -> str:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:  # the page is not mounted: an inbox entry without a link
        return ""


def _household_url(pk: int) -> str:
    for name in ("grids:visit-form", "grids:household-detail"):
        url = _url(name, pk)
        if url:
            return url
    return ""


def _grid_workers(today: datetime.date, grid_ids) -> dict[int, list[int]]:
    """{grid id: user ids of its grid workers}."""
    workers = defaultdict(list)
    rows = (
        Membership.objects.current(today)
        .filter(role=Role.GRID_WORKER, user__is_active=True, unit_id__in=list(grid_ids))
        .values_list("unit_id", "user_id")
        .order_by("unit_id", "user_id")
        .distinct()
    )
    for grid, user in rows:
        workers[grid].append(user)
    return workers


def _behind_grids(today: datetime.date) -> list[tuple[coverage.Round, dict]]:
    """(round, grid row) for every grid with households not yet visited, in the districts
    whose end-of-round reminders run on `today`; one query per distinct round."""
    by_round = defaultdict(list)
    for district in coverage.district_rounds(today):
        if district.reminding_on(today):
            by_round[district.round].append(district.district_path)
    return [
        (rnd, row)
        for rnd, paths in sorted(by_round.items(), key=lambda item: item[0].months)
        for row in coverage.grids_coverage(paths, rnd)
        if row["unvisited"]
    ]


def round_ending(today: datetime.date) -> Iterator[Reminder]:
    rows = _behind_grids(today)
    if not rows:
        return
    workers = _grid_workers(today, {row["grid_id"] for _rnd, row in rows})
    body = _("Households of %(grid)s visited this round: %(visited)d of %(households)d.")
    for rnd, row in rows:
        values = {
            "count": row["unvisited"],
            "grid": row["grid__name"],
            "last": rnd.last_day.isoformat(),
            "visited": row["visited"],
            "households": row["households"],
        }
        title = ngettext(
            "%(count)d household of %(grid)s not yet visited; the round ends on %(last)s",
            "%(count)d households of %(grid)s not yet visited; the round ends on %(last)s",
            row["unvisited"],
        )
        url = _url("grids:unvisited", row["grid_id"])
        for user in workers.get(row["grid_id"], ()):
            yield Reminder(user, Unit, row["grid_id"], title % values, body % values, url)


def grids_behind(today: datetime.date) -> Iterator[Reminder]:
    rows = _behind_grids(today)
    if not rows:
        return
    by_community = defaultdict(list)
    for rnd, row in rows:
        by_community[row["grid__path"][: COMMUNITY_DEPTH * Unit.steplen]].append((rnd, row))
    communities = list(
        Unit.objects.filter(path__in=list(by_community), depth=COMMUNITY_DEPTH)
        .territory()
        .values_list("pk", "path", "name")
    )
    staff = defaultdict(list)
    for unit, user in (
        Membership.objects.current(today)
        .filter(
            unit_id__in=[pk for pk, _path, _name in communities],
            role__in=HANDLER_ROLES,
            user__is_active=True,
        )
        .values_list("unit_id", "user_id")
        .order_by("unit_id", "user_id")
        .distinct()
    ):
        staff[unit].append(user)
    line = _("%(grid)s: %(count)d not yet visited (%(visited)d of %(households)d)")
    for pk, path, name in communities:
        grids = by_community[path]
        if not staff.get(pk):
            continue
        rnd = grids[0][0]
        title = ngettext(
            "%(count)d grid of %(community)s behind; the round ends on %(last)s",
            "%(count)d grids of %(community)s behind; the round ends on %(last)s",
            len(grids),
        ) % {"count": len(grids), "community": name, "last": rnd.last_day.isoformat()}
        body = "\n".join(
            line
            % {
                "grid": row["grid__name"],
                "count": row["unvisited"],
                "visited": row["visited"],
                "households": row["households"],
            }
            for _rnd, row in grids
        )
        url = _url("grids:coverage", query=f"?unit={pk}")
        for user in staff[pk]:
            yield Reminder(user, Unit, pk, title, body, url)


def care_overdue(today: datetime.date) -> Iterator[Reminder]:
    intervals = coverage.care_intervals()
    if not intervals:
        return
    now = sweep_moment(today)
    overdue = (
        coverage.care_overdue_in(Household.objects.active(), intervals, now)
        .values(
            "pk",
            "grid_id",
            "building",
            "entrance",
            "room",
            "address",
            "head_name",
            "last_visited_at",
            "every",
        )
        .order_by("grid_id", "pk")
    )
    rows = list(overdue)
    workers = _grid_workers(today, {row["grid_id"] for row in rows})
    for row in rows:
        users = workers.get(row["grid_id"])
        if not users:
            continue
        place = "-".join(p for p in (row["building"], row["entrance"], row["room"]) if p)
        values = {
            "place": place or row["address"],
            "name": mask_name(row["head_name"]),
            "days": row["every"],
            "last": (
                timezone.localdate(row["last_visited_at"]).isoformat()
                if row["last_visited_at"]
                else _("never")
            ),
        }
        title = _("Care visit overdue: %(place)s %(name)s") % values
        body = (
            ngettext(
                "To be visited at least every %(days)d day; last visited: %(last)s.",
                "To be visited at least every %(days)d days; last visited: %(last)s.",
                row["every"],
            )
            % values
        )
        url = _household_url(row["pk"])
        for user in users:
            yield Reminder(user, Household, row["pk"], title, body, url)


ROUND_ENDING = ReminderKind(
    "grids.round_ending", gettext_lazy("Households not yet visited, round ending"), round_ending
)
GRIDS_BEHIND = ReminderKind(
    "grids.grids_behind", gettext_lazy("Grids behind on visits, round ending"), grids_behind
)
CARE_OVERDUE = ReminderKind("grids.care_overdue", gettext_lazy("Care visit overdue"), care_overdue)

KINDS = [ROUND_ENDING, GRIDS_BEHIND, CARE_OVERDUE]
