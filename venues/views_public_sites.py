"""The public page of a venue: no sign-in, reached by the venue's unguessable token (it can be
printed as a QR code at the door). It shows the venue's public facts — kind, unit, address,
rooms, photos, its public phone, the hours with "open now" and the coming week, the services
offered with the materials to bring — and the upcoming published activities from the
activities part. It reads no contact person, no request and no resident, so nothing personal
can reach it.
"""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from governance.uploads import file_response
from venues import services_sites as services
from venues.models import Venue, VenuePhoto
from venues.views_sites import hours_context

try:
    from venues.activities_public import upcoming_for_venue
except ImportError:  # the activities part is not installed
    upcoming_for_venue = None


@require_GET
@cache_control(public=True, max_age=60)
def public_venue(request, token: str):
    venue = get_object_or_404(
        services.with_hours(
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
        "upcoming": upcoming_for_venue(venue, now) if upcoming_for_venue else [],
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
