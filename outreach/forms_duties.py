"""Forms of the duty and activity pages. Querysets are always the user's scope."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Person, Unit, WorkZone
from governance.params import DayField, IdField
from governance.uploads import validate_image
from governance.widgets import DateInput
from grids.models import Household
from outreach.models import ContactSystem, DutyPolicy, Frequency
from outreach.services_duties import TOWNSHIP_KINDS, VILLAGE_KINDS

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


class ActivityForm(forms.Form):
    """Phone first: system, unit, people reached and a summary; the rest behind "more"."""

    system = forms.ChoiceField(
        label=_("Contact system"), choices=ContactSystem.choices, widget=forms.RadioSelect
    )
    unit = UnitField(label=_("Where (covered unit)"), queryset=None, empty_label=None)
    people_reached = forms.IntegerField(label=_("People reached"), min_value=0, initial=1)
    summary = forms.CharField(
        label=_("Activity summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    problems = forms.CharField(
        label=_("Problems raised (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Each line becomes an item in the unit's contact problem ledger."),
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        validators=[validate_image],
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    held_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        initial=timezone.localdate,
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=100)
    leader = PersonField(label=_("Led by"), queryset=None, empty_label=None)
    attendees = PeopleField(
        label=_("Other cadres present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reached_names = forms.CharField(
        label=_("Names of people reached (optional)"), required=False, max_length=1000
    )
    households = HouseholdsField(
        label=_("Households contacted"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units, people, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["leader"].queryset = people
        self.fields["attendees"].queryset = people
        self.fields["households"].queryset = households

    @property
    def problem_lines(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("problems", "").splitlines()
            if line.strip()
        ]


class ActivityFilterForm(forms.Form):
    unit = IdField(required=False)
    system = forms.ChoiceField(required=False, choices=[("", ""), *ContactSystem.choices])
    held_from = DayField(required=False, widget=DateInput())
    held_to = DayField(required=False, widget=DateInput())
    leader = IdField(required=False)
    duty = IdField(required=False)
