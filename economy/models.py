"""The village collective economy (村级集体经济): incomes and bands, development models, income
measures, funded projects with milestones, village–enterprise pairing, common-prosperity
companies.

Villages are governance Units of kind village or community. Money is a Decimal in yuan with two
decimal places (never a float); pages show it in 万元 where staff expect it (economy_tags.wan).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.querysets import ScopedQuerySet

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
VILLAGE_KINDS = (Unit.Kind.VILLAGE, Unit.Kind.COMMUNITY)


def money(verbose_name, **kwargs):
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        **kwargs,
    )


def village_fk(related_name: str, verbose_name=None):
    return models.ForeignKey(
        Unit,
        verbose_name=verbose_name or _("village"),
        on_delete=models.PROTECT,
        related_name=related_name,
        limit_choices_to={"kind__in": VILLAGE_KINDS},
    )


class IncomeBand(models.Model):
    """A band of yearly operating income a district defines: lower bound inclusive, upper
    bound exclusive (none: no upper bound)."""

    district = models.ForeignKey(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="income_bands",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    name = models.CharField(_("name"), max_length=50)
    lower = money(_("from (yuan, inclusive)"))
    upper = models.DecimalField(
        _("below (yuan, exclusive)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for the top band."),
    )

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("income band")
        verbose_name_plural = _("income bands")
        ordering = ["district", "lower"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="band_unique_name"),
            models.UniqueConstraint(fields=["district", "lower"], name="band_unique_lower"),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gt=models.F("lower")),
                name="band_upper_above_lower",
            ),
        ]

    def __str__(self):
        return self.name

    def contains(self, amount: Decimal) -> bool:
        return amount >= self.lower and (self.upper is None or amount < self.upper)


class VillageIncome(models.Model):
    """A village's collective operating income (经营性收入) in one year, with its sources."""

    SOURCE_FIELDS = (
        "resource_income",
        "asset_income",
        "service_income",
        "investment_income",
        "other_income",
    )

    village = village_fk("collective_incomes")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    operating_income = money(_("operating income (yuan)"))
    resource_income = money(_("resource contracting (yuan)"))
    asset_income = money(_("asset leasing (yuan)"))
    service_income = money(_("services (yuan)"))
    investment_income = money(_("investment returns (yuan)"))
    other_income = money(_("other operating income (yuan)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.with_scope("village").as_manager()

    class Meta:
        verbose_name = _("village collective income")
        verbose_name_plural = _("village collective incomes")
        ordering = ["village", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="income_once_per_year")
        ]
        indexes = [models.Index(fields=["year", "village"], name="income_year_village")]

    def __str__(self):
        return f"{self.village} {self.year}"

    @property
    def sources_total(self) -> Decimal:
        return sum((getattr(self, f) for f in self.SOURCE_FIELDS), ZERO)


class DevelopmentModel(models.Model):
    """发展模式: a way a village earns collective income (resource development, asset leasing…)."""

    district = models.ForeignKey(
        Unit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="development_models",
        limit_choices_to={"kind": Unit.Kind.DISTRICT},
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("development model")
        verbose_name_plural = _("development models")
        ordering = ["district", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="devmodel_unique_name")
        ]

    def __str__(self):
        return self.name


class VillageModel(models.Model):
    """A village follows a development model (a village may follow several)."""

    village = village_fk("followed_models")
    model = models.ForeignKey(
        DevelopmentModel,
        verbose_name=_("development model"),
        on_delete=models.PROTECT,
        related_name="villages",
    )
    since_year = models.PositiveSmallIntegerField(_("since"), null=True, blank=True)

    objects = ScopedQuerySet.with_scope("village").as_manager()

    class Meta:
        verbose_name = _("village development model")
        verbose_name_plural = _("village development models")
        constraints = [
            models.UniqueConstraint(fields=["village", "model"], name="village_model_once")
        ]

    def __str__(self):
        return f"{self.village} · {self.model}"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_MEASURE = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)


