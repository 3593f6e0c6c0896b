"""Writes and the hours loader of venues (sites).

Every write is a keyword-only function in one transaction. Opening hours are replaced as a
whole (the weekly timetable, or one period with its spans) under a lock on the venue row, so
two people saving the hours editor at once leave one of the two timetables, never a mix; the
derived labels (staffed hours per week, 错时延时, 午间不间断, 24 hours) are recomputed in the
same transaction.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access, workdays
from governance.models import Unit
from governance.normalize import clean_text, normalize_phone
from venues import hours
from venues.models import (
    OpeningPeriod,
    OpeningSpan,
    ServiceMatter,
    Venue,
    VenueKind,
    VenuePhoto,
    VenueService,
    VenueUpgrade,
)

#: Capability to set up and edit venues, their hours and their services (district, township
#: and community staff: the roles that run the venues).
MANAGE = "manage_ledgers"


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
            hours.DatedHours(p.start, p.end, tuple(period_spans[pk]), p.name, order=pk)
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
    by_venue: dict[int, list[hours.DatedHours]] = {pk: [] for pk in flags}
    for pk, (venue_id, name, start, end) in periods.items():
        by_venue.setdefault(venue_id, []).append(
            hours.DatedHours(start, end, tuple(in_period[pk]), name, order=pk)
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
