"""Reception days in seed_demo (run by outreach.demo.community): a schedule per community and
the sessions the ledger demo's reception-day demands were received at."""

import datetime
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from governance.demo import localdate
from governance.models import LedgerItem, LedgerKind, Source, Status
from outreach.models import ReceptionDemand, ReceptionSchedule, ReceptionSession
from outreach.reminders.reception import last_reception_day

CHUNK = 2000


def seed_schedules(communities, secretaries, rng, created: Counter) -> None:
    have = set(ReceptionSchedule.objects.values_list("community_id", flat=True))
    rows = []
    for community in communities:
        if community.pk in have:
            continue
        rows.append(
            ReceptionSchedule(
                community=community,
                weekday=rng.randrange(5),
                start_time=datetime.time(9),
                end_time=datetime.time(11, 30),
                place=f"{community.name}党群服务中心一楼接待室",
                secretary_id=secretaries.get(community.pk),
                valid_from=datetime.date(2024, 6, 1),
            )
        )
    ReceptionSchedule.objects.bulk_create(rows, batch_size=CHUNK)
    created["schedules"] += len(rows)


def link_demands(community_ids, created: Counter, *, keep_unrecorded=None) -> None:
    """Tie the reception-day items not yet tied to sessions of their community and day."""
    items = (
        LedgerItem.objects.filter(
            source=Source.RECEPTION_DAY,
            ledger__kind=LedgerKind.RECEPTION_DAY,
            ledger__unit_id__in=community_ids,
            reception_demand__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "ledger__unit_id", "received_at", "resolved_at", "status")
    )
    rows = list(items)
    if not rows:
        return
    schedules = {
        s.community_id: s for s in ReceptionSchedule.objects.filter(community_id__in=community_ids)
    }
    # The community's latest reception day (and anything after it) stays unrecorded.
    skip_from = None
    if keep_unrecorded in schedules:
        skip_from = last_reception_day(schedules[keep_unrecorded], timezone.localdate())
    sessions = {
        (s.community_id, s.date): s.pk
        for s in ReceptionSession.objects.filter(community_id__in=community_ids)
    }
    per_day = Counter((unit, localdate(received)) for _pk, unit, received, _r, _s in rows)
    new_sessions = []
    for (unit, day), count in sorted(per_day.items()):
        if (unit, day) in sessions or (unit == keep_unrecorded and skip_from and day >= skip_from):
            continue
        schedule = schedules.get(unit)
        new_sessions.append(
            ReceptionSession(
                community_id=unit,
                date=day,
                schedule=schedule,
                held_by_id=schedule.secretary_id if schedule else None,
                attendance=count + count // 2,
            )
        )
    ReceptionSession.objects.bulk_create(new_sessions, batch_size=CHUNK)
    created["sessions"] += len(new_sessions)
    sessions = {
        (s.community_id, s.date): s.pk
        for s in ReceptionSession.objects.filter(community_id__in=community_ids)
    }
    session_type = ContentType.objects.get_for_model(ReceptionSession)
    demands, items = [], []
    for pk, unit, received, resolved, status in rows:
        session = sessions.get((unit, localdate(received)))
        if session is None:
            continue
        on_spot = (
            resolved is not None
            and localdate(resolved) == localdate(received)
            and status != Status.HANDED_OVER
        )
        demands.append(ReceptionDemand(session_id=session, item_id=pk, answered_on_spot=on_spot))
        items.append(LedgerItem(pk=pk, source_type=session_type, source_id=session))
    with transaction.atomic():
        ReceptionDemand.objects.bulk_create(demands, batch_size=CHUNK)
        LedgerItem.objects.bulk_update(items, ["source_type", "source_id"], batch_size=500)
    created["demands"] += len(demands)
