"""'Red property' (红色物业): property service companies rated by the communities they serve.

- PropertyCompany: a property service company of a district (name, unified social credit code,
  contact).
- Estate: a residential estate (小区) in a community. PropertyContract says which company serves
  it from when until when; one current contract per estate, ended contracts are kept.
- EvaluationCriterion: the district's criteria with weights; the active criteria's weights add
  up to 100 (checked by the service that saves the set).
- PropertyEvaluation: a community rates a company it was served by in a quarter ("2026-Q3"), one
  score out of 100 per active criterion (PropertyEvaluationScore keeps the criterion's name and
  weight as they were). score = Σ weight × criterion score / 100.
- PropertyComplaint: a complaint about a company entered into one of the community's ledgers
  (a LedgerItem with source PROPERTY); this row links the item to the company and estate.

Scope: estates, contracts, evaluations and complaints belong to their community; a company is
visible to its district and to every community where it serves or served an estate.
"""

from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.masking import mask_phone
from governance.models import LedgerItem, Unit
from governance.querysets import ScopedQuerySet


class CompanyQuerySet(ScopedQuerySet):
    #: The district that keeps the row (its admin manages it); scope_q adds the communities
    #: it serves or served.
    scope_fields = ("district",)

    @classmethod
    def scope_q(cls, paths):
        in_subtrees = Q()
        for path in paths:
            in_subtrees |= Q(path__startswith=path)
        units = Unit.objects.filter(in_subtrees).values("pk")
        contracts = apps.get_model("outreach", "PropertyContract").objects.filter(
            estate__community__in=units
        )
        return Q(district__in=units) | Q(pk__in=contracts.values("company_id"))


class PropertyCompany(models.Model):
    district = models.ForeignKey(
        Unit, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("property company")
        verbose_name_plural = _("property companies")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="property_company_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outreach:property-company-detail", args=[self.pk])

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)


class Estate(models.Model):
    community = models.ForeignKey(
        Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    households = models.PositiveIntegerField(_("households"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.with_scope("community").as_manager()

    class Meta:
        verbose_name = _("residential estate")
        verbose_name_plural = _("residential estates")
        ordering = ["community__path", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="estate_name")]

    def __str__(self):
        return self.name


class ContractQuerySet(ScopedQuerySet):
    scope_fields = ("estate__community",)

    def current(self):
        return self.filter(ended_on__isnull=True)

    def overlapping(self, start, end):
        return self.filter(Q(started_on__lt=end), Q(ended_on__isnull=True) | Q(ended_on__gt=start))


class PropertyContract(models.Model):
    company = models.ForeignKey(
        PropertyCompany,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    estate = models.ForeignKey(
        Estate, verbose_name=_("estate"), on_delete=models.PROTECT, related_name="contracts"
    )
    started_on = models.DateField(_("from"))
    #: The first day the company no longer serves the estate (excluded); empty while current.
    ended_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("property service contract")
        verbose_name_plural = _("property service contracts")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["estate"], condition=Q(ended_on__isnull=True), name="estate_one_contract"
            )
        ]

    def __str__(self):
        return f"{self.company} · {self.estate}"


class EvaluationCriterion(models.Model):
    district = models.ForeignKey(
        Unit, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("criterion"), max_length=100)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.with_scope("district").as_manager()

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["district", "order", "pk"]

    def __str__(self):
        return f"{self.name} ({self.weight})"


class PropertyEvaluation(models.Model):
    community = models.ForeignKey(
        Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    company = models.ForeignKey(
        PropertyCompany,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    period = models.CharField(_("period"), max_length=7)
    score = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)

    objects = ScopedQuerySet.with_scope("community").as_manager()

    class Meta:
        verbose_name = _("property company evaluation")
        verbose_name_plural = _("property company evaluations")
        ordering = ["-period", "company__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "community", "period"], name="property_evaluation_once"
            )
        ]
        indexes = [models.Index(fields=["period", "company"], name="property_eval_period")]

    def __str__(self):
        return f"{self.company} · {self.community} · {self.period}"

    def get_absolute_url(self):
        return reverse("outreach:property-evaluation-detail", args=[self.pk])


class PropertyEvaluationScore(models.Model):
    evaluation = models.ForeignKey(
        PropertyEvaluation, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        EvaluationCriterion, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("criterion"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"))
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name}: {self.score}"


class PropertyComplaint(models.Model):
    item = models.OneToOneField(
        LedgerItem,
        verbose_name=_("ledger item"),
        on_delete=models.CASCADE,
        related_name="property_complaint",
    )
    company = models.ForeignKey(
        PropertyCompany,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    estate = models.ForeignKey(
        Estate,
        verbose_name=_("estate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )

    objects = ScopedQuerySet.with_scope("item__unit").as_manager()

    class Meta:
        verbose_name = _("property complaint")
        verbose_name_plural = _("property complaints")
        ordering = ["-item__received_at", "-pk"]

    def __str__(self):
        return str(self.item)
