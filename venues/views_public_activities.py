"""Public weekly activity previews (每周公布活动预告), no sign-in.

- A board per community, township or district (`PublicBoard`, reached by an unguessable
  token) and a page per venue (the venue's public token): next week's published activities,
  day by day; `?week=YYYY-MM-DD` shows another published week; a printable A4 poster; an
  iCalendar feed of the published activities from last week to eight weeks ahead.
- An activity's public page takes registrations (name and mobile phone) when the activity
  does; no registration, name or phone is ever shown on a public page.
- Robots: a hidden honeypot field (a filled-in form is thanked and dropped) and at most
  REGISTRATIONS_PER_HOUR registrations per client address an hour (the cache counts them).
"""

import datetime

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
from venues import ical
from venues import services_activities as services
from venues.activities_public import public_activities, public_activity
from venues.forms_activities import PublicRegistrationForm
from venues.models import Activity, PublicBoard, RegistrationSource, RegistrationStatus, Venue

REGISTRATIONS_PER_HOUR = 10
FEED_WEEKS_BACK = 1
FEED_WEEKS_AHEAD = 8


def _week(request) -> datetime.date:
    chosen = week_param(request)
    return services.week_of(chosen) if chosen else services.next_week()


def _board(token: str) -> PublicBoard:
    return get_object_or_404(
        PublicBoard.objects.select_related("unit"), public_token=token, unit__is_active=True
    )


def _venue(token: str) -> Venue:
    return get_object_or_404(
        Venue.objects.select_related("unit"), public_token=token, is_active=True
    )


def _days(week: datetime.date, activities) -> list[tuple[datetime.date, list]]:
    days = {d: [] for d in services.week_days(week)}
    for activity in activities:
        days.setdefault(timezone.localtime(activity.starts_at).date(), []).append(activity)
    return list(days.items())


def _context(request, *, title: str, where: str, activities, week, links: dict, show_unit: bool):
    this_week = services.week_of(timezone.localdate())
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
    first = services.week_of(today) - datetime.timedelta(days=7 * FEED_WEEKS_BACK)
    last = services.week_of(today) + datetime.timedelta(days=7 * FEED_WEEKS_AHEAD)
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
                    registration = services.registration_create(
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
