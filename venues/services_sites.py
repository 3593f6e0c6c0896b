"""Writes and the hours loader of the venues (sites) part.

Every write is a keyword-only function in one transaction. Opening hours are replaced as a
whole (the weekly timetable, or one period with its spans) under a lock on the venue row, so
two people saving the hours editor at once leave one of the two timetables, never a mix; the
derived labels (staffed hours per week, 错时延时, 午间不间断, 24 hours) are recomputed in the
same transaction.

Service requests move received → relayed → done / returned (also received → done or
returned, returned → relayed again); each step is a conditional update on the status it
starts from, so of two people acting at once the second is refused. A request that needs
follow-up becomes an item in a ledger of the venue's unit (`request_follow_up`), with source
"walk-in": the resident came to the venue in person, which is what the ledger's walk-in source
means, and the ledger item points back at the request (source_record).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access, workdays
from governance.ledger import services as ledger_services
from governance.models import AuditEvent, Ledger, LedgerItem, LedgerKind, Source, Unit
from governance.normalize import clean_text, normalize_phone
from governance.services import audit_record
from venues import hours
from venues.models import (
    OpeningPeriod,
    OpeningSpan,
    RequestStatus,
    ServiceMatter,
    ServiceRequest,
    Venue,
    VenueKind,
    VenuePhoto,
    VenueService,
    VenueUpgrade,
)

#: Capability to set up and edit venues, their hours and their services (district, township
#: and community staff: the roles that run the venues).
MANAGE = "manage_ledgers"
#: Capability to log a request at a venue and to move it on.
LOG_REQUESTS = "create_items"
HANDLE_REQUESTS = "handle_items"

BUILT_IN_KINDS = (
    ("service_centre", "党群服务中心", 10),
    ("red_station", "红色驿站", 20),
    ("heart_home", "党群连心家园", 30),
)
VENUE_FIELDS = (
    "name",
    "address",
    "floor_area",
    "rooms",
    "description",
    "contact_name",
    "contact_phone",
    "public_phone",
    "open_on_holidays",
    "makeup_weekday",
    "is_active",
)


def district_of(unit: Unit) -> Unit:
    return unit if unit.depth == 1 else Unit.objects.get(path=unit.path[: unit.steplen])


def ensure_kinds(district: Unit) -> list[VenueKind]:
    """The three built-in kinds of a district (created once)."""
    kinds = []
    for code, name, order in BUILT_IN_KINDS:
        kind, _created = VenueKind.objects.get_or_create(
            district=district, code=code, defaults={"name": name, "order": order}
        )
        kinds.append(kind)
    return kinds


def kinds_for(user, unit: Unit | None = None):
    """Venue kinds of the districts in the user's scope (or of the unit's district)."""
    kinds = VenueKind.objects.filter(is_active=True)
    if unit is not None:
        return kinds.filter(district__path=unit.path[: unit.steplen])
    if user.is_superuser:
        return kinds
    districts = {p[: Unit.steplen] for p in access.scope_paths(user)}
    return kinds.filter(district__path__in=districts)


def _check_venue(venue: Venue) -> None:
    if venue.kind.district.path != venue.unit.path[: venue.unit.steplen]:
        raise ValidationError({"kind": _("This kind belongs to another district.")})
    if venue.unit.kind in (Unit.Kind.GRID, Unit.Kind.DEPARTMENT):
        raise ValidationError(
            {
                "unit": _(
                    "A venue belongs to a district, a township or street, a village or a community."
                )
            }
        )
    venue.name = clean_text(venue.name)
    if not venue.name:
        raise ValidationError({"name": _("A venue needs a name.")})
    venue.contact_phone = normalize_phone(venue.contact_phone or "")
    venue.public_phone = clean_text(venue.public_phone)
    venue.full_clean(exclude=["unit", "kind"], validate_unique=False)
    if Venue.objects.filter(unit=venue.unit, name=venue.name).exclude(pk=venue.pk).exists():
        raise ValidationError(
            {"name": _("%(unit)s already has a venue of this name.") % {"unit": venue.unit.name}}
        )


@transaction.atomic
def venue_create(*, unit: Unit, kind: VenueKind, actor, **fields) -> Venue:
    if actor is not None and not access.can(actor, MANAGE, unit):
        raise PermissionDenied
    venue = Venue(unit=unit, kind=kind, **{k: v for k, v in fields.items() if k in VENUE_FIELDS})
    _check_venue(venue)
    try:
        with transaction.atomic():
            venue.save()
    except IntegrityError as error:
        raise ValidationError(
            {"name": _("%(unit)s already has a venue of this name.") % {"unit": unit.name}}
        ) from error
    return venue


@transaction.atomic
def venue_update(
    *, venue: Venue, actor, unit: Unit | None = None, kind: VenueKind | None = None, **fields
) -> Venue:
    venue = (
        Venue.objects.select_for_update().select_related("unit", "kind__district").get(pk=venue.pk)
    )
    if actor is not None and not access.can(actor, MANAGE, venue.unit):
        raise PermissionDenied
    if unit is not None and unit.pk != venue.unit_id:
        if actor is not None and not access.can(actor, MANAGE, unit):
            raise PermissionDenied
        venue.unit = unit
    if kind is not None:
        venue.kind = kind
    holiday_rule = (venue.open_on_holidays, venue.makeup_weekday)
    for name, value in fields.items():
        if name in VENUE_FIELDS:
            setattr(venue, name, value)
    _check_venue(venue)
    venue.save()
    if holiday_rule != (venue.open_on_holidays, venue.makeup_weekday):
        hours_changed(venue=venue)
    return venue


# Opening hours ----------------------------------------------------------------------------


def _as_span(row: OpeningSpan) -> hours.Span:
    return hours.Span(row.weekday, row.start, row.end, hours.State(row.state))


def _check_spans(spans: Iterable[hours.Span]) -> list[hours.Span]:
    spans = list(spans)
    if len(spans) > 60:
        raise ValidationError(_("At most 60 spans."))
    return spans


def hours_changed(*, venue: Venue) -> Venue:
    """Recompute the venue's derived labels from its regular weekly spans."""
    regular = [_as_span(s) for s in OpeningSpan.objects.filter(venue=venue, period=None)]
    tags = hours.labels(regular, venue.open_on_holidays)
    Venue.objects.filter(pk=venue.pk).update(
        weekly_hours=Decimal(str(tags.staffed_hours)),
        self_service_hours=Decimal(str(tags.self_service_hours)),
        is_extended=tags.extended,
        is_through_lunch=tags.through_lunch,
        is_all_day=tags.all_day,
    )
    venue.weekly_hours = Decimal(str(tags.staffed_hours))
    venue.self_service_hours = Decimal(str(tags.self_service_hours))
    venue.is_extended, venue.is_through_lunch, venue.is_all_day = (
        tags.extended,
        tags.through_lunch,
        tags.all_day,
    )
    return venue


