"""What the public pages may show of activities: published weeks only, no personal data.

A public activity carries the activity's own public facts (title, category, time, venue,
organiser, partners, target group, places left) and never a registration, a name or a phone.
An activity is public once the weekly preview of its unit and week is published
(`ActivityQuerySet.published`); the public pages read nothing else.

Used by the sites part's public venue page (`upcoming_for_venue` and the partial
templates/venues/public/_upcoming.html, which renders `upcoming`) and by this part's weekly
pages and iCalendar feeds.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.urls import reverse
from django.utils import timezone

from venues.models import Activity, ActivityStatus

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
