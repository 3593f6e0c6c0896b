"""Forms of the reception-day pages."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import MatterCategory, Person
from governance.normalize import clean_text, normalize_phone
from governance.widgets import DateInput, TimeInput
from outreach.models import Weekday


class ScheduleForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Reception day"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    secretary = forms.ModelChoiceField(
        label=_("Secretary"), queryset=Person.objects.none(), required=False
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = Person.objects.filter(
            unit__path__startswith=community.path
        ).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The reception ends after it starts."))
        return data


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    attendance = forms.IntegerField(
        label=_("Residents received"),
        min_value=0,
        max_value=10000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("A session is recorded on the day or after it, not before.")
            )
        if day < timezone.localdate() - datetime.timedelta(days=366):
            raise forms.ValidationError(_("Sessions older than a year cannot be entered here."))
        return day


class DemandForm(forms.Form):
    title = forms.CharField(label=_("Demand"), max_length=200)
    description = forms.CharField(
        label=_("What the resident said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resident_name = forms.CharField(label=_("Resident's name"), max_length=50, required=False)
    resident_phone = forms.CharField(
        label=_("Resident's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=MatterCategory.objects.none()
    )
    answered_on_spot = forms.BooleanField(label=_("Answered on the spot"), required=False)
    reply = forms.CharField(
        label=_("Reply given to the resident"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measures = forms.CharField(
        label=_("Measures"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        district = community.path[: community.steplen]
        self.fields["category"].queryset = MatterCategory.objects.filter(
            district__path=district, is_active=True
        ).order_by("code")

    def clean_title(self):
        return clean_text(self.cleaned_data["title"])

    def clean_resident_phone(self):
        return normalize_phone(self.cleaned_data.get("resident_phone"))

    def clean(self):
        data = super().clean()
        if data.get("answered_on_spot"):
            if not (data.get("reply") or "").strip():
                self.add_error("reply", _("Write down the reply given on the spot."))
        else:
            if not (data.get("measures") or "").strip():
                self.add_error(
                    "measures", _("Write down the measures, or tick “answered on the spot”.")
                )
            if not data.get("due_on") and "due_on" not in self.errors:
                self.add_error("due_on", _("Set the deadline."))
        return data
