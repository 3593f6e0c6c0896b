"""Venues: Party-mass service centres, red stations, heart-to-heart homes and the like.

A venue belongs to a unit (a township's centre, a community's centre or station) and is seen by
whoever holds a role over that unit. Its public page is reached by an unguessable token, like a
grid's 亮身份 page, so venues cannot be enumerated by id.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.querysets import ScopedQuerySet

__all__ = [
    "OpeningPeriod",
    "OpeningSpan",
    "ProviderKind",
    "RequestKind",
    "RequestStatus",
    "ServiceMatter",
    "ServiceRequest",
    "SpanState",
    "UpgradeKind",
    "Venue",
    "VenueKind",
    "VenuePhoto",
    "VenueService",
    "VenueUpgrade",
]

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def _public_token() -> str:
    return secrets.token_urlsafe(9)


class VenueKind(models.Model):
    """A kind of venue in a district's list: the three built in and any a district adds."""

    district = models.ForeignKey(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="venue_kinds",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("venue kind")
        verbose_name_plural = _("venue kinds")
        ordering = ["district", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="venuekind_unique_code"),
            models.UniqueConstraint(fields=["district", "name"], name="venuekind_unique_name"),
        ]

    def __str__(self):
        return self.name


class Venue(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("belongs to"), on_delete=models.PROTECT, related_name="venues"
    )
    kind = models.ForeignKey(
        VenueKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="venues"
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    public_token = models.CharField(max_length=20, unique=True, default=_public_token)
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    rooms = models.TextField(
        _("rooms and facilities"),
        blank=True,
        help_text=_("One per line, e.g. 党员活动室, 会议室, 图书阅览室, 医疗服务站, 充电设施."),
    )
    description = models.TextField(_("introduction"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=30, blank=True)
    public_phone = models.CharField(
        _("public phone"),
        max_length=30,
        blank=True,
        help_text=_(
            "The venue's service phone, shown on its public page. Leave empty to show none."
        ),
    )
    open_on_holidays = models.BooleanField(
        _("open on holidays"),
        default=False,
        help_text=_(
            "假日不打烊: keep the regular hours on public holidays. Otherwise the venue is closed "
            "on public holidays unless special hours say otherwise."
        ),
    )
    makeup_weekday = models.PositiveSmallIntegerField(
        _("hours on make-up working days"),
        choices=WEEKDAY_CHOICES,
        default=0,
        help_text=_(
            "On a weekend day that is worked (调休上班) and on which the venue is normally "
            "closed, it opens with the regular hours of this weekday."
        ),
    )
    # Derived from the regular weekly spans by services_sites.hours_changed (lists filter and
    # figures add them up in SQL); never edited by hand.
    weekly_hours = models.DecimalField(
        _("staffed hours per week"), max_digits=5, decimal_places=1, default=0, editable=False
    )
    self_service_hours = models.DecimalField(
        _("self-service hours per week"),
        max_digits=5,
        decimal_places=1,
        default=0,
        editable=False,
    )
    is_extended = models.BooleanField(
        _("staggered and extended hours"), default=False, editable=False
    )
    is_through_lunch = models.BooleanField(_("open through lunch"), default=False, editable=False)
    is_all_day = models.BooleanField(_("open 24 hours"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="venue_unique_name"),
        ]
        indexes = [models.Index(fields=["unit", "kind"], name="venue_unit_kind")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("venues:venue-detail", args=[self.pk])

    def get_public_url(self):
        return reverse("venues:public-venue", args=[self.public_token])


class UpgradeKind(models.TextChoices):
    RENOVATED = "renovated", _("Renovated")
    NEW = "new", _("Newly built")
    UPGRADED = "upgraded", _("Upgraded")


class VenueUpgrade(models.Model):
    """One step of a venue's upgrade history (Laiwu: 4 renovated, 171 red stations built or
    upgraded)."""

    Kind = UpgradeKind

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="upgrades"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=UpgradeKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    funding = models.DecimalField(
        _("funding (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("venue__unit").as_manager()

    class Meta:
        verbose_name = _("upgrade")
        verbose_name_plural = _("upgrade history")
        ordering = ["venue", "-year", "-pk"]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}"


class VenuePhoto(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="venues/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("venue__unit").as_manager()

    class Meta:
        verbose_name = _("venue photo")
        verbose_name_plural = _("venue photos")
        ordering = ["venue", "order", "pk"]

    def __str__(self):
        return self.caption or self.image.name


class OpeningPeriod(models.Model):
    """Dated hours overriding the regular ones (holiday hours, summer hours, a closure). Its
    spans are OpeningSpan rows pointing at it; a period without spans closes the venue."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="periods"
    )
    name = models.CharField(_("name"), max_length=60)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("venue__unit").as_manager()

    class Meta:
        verbose_name = _("special hours")
        verbose_name_plural = _("special hours")
        ordering = ["venue", "start", "end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.start}–{self.end}"


class SpanState(models.TextChoices):
    OPEN = "open", _("Staffed")
    SELF_SERVICE = "self_service", _("Self-service")


class OpeningSpan(models.Model):
    """One span: of the regular week (period empty) or of an overriding period.

    weekday empty = every day. An end not after the start runs past midnight; an end equal to
    the start lasts 24 hours (00:00–00:00 is the whole day). See venues/hours.py.
    """

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="spans"
    )
    period = models.ForeignKey(
        OpeningPeriod,
        verbose_name=_("special hours"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="spans",
    )
    weekday = models.PositiveSmallIntegerField(
        _("day"), choices=WEEKDAY_CHOICES, null=True, blank=True
    )
    start = models.TimeField(_("opens"))
    end = models.TimeField(_("closes"))
    state = models.CharField(
        _("state"), max_length=12, choices=SpanState.choices, default=SpanState.OPEN
    )

    objects = ScopedQuerySet.with_scope("venue__unit").as_manager()

    class Meta:
        verbose_name = _("opening span")
        verbose_name_plural = _("opening spans")
        ordering = ["venue", "period", "weekday", "start", "pk"]

    def __str__(self):
        return f"{self.get_weekday_display() or ''} {self.start:%H:%M}-{self.end:%H:%M}"


class ProviderKind(models.TextChoices):
    TOWNSHIP = "township", _("Township or street")
    DEPARTMENT = "department", _("Functional department")
    BANK = "bank", _("Bank")
    OTHER = "other", _("Other")


class ServiceMatter(models.Model):
    """A high-frequency matter of the district's assisted and proxy service catalogue (帮办代办)."""

    ProviderKind = ProviderKind

    district = models.ForeignKey(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="service_matters",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    name = models.CharField(_("name"), max_length=100)
    provider_kind = models.CharField(_("provided by"), max_length=12, choices=ProviderKind.choices)
    provider_name = models.CharField(_("provider"), max_length=100, blank=True)
    department = models.ForeignKey(
        Unit,
        verbose_name=_("relayed to department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": Unit.Kind.DEPARTMENT},
        help_text=_("The functional department requests for this matter are usually relayed to."),
    )
    materials = models.TextField(_("materials needed"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("service matter")
        verbose_name_plural = _("service matters")
        ordering = ["district", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="servicematter_unique_name")
        ]

    def __str__(self):
        return self.name


class VenueService(models.Model):
    """A matter a venue offers."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="services"
    )
    matter = models.ForeignKey(
        ServiceMatter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="offers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("venue__unit").as_manager()

    class Meta:
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        ordering = ["venue", "matter__order", "matter__name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "matter"], name="venueservice_unique")
        ]

    def __str__(self):
        return f"{self.venue} · {self.matter}"


class RequestKind(models.TextChoices):
    ASSISTED = "assisted", _("Assisted (帮办)")
    PROXY = "proxy", _("Proxy (代办)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    RELAYED = "relayed", _("Relayed to a department")
    DONE = "done", _("Done")
    RETURNED = "returned", _("Returned")


class ServiceRequest(models.Model):
    """A resident's request for assisted or proxy service at a venue, and where it went.

    Scope: the venue's unit, and the department it was relayed to (which sees it and answers).
    """

    Kind = RequestKind
    Status = RequestStatus

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="requests"
    )
    matter = models.ForeignKey(
        ServiceMatter, verbose_name=_("matter"), on_delete=models.PROTECT, related_name="requests"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    resident_name = models.CharField(_("resident"), max_length=50)
    resident_phone = models.CharField(_("resident's phone"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    relayed_to = models.ForeignKey(
        Unit,
        verbose_name=_("relayed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relayed_service_requests",
        limit_choices_to={"kind": Unit.Kind.DEPARTMENT},
    )
    answer = models.TextField(_("answer"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    relayed_at = models.DateTimeField(_("relayed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ledger_item = models.OneToOneField(
        "governance.LedgerItem",
        verbose_name=_("ledger item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.with_scope("venue__unit", "relayed_to").as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["venue", "-received_at"], name="servicerequest_venue_recv"),
            models.Index(fields=["status", "relayed_at"], name="servicerequest_status"),
        ]

    def __str__(self):
        return f"{self.matter} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("venues:request-detail", args=[self.pk])
