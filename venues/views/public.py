"""Every page reachable without signing in, in one file so that what the public sees can be
audited together. Nothing here reads a contact person, a request, a registration's name or
phone, or a resident.

- The public page of a venue: reached by the venue's unguessable token (it can be printed as a
  QR code at the door). It shows the venue's public facts — kind, unit, address, rooms,
  photos, its public phone, the hours with "open now" and the coming week, the services
  offered with the materials to bring — and the upcoming published activities.
- What the public pages may show of activities (`PublicActivity`): published weeks only. A
  public activity carries the activity's own public facts (title, category, time, venue,
  organiser, partners, target group, places left) and never a registration, a name or a
  phone. An activity is public once the weekly preview of its unit and week is published
  (`ActivityQuerySet.published`); the public pages read nothing else.
- Public weekly activity previews (每周公布活动预告): a board per community, township or
  district (`PublicBoard`, reached by an unguessable token) and a page per venue (the venue's
  public token): next week's published activities, day by day; `?week=YYYY-MM-DD` shows
  another published week; a printable A4 poster; an iCalendar feed of the published
  activities from last week to eight weeks ahead.
- An activity's public page takes registrations (name and mobile phone) when the activity
  does; no registration, name or phone is ever shown on a public page.
- Robots: a hidden honeypot field (a filled-in form is thanked and dropped) and at most
  REGISTRATIONS_PER_HOUR registrations per client address an hour (the cache counts them).
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from governance.models import Unit
from governance.params import week_param
from governance.throttling import client_address, over_limit
from governance.uploads import file_response
from venues import ical
from venues.forms.activities import PublicRegistrationForm
from venues.models import (
    Activity,
    ActivityStatus,
    PublicBoard,
    RegistrationSource,
    RegistrationStatus,
    Venue,
    VenuePhoto,
)
from venues.services import activities as activity_services
from venues.services import sites as site_services
from venues.views.sites import hours_context

# What the public sees of activities --------------------------------------------------------

PUBLIC_FIELDS = (
    "pk",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "organiser",
    "partners",
    "target_group",
    "capacity",
    "confirmed_count",
    "registration_enabled",
    "waitlist_enabled",
    "status",
    "cancel_reason",
    "updated_at",
    "category__name",
    "venue__name",
    "venue__address",
    "venue__public_token",
    "unit__name",
    "unit_id",
)


@dataclass(frozen=True)
class PublicActivity:
    pk: int
    title: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    organiser: str
    partners: str
    target_group: str
    capacity: int | None
    places_left: int | None
    registration_enabled: bool
    waitlist_enabled: bool
    cancelled: bool
    cancel_reason: str
    updated_at: datetime.datetime
    category: str
    venue: str
    venue_address: str
    venue_token: str
    unit: str
    unit_id: int

    @property
    def register_url(self) -> str:
        return _activity_path(self.pk)

    @property
    def started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def full(self) -> bool:
        return self.places_left == 0

    @property
    def open_for_registration(self) -> bool:
        return (
            self.registration_enabled
            and not self.cancelled
            and self.starts_at > timezone.now()
            and (not self.full or self.waitlist_enabled)
        )


@lru_cache(maxsize=1)
def _activity_path_prefix() -> str:
    return reverse("venues:week-activity", args=[0])[: -len("0/")]


def _activity_path(pk: int) -> str:
    """reverse("venues:week-activity", args=[pk]) without resolving it again for every row."""
    return f"{_activity_path_prefix()}{pk}/"


def _public(row: dict) -> PublicActivity:
    capacity = row["capacity"]
    return PublicActivity(
        pk=row["pk"],
        title=row["title"],
        description=row["description"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        organiser=row["organiser"],
        partners=row["partners"],
        target_group=row["target_group"],
        capacity=capacity,
        places_left=None if capacity is None else max(0, capacity - row["confirmed_count"]),
        registration_enabled=row["registration_enabled"],
        waitlist_enabled=row["waitlist_enabled"],
        cancelled=row["status"] == ActivityStatus.CANCELLED,
        cancel_reason=row["cancel_reason"],
        updated_at=row["updated_at"],
        category=row["category__name"],
        venue=row["venue__name"],
        venue_address=row["venue__address"],
        venue_token=row["venue__public_token"],
        unit=row["unit__name"],
        unit_id=row["unit_id"],
    )


def public_activities(queryset, limit: int | None = None) -> list[PublicActivity]:
    """The published activities of a queryset, as public facts, in time order (one query)."""
    rows = (
        queryset.published()
        .filter(venue__is_active=True)
        .order_by("starts_at", "pk")
        .values(*PUBLIC_FIELDS)
    )
    if limit:
        rows = rows[:limit]
    return [_public(row) for row in rows]


def upcoming_for_venue(venue, now: datetime.datetime | None = None, limit: int = 10):
    """The venue's next published activities (not cancelled, not yet ended), soonest first."""
    now = now or timezone.now()
    queryset = Activity.objects.filter(venue=venue, ends_at__gte=now).exclude(
        status=ActivityStatus.CANCELLED
    )
    return public_activities(queryset, limit)


