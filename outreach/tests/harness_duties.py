"""Harness cases of the duty and activity pages (tests/test_url_harness.py runs them).

Duties and activities are made on the fly: staff A's village duty over community A (inside)
and staff B's over village B (outside).
"""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from outreach.models import ActivityPhoto, ContactActivity, LiaisonDuty
from tests.harness import Case

START = datetime.date(2026, 1, 1)


def _duty(w, user, village):
    duty, _ = LiaisonDuty.objects.get_or_create(
        holder=user.person,
        target_unit=village,
        ends_on=None,
        defaults={"tier": "village", "scope_unit": village, "starts_on": START},
    )
    return {"pk": duty.pk}


def _activity(w, user, village):
    activity = ContactActivity.objects.create(
        system="talk", unit=village, leader=user.person, held_on=START, summary="谈心谈话"
    )
    return activity


def _photo(w, user, village):
    name = "activities/harness/photo.gif"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"GIF89a"))
    photo = ActivityPhoto.objects.create(activity=_activity(w, user, village), image=name)
    return {"pk": photo.pk}


duty_a = lambda w: _duty(w, w.staff_a, w.community_a)  # noqa: E731
duty_b = lambda w: _duty(w, w.staff_b, w.community_b)  # noqa: E731

CASES = [
    # The unit of the matrix, figures, problem list and exports is a query parameter: their
    # scope is tested in outreach/tests/test_duties_views.py.
    Case("outreach:duty-matrix"),
    Case("outreach:duty-new"),
    Case("outreach:duty-policy", viewer="district_admin"),
    Case("outreach:duty-export"),
    Case("outreach:duty-import"),
    Case("outreach:duty-detail", duty_a, duty_b),
    Case("outreach:duty-reassign", duty_a, duty_b, post_only=True),
    Case("outreach:duty-end", duty_a, duty_b, post_only=True),
    Case("outreach:activity-list"),
    Case("outreach:activity-new"),
    Case("outreach:activity-figures"),
    Case("outreach:activity-problems"),
    Case("outreach:activity-export"),
    Case("outreach:activity-import"),
    Case(
        "outreach:activity-detail",
        lambda w: {"pk": _activity(w, w.staff_a, w.community_a).pk},
        lambda w: {"pk": _activity(w, w.staff_b, w.community_b).pk},
    ),
    Case(
        "outreach:activity-photo",
        lambda w: _photo(w, w.staff_a, w.community_a),
        lambda w: _photo(w, w.staff_b, w.community_b),
    ),
]