@transaction.atomic
def regular_hours_set(*, venue: Venue, spans: Iterable[hours.Span], actor) -> Venue:
    """Replace the regular weekly timetable."""
    venue = Venue.objects.select_for_update().select_related("unit").get(pk=venue.pk)
    if actor is not None and not access.can(actor, MANAGE, venue.unit):
        raise PermissionDenied
    spans = _check_spans(spans)
    OpeningSpan.objects.filter(venue=venue, period=None).delete()
    OpeningSpan.objects.bulk_create(
        OpeningSpan(venue=venue, weekday=s.weekday, start=s.start, end=s.end, state=s.state.value)
        for s in spans
    )
    return hours_changed(venue=venue)


@transaction.atomic
def period_save(
    *,
    venue: Venue,
    actor,
    name: str,
    start: datetime.date,
    end: datetime.date,
    spans: Iterable[hours.Span],
    period: OpeningPeriod | None = None,
) -> OpeningPeriod:
    """Create or replace one overriding period with its spans (no spans: closed)."""
    venue = Venue.objects.select_for_update().select_related("unit").get(pk=venue.pk)
    if actor is not None and not access.can(actor, MANAGE, venue.unit):
        raise PermissionDenied
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": _("Name the special hours, e.g. 国庆节 or 夏季作息.")})
    if end < start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    if (end - start).days > 366:
        raise ValidationError(
            {"end": _("Special hours last at most a year; change the regular hours instead.")}
        )
    spans = _check_spans(spans)
    if period is None:
        period = OpeningPeriod(venue=venue)
    elif period.venue_id != venue.pk:
        raise ValidationError(_("These special hours belong to another venue."))
    period.name, period.start, period.end = name, start, end
    period.save()
    OpeningSpan.objects.filter(period=period).delete()
    OpeningSpan.objects.bulk_create(
        OpeningSpan(
            venue=venue,
            period=period,
            weekday=s.weekday,
            start=s.start,
            end=s.end,
            state=s.state.value,
        )
        for s in spans
    )
    return period