def public_activity(pk: int) -> PublicActivity | None:
    rows = public_activities(Activity.objects.filter(pk=pk))
    return rows[0] if rows else None


# A venue's public page --------------------------------------------------------------------


@require_GET
@cache_control(public=True, max_age=60)
def public_venue(request, token: str):
    venue = get_object_or_404(
        site_services.with_hours(
            Venue.objects.select_related("unit", "unit__parent", "kind").only(
                "pk",
                "name",
                "address",
                "floor_area",
                "rooms",
                "description",
                "public_phone",
                "open_on_holidays",
                "makeup_weekday",
                "is_extended",
                "is_through_lunch",
                "is_all_day",
                "public_token",
                "unit__name",
                "unit__parent__name",
                "kind__name",
            )
        ),
        public_token=token,
        is_active=True,
    )
    now = timezone.now()
    context = {
        "venue": venue,
        "rooms": [line.strip() for line in venue.rooms.splitlines() if line.strip()],
        "photos": venue.photos.all()[:6],
        "offers": venue.services.filter(matter__is_active=True).select_related("matter"),
        "upcoming": upcoming_for_venue(venue, now),
        **hours_context(venue, now),
    }
    return render(request, "venues/public/venue.html", context)


@require_GET
@cache_control(public=True, max_age=3600)
def public_photo(request, token: str, photo_pk: int):
    """A photo shown on the public page of an active venue, and no other upload."""
    photo = get_object_or_404(
        VenuePhoto, pk=photo_pk, venue__public_token=token, venue__is_active=True
    )
    return file_response(photo.image)


# The weekly previews ----------------------------------------------------------------------

REGISTRATIONS_PER_HOUR = 10
FEED_WEEKS_BACK = 1
FEED_WEEKS_AHEAD = 8


def _week(request) -> datetime.date:
    chosen = week_param(request)
    return activity_services.week_of(chosen) if chosen else activity_services.next_week()


def _board(token: str) -> PublicBoard:
    return get_object_or_404(
        PublicBoard.objects.select_related("unit"), public_token=token, unit__is_active=True
    )


def _venue(token: str) -> Venue:
    return get_object_or_404(
        Venue.objects.select_related("unit"), public_token=token, is_active=True
    )


def _days(week: datetime.date, activities) -> list[tuple[datetime.date, list]]:
    days = {d: [] for d in activity_services.week_days(week)}
    for activity in activities:
        days.setdefault(timezone.localtime(activity.starts_at).date(), []).append(activity)
    return list(days.items())


def _context(request, *, title: str, where: str, activities, week, links: dict, show_unit: bool):
    this_week = activity_services.week_of(timezone.localdate())
    return {
        "title": title,
        "where": where,
        "week": week,
        "week_end": week + datetime.timedelta(days=6),
        "days": _days(week, activities),
        "count": sum(1 for a in activities if not a.cancelled),
        "this_week": this_week,
        "next_week": this_week + datetime.timedelta(days=7),
        "show_unit": show_unit,
        **links,
    }


def _page_address(request, name: str, token: str) -> str:
    """The address printed as a QR code on the poster. Staff often print from an intranet
    address residents' phones cannot reach, so SHANZHI_PUBLIC_BASE_URL, when set, wins."""
    path = reverse(name, args=[token])
    base = settings.SHANZHI_PUBLIC_BASE_URL
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)


def _public_response(request, template, context):
    if template.endswith("_poster.html"):
        address = _page_address(request, context["page_url"], context["token"])
        context["qr"] = segno.make(address, error="m").svg_inline(scale=4, border=1)
        context["page_address"] = address
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _board_activities(unit: Unit, week: datetime.date):
    return public_activities(Activity.objects.within(unit).filter(week_start=week))


