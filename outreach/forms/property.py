"""Forms of the red-property pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Ledger, Unit
from governance.widgets import DateInput
from outreach import evaluation_periods as periods
from outreach.forms.dual import CommunityField
from outreach.models import Estate, PropertyCompany

CRITERIA_ROWS = 10


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30, required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)


class EstateForm(forms.Form):
    community = CommunityField(label=_("Community"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Estate"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    households = forms.IntegerField(label=_("Households"), min_value=0, initial=0)
    company = forms.ModelChoiceField(
        label=_("Served by"), queryset=PropertyCompany.objects.none(), required=False
    )
    started_on = forms.DateField(label=_("Served since"), widget=DateInput(), required=False)

    def __init__(self, *args, communities, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities.select_related("parent")
        self.fields["company"].queryset = companies

    def clean(self):
        data = super().clean()
        if data.get("company") and not data.get("started_on"):
            self.add_error("started_on", _("Say since when the company serves the estate."))
        return data


class ContractForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=PropertyCompany.objects.none())
    started_on = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class CriteriaForm(forms.Form):
    """Up to CRITERIA_ROWS rows of (name, weight); empty rows are ignored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(CRITERIA_ROWS):
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Criterion %(n)d") % {"n": i + 1}, max_length=100, required=False
            )
            self.fields[f"weight_{i}"] = forms.IntegerField(
                label=_("Weight"), min_value=1, max_value=100, required=False
            )

    def rows(self) -> list[tuple[str, int]]:
        result = []
        for i in range(CRITERIA_ROWS):
            name = (self.cleaned_data.get(f"name_{i}") or "").strip()
            weight = self.cleaned_data.get(f"weight_{i}")
            if name or weight:
                result.append((name, weight))
        return result

    def pairs(self):
        return [(self[f"name_{i}"], self[f"weight_{i}"]) for i in range(CRITERIA_ROWS)]

    def clean(self):
        data = super().clean()
        for i in range(CRITERIA_ROWS):
            name = (data.get(f"name_{i}") or "").strip()
            weight = data.get(f"weight_{i}")
            if name and weight is None and f"weight_{i}" not in self.errors:
                self.add_error(f"weight_{i}", _("Give the weight."))
            if weight is not None and not name:
                self.add_error(f"name_{i}", _("Give the criterion's name."))
        return data


class EvaluationForm(forms.Form):
    community = CommunityField(label=_("Community"), queryset=Unit.objects.none())
    period = forms.ChoiceField(label=_("Quarter"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, communities, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities.select_related("parent")
        self.fields["period"].choices = [
            (c, periods.label(c)) for c in periods.recent(periods.QUARTER, timezone.localdate(), 4)
        ]
        self.criteria = criteria
        weight = _("weight")
        for criterion in criteria:
            self.fields[f"c_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（{weight} {criterion.weight}）",
                min_value=0,
                max_value=100,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
            )

    def scores(self) -> dict[int, object]:
        return {c.pk: self.cleaned_data.get(f"c_{c.pk}") for c in self.criteria}


class ComplaintForm(forms.Form):
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.none())
    ledger = forms.ModelChoiceField(label=_("Ledger"), queryset=Ledger.objects.none())
    title = forms.CharField(label=_("Complaint"), max_length=200)
    description = forms.CharField(
        label=_("What the resident said"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    resident_name = forms.CharField(label=_("Resident's name"), max_length=50, required=False)
    resident_phone = forms.CharField(label=_("Resident's phone"), max_length=20, required=False)

    def __init__(self, *args, estates, ledgers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = estates
        self.fields["estate"].label_from_instance = lambda e: f"{e.community.name} · {e.name}"
        self.fields["ledger"].queryset = ledgers
        self.fields["ledger"].label_from_instance = lambda lg: f"{lg.unit.name} · {lg.name}"

    def clean(self):
        data = super().clean()
        estate, ledger = data.get("estate"), data.get("ledger")
        if estate and ledger and ledger.unit_id != estate.community_id:
            self.add_error("ledger", _("Choose a ledger of the estate's community."))
        return data