class MeasureQuerySet(ScopedQuerySet):
    scope_fields = ("village",)

    def open(self):
        return self.filter(status__in=OPEN_MEASURE)

    def late(self, today):
        """Past the deadline without being done (shown red)."""
        return self.open().filter(deadline__lt=today)


class IncomeMeasure(models.Model):
    """增收措施: what a village does to raise its collective income, by when, who owns it."""

    village = village_fk("income_measures")
    title = models.CharField(_("measure"), max_length=200)
    owner_name = models.CharField(_("owner"), max_length=50)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="income_measures",
    )
    target_amount = money(_("target amount (yuan)"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("income measure")
        verbose_name_plural = _("income measures")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="measure_status_deadline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | ~Q(status="done"),
                name="measure_done_has_date",
            )
        ]

    def __str__(self):
        return self.title

    def is_late(self, today) -> bool:
        return self.status in OPEN_MEASURE and self.deadline < today


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Under way")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class ProjectQuerySet(ScopedQuerySet):
    """A project is seen by the subtree of the unit that owns it and by that of any village it
    involves: a township sees the district's projects in its villages."""

    scope_fields = ("owner_unit",)

    @classmethod
    def scope_q(cls, paths):
        units = Unit.objects.filter(
            Q(*[Q(path__startswith=p) for p in paths], _connector=Q.OR)
        ).values("pk")
        involved = ProjectVillage.objects.filter(village__in=units).values("project_id")
        return super().scope_q(paths) | Q(pk__in=involved)

    def within(self, unit):
        return self.filter(self.scope_q([unit.path]))


