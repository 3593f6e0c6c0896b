import datetime

from django.utils import timezone

from tests.harness import Case
from venues.models import Activity, Registration, RegistrationStatus
from venues.services import activities as services
from venues.tests.factories import make_activity, make_venue


def _activity(unit, **fields) -> Activity:
    venue = make_venue(unit)
    existing = Activity.objects.filter(venue=venue).first()
    if existing:
        return existing
    starts = timezone.now() + datetime.timedelta(days=3)
    return make_activity(venue, starts=starts, registration_enabled=True, capacity=10, **fields)


def _published(unit) -> Activity:
    activity = _activity(unit)
    services.week_publish(unit=activity.unit, week_start=activity.week_start, actor=None)
    return activity


def _registration(unit) -> dict:
    activity = _activity(unit)
    registration = Registration.objects.filter(
        activity=activity, status=RegistrationStatus.CONFIRMED
    ).first() or services.registration_create(activity=activity, name="张三", phone="13800000001")
    return {"pk": registration.pk}


def _photo(unit) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from venues.models import ActivityPhoto

    activity = _activity(unit)
    gif = (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00"
        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    photo = ActivityPhoto.objects.create(
        activity=activity, image=SimpleUploadedFile("p.gif", gif, content_type="image/gif")
    )
    return {"pk": photo.pk}


a = lambda w: {"pk": _activity(w.community_a).pk}  # noqa: E731
b = lambda w: {"pk": _activity(w.community_b).pk}  # noqa: E731
unit_a = lambda w: {"unit_pk": make_venue(w.community_a).unit_id}  # noqa: E731
unit_b = lambda w: {"unit_pk": make_venue(w.community_b).unit_id}  # noqa: E731

CASES = [
    Case("venues:activity-list"),
    Case("venues:activity-create", lambda w: make_venue(w.community_a) and {}),
    Case("venues:activity-series-create", lambda w: make_venue(w.community_a) and {}),
    Case("venues:activity-figures"),
    Case("venues:activity-export"),
    Case("venues:activity-import"),
    Case("venues:activity-detail", a, b),
    Case("venues:activity-edit", a, b),
    Case("venues:activity-cancel", a, b, post_only=True),
    Case("venues:activity-attendance", a, b),
    Case("venues:activity-register", a, b, post_only=True),
    Case(
        "venues:activity-registration-cancel",
        lambda w: _registration(w.community_a),
        lambda w: _registration(w.community_b),
        post_only=True,
    ),
    Case(
        "venues:activity-photo",
        lambda w: _photo(w.community_a),
        lambda w: _photo(w.community_b),
    ),
    Case("venues:week-list"),
    Case("venues:week-preview", unit_a, unit_b),
    Case("venues:week-publish", unit_a, unit_b, post_only=True),
    Case("venues:week-withdraw", unit_a, unit_b, post_only=True),
    Case(
        "venues:week-board",
        lambda w: {"token": services.board_for(w.community_a).public_token},
        public=True,
    ),
    Case(
        "venues:week-board-poster",
        lambda w: {"token": services.board_for(w.district).public_token},
        public=True,
    ),
    Case(
        "venues:week-board-ical",
        lambda w: {"token": services.board_for(w.township_a).public_token},
        public=True,
    ),
    Case(
        "venues:week-venue",
        lambda w: {"token": make_venue(w.community_a).public_token},
        public=True,
    ),
    Case(
        "venues:week-venue-poster",
        lambda w: {"token": make_venue(w.community_a).public_token},
        public=True,
    ),
    Case(
        "venues:week-venue-ical",
        lambda w: {"token": make_venue(w.community_a).public_token},
        public=True,
    ),
    Case("venues:week-activity", lambda w: {"pk": _published(w.community_a).pk}, public=True),
]
