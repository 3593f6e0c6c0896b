"""Forms of the economy pages. Amounts are typed in 万元 (as staff keep them) and stored exactly
in yuan; a form never writes, the views call the services."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from economy import services
from economy.models import (
    HUNDRED,
    VILLAGE_KINDS,
    ZERO,
    Attachment,
    DevelopmentModel,
    Enterprise,
    FundingKind,
    MeasureStatus,
    ProjectStatus,
)
from governance.models import Unit
from governance.uploads import validate_document, validate_image
from governance.widgets import DateInput

YEAR_CHOICES_BACK = 8


class WanField(forms.CharField):
    """An amount typed in 万元, cleaned to exact Decimal yuan."""

    def __init__(self, *args, unit=services.WAN, **kwargs):
        self.unit = unit
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        # Plain digits: str() of a normalized Decimal is "2.1E+2", which clean() refuses.
        if isinstance(value, Decimal):
            return format(services.to_wan(value) if self.unit == services.WAN else value, "f")
        return value

    def clean(self, value):
        value = super().clean(value)
        return services.to_money(value, unit=self.unit)


def year_field(label=None, initial=None):
    return forms.IntegerField(
        label=label or _("Year"),
        min_value=2000,
        max_value=2100,
        initial=initial or timezone.localdate().year,
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return (
            f"{unit.parent.name} / {unit.name}" if unit.parent_id and unit.depth > 2 else unit.name
        )


class UnitMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.parent.name} / {unit.name}" if unit.parent_id else unit.name


def villages_for(user):
    return (
        Unit.objects.for_user(user)
        .filter(kind__in=VILLAGE_KINDS, is_active=True)
        .select_related("parent")
        .order_by("path")
    )


class IncomeForm(forms.Form):
    year = year_field()
    operating_income = WanField(label=_("Operating income (10,000 yuan)"), required=True)
    resource_income = WanField(label=_("Resource contracting (10,000 yuan)"))
    asset_income = WanField(label=_("Asset leasing (10,000 yuan)"))
    service_income = WanField(label=_("Services (10,000 yuan)"))
    investment_income = WanField(label=_("Investment returns (10,000 yuan)"))
    other_income = WanField(label=_("Other operating income (10,000 yuan)"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if "operating_income" in data:
            try:
                services.clean_income(data)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return data


class BandForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    lower = WanField(label=_("From (10,000 yuan, inclusive)"), required=True)
    upper = WanField(label=_("Below (10,000 yuan, exclusive)"))

    def clean_upper(self):
        raw = self.data.get(self.add_prefix("upper"), "")
        return None if not str(raw).strip() else self.cleaned_data["upper"]


class DevelopmentModelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    description = forms.CharField(
        label=_("What the model is"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0, required=False)


class VillageModelForm(forms.Form):
    model = forms.ModelChoiceField(
        label=_("Development model"), queryset=DevelopmentModel.objects.none()
    )
    since_year = forms.IntegerField(
        label=_("Followed since"), min_value=1950, max_value=2100, required=False
    )

    def __init__(self, *args, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = DevelopmentModel.objects.filter(district=district)


class MeasureForm(forms.Form):
    village = UnitChoiceField(label=_("Village"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Measure"), max_length=200)
    owner_name = forms.CharField(label=_("Owner"), max_length=50)
    target_amount = WanField(label=_("Target amount (10,000 yuan)"))
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=MeasureStatus.choices, initial=MeasureStatus.PLANNED
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_for(user)


class ProjectForm(forms.Form):
    owner_unit = UnitChoiceField(label=_("Owning unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    year = year_field()
    model = forms.ModelChoiceField(
        label=_("Development model"), queryset=DevelopmentModel.objects.none(), required=False
    )
    villages = UnitMultipleField(
        label=_("Villages"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    budget = WanField(label=_("Budget (10,000 yuan)"))
    description = forms.CharField(
        label=_("Project description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user=None, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = Unit.objects.filter(
            pk__in=[u.pk for u in owners]
        ).select_related("parent")
        districts = {u.path[: Unit.steplen] for u in owners}
        self.fields["model"].queryset = DevelopmentModel.objects.filter(
            district__path__in=districts
        )
        self.fields["villages"].queryset = (
            Unit.objects.filter(kind__in=VILLAGE_KINDS, is_active=True)
            .filter(path__regex=r"^(" + "|".join(districts or {"-"}) + ")")
            .select_related("parent")
            .order_by("path")
        )


class FundingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Source"), choices=FundingKind.choices)
    amount = WanField(label=_("Amount (10,000 yuan)"), help_text=_("0 removes the source."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Milestone"), max_length=200)
    weight = forms.DecimalField(
        label=_("Weight"), min_value=Decimal("0.01"), max_digits=7, decimal_places=2, initial=1
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput(), required=False)
    parent = forms.TypedChoiceField(
        label=_("Part of"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("— top level —"))] + [
            (m.pk, m.name) for m in milestones
        ]


class ProgressForm(forms.Form):
    progress = forms.DecimalField(
        label=_("Progress (%)"), min_value=ZERO, max_value=HUNDRED, max_digits=5, decimal_places=2
    )


class ProjectStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), validators=[validate_document])

    def clean(self):
        data = super().clean()
        if data.get("kind") == Attachment.Kind.PHOTO and data.get("file"):
            try:
                validate_image(data["file"])
            except ValidationError as error:
                self.add_error("file", error)
        return data


class EnterpriseForm(forms.Form):
    unit = UnitChoiceField(label=_("Registered with"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, required=False
    )
    industry = forms.CharField(label=_("Industry"), max_length=60, required=False)
    contact = forms.CharField(label=_("Contact person"), max_length=50, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=[u.pk for u in owners]
        ).select_related("parent")


class PairingForm(forms.Form):
    village = UnitChoiceField(label=_("Village"), queryset=Unit.objects.none())
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    since = forms.DateField(label=_("Paired since"), widget=DateInput())
    agreement = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        villages = villages_for(user)
        self.fields["village"].queryset = villages
        districts = {p[: Unit.steplen] for p in villages.values_list("path", flat=True)[:1]}
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            unit__path__regex=r"^(" + "|".join(districts or {"-"}) + ")"
        ).order_by("name")


class PairingResultForm(forms.Form):
    year = year_field()
    investment = WanField(label=_("Enterprise input (10,000 yuan)"))
    income_increase = WanField(label=_("Village income raised (10,000 yuan)"))
    jobs = forms.IntegerField(label=_("Jobs created"), min_value=0, initial=0, required=False)
    description = forms.CharField(
        label=_("Results"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PairingEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput())


class CompanyForm(forms.Form):
    township = UnitChoiceField(label=_("Township"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    registered_capital = WanField(label=_("Registered capital (10,000 yuan)"))
    founded_on = forms.DateField(label=_("Founded on"), widget=DateInput(), required=False)
    business = forms.CharField(
        label=_("Business"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Unit.objects.filter(pk__in=[u.pk for u in townships])


class ShareForm(forms.Form):
    village = UnitChoiceField(label=_("Village"), queryset=Unit.objects.none())
    capital = WanField(label=_("Capital subscribed (10,000 yuan)"))
    share = forms.DecimalField(
        label=_("Share (%)"), min_value=ZERO, max_value=HUNDRED, max_digits=5, decimal_places=2
    )

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = (
            Unit.objects.filter(
                kind__in=VILLAGE_KINDS, path__startswith=company.township.path[: Unit.steplen]
            )
            .select_related("parent")
            .order_by("path")
        )


class CompanyYearForm(forms.Form):
    year = year_field()
    revenue = WanField(label=_("Revenue (10,000 yuan)"))
    profit = WanField(label=_("Profit (10,000 yuan)"))

    def __init__(self, *args, holders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.holders = list(holders)
        for village in self.holders:
            self.fields[f"dividend_{village.pk}"] = WanField(
                label=_("Dividend to %(village)s (10,000 yuan)") % {"village": village.name}
            )

    def dividends(self) -> dict[int, Decimal]:
        return {
            v.pk: self.cleaned_data[f"dividend_{v.pk}"]
            for v in self.holders
            if self.cleaned_data.get(f"dividend_{v.pk}")
        }
