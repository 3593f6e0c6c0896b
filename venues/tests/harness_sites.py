"""Harness cases of the venues (sites) part (tests/test_url_harness.py runs them).

staff_a (township A staff) keeps the venues of community A; community B's are outside.
"""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.harness import Case
from venues.models import (
    OpeningPeriod,
    ServiceMatter,
    ServiceRequest,
    Venue,
    VenuePhoto,
    VenueUpgrade,
)
from venues.services.sites import ensure_kinds


def _venue(unit, name="花园社区党群服务中心"):

    district = unit.district
    kind = ensure_kinds(district)[0]
    venue, _ = Venue.objects.get_or_create(unit=unit, name=name, defaults={"kind": kind})
    return venue


def _pk(unit):
    return {"pk": _venue(unit).pk}


def _token(unit):
    return {"token": _venue(unit).public_token}


def _period(unit):
    venue = _venue(unit)
    period, _ = OpeningPeriod.objects.get_or_create(
        venue=venue,
        name="国庆节",
        defaults={"start": datetime.date(2026, 10, 1), "end": datetime.date(2026, 10, 7)},
    )
    return {"period_pk": period.pk}


def _upgrade(unit):
    upgrade, _ = VenueUpgrade.objects.get_or_create(venue=_venue(unit), year=2024, kind="new")
    return {"upgrade_pk": upgrade.pk}


def _photo(unit):
    if not default_storage.exists("venues/x.jpg"):
        default_storage.save("venues/x.jpg", ContentFile(b"GIF89a"))
    photo, _ = VenuePhoto.objects.get_or_create(venue=_venue(unit), image="venues/x.jpg")
    return {"photo_pk": photo.pk}


def _public_photo(unit):
    return {**_token(unit), **_photo(unit)}


def _matter(district):
    matter, _ = ServiceMatter.objects.get_or_create(
        district=district, name="社保卡补办", defaults={"provider_kind": "department"}
    )
    return matter


def _matter_pk(district):
    return {"matter_pk": _matter(district).pk}


def _request(unit):

    venue = _venue(unit)
    district = unit.district
    row, _ = ServiceRequest.objects.get_or_create(
        venue=venue,
        matter=_matter(district),
        defaults={"kind": "proxy", "resident_name": "李四", "received_at": timezone.now()},
    )
    return {"pk": row.pk}


a = lambda w: _pk(w.community_a)  # noqa: E731
b = lambda w: _pk(w.community_b)  # noqa: E731

CASES = [
    Case("venues:venue-list"),
    Case("venues:venue-create"),
    Case("venues:venue-import"),
    Case("venues:venue-export"),
    Case("venues:venue-figures"),
    Case("venues:venue-detail", a, b),
    Case("venues:venue-edit", a, b),
    Case("venues:venue-hours", a, b),
    Case("venues:period-create", a, b),
    Case("venues:period-edit", lambda w: _period(w.community_a), lambda w: _period(w.community_b)),
    Case(
        "venues:period-delete",
        lambda w: _period(w.community_a),
        lambda w: _period(w.community_b),
        post_only=True,
    ),
    Case("venues:upgrade-add", a, b, post_only=True),
    Case(
        "venues:upgrade-delete",
        lambda w: _upgrade(w.community_a),
        lambda w: _upgrade(w.community_b),
        post_only=True,
    ),
    Case("venues:photo-add", a, b, post_only=True),
    Case(
        "venues:photo-file",
        lambda w: _photo(w.community_a),
        lambda w: _photo(w.community_b),
    ),
    Case(
        "venues:photo-delete",
        lambda w: _photo(w.community_a),
        lambda w: _photo(w.community_b),
        post_only=True,
    ),
    Case("venues:venue-services", a, b),
    Case("venues:matter-list", viewer="district_admin"),
    Case("venues:matter-create", viewer="district_admin"),
    Case(
        "venues:matter-edit",
        lambda w: _matter_pk(w.district),
        lambda w: _matter_pk(w.other_district),
        viewer="district_admin",
    ),
    Case("venues:request-list"),
    Case("venues:request-create"),
    Case(
        "venues:request-detail",
        lambda w: _request(w.community_a),
        lambda w: _request(w.community_b),
    ),
    Case(
        "venues:request-reveal",
        lambda w: _request(w.community_a),
        lambda w: _request(w.community_b),
        post_only=True,
    ),
    Case(
        "venues:request-step",
        lambda w: _request(w.community_a),
        lambda w: _request(w.community_b),
        post_only=True,
    ),
    Case(
        "venues:request-follow-up",
        lambda w: _request(w.community_a),
        lambda w: _request(w.community_b),
        post_only=True,
    ),
    Case("venues:public-venue", lambda w: _token(w.community_a), public=True),
    Case("venues:public-photo", lambda w: _public_photo(w.community_a), public=True),
]
