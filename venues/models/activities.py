"""Activities at the venues: categories, series, activities, registrations, photos, and the
weekly activity preview (每周公布活动预告) with the public boards that show it.

Scope: an activity belongs to the unit of its venue (`Activity.unit`, kept equal to
`venue.unit` by the services), so whoever holds a role over that unit or above sees it.
Registrations and photos are scoped through their activity.

The weekly preview: a week runs Monday to Sunday (Asia/Shanghai). A `WeekPreview` row per unit
holding venues and week says whether that unit's activities of the week are published. Public
pages show a unit's activities of a week only once its preview is published; staff see the
draft before. Activities added or changed after publication show at once (the preview stays
published); cancelled ones show as cancelled.
"""

import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.querysets import ScopedQuerySet

__all__ = [
    "Activity",
    "ActivityCategory",
    "ActivityPhoto",
    "ActivitySeries",
    "ActivityStatus",
    "PublicBoard",
    "Registration",
    "RegistrationSource",
    "RegistrationStatus",
    "WeekPreview",
    "WeekStatus",
]


def _token() -> str:
    return secrets.token_urlsafe(9)


class ActivityCategory(models.Model):
    """A kind of activity in a district's editable list (政策宣讲, 睦邻市集, 义诊 …)."""

    district = models.ForeignKey(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="activity_categories",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("activity category")
        verbose_name_plural = _("activity categories")
        ordering = ["district", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="activitycategory_code"),
            models.UniqueConstraint(fields=["district", "name"], name="activitycategory_name"),
        ]

    def __str__(self):
        return self.name


class ActivitySeries(models.Model):
    """A term of classes created in one step: the dated activities share this row."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="activity_series"
    )
    venue = models.ForeignKey(
        "venues.Venue", verbose_name=_("venue"), on_delete=models.PROTECT, related_name="series"
    )
    title = models.CharField(_("title"), max_length=100)
    #: ISO weekdays, 1 = Monday … 7 = Sunday, comma separated ("2,4").
    weekdays = models.CharField(_("weekdays"), max_length=20)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    skip_holidays = models.BooleanField(_("skip public holidays"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("activity series")
        verbose_name_plural = _("activity series")
        ordering = ["-first_day", "pk"]

    def __str__(self):
        return self.title


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)

    def held(self):
        """Not cancelled: what figures count."""
        return self.exclude(status=ActivityStatus.CANCELLED)

    def between(self, start, end):
        """Starting from the local day `start` to the local day `end`, both included."""
        tz = timezone.get_current_timezone()
        begin = datetime.combine(start, time(), tzinfo=tz)
        stop = datetime.combine(end + timedelta(days=1), time(), tzinfo=tz)
        return self.filter(starts_at__gte=begin, starts_at__lt=stop)

    def published(self):
        """In a week whose preview is published for the activity's unit."""
        return self.filter(
            Exists(
                WeekPreview.objects.filter(
                    unit_id=OuterRef("unit_id"),
                    week_start=OuterRef("week_start"),
                    status=WeekStatus.PUBLISHED,
                )
            )
        )


class Activity(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="activities"
    )
    venue = models.ForeignKey(
        "venues.Venue",
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    series = models.ForeignKey(
        ActivitySeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    category = models.ForeignKey(
        ActivityCategory,
        verbose_name=_("activity category"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    #: Monday of the local week of starts_at (kept by the services): the preview's key.
    week_start = models.DateField(_("week"), editable=False)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    partners = models.CharField(
        _("partner units"),
        max_length=200,
        blank=True,
        help_text=_("Separated by 、 e.g. 区妇联、区人社局、实验小学"),
    )
    target_group = models.CharField(_("target group"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_enabled = models.BooleanField(_("registration"), default=False)
    waitlist_enabled = models.BooleanField(_("waiting list"), default=True)
    #: Confirmed registrations, kept under the activity's row lock by the services.
    confirmed_count = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    attendance = models.PositiveIntegerField(_("attendance (person-times)"), null=True, blank=True)
    report = models.TextField(_("short report"), blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["unit", "starts_at"], name="activity_unit_start"),
            models.Index(fields=["venue", "starts_at"], name="activity_venue_start"),
            models.Index(fields=["week_start", "unit"], name="activity_week_unit"),
            models.Index(fields=["starts_at"], name="activity_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("venues:activity-detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == ActivityStatus.CANCELLED

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.confirmed_count)

    @property
    def partner_list(self) -> list[str]:
        return [p for p in self.partners.replace("，", "、").replace(",", "、").split("、") if p]


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="activities/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("activity__unit").as_manager()

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return f"{self.activity} #{self.pk}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationSource(models.TextChoices):
    PUBLIC = "public", _("Public page")
    STAFF = "staff", _("Staff")


class Registration(models.Model):
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    source = models.CharField(_("source"), max_length=20, choices=RegistrationSource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.with_scope("activity__unit").as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One live registration per phone and activity.
            models.UniqueConstraint(
                fields=["activity", "phone"],
                condition=~Q(status="cancelled"),
                name="registration_one_per_phone",
            ),
        ]
        indexes = [models.Index(fields=["activity", "status", "created_at"], name="reg_queue")]

    def __str__(self):
        return f"{self.activity} · {self.name}"


class WeekStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class WeekPreview(models.Model):
    """Whether a unit's activities of one week (Monday `week_start`) are public."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="week_previews"
    )
    week_start = models.DateField(_("week"))
    status = models.CharField(
        _("status"), max_length=20, choices=WeekStatus.choices, default=WeekStatus.DRAFT
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("weekly activity preview")
        verbose_name_plural = _("weekly activity previews")
        ordering = ["-week_start", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "week_start"], name="weekpreview_unit_week"),
        ]
        indexes = [models.Index(fields=["week_start", "status"], name="weekpreview_week_status")]

    def __str__(self):
        return f"{self.unit} {self.week_start:%Y-%m-%d}"


class PublicBoard(models.Model):
    """The public weekly-preview page of a community, township or district, by an unguessable
    token (unit ids and codes are not used, so boards cannot be walked)."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="activity_board"
    )
    public_token = models.CharField(max_length=20, unique=True, default=_token)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("public activity board")
        verbose_name_plural = _("public activity boards")

    def __str__(self):
        return str(self.unit)

    def get_public_url(self):
        return reverse("venues:week-board", args=[self.public_token])
