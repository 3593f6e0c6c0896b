"""Liaison duties (包联) and the contact activities (联系服务群众"四项制度") done under them.

Definitions (the services, the matrix, the figures and the reminders all read these):

- Tiers, inferred from what a duty covers and checked against the holder's unit:
  district-level person → township/street; township person → Party-building work zone
  (leadership member) or village/community (official); village/community cadre → households of
  their own village/community. Anything else is refused.
- A duty lives in a *scope unit* (`scope_unit`): the township it covers, the zone's township,
  the village it covers, or the holder's village for households. Scoping is one indexed filter
  on that column, so a township sees the duties over it and nothing else.
- Expected frequency: the duty's own, else the district's `DutyPolicy` for the tier, else
  monthly. Periods are calendar periods: ISO weeks (Monday first), months, quarters.
- A contact under a duty (`DutyContact`) is written when an activity is filed: for every
  person who led or attended it and every duty of theirs current on the activity's date whose
  target the activity covers (a unit in the covered township/village, the zone's villages or
  the zone itself, one of the covered households).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.masking import mask_name
from governance.models import LedgerItem, Person, Unit, WorkZone
from governance.querysets import ScopedQuerySet
from grids.models import Household

__all__ = [
    "ActivityPhoto",
    "ActivityProblem",
    "ContactActivity",
    "ContactSystem",
    "DutyContact",
    "DutyPolicy",
    "DutyTier",
    "Frequency",
    "LiaisonDuty",
]


class ContactSystem(models.TextChoices):
    CONSULTATION = "consultation", _("Joint consultation")
    PUBLICITY = "publicity", _("Publicity and preaching")
    VISITING = "visiting", _("Visiting and receiving visitors")
    TALK = "talk", _("Heart-to-heart talk")


class DutyTier(models.TextChoices):
    TOWNSHIP = "township", _("District leader covers a township")
    WORK_ZONE = "work_zone", _("Township leadership member covers a work zone")
    VILLAGE = "village", _("Township official covers a village or community")
    HOUSEHOLDS = "households", _("Village cadre covers households")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class DutyPolicy(models.Model):
    """The district's expected contact frequency per tier (默认每月一次)."""

    district = models.ForeignKey(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="duty_policies",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    tier = models.CharField(_("tier"), max_length=20, choices=DutyTier.choices)
    frequency = models.CharField(
        _("expected contact"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("liaison frequency")
        verbose_name_plural = _("liaison frequencies")
        constraints = [
            models.UniqueConstraint(fields=["district", "tier"], name="dutypolicy_once_per_tier")
        ]

    def __str__(self):
        return f"{self.district} · {self.get_tier_display()} · {self.get_frequency_display()}"


class LiaisonDutyQuerySet(ScopedQuerySet):
    scope_fields = ("scope_unit",)

    def current(self, on):
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class LiaisonDuty(models.Model):
    """包联: a person covers a township, a work zone, a village or households, from … until."""

    holder = models.ForeignKey(
        Person, verbose_name=_("duty holder"), on_delete=models.PROTECT, related_name="duties"
    )
    tier = models.CharField(_("tier"), max_length=20, choices=DutyTier.choices)
    scope_unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="liaison_duties"
    )
    target_unit = models.ForeignKey(
        Unit,
        verbose_name=_("covers (unit)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_zone = models.ForeignKey(
        WorkZone,
        verbose_name=_("covers (work zone)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duties",
    )
    households = models.ManyToManyField(
        Household, verbose_name=_("covers (households)"), blank=True, related_name="duties"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    frequency = models.CharField(
        _("expected contact"),
        max_length=20,
        choices=Frequency.choices,
        blank=True,
        help_text=_("Leave empty to follow the district's setting for the tier."),
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("takes over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LiaisonDutyQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison duty")
        verbose_name_plural = _("liaison duties")
        ordering = ["scope_unit__path", "tier", "pk"]
        indexes = [
            models.Index(fields=["scope_unit", "ends_on"], name="duty_scope_end"),
            models.Index(fields=["holder", "ends_on"], name="duty_holder_end"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "target_unit"],
                condition=Q(ends_on__isnull=True, target_unit__isnull=False),
                name="duty_one_open_per_unit",
            ),
            models.UniqueConstraint(
                fields=["holder", "target_zone"],
                condition=Q(ends_on__isnull=True, target_zone__isnull=False),
                name="duty_one_open_per_zone",
            ),
            models.UniqueConstraint(
                fields=["holder", "scope_unit"],
                condition=Q(ends_on__isnull=True, tier="households"),
                name="duty_one_open_household_group",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="duty_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.holder} · {self.target_label}"

    def get_absolute_url(self):
        return reverse("outreach:duty-detail", args=[self.pk])

    @property
    def target_label(self) -> str:
        if self.tier == DutyTier.WORK_ZONE and self.target_zone_id:
            return self.target_zone.name
        if self.tier == DutyTier.HOUSEHOLDS:
            return str(_("Households of %(unit)s") % {"unit": self.scope_unit.name})
        return self.target_unit.name if self.target_unit_id else ""


class ContactActivityQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)

    def held_between(self, start, end):
        """Activities held on start … end − 1 day (end exclusive)."""
        return self.filter(held_on__gte=start, held_on__lt=end)


class ContactActivity(models.Model):
    """One activity of the four contact systems: who, where, whom it reached, what was raised."""

    system = models.CharField(_("contact system"), max_length=20, choices=ContactSystem.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("covered unit"),
        on_delete=models.PROTECT,
        related_name="contact_activities",
    )
    work_zone = models.ForeignKey(
        WorkZone,
        verbose_name=_("Party-building work zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_activities",
    )
    households = models.ManyToManyField(
        Household, verbose_name=_("households"), blank=True, related_name="contact_activities"
    )
    leader = models.ForeignKey(
        Person, verbose_name=_("led by"), on_delete=models.PROTECT, related_name="led_activities"
    )
    attendees = models.ManyToManyField(
        Person, verbose_name=_("other cadres present"), blank=True, related_name="+"
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)
    reached_names = models.TextField(_("names of people reached"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    duties = models.ManyToManyField(
        LiaisonDuty, through="DutyContact", blank=True, related_name="activities"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    objects = ContactActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact activity")
        verbose_name_plural = _("contact activities")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "held_on"], name="activity_unit_day"),
            models.Index(fields=["-held_on", "-id"], name="activity_recent"),
        ]

    def __str__(self):
        return f"{self.held_on} {self.get_system_display()} · {self.unit}"

    def get_absolute_url(self):
        return reverse("outreach:activity-detail", args=[self.pk])

    @property
    def reached_names_masked(self) -> str:
        names = [n for n in self.reached_names.replace("，", "、").replace(",", "、").split("、")]
        return "、".join(mask_name(n.strip()) for n in names if n.strip())


class DutyContact(models.Model):
    """An activity counted as a contact under a duty (the date copied for the period counts)."""

    duty = models.ForeignKey(LiaisonDuty, on_delete=models.CASCADE, related_name="contacts")
    activity = models.ForeignKey(
        ContactActivity, on_delete=models.CASCADE, related_name="duty_contacts"
    )
    held_on = models.DateField()

    objects = ScopedQuerySet.with_scope("duty__scope_unit").as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["duty", "activity"], name="dutycontact_once")
        ]
        indexes = [models.Index(fields=["duty", "held_on"], name="dutycontact_duty_day")]

    def __str__(self):
        return f"{self.duty_id} ← {self.activity_id}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(ContactActivity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="activities/%Y/%m/")

    objects = ScopedQuerySet.with_scope("activity__unit").as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.image.name


class ActivityProblem(models.Model):
    """A problem raised in an activity: the ledger item it became (item.source_record is the
    activity too; this indexed link lets lists and figures join without scanning the ledger)."""

    activity = models.ForeignKey(
        ContactActivity, on_delete=models.CASCADE, related_name="problem_links"
    )
    item = models.OneToOneField(
        LedgerItem, on_delete=models.CASCADE, related_name="contact_activity_link"
    )

    objects = ScopedQuerySet.with_scope("activity__unit").as_manager()

    class Meta:
        verbose_name = _("problem raised")
        verbose_name_plural = _("problems raised")

    def __str__(self):
        return f"{self.activity_id} → {self.item_id}"