def _board_page(request, token, template):
    board = _board(token)
    week = _week(request)
    activities = _board_activities(board.unit, week)
    return _public_response(
        request,
        template,
        _context(
            request,
            title=board.unit.name,
            where=board.unit.name,
            activities=activities,
            week=week,
            links={
                "page_url": "venues:week-board",
                "poster_url": "venues:week-board-poster",
                "ical_url": "venues:week-board-ical",
                "token": token,
            },
            show_unit=board.unit.depth < 3,
        ),
    )


@require_GET
@cache_control(public=True, max_age=120)
def week_board(request, token):
    return _board_page(request, token, "venues/public/week.html")


@require_GET
@cache_control(public=True, max_age=120)
def week_board_poster(request, token):
    return _board_page(request, token, "venues/public/week_poster.html")


def _venue_page(request, token, template):
    venue = _venue(token)
    week = _week(request)
    activities = public_activities(Activity.objects.filter(venue=venue, week_start=week))
    return _public_response(
        request,
        template,
        _context(
            request,
            title=venue.name,
            where=f"{venue.unit.name} · {venue.name}",
            activities=activities,
            week=week,
            links={
                "page_url": "venues:week-venue",
                "poster_url": "venues:week-venue-poster",
                "ical_url": "venues:week-venue-ical",
                "token": token,
                "venue": venue,
            },
            show_unit=False,
        ),
    )


@require_GET
@cache_control(public=True, max_age=120)
def week_venue(request, token):
    return _venue_page(request, token, "venues/public/week.html")


@require_GET
@cache_control(public=True, max_age=120)
def week_venue_poster(request, token):
    return _venue_page(request, token, "venues/public/week_poster.html")


def _feed(request, name: str, queryset) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    first = activity_services.week_of(today) - datetime.timedelta(days=7 * FEED_WEEKS_BACK)
    last = activity_services.week_of(today) + datetime.timedelta(days=7 * FEED_WEEKS_AHEAD)
    activities = public_activities(queryset.filter(week_start__gte=first, week_start__lte=last))
    body = ical.calendar(
        name,
        activities,
        now=now,
        url_for=lambda a: request.build_absolute_uri(a.register_url),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="activities.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@cache_control(public=True, max_age=600)
def week_board_ical(request, token):
    board = _board(token)
    return _feed(request, f"{board.unit.name}活动预告", Activity.objects.within(board.unit))


@require_GET
@cache_control(public=True, max_age=600)
def week_venue_ical(request, token):
    venue = _venue(token)
    return _feed(request, f"{venue.name}活动预告", Activity.objects.filter(venue=venue))


def _over_limit(request) -> bool:
    key = f"venues:registrations:{client_address(request)}"
    return over_limit(key, REGISTRATIONS_PER_HOUR, 3600)


@require_http_methods(["GET", "POST"])
def week_activity(request, pk):
    """A published activity's public page; registration when the activity takes it."""
    activity = public_activity(pk)
    if activity is None:
        raise Http404
    form = PublicRegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if form.cleaned_data["website"]:
                # A robot filled in the hidden field: thank it and keep nothing.
                messages.success(request, _("Thank you, your registration was received."))
                return redirect("venues:week-activity", pk)
            if _over_limit(request):
                form.add_error(
                    None, _("Too many registrations from this address; try again in an hour.")
                )
                status = 429
            else:
                try:
                    registration = activity_services.registration_create(
                        activity=Activity.objects.get(pk=pk),
                        name=form.cleaned_data["name"],
                        phone=form.cleaned_data["phone"],
                        source=RegistrationSource.PUBLIC,
                    )
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        for name, errors in error.message_dict.items():
                            form.add_error(name if name in form.fields else None, errors)
                    else:
                        form.add_error(None, error.messages)
                else:
                    if registration.status == RegistrationStatus.CONFIRMED:
                        messages.success(request, _("You are registered. See you there!"))
                    else:
                        messages.success(
                            request,
                            _(
                                "The activity is full: you are on the waiting list and will "
                                "move up when a place is given back."
                            ),
                        )
                    return redirect("venues:week-activity", pk)
    response = render(
        request,
        "venues/public/week_activity.html",
        {"activity": activity, "form": form},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
