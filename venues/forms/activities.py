"""Forms of the activities pages. They read and check input; the services decide and write."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.uploads import validate_image
from governance.widgets import DateInput, TimeInput
from venues.models import ActivityCategory, Venue

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
SCOPES = [
    ("one", _("Only this activity")),
    ("following", _("This and the later ones of the series")),
]


class _VenueChoice(forms.ModelChoiceField):
    def label_from_instance(self, venue):
        return f"{venue.unit.name} · {venue.name}"


class _Common(forms.Form):
    """Fields shared by a single activity and a series."""

    venue = _VenueChoice(label=_("Venue"), queryset=Venue.objects.none())
    category = forms.ModelChoiceField(
        label=_("Activity category"), queryset=ActivityCategory.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Activity description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    organiser = forms.CharField(label=_("Organiser"), max_length=100, required=False)
    partners = forms.CharField(
        label=_("Partner units"),
        max_length=200,
        required=False,
        help_text=_("Separated by 、 e.g. 区妇联、区人社局、实验小学"),
    )
    target_group = forms.CharField(label=_("Target group"), max_length=100, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )
    registration_enabled = forms.BooleanField(label=_("Take registrations"), required=False)
    waitlist_enabled = forms.BooleanField(
        label=_("Keep a waiting list when full"), required=False, initial=True
    )

    def __init__(self, *args, venues, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues
        self.fields["category"].queryset = categories

    def common_values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "description",
                "organiser",
                "partners",
                "target_group",
                "capacity",
                "registration_enabled",
                "waitlist_enabled",
            )
        }


class ActivityForm(_Common):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    end_day = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for an activity over several days."),
    )

    field_order = [
        "venue",
        "category",
        "title",
        "day",
        "start_time",
        "end_time",
        "end_day",
        "description",
        "organiser",
        "partners",
        "target_group",
        "capacity",
        "registration_enabled",
        "waitlist_enabled",
    ]

    def clean(self):
        data = super().clean()
        if all(data.get(k) for k in ("day", "start_time", "end_time")):
            tz = timezone.get_current_timezone()
            data["starts_at"] = datetime.datetime.combine(data["day"], data["start_time"], tz)
            data["ends_at"] = datetime.datetime.combine(
                data.get("end_day") or data["day"], data["end_time"], tz
            )
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The end must be after the start."))
        return data

    @classmethod
    def initial_for(cls, activity) -> dict:
        starts, ends = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
        return {
            "venue": activity.venue_id,
            "category": activity.category_id,
            "title": activity.title,
            "day": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "end_day": ends.date() if ends.date() != starts.date() else None,
            "description": activity.description,
            "organiser": activity.organiser,
            "partners": activity.partners,
            "target_group": activity.target_group,
            "capacity": activity.capacity,
            "registration_enabled": activity.registration_enabled,
            "waitlist_enabled": activity.waitlist_enabled,
        }


class ActivityEditForm(ActivityForm):
    scope = forms.ChoiceField(
        label=_("Apply to"), choices=SCOPES, initial="one", widget=forms.RadioSelect
    )

    def __init__(self, *args, in_series: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["scope"]


class SeriesForm(_Common):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    first_day = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(label=_("Until"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    skip_holidays = forms.BooleanField(
        label=_("Skip public holidays"), required=False, initial=True
    )

    field_order = [
        "venue",
        "category",
        "title",
        "weekdays",
        "first_day",
        "last_day",
        "start_time",
        "end_time",
        "skip_holidays",
    ]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    scope = forms.ChoiceField(choices=SCOPES, initial="one", required=False)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("validators", [validate_image])
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleImageField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class AttendanceForm(forms.Form):
    attendance = forms.IntegerField(label=_("Attendance (person-times)"), min_value=0)
    report = forms.CharField(
        label=_("Short report"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = MultipleImageField(label=_("Photos"), required=False)


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)


class PublicRegistrationForm(RegistrationForm):
    #: A field people do not see; forms that fill it in are from robots.
    website = forms.CharField(required=False, label="", widget=forms.TextInput(attrs={
        "tabindex": "-1", "autocomplete": "off", "class": "hp"}))  # fmt: skip