class Project(models.Model):
    """A collective-economy project (often funded from above: 上级财政资金)."""

    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="economy_projects",
        help_text=_("Usually the township; the district for a district-level project."),
    )
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    model = models.ForeignKey(
        DevelopmentModel,
        verbose_name=_("development model"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    villages = models.ManyToManyField(
        Unit, through="ProjectVillage", related_name="economy_projects_involved", blank=True
    )
    budget = money(_("budget (yuan)"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    #: Rolled up from the milestones by services._recompute_project (weighted, exact).
    progress = models.DecimalField(_("progress (%)"), max_digits=5, decimal_places=2, default=ZERO)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "name", "pk"]
        indexes = [models.Index(fields=["year", "status"], name="project_year_status")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("economy:project-detail", args=[self.pk])


class ProjectVillage(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="project_villages")
    village = village_fk("project_links")

    class Meta:
        verbose_name = _("village of a project")
        verbose_name_plural = _("villages of projects")
        constraints = [
            models.UniqueConstraint(fields=["project", "village"], name="project_village_once")
        ]

    def __str__(self):
        return f"{self.project_id}:{self.village_id}"


class FundingKind(models.TextChoices):
    HIGHER_LEVEL = "higher_level", _("Higher-level fiscal funds")
    VILLAGE = "village", _("Village collective funds")
    ENTERPRISE = "enterprise", _("Enterprise investment")
    LOAN = "loan", _("Bank loans")
    SOCIAL = "social", _("Social capital")
    OTHER = "other", _("Other")


class FundingSource(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="funding"
    )
    kind = models.CharField(_("source"), max_length=20, choices=FundingKind.choices)
    amount = money(_("amount (yuan)"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["project", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="funding_once_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class Milestone(models.Model):
    """A step of a project. Milestones form a tree: a leaf's progress is recorded (0–100), a
    parent's is the weighted mean of its children's, the project's that of the top level."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("weight"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    progress = models.DecimalField(_("progress (%)"), max_digits=5, decimal_places=2, default=ZERO)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "order", "pk"]
        indexes = [models.Index(fields=["due_on"], name="milestone_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="milestone_progress_range"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="milestone_weight_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_done(self) -> bool:
        return self.progress >= HUNDRED

    def is_late(self, today) -> bool:
        return not self.is_done and self.due_on is not None and self.due_on < today


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="economy/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo or document")
        verbose_name_plural = _("photos and documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title


class EnterpriseQuerySet(ScopedQuerySet):
    """An enterprise is seen where it is registered and by the units of villages it pairs with."""

    scope_fields = ("unit",)

    @classmethod
    def scope_q(cls, paths):
        units = Unit.objects.filter(
            Q(*[Q(path__startswith=p) for p in paths], _connector=Q.OR)
        ).values("pk")
        paired = Pairing.objects.filter(village__in=units).values("enterprise_id")
        return super().scope_q(paths) | Q(pk__in=paired)

    def within(self, unit):
        return self.filter(self.scope_q([unit.path]))


class Enterprise(models.Model):
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("registered with"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("The district or township that keeps this enterprise on its books."),
    )
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    industry = models.CharField(_("industry"), max_length=60, blank=True)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="enterprise_once")]

    def __str__(self):
        return self.name


class PairingQuerySet(ScopedQuerySet):
    scope_fields = ("village",)

    def active_in(self, year: int):
        from datetime import date

        return self.filter(since__lte=date(year, 12, 31)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=date(year, 1, 1))
        )


class Pairing(models.Model):
    """村企结对共建: an enterprise pairs with a village, since a date, on agreed terms."""

    village = village_fk("pairings")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="pairings"
    )
    since = models.DateField(_("since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    agreement = models.TextField(_("what was agreed"), blank=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("village–enterprise pairing")
        verbose_name_plural = _("village–enterprise pairings")
        ordering = ["village", "enterprise", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "enterprise"],
                condition=Q(ended_on__isnull=True),
                name="pairing_one_open",
            )
        ]

    def __str__(self):
        return f"{self.enterprise} ↔ {self.village}"


class PairingResult(models.Model):
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="results"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    investment = money(_("enterprise input (yuan)"))
    income_increase = money(_("village income raised (yuan)"))
    jobs = models.PositiveIntegerField(_("jobs created"), default=0)
    description = models.TextField(_("results"), blank=True)

    class Meta:
        verbose_name = _("pairing result")
        verbose_name_plural = _("pairing results")
        ordering = ["pairing", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "year"], name="pairing_result_once")
        ]

    def __str__(self):
        return f"{self.pairing} {self.year}"


class CompanyQuerySet(ScopedQuerySet):
    scope_fields = ("township",)


class ProsperityCompany(models.Model):
    """共富公司: a pilot company a township sets up, with villages holding its shares."""

    township = models.ForeignKey(
        Unit,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="prosperity_companies",
        limit_choices_to={"kind__in": Unit.KINDS_BY_LEVEL[2]},
    )
    name = models.CharField(_("name"), max_length=200)
    registered_capital = money(_("registered capital (yuan)"))
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    business = models.TextField(_("business"), blank=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("common-prosperity company")
        verbose_name_plural = _("common-prosperity companies")
        ordering = ["township", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="company_once")]

    def __str__(self):
        return self.name


class Shareholding(models.Model):
    company = models.ForeignKey(
        ProsperityCompany,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="shareholdings",
    )
    village = village_fk("company_shares")
    capital = money(_("capital subscribed (yuan)"))
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
    )

    class Meta:
        verbose_name = _("shareholding")
        verbose_name_plural = _("shareholdings")
        ordering = ["company", "-share", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "village"], name="shareholding_once")
        ]

    def __str__(self):
        return f"{self.village_id} {self.share}%"


class CompanyYear(models.Model):
    company = models.ForeignKey(
        ProsperityCompany,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="years",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    revenue = money(_("revenue (yuan)"))
    profit = models.DecimalField(_("profit (yuan)"), max_digits=14, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = _("company year")
        verbose_name_plural = _("company years")
        ordering = ["company", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["company", "year"], name="company_year_once")
        ]

    def __str__(self):
        return str(self.year)


class Dividend(models.Model):
    company = models.ForeignKey(
        ProsperityCompany,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="dividends",
    )
    village = village_fk("dividends")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = money(_("dividend (yuan)"))

    class Meta:
        verbose_name = _("dividend")
        verbose_name_plural = _("dividends")
        ordering = ["company", "-year", "village"]
        constraints = [
            models.UniqueConstraint(fields=["company", "village", "year"], name="dividend_once")
        ]

    def __str__(self):
        return f"{self.year} {self.amount}"
