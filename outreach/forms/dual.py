"""Forms of the dual-reporting pages."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.widgets import DateInput
from outreach import evaluation_periods as periods
from outreach.models import ReportedMember, WorkUnit, WorkUnitKind


def _unit_label(unit: Unit) -> str:
    parent = unit.parent.name if unit.parent_id and unit.parent else ""
    return f"{parent} · {unit.name}" if parent else unit.name


class CommunityField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _unit_label(obj)


class WorkUnitForm(forms.Form):
    community = CommunityField(label=_("Serves the community"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkUnitKind.choices)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    started_on = forms.DateField(label=_("Registered on"), widget=DateInput())

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities.select_related("parent")


class ReassignForm(forms.Form):
    community = CommunityField(label=_("New community"), queryset=Unit.objects.none())
    on = forms.DateField(label=_("From"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities.select_related("parent")


class MemberForm(forms.Form):
    community = CommunityField(label=_("Community"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    work_unit = forms.ModelChoiceField(
        label=_("Work unit"), queryset=WorkUnit.objects.none(), required=False
    )
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput())

    def __init__(self, *args, communities, work_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities.select_related("parent")
        self.fields["work_unit"].queryset = work_units


class ProjectForm(forms.Form):
    community = CommunityField(label=_("Community"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    needs = forms.CharField(label=_("What is needed"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities.select_related("parent")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The project ends on or after the day it starts."))
        return data


def provider_choices(community: Unit, on) -> list[tuple[str, str]]:
    """Posted work units and registered members of a community, as "unit:ID" / "member:ID"."""
    units = (
        WorkUnit.objects.filter(postings__community=community, postings__ended_on__isnull=True)
        .distinct()
        .order_by("name")
    )
    members = ReportedMember.objects.filter(community=community, left_on__isnull=True).order_by(
        "name"
    )
    member = _("Party member")
    return [
        *[(f"unit:{u.pk}", str(u)) for u in units],
        *[(f"member:{m.pk}", f"{m.name}（{member}）") for m in members],
    ]


class ProviderField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(label=_("Work unit or Party member"), **kwargs)


def split_provider(value: str) -> dict:
    kind, _sep, pk = value.partition(":")
    if kind == "unit":
        return {"work_unit": WorkUnit.objects.get(pk=pk), "member": None}
    return {"work_unit": None, "member": ReportedMember.objects.get(pk=pk)}


class ClaimForm(forms.Form):
    provider = ProviderField()

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = provider_choices(community, timezone.localdate())


class RecordForm(forms.Form):
    provider = ProviderField()
    what = forms.CharField(label=_("Service given"), max_length=200)
    served_on = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.5"), max_value=Decimal("1000"), decimal_places=1
    )
    people = forms.IntegerField(label=_("People taking part"), min_value=1, initial=1)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = provider_choices(community, timezone.localdate())


class EvaluationForm(forms.Form):
    community = CommunityField(label=_("Community"), queryset=Unit.objects.none())
    period = forms.ChoiceField(label=_("Half-year"))
    score = forms.DecimalField(
        label=_("Score"), min_value=0, max_value=100, decimal_places=1, help_text=_("Out of 100.")
    )
    feedback = forms.CharField(
        label=_("Feedback to the unit"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities.select_related("parent")
        today = timezone.localdate()
        self.fields["period"].choices = [
            (code, periods.label(code)) for code in periods.recent(periods.HALF, today, 4)
        ]
