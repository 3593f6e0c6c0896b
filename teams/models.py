"""People and teams: training, village leaders and reserve cadres, community workers with their
monthly scores, quarterly assessments and half-year rankings, secondments, staffing quotas,
Party-building brands, talent services and employment.

Every person is a governance Person: these rows link to people, they never copy them. Each
model is scoped (ScopedQuerySet) through the unit it belongs to.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.models import Person, Unit
from governance.querysets import ScopedQuerySet

LEVEL2 = {"kind__in": Unit.KINDS_BY_LEVEL[2]}
LEVEL3 = {"kind__in": Unit.KINDS_BY_LEVEL[3]}


def _token() -> str:
    return secrets.token_urlsafe(24)


class TeamsPolicy(models.Model):
    """The rules a district sets for its people and teams."""

    district = models.OneToOneField(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="teams_policy",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    reserve_minimum = models.PositiveSmallIntegerField(
        _("reserve cadres per village at least"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Villages and communities with fewer active reserve cadres are listed."),
    )
    secondment_max_months = models.PositiveSmallIntegerField(
        _("longest secondment (months)"),
        default=6,
        validators=[MinValueValidator(1)],
        help_text=_("A secondment running longer than this is flagged."),
    )
    score_due_day = models.PositiveSmallIntegerField(
        _("monthly scores due by day"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Day of the month by which the previous month's scores are entered."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("people and teams rules")
        verbose_name_plural = _("people and teams rules")

    def __str__(self):
        return str(self.district)


# ---------------------------------------------------------------- training


class Tier(models.TextChoices):
    DISTRICT = "district", _("District")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village / community")


TIER_OF_LEVEL = {1: Tier.DISTRICT, 2: Tier.TOWNSHIP, 3: Tier.VILLAGE}


class Topic(models.TextChoices):
    RURAL_REVITALISATION = "rural", _("Rural revitalisation")
    MEDIATION = "mediation", _("Dispute mediation")
    PARTY_AFFAIRS = "party", _("Party affairs")
    GOVERNANCE = "governance", _("Grassroots governance")
    POLICY = "policy", _("Policy and law")
    SKILLS = "skills", _("Work skills")
    OTHER = "other", _("Other")


class TrainingSession(models.Model):
    """A training session held by a district, a township or a village/community (三级培训)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, editable=False)
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    materials = models.FileField(
        _("materials"), upload_to="teams/training/%Y/", blank=True, max_length=200
    )
    materials_note = models.TextField(_("materials note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        indexes = [models.Index(fields=["held_on", "tier"], name="training_held_tier")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("teams:training-detail", args=[self.pk])


class Attendance(models.Model):
    """One person on a session's sign-in list."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("session__unit").as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.person} · {self.session}"


# ---------------------------------------------------------------- village leaders, reserve cadres


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary / vocational")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class ReserveSource(models.TextChoices):
    GRADUATE = "graduate", _("Returning graduate")
    ENTREPRENEUR = "entrepreneur", _("Local entrepreneur")
    VETERAN = "veteran", _("Veteran")
    MIGRANT = "migrant", _("Returning migrant worker or trader")
    COMMUNITY_WORKER = "worker", _("Community worker")
    VILLAGE_CADRE = "cadre", _("Village cadre")
    OTHER = "other", _("Other")


class VillageLeader(models.Model):
    """头雁: the leader of a village or community Party organisation for a term."""

    class Post(models.TextChoices):
        SECRETARY = "secretary", _("Party secretary")
        SECRETARY_DIRECTOR = "both", _("Party secretary and committee director")

    village = models.ForeignKey(
        Unit,
        verbose_name=_("village / community"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=LEVEL3,
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField(_("post"), max_length=10, choices=Post.choices)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"), null=True, blank=True)
    education = models.CharField(
        _("education"), max_length=15, choices=Education.choices, blank=True
    )
    profile = models.TextField(_("profile"), blank=True)

    objects = ScopedQuerySet.with_scope("village").as_manager()

    class Meta:
        verbose_name = _("village Party leader")
        verbose_name_plural = _("village Party leaders")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="leader_term_order",
            )
        ]

    def __str__(self):
        return f"{self.village} · {self.person}"


class ReserveCadreQuerySet(ScopedQuerySet):
    scope_fields = ("village",)

    def active(self):
        return self.filter(removed_on__isnull=True)


class ReserveCadre(models.Model):
    """后备干部: a person kept in a village's reserve of cadres."""

    village = models.ForeignKey(
        Unit,
        verbose_name=_("village / community"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=LEVEL3,
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    education = models.CharField(_("education"), max_length=15, choices=Education.choices)
    source = models.CharField(_("source"), max_length=15, choices=ReserveSource.choices)
    added_on = models.DateField(_("added on"))
    removed_on = models.DateField(_("left the reserve on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ReserveCadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("reserve cadre")
        verbose_name_plural = _("reserve cadres")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "person"],
                condition=Q(removed_on__isnull=True),
                name="reserve_once_per_village",
            )
        ]
        indexes = [models.Index(fields=["village", "removed_on"], name="reserve_village")]

    def __str__(self):
        return f"{self.village} · {self.person}"


# ---------------------------------------------------------------- community workers


class CommunityWorkerQuerySet(ScopedQuerySet):
    scope_fields = ("community",)

    def active(self):
        return self.filter(is_active=True)


class CommunityWorker(models.Model):
    """社区工作者: a person employed as a community worker of a village or community."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        Unit,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=LEVEL3,
    )
    post = models.CharField(_("post"), max_length=100, blank=True)
    started_on = models.DateField(_("worker since"))
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommunityWorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("community worker")
        verbose_name_plural = _("community workers")

    def __str__(self):
        return self.person.name


class ScoreCriterion(models.Model):
    """One line of the district's monthly scoring sheet."""

    district = models.ForeignKey(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    name = models.CharField(_("criterion"), max_length=100)
    max_points = models.DecimalField(
        _("full marks"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="criterion_unique_name")
        ]

    def __str__(self):
        return self.name


class MonthlyScore(models.Model):
    """每月一评分: a worker's score for one month; `version` refuses concurrent edits."""

    worker = models.ForeignKey(
        CommunityWorker,
        verbose_name=_("community worker"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1)
    version = models.PositiveIntegerField(default=1)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.with_scope("worker__community").as_manager()

    class Meta:
        verbose_name = _("monthly score")
        verbose_name_plural = _("monthly scores")
        constraints = [
            models.UniqueConstraint(fields=["worker", "month"], name="score_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="score_month_first_day"),
        ]

    def __str__(self):
        return f"{self.worker} {self.month:%Y-%m} {self.total}"


class ScoreLine(models.Model):
    score = models.ForeignKey(MonthlyScore, on_delete=models.CASCADE, related_name="lines")
    criterion = models.ForeignKey(ScoreCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="score_line_once")
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.points}"


class QuarterlyAssessment(models.Model):
    """每季一考核: the mean of the quarter's monthly totals; missing months are listed."""

    worker = models.ForeignKey(
        CommunityWorker,
        verbose_name=_("community worker"),
        on_delete=models.CASCADE,
        related_name="quarters",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True)
    months_scored = models.PositiveSmallIntegerField(_("months scored"), default=0)
    missing_months = models.JSONField(_("months without a score"), default=list)
    computed_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.with_scope("worker__community").as_manager()

    class Meta:
        verbose_name = _("quarterly assessment")
        verbose_name_plural = _("quarterly assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year", "quarter"], name="assessment_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="assessment_quarter_1_4"
            ),
        ]

    def __str__(self):
        return f"{self.worker} {self.year}Q{self.quarter}"

    @property
    def is_complete(self) -> bool:
        return not self.missing_months


class Ranking(models.Model):
    """半年一晾晒: the community workers of a township ranked for half a year."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("township"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=LEVEL2,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(
        _("half"), help_text=_("1: January–June, 2: July–December.")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    refreshed_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("half-year ranking")
        verbose_name_plural = _("half-year rankings")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "half"], name="ranking_once"),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="ranking_half_1_2"),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}H{self.half}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class RankingEntry(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    worker = models.ForeignKey(CommunityWorker, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    months_scored = models.PositiveSmallIntegerField(_("months scored"))

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "worker"], name="ranking_entry_once")
        ]

    def __str__(self):
        return f"{self.rank}. {self.worker_id} {self.score}"


class SecondmentQuerySet(ScopedQuerySet):
    scope_fields = ("worker__community",)

    def unapproved(self):
        return self.filter(approved_on__isnull=True)

    def overdue(self, today):
        """Still away after the planned end."""
        return self.filter(returned_on__isnull=True, planned_end_on__lt=today)

    def overlong(self, today):
        """Longer than the district allows: planned, actual, or still away past the limit."""
        return self.filter(
            Q(planned_end_on__gt=models.F("limit_on"))
            | Q(returned_on__gt=models.F("limit_on"))
            | Q(returned_on__isnull=True, limit_on__lt=today)
        )

    def flagged(self, today):
        return self.filter(
            Q(approved_on__isnull=True)
            | Q(returned_on__isnull=True, planned_end_on__lt=today)
            | Q(planned_end_on__gt=models.F("limit_on"))
            | Q(returned_on__gt=models.F("limit_on"))
            | Q(returned_on__isnull=True, limit_on__lt=today)
        )


class Secondment(models.Model):
    """借调: a community worker lent to another office."""

    worker = models.ForeignKey(
        CommunityWorker,
        verbose_name=_("community worker"),
        on_delete=models.PROTECT,
        related_name="secondments",
    )
    to_office = models.CharField(_("seconded to"), max_length=200)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    started_on = models.DateField(_("from"))
    planned_end_on = models.DateField(_("until (planned)"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    approval_document = models.CharField(
        _("approval document"),
        max_length=100,
        blank=True,
        help_text=_("Number of the approval, e.g. 莱组字〔2026〕12号."),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # The last day the district's longest secondment allows; kept by the services (and reset
    # when the district changes its rule) so that "overlong" is a plain indexed comparison.
    limit_on = models.DateField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SecondmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_on__gte=models.F("started_on")),
                name="secondment_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("started_on")),
                name="secondment_return_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.worker} → {self.to_office}"

    def flags(self, today) -> list[str]:
        """The reasons this secondment is flagged (same rules as the queryset's)."""
        found = []
        if self.approved_on is None:
            found.append("unapproved")
        if self.returned_on is None and self.planned_end_on < today:
            found.append("overdue")
        if (
            self.planned_end_on > self.limit_on
            or (self.returned_on is not None and self.returned_on > self.limit_on)
            or (self.returned_on is None and self.limit_on < today)
        ):
            found.append("overlong")
        return found


# ---------------------------------------------------------------- staffing quotas


class QuotaKind(models.TextChoices):
    ADMINISTRATIVE = "admin", _("Administrative posts")
    PUBLIC_INSTITUTION = "public", _("Public-institution posts")


class StaffingQuota(models.Model):
    """编制: the posts of one kind allocated to a township, and how many are filled."""

    township = models.ForeignKey(
        Unit,
        verbose_name=_("township"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=LEVEL2,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=QuotaKind.choices)
    allocated = models.PositiveIntegerField(_("allocated"), default=0)
    filled = models.PositiveIntegerField(_("filled"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.with_scope("township").as_manager()

    class Meta:
        verbose_name = _("staffing quota")
        verbose_name_plural = _("staffing quotas")
        constraints = [
            models.UniqueConstraint(fields=["township", "kind"], name="quota_once"),
            models.CheckConstraint(
                condition=Q(filled__lte=models.F("allocated")), name="quota_filled_le_allocated"
            ),
        ]

    def __str__(self):
        return f"{self.township} · {self.get_kind_display()}"

    @property
    def vacant(self) -> int:
        return self.allocated - self.filled


class QuotaAddition(models.Model):
    quota = models.ForeignKey(StaffingQuota, on_delete=models.CASCADE, related_name="additions")
    posts = models.PositiveIntegerField(_("posts added"), validators=[MinValueValidator(1)])
    approved_on = models.DateField(_("approved on"))
    document = models.CharField(_("document"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.with_scope("quota__township").as_manager()

    class Meta:
        verbose_name = _("posts added")
        verbose_name_plural = _("posts added")
        ordering = ["-approved_on", "-pk"]

    def __str__(self):
        return f"+{self.posts} {self.approved_on:%Y-%m-%d}"


# ---------------------------------------------------------------- brands, model communities


class BrandTheme(models.TextChoices):
    CHILDCARE = "childcare", "幼有善育"
    EDUCATION = "education", "学有优教"
    HEALTH = "health", "病有良医"
    ELDERLY = "elderly", "老有颐养"
    VULNERABLE = "vulnerable", "弱有众扶"
    OTHER = "other", _("Other")


class PartyBrand(models.Model):
    """A community's Party-building brand."""

    community = models.ForeignKey(
        Unit,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=LEVEL3,
    )
    name = models.CharField(_("brand name"), max_length=100)
    theme = models.CharField(_("theme"), max_length=15, choices=BrandTheme.choices)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("community").as_manager()

    class Meta:
        verbose_name = _("Party-building brand")
        verbose_name_plural = _("Party-building brands")
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="brand_unique_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("teams:brand-detail", args=[self.pk])


class BrandPhoto(models.Model):
    brand = models.ForeignKey(PartyBrand, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="teams/brands/%Y/")
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("brand__community").as_manager()

    class Meta:
        verbose_name = _("brand photo")
        verbose_name_plural = _("brand photos")

    def __str__(self):
        return self.caption or str(self.image)


class ModelCommunity(models.Model):
    """样板社区: a community selected as a model for a year."""

    community = models.ForeignKey(
        Unit,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=LEVEL3,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    citation = models.CharField(_("citation"), max_length=200, blank=True)

    objects = ScopedQuerySet.with_scope("community").as_manager()

    class Meta:
        verbose_name = _("model community")
        verbose_name_plural = _("model communities")
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="model_community_once")
        ]

    def __str__(self):
        return f"{self.year} {self.community}"


# ---------------------------------------------------------------- talent


class Talent(models.Model):
    """人才: a person on the talent registry of a unit."""

    class Category(models.TextChoices):
        HIGH_LEVEL = "high", _("High-level talent")
        LOCAL = "local", _("Local expert")
        GRADUATE = "graduate", _("College graduate")
        RETURNEE = "returnee", _("Returning entrepreneur")
        SKILLED = "skilled", _("Skilled worker")

    unit = models.ForeignKey(
        Unit, verbose_name=_("registered at"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    specialty = models.CharField(_("specialty"), max_length=100, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    registered_on = models.DateField(_("registered on"))

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talent registry")
        constraints = [
            models.UniqueConstraint(fields=["unit", "person"], name="talent_once_per_unit")
        ]

    def __str__(self):
        return self.person.name


class TalentRequest(models.Model):
    """A request at the talent service window, e.g. an interest-free home-purchase loan."""

    class Kind(models.TextChoices):
        HOME_LOAN = "home_loan", "无息购房借款"
        HOUSING = "housing", _("Talent apartment")
        SCHOOLING = "schooling", _("Children's schooling")
        SPOUSE_JOB = "spouse_job", _("Job for a spouse")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REVIEWING = "reviewing", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DONE = "done", _("Paid out / done")

    TRANSITIONS = {
        Status.SUBMITTED: (Status.REVIEWING, Status.REJECTED),
        Status.REVIEWING: (Status.APPROVED, Status.REJECTED),
        Status.APPROVED: (Status.DONE,),
        Status.REJECTED: (),
        Status.DONE: (),
    }

    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.PROTECT, related_name="requests"
    )
    kind = models.CharField(_("request"), max_length=15, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_on = models.DateField(_("submitted on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedQuerySet.with_scope("talent__unit").as_manager()

    class Meta:
        verbose_name = _("talent service request")
        verbose_name_plural = _("talent service requests")

    def __str__(self):
        return f"{self.talent} · {self.get_kind_display()}"


class Salon(models.Model):
    """A salon or seminar with talent and entrepreneurs ('夜话经济', 人才沙龙)."""

    class Kind(models.TextChoices):
        NIGHT_TALK = "night_talk", "夜话经济"
        SALON = "salon", "人才沙龙"
        SEMINAR = "seminar", _("Seminar")

    unit = models.ForeignKey(
        Unit, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    summary = models.TextField(_("summary"), blank=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("salon or seminar")
        verbose_name_plural = _("salons and seminars")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("teams:salon-detail", args=[self.pk])


class ProjectIdea(models.Model):
    """惊喜点: a project idea a salon produced, followed up until it lands or is dropped."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        FOLLOWING = "following", _("Being followed up")
        LANDED = "landed", _("Landed")
        DROPPED = "dropped", _("Dropped")

    TRANSITIONS = {
        Status.NEW: (Status.FOLLOWING, Status.DROPPED),
        Status.FOLLOWING: (Status.FOLLOWING, Status.LANDED, Status.DROPPED),
        Status.LANDED: (),
        Status.DROPPED: (),
    }

    salon = models.ForeignKey(
        Salon, verbose_name=_("salon"), on_delete=models.CASCADE, related_name="ideas"
    )
    title = models.CharField(_("project idea"), max_length=200)
    proposer = models.CharField(_("proposed by"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.with_scope("salon__unit").as_manager()

    class Meta:
        verbose_name = _("project idea")
        verbose_name_plural = _("project ideas")

    def __str__(self):
        return self.title


class IdeaFollowUp(models.Model):
    idea = models.ForeignKey(ProjectIdea, on_delete=models.CASCADE, related_name="follow_ups")
    status = models.CharField(_("status"), max_length=10, choices=ProjectIdea.Status.choices)
    note = models.CharField(_("follow-up"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.note


# ---------------------------------------------------------------- employment


class GigWorker(models.Model):
    """A person registered at the gig-work market (零工市场)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("registered at"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    registered_on = models.DateField(_("registered on"))
    is_available = models.BooleanField(_("looking for work"), default=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("gig worker")
        verbose_name_plural = _("gig workers")
        constraints = [models.UniqueConstraint(fields=["unit", "person"], name="gig_worker_once")]
        indexes = [models.Index(fields=["registered_on"], name="gig_registered")]

    def __str__(self):
        return self.person.name


class JobPosting(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("posted at"), on_delete=models.PROTECT, related_name="+"
    )
    employer = models.CharField(_("employer"), max_length=100)
    title = models.CharField(_("job"), max_length=100)
    positions = models.PositiveIntegerField(_("positions"), validators=[MinValueValidator(1)])
    wage = models.CharField(_("wage"), max_length=50, blank=True)
    posted_on = models.DateField(_("posted on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)

    objects = ScopedQuerySet.with_scope("unit").as_manager()

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")

    def __str__(self):
        return f"{self.employer} · {self.title}"

    def get_absolute_url(self):
        return reverse("teams:posting-detail", args=[self.pk])


class Placement(models.Model):
    """A gig worker matched to a posting; placed when they took the job."""

    class Status(models.TextChoices):
        MATCHED = "matched", _("Matched")
        PLACED = "placed", _("Placed")
        FAILED = "failed", _("Not placed")

    TRANSITIONS = {
        Status.MATCHED: (Status.PLACED, Status.FAILED),
        Status.PLACED: (),
        Status.FAILED: (),
    }

    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="placements")
    worker = models.ForeignKey(
        GigWorker, verbose_name=_("gig worker"), on_delete=models.PROTECT, related_name="placements"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MATCHED
    )
    matched_on = models.DateField(_("matched on"))
    placed_on = models.DateField(_("placed on"), null=True, blank=True)

    objects = ScopedQuerySet.with_scope("posting__unit").as_manager()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [models.UniqueConstraint(fields=["posting", "worker"], name="placement_once")]
        indexes = [models.Index(fields=["matched_on"], name="placement_matched")]

    def __str__(self):
        return f"{self.posting_id} · {self.worker_id} · {self.status}"
