"""Where a dashboard's figures come from: a stored snapshot for the district and its
townships/streets, computed on the spot for villages, communities and grids.

- Snapshot units: territorial units down to `SNAPSHOT_DEPTH` (district, township/street); their
  subtrees are large (a district: ~375,000 households, ~100,000 ledger items), so a page reads
  their figures from one stored row.
  - The five standard periods are recomputed by Celery every 5 minutes (`refresh`).
  - A custom range is computed the first time it is asked for and stored; a later page (a
    colleague, the big screen refreshing itself) reads it while it is younger than
    `CUSTOM_FRESH`, after which the next page recomputes it. `refresh` drops custom ranges
    nobody asked for in a day.
  A page shows when its figures were computed and has a button to recompute them at once.
- Everything else (villages, communities, grids) is computed when asked: their subtrees are
  small.
- A snapshot is exact: it is `compute.build()`, the same computation as on the spot, and every
  number equals its drill-down list as it was at `computed_at`.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from dashboards import compute
from dashboards.models import Snapshot
from governance import periods
from governance.models import Unit
from governance.periods import Period

logger = logging.getLogger(__name__)

SNAPSHOT_DEPTH = 2
#: A snapshot older than this is shown with a warning (the refresh runs every 5 minutes).
STALE_AFTER = datetime.timedelta(minutes=30)
#: A stored custom range is reused for this long, then recomputed by the next page.
CUSTOM_FRESH = datetime.timedelta(minutes=5)
#: Stored custom ranges are dropped after this long.
CUSTOM_KEPT = datetime.timedelta(days=1)


def snapshot_units():
    return Unit.objects.filter(depth__lte=SNAPSHOT_DEPTH, is_active=True).territory()


def kept(unit: Unit, period: Period) -> bool:
    """Are this unit's dashboards stored?"""
    return unit.depth <= SNAPSHOT_DEPTH and unit.kind != Unit.Kind.DEPARTMENT


def store(unit: Unit, period: Period, data: dict) -> Snapshot:
    snapshot, _ = Snapshot.objects.update_or_create(
        unit=unit,
        preset=period.kind,
        start=period.start,
        end=period.end,
        defaults={
            "data": data,
            "computed_at": datetime.datetime.fromisoformat(data["computed_at"]),
            "took_ms": data["took_ms"],
        },
    )
    return snapshot


def stored(unit: Unit, period: Period) -> dict | None:
    """The stored figures of `unit` for `period`, if any (a custom range: while fresh). One
    query."""
    rows = Snapshot.objects.filter(
        unit=unit, preset=period.kind, start=period.start, end=period.end
    )
    if period.kind not in periods.PRESETS:
        rows = rows.filter(computed_at__gte=timezone.now() - CUSTOM_FRESH)
    return rows.values_list("data", flat=True).first()


def dashboard(unit: Unit, period: Period) -> tuple[dict, bool]:
    """The figures of `unit` for `period` and whether they come from a snapshot."""
    if not kept(unit, period):
        return compute.build(unit, period), False
    data = stored(unit, period)
    if data is not None:
        return data, True
    data = compute.build(unit, period)
    store(unit, period, data)
    return data, True


def recompute(unit: Unit, period: Period) -> dict:
    data = compute.build(unit, period)
    if kept(unit, period):
        store(unit, period, data)
    return data


def refresh(today: datetime.date | None = None) -> dict:
    """Recompute every snapshot of today's standard periods, drop those of past periods and the
    custom ranges not asked for in a day. Returns {"snapshots": n, "seconds": s}.

    The figures are computed outside any transaction (plain reads, which never block a writer
    under SQLite's WAL), and written together in one short transaction at the end: computing a
    district takes tens of seconds, and a transaction around it held SQLite's write lock all
    that time (sign-ins waited, some failed with "database is locked")."""
    started = timezone.now()
    today = today or timezone.localdate()
    current = {name: periods.period(name, today) for name in periods.PRESETS}
    computed = [
        (unit, period, compute.build(unit, period))
        for unit in snapshot_units().order_by("path")
        for period in current.values()
    ]
    with transaction.atomic():
        for unit, period, data in computed:
            store(unit, period, data)
        for name, period in current.items():
            Snapshot.objects.filter(preset=name).exclude(start=period.start).delete()
        Snapshot.objects.exclude(preset__in=list(current)).filter(
            computed_at__lt=started - CUSTOM_KEPT
        ).delete()
    count = len(computed)
    seconds = (timezone.now() - started).total_seconds()
    logger.info("dashboard snapshots refreshed: %s in %.1f s", count, seconds)
    return {"snapshots": count, "seconds": round(seconds, 1)}
