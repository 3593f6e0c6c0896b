"""Dual reporting (双报到): work units and their Party members register with the community where
they serve.

- WorkUnit: an office, public institution or enterprise of a district. It is posted to one
  community at a time; WorkUnitPosting keeps every posting (from, until). Re-assignment
  (动态调整) ends the current posting and starts another on the same day.
- ReportedMember: a Party member registered individually with a community (optionally naming
  the work unit), from a date; leaving ends the registration, the row is kept.
- ServiceProject: a need the community publishes (open → claimed → done, or cancelled); one
  claimant (a posted work unit or a registered member) claims it.
- ServiceRecord: service given (what, on which day, hours, by which unit or member), optionally
  for a project.
- UnitEvaluation: the community's evaluation of a work unit posted there, once per half-year
  (period code "2026-H1"): a score out of 100, the grade it gives, and feedback to the unit.

Scope: postings, members, projects, records and evaluations belong to their community. A work
unit is visible to its district's staff and to every community it has been posted to (and the
townships above them).
"""

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.masking import mask_phone
from governance.models import Unit
from governance.querysets import ScopedQuerySet


class WorkUnitKind(models.TextChoices):
    OFFICE = "office", _("Party or government office")
    INSTITUTION = "institution", _("Public institution")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other organisation")


class WorkUnitQuerySet(ScopedQuerySet):
    #: The district that keeps the row (its admin manages it); scope_q adds the communities
    #: it serves or served.
    scope_fields = ("district",)

    @classmethod
    def scope_q(cls, paths):
        in_subtrees = Q()
        for path in paths:
            in_subtrees |= Q(path__startswith=path)
        units = Unit.objects.filter(in_subtrees).values("pk")
        postings = apps.get_model("outreach", "WorkUnitPosting").objects.filter(community__in=units)
        return Q(district__in=units) | Q(pk__in=postings.values("work_unit_id"))


class WorkUnit(models.Model):
    district = models.ForeignKey(
        Unit, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=WorkUnitKind.choices)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="work_unit_unique_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outreach:dual-unit-detail", args=[self.pk])

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)


class PostingQuerySet(ScopedQuerySet):
    scope_fields = ("community",)

    def current(self, on=None):
        if on is None:
            return self.filter(ended_on__isnull=True)
        return self.filter(Q(started_on__lte=on), Q(ended_on__isnull=True) | Q(ended_on__gt=on))

    def overlapping(self, start, end):
        """Postings that were in force on some day of [start, end)."""
        return self.filter(Q(started_on__lt=end), Q(ended_on__isnull=True) | Q(ended_on__gt=start))


class WorkUnitPosting(models.Model):
    work_unit = models.ForeignKey(
        WorkUnit, verbose_name=_("work unit"), on_delete=models.CASCADE, related_name="postings"
    )
    community = models.ForeignKey(
        Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("from"))
    #: The first day it no longer serves there (excluded); empty while current.
    ended_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("work unit posting")
        verbose_name_plural = _("work unit postings")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_unit"],
                condition=Q(ended_on__isnull=True),
                name="work_unit_one_current_posting",
            )
        ]

    def __str__(self):
        return f"{self.work_unit} → {self.community}"


class MemberQuerySet(ScopedQuerySet):
    scope_fields = ("community",)

    def current(self):
        return self.filter(left_on__isnull=True)


class ReportedMember(models.Model):
    community = models.ForeignKey(
        Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    work_unit = models.ForeignKey(
        WorkUnit,
        verbose_name=_("work unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    registered_on = models.DateField(_("registered on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("registered Party member")
        verbose_name_plural = _("registered Party members")
        ordering = ["community__path", "name", "pk"]

    def __str__(self):
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class ProjectStatus(models.TextChoices):
    OPEN = "open", _("Open for claiming")
    CLAIMED = "claimed", _("Claimed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceProject(models.Model):
    community = models.ForeignKey(
        Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    needs = models.CharField(_("what is needed"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.OPEN
    )
    claimed_by_unit = models.ForeignKey(
        WorkUnit,
        verbose_name=_("claimed by work unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_projects",
    )
    claimed_by_member = models.ForeignKey(
        ReportedMember,
        verbose_name=_("claimed by Party member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_projects",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("community").as_manager()

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="service_project_dates"
            ),
            models.CheckConstraint(
                condition=~Q(claimed_by_unit__isnull=False, claimed_by_member__isnull=False),
                name="service_project_one_claimant",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("outreach:dual-project-detail", args=[self.pk])

    @property
    def claimant(self):
        return self.claimed_by_unit or self.claimed_by_member


class ServiceRecord(models.Model):
    community = models.ForeignKey(
        Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        ServiceProject,
        verbose_name=_("service project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    work_unit = models.ForeignKey(
        WorkUnit,
        verbose_name=_("work unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    member = models.ForeignKey(
        ReportedMember,
        verbose_name=_("Party member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    what = models.CharField(_("service given"), max_length=200)
    served_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("1000"))],
    )
    people = models.PositiveIntegerField(_("people taking part"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("community").as_manager()

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_unit__isnull=False, member__isnull=True)
                | Q(work_unit__isnull=True, member__isnull=False),
                name="service_record_one_provider",
            )
        ]

    def __str__(self):
        return f"{self.served_on:%Y-%m-%d} {self.what}"

    @property
    def provider(self):
        return self.work_unit or self.member


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


#: A score at or above the bound gives the grade (out of 100).
GRADE_BOUNDS = ((90, Grade.EXCELLENT), (75, Grade.GOOD), (60, Grade.PASS), (0, Grade.FAIL))


def grade_for(score: Decimal) -> str:
    for bound, grade in GRADE_BOUNDS:
        if score >= bound:
            return grade
    return Grade.FAIL


class UnitEvaluation(models.Model):
    community = models.ForeignKey(
        Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    work_unit = models.ForeignKey(
        WorkUnit, verbose_name=_("work unit"), on_delete=models.PROTECT, related_name="evaluations"
    )
    period = models.CharField(_("period"), max_length=7)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    feedback = models.TextField(_("feedback to the unit"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)

    objects = ScopedQuerySet.with_scope("community").as_manager()

    class Meta:
        verbose_name = _("work unit evaluation")
        verbose_name_plural = _("work unit evaluations")
        ordering = ["-period", "work_unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_unit", "community", "period"], name="unit_evaluation_once"
            )
        ]

    def __str__(self):
        return f"{self.work_unit} · {self.period}"

    def get_absolute_url(self):
        return reverse("outreach:dual-evaluation-detail", args=[self.pk])
