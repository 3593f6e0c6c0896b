"""Forms of the duty pages. Querysets are always the user's scope."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Person, Unit, WorkZone
from governance.widgets import DateInput
from grids.models import Household
from outreach.models import DutyPolicy, Frequency
from outreach.services.duties import TOWNSHIP_KINDS, VILLAGE_KINDS

HOLDER_KINDS = (Unit.Kind.DISTRICT, *TOWNSHIP_KINDS, *VILLAGE_KINDS)


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.unit.name}"


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.unit.name}"


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


class HouseholdsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.place} {obj.head_name_masked}"


class DutyForm(forms.Form):
    holder = PersonField(label=_("Duty holder"), queryset=None)
    target_unit = UnitField(label=_("Covers a township or village"), queryset=None, required=False)
    target_zone = forms.ModelChoiceField(
        label=_("Covers a work zone"), queryset=None, required=False
    )
    households = HouseholdsField(
        label=_("Covers households"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        initial=timezone.localdate,
    )
    frequency = forms.ChoiceField(
        label=_("Expected contact"),
        choices=[("", _("As the district sets for the tier")), *Frequency.choices],
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, user, village: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = (
            Person.objects.for_user(user)
            .filter(unit__kind__in=HOLDER_KINDS)
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        self.fields["target_unit"].queryset = (
            Unit.objects.for_user(user)
            .filter(kind__in=(*TOWNSHIP_KINDS, *VILLAGE_KINDS))
            .order_by("path")
        )
        self.fields["target_zone"].queryset = WorkZone.objects.for_user(user).order_by(
            "township__path", "name"
        )
        households = Household.objects.none()
        if village is not None:
            households = (
                Household.objects.for_user(user)
                .active()
                .filter(grid__path__startswith=village.path)
                .order_by("grid__path", "building", "entrance", "room", "pk")
            )
        self.fields["households"].queryset = households
        self.village = village

    def clean(self):
        data = super().clean()
        given = [
            name
            for name in ("target_unit", "target_zone", "households")
            if data.get(name) not in (None, "") and (name != "households" or len(data[name]))
        ]
        if len(given) != 1:
            raise forms.ValidationError(
                _(
                    "Choose what the duty covers: one township or village, a work zone, or households."
                )
            )
        return data


class ReassignForm(forms.Form):
    holder = PersonField(label=_("New holder"), queryset=None)
    starts_on = forms.DateField(
        label=_("Takes over on"),
        widget=DateInput(),
        initial=timezone.localdate,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, user, duty, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = (
            Person.objects.for_user(user)
            .filter(unit=duty.holder.unit_id)
            .exclude(pk=duty.holder_id)
            .select_related("unit")
            .order_by("name")
        )


class EndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        initial=timezone.localdate,
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = DutyPolicy
        fields = ["frequency"]