@transaction.atomic
def period_delete(*, period: OpeningPeriod, actor) -> None:
    venue = Venue.objects.select_for_update().select_related("unit").get(pk=period.venue_id)
    if actor is not None and not access.can(actor, MANAGE, venue.unit):
        raise PermissionDenied
    OpeningPeriod.objects.filter(pk=period.pk).delete()


class CalendarWindow:
    """Public holidays and make-up days around a moment, read once for many venues."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.first, self.last = first, last
        self.holidays = workdays.holidays_between(first, last)
        self.makeup_days = workdays.makeup_workdays_between(first, last)

    @classmethod
    def around(cls, moment: datetime.datetime) -> "CalendarWindow":
        today = hours.local_now(moment).date()
        return cls(
            today - datetime.timedelta(days=1),
            today + datetime.timedelta(days=hours.LOOKAHEAD_DAYS + 1),
        )


def schedule_of(venue: Venue, window: CalendarWindow) -> hours.Schedule:
    """The venue's hours as the engine reads them. Uses prefetched `spans` and `periods`
    (see `with_hours`) when present."""
    spans = list(venue.spans.all())
    periods = {p.pk: p for p in venue.periods.all()}
    regular = tuple(_as_span(s) for s in spans if s.period_id is None)
    period_spans: dict[int, list[hours.Span]] = {pk: [] for pk in periods}
    for s in spans:
        if s.period_id in period_spans:
            period_spans[s.period_id].append(_as_span(s))
    return hours.Schedule(
        regular=regular,
        periods=tuple(
            hours.Period(p.start, p.end, tuple(period_spans[pk]), p.name, order=pk)
            for pk, p in periods.items()
        ),
        open_on_holidays=venue.open_on_holidays,
        makeup_weekday=venue.makeup_weekday,
        holidays=window.holidays,
        makeup_days=window.makeup_days,
    )


def with_hours(venues, moment: datetime.datetime | None = None):
    """Prefetch what `schedule_of` reads: two queries for any number of venues (periods that
    ended before today are left out)."""
    from django.db.models import Prefetch

    today = hours.local_now(moment or timezone.now()).date()
    return venues.prefetch_related(
        Prefetch("spans", queryset=OpeningSpan.objects.order_by("weekday", "start", "pk")),
        Prefetch(
            "periods",
            queryset=OpeningPeriod.objects.filter(end__gte=today - datetime.timedelta(days=1)),
        ),
    )


def schedules(venues, window: CalendarWindow) -> dict[int, hours.Schedule]:
    """The hours of many venues (a queryset) as the engine reads them, in three queries of
    plain values (no model instances: the open-now filter reads every venue in scope).
    Periods that ended before the window are left out."""
    flags = {
        pk: (holidays, weekday)
        for pk, holidays, weekday in venues.values_list("pk", "open_on_holidays", "makeup_weekday")
    }
    chosen = venues.values("pk")
    periods = {
        pk: (venue_id, name, start, end)
        for pk, venue_id, name, start, end in OpeningPeriod.objects.filter(
            venue__in=chosen, end__gte=window.first
        ).values_list("pk", "venue_id", "name", "start", "end")
    }
    regular: dict[int, list[hours.Span]] = {pk: [] for pk in flags}
    in_period: dict[int, list[hours.Span]] = {pk: [] for pk in periods}
    rows = OpeningSpan.objects.filter(venue__in=chosen).values_list(
        "venue_id", "period_id", "weekday", "start", "end", "state"
    )
    for venue_id, period_id, weekday, start, end, state in rows:
        span = hours.Span(weekday, start, end, hours.State(state))
        if period_id is None:
            regular.setdefault(venue_id, []).append(span)
        elif period_id in in_period:
            in_period[period_id].append(span)
    by_venue: dict[int, list[hours.Period]] = {pk: [] for pk in flags}
    for pk, (venue_id, name, start, end) in periods.items():
        by_venue.setdefault(venue_id, []).append(
            hours.Period(start, end, tuple(in_period[pk]), name, order=pk)
        )
    return {
        pk: hours.Schedule(
            regular=tuple(regular[pk]),
            periods=tuple(by_venue[pk]),
            open_on_holidays=holidays,
            makeup_weekday=weekday,
            holidays=window.holidays,
            makeup_days=window.makeup_days,
        )
        for pk, (holidays, weekday) in flags.items()
    }


def statuses(venues, moment: datetime.datetime) -> dict[int, hours.Status]:
    """Open now, until when, next opening, for the venues of a queryset."""
    window = CalendarWindow.around(moment)
    return {pk: hours.status(s, moment) for pk, s in schedules(venues, window).items()}


def states(venues, moment: datetime.datetime) -> dict[int, hours.State]:
    """Only the state at `moment` (one day of hours per venue) for the venues of a queryset."""
    today = hours.local_now(moment).date()
    window = CalendarWindow(today - datetime.timedelta(days=1), today)
    return {pk: hours.state_at(s, moment) for pk, s in schedules(venues, window).items()}


# Upgrades, photos, services -----------------------------------------------------------


def _manage(actor, venue: Venue) -> None:
    if actor is not None and not access.can(actor, MANAGE, venue.unit):
        raise PermissionDenied


@transaction.atomic
def upgrade_add(
    *, venue: Venue, actor, kind: str, year: int, funding=None, note: str = ""
) -> VenueUpgrade:
    _manage(actor, venue)
    upgrade = VenueUpgrade(
        venue=venue, kind=kind, year=year, funding=funding, note=clean_text(note)
    )
    upgrade.full_clean()
    upgrade.save()
    return upgrade


@transaction.atomic
def upgrade_delete(*, upgrade: VenueUpgrade, actor) -> None:
    _manage(actor, upgrade.venue)
    upgrade.delete()


@transaction.atomic
def photo_add(*, venue: Venue, actor, image, caption: str = "") -> VenuePhoto:
    _manage(actor, venue)
    return VenuePhoto.objects.create(venue=venue, image=image, caption=clean_text(caption))


@transaction.atomic
def photo_delete(*, photo: VenuePhoto, actor) -> None:
    _manage(actor, photo.venue)
    photo.image.delete(save=False)
    photo.delete()


def matters_for(unit: Unit):
    """The active service matters of the unit's district."""
    return ServiceMatter.objects.filter(is_active=True, district__path=unit.path[: unit.steplen])


