"""Forms of the contact activity pages. Querysets are always the user's scope."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.params import IdField
from governance.uploads import validate_image
from governance.widgets import DateInput
from outreach.forms.duties import HouseholdsField, PeopleField, PersonField, UnitField
from outreach.models import ContactSystem


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
    leader = IdField(required=False)
    duty = IdField(required=False)