@transaction.atomic
def venue_services_set(*, venue: Venue, matters: Iterable[ServiceMatter], actor) -> None:
    """Replace the matters a venue offers (each from the venue's district catalogue)."""
    venue = Venue.objects.select_for_update().select_related("unit").get(pk=venue.pk)
    _manage(actor, venue)
    wanted = {m.pk for m in matters}
    allowed = set(matters_for(venue.unit).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - allowed:
        raise ValidationError(_("A matter is not in this district's catalogue."))
    VenueService.objects.filter(venue=venue).exclude(matter_id__in=wanted).delete()
    have = set(VenueService.objects.filter(venue=venue).values_list("matter_id", flat=True))
    VenueService.objects.bulk_create(
        VenueService(venue=venue, matter_id=pk) for pk in wanted - have
    )


@transaction.atomic
def matter_save(
    *, district: Unit, actor, matter: ServiceMatter | None = None, **fields
) -> ServiceMatter:
    if actor is not None and not access.can(actor, MANAGE, district):
        raise PermissionDenied
    if district.depth != 1:
        raise ValidationError(_("The catalogue belongs to a district."))
    matter = matter or ServiceMatter(district=district)
    for name, value in fields.items():
        setattr(matter, name, value)
    matter.name = clean_text(matter.name)
    department = matter.department
    if department is not None and (
        department.kind != Unit.Kind.DEPARTMENT or not department.path.startswith(district.path)
    ):
        raise ValidationError({"department": _("Choose a functional department of this district.")})
    matter.full_clean(exclude=["district"])
    try:
        with transaction.atomic():
            matter.save()
    except IntegrityError as error:
        raise ValidationError(
            {"name": _("The catalogue already has a matter of this name.")}
        ) from error
    return matter


# Service requests -------------------------------------------------------------------------

TRANSITIONS = {
    "relay": ((RequestStatus.RECEIVED, RequestStatus.RETURNED), RequestStatus.RELAYED),
    "done": ((RequestStatus.RECEIVED, RequestStatus.RELAYED), RequestStatus.DONE),
    "return": ((RequestStatus.RECEIVED, RequestStatus.RELAYED), RequestStatus.RETURNED),
}


@transaction.atomic
def request_create(
    *,
    venue: Venue,
    matter: ServiceMatter,
    kind: str,
    resident_name: str,
    actor,
    resident_phone: str = "",
    note: str = "",
    received_at: datetime.datetime | None = None,
) -> ServiceRequest:
    if actor is not None and not access.can(actor, LOG_REQUESTS, venue.unit):
        raise PermissionDenied
    if matter.district.path != venue.unit.path[: venue.unit.steplen] or not matter.is_active:
        raise ValidationError({"matter": _("Choose a matter of this district's catalogue.")})
    resident_name = clean_text(resident_name)
    if not resident_name:
        raise ValidationError({"resident_name": _("Enter the resident's name.")})
    phone = normalize_phone(resident_phone or "")
    if phone and not phone.replace("-", "").isdigit():
        raise ValidationError({"resident_phone": _("Enter a valid phone number.")})
    request = ServiceRequest(
        venue=venue,
        matter=matter,
        kind=kind,
        resident_name=resident_name,
        resident_phone=phone,
        note=(note or "").strip(),
        received_at=received_at or timezone.now(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    request.full_clean(exclude=["created_by", "ledger_item", "relayed_to"])
    request.save()
    return request


def may_act(actor, request: ServiceRequest, step: str) -> bool:
    """Venue staff move their own requests; the department a request was relayed to may mark
    it done or return it."""
    if actor is None:
        return True
    if access.can(actor, HANDLE_REQUESTS, request.venue.unit):
        return True
    if (
        step in ("done", "return")
        and request.relayed_to_id
        and request.status == RequestStatus.RELAYED
    ):
        return access.can(actor, HANDLE_REQUESTS, request.relayed_to)
    return False


def request_step(
    *, request: ServiceRequest, step: str, actor, department: Unit | None = None, answer: str = ""
) -> ServiceRequest:
    """relay (to a department), done, or return (with the reason in `answer`)."""
    if step not in TRANSITIONS:
        raise ValidationError(_("Unknown step."))
    if not may_act(actor, request, step):
        raise PermissionDenied
    sources, target = TRANSITIONS[step]
    now = timezone.now()
    changes: dict = {"status": target}
    answer = (answer or "").strip()
    if step == "relay":
        if department is None or department.kind != Unit.Kind.DEPARTMENT:
            raise ValidationError(
                {"department": _("Choose the department the request is relayed to.")}
            )
        district = request.venue.unit.path[: request.venue.unit.steplen]
        if not department.path.startswith(district):
            raise ValidationError({"department": _("Choose a department of this district.")})
        changes.update(relayed_to=department, relayed_at=now)
    else:
        if step == "return" and not answer:
            raise ValidationError({"answer": _("Say why the request is returned.")})
        changes.update(closed_at=now)
        if answer:
            changes["answer"] = answer
    with transaction.atomic():
        updated = ServiceRequest.objects.filter(pk=request.pk, status__in=sources).update(**changes)
    if not updated:
        current = ServiceRequest.objects.get(pk=request.pk)
        raise ValidationError(
            _("This request is now “%(status)s”; the step was not taken.")
            % {"status": current.get_status_display()}
        )
    request.refresh_from_db()
    return request


def follow_up_ledger(unit: Unit) -> Ledger | None:
    """The ledger a venue's follow-up goes to: the unit's reception-day ledger, else its
    general one, else any active ledger of the unit (the oldest of its kind)."""
    ledgers = list(Ledger.objects.filter(unit=unit, is_active=True).order_by("pk"))
    for kind in (LedgerKind.RECEPTION_DAY, LedgerKind.GENERAL):
        for ledger in ledgers:
            if ledger.kind == kind:
                return ledger
    return ledgers[0] if ledgers else None


@transaction.atomic
def request_follow_up(*, request: ServiceRequest, actor, title: str = "") -> LedgerItem:
    """Turn a request that needs follow-up into an item of a ledger of the venue's unit."""
    request = (
        ServiceRequest.objects.select_for_update()
        .select_related("venue__unit", "matter")
        .get(pk=request.pk)
    )
    if actor is not None and not access.can(actor, LOG_REQUESTS, request.venue.unit):
        raise PermissionDenied
    if request.ledger_item_id is not None:
        raise ValidationError(_("This request is already in a ledger."))
    ledger = follow_up_ledger(request.venue.unit)
    if ledger is None:
        raise ValidationError(
            _("%(unit)s keeps no ledger yet. Ask the administrator to set one up first.")
            % {"unit": request.venue.unit.name}
        )
    item = ledger_services.item_create(
        ledger=ledger,
        title=clean_text(title) or f"{request.matter.name}（{request.get_kind_display()}）",
        unit=request.venue.unit,
        actor=actor,
        source=Source.WALK_IN,
        description="\n".join(
            part
            for part in (
                _("Assisted/proxy request at %(venue)s.") % {"venue": request.venue.name},
                request.note,
                request.answer,
            )
            if part
        ),
        resident_name=request.resident_name,
        resident_phone=request.resident_phone,
        received_at=request.received_at,
        source_record=request,
    )
    request.ledger_item = item
    request.save(update_fields=["ledger_item"])
    return item


def may_see_resident(user, request_obj: ServiceRequest) -> bool:
    """The venue's unit and the department the request was relayed to may see the resident."""
    relayed = request_obj.relayed_to
    return access.can(user, "view_personal_data", request_obj.venue.unit) or (
        relayed is not None and access.can(user, "view_personal_data", relayed)
    )


def request_reveal(*, request_obj: ServiceRequest, actor) -> None:
    """Record that `actor` is shown the resident's phone in full."""
    if not may_see_resident(actor, request_obj):
        raise PermissionDenied(_("Your role may not see full personal data."))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.REVEAL,
        target=f"{ServiceRequest._meta.label_lower}:{request_obj.pk}",
        unit=request_obj.venue.unit,
        row_count=1,
        detail={"fields": ["resident_phone"]},
    )
