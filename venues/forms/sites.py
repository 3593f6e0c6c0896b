"""Forms of venues (sites): venue, hours editor rows, special hours, upgrade, photo,
services offered, service catalogue."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance import access
from governance.models import Unit
from governance.uploads import validate_image
from governance.widgets import DateInput, TimeInput
from venues import hours
from venues.models import (
    OpeningSpan,
    ServiceMatter,
    SpanState,
    Venue,
    VenueUpgrade,
)
from venues.models.sites import WEEKDAY_CHOICES
from venues.services.sites import MANAGE, kinds_for, matters_for

VENUE_UNIT_KINDS = (
    Unit.Kind.DISTRICT,
    Unit.Kind.TOWNSHIP,
    Unit.Kind.STREET,
    Unit.Kind.VILLAGE,
    Unit.Kind.COMMUNITY,
)


def units_managed(user, capability: str = MANAGE):
    """Units the user may keep venues at: in scope, below a unit where the role holds it."""
    units = Unit.objects.for_user(user).filter(kind__in=VENUE_UNIT_KINDS, is_active=True)
    if user.is_superuser:
        return units.order_by("path")
    paths = [u.path for u in access.units_where(user, capability)]
    from django.db.models import Q

    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return units.filter(condition).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{'　' * (unit.depth - 1)}{unit.name}"


class VenueForm(forms.ModelForm):
    unit = UnitChoiceField(label=_("Belongs to"), queryset=Unit.objects.none())

    class Meta:
        model = Venue
        fields = [
            "unit",
            "kind",
            "name",
            "address",
            "floor_area",
            "rooms",
            "description",
            "contact_name",
            "contact_phone",
            "public_phone",
            "open_on_holidays",
            "makeup_weekday",
            "is_active",
        ]
        widgets = {
            "rooms": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, show_contact_phone: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_managed(user)
        self.fields["kind"].queryset = kinds_for(user)
        if not self.instance.pk:
            del self.fields["is_active"]
        if not show_contact_phone:
            # The phone is masked for this user; keep the stored one.
            del self.fields["contact_phone"]

    def clean(self):
        data = super().clean()
        unit, kind = data.get("unit"), data.get("kind")
        if unit and kind and kind.district.path != unit.path[: unit.steplen]:
            self.add_error("kind", _("This kind belongs to another district."))
        return data

    def validate_unique(self):
        """The service checks (unit, name) with a clear message."""


class SpanForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", _("Every day")), *WEEKDAY_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    start = forms.TimeField(label=_("Opens"), widget=TimeInput)
    end = forms.TimeField(
        label=_("Closes"),
        widget=TimeInput,
        help_text=_("Before the opening time: runs past midnight. 00:00–00:00: 24 hours."),
    )
    state = forms.ChoiceField(label=_("State"), choices=SpanState.choices, initial=SpanState.OPEN)

    def has_changed(self):
        # A row without times is an empty row, whatever its day and state selects say.
        return bool(self["start"].value() or self["end"].value())

    def span(self) -> hours.Span:
        data = self.cleaned_data
        return hours.Span(data["weekday"], data["start"], data["end"], hours.State(data["state"]))


class BaseSpanFormSet(forms.BaseFormSet):
    def spans(self) -> list[hours.Span]:
        return [
            f.span()
            for f in self.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


SpanFormSet = forms.formset_factory(
    SpanForm, formset=BaseSpanFormSet, extra=3, can_delete=True, max_num=60, validate_max=True
)


def span_initial(rows) -> list[dict]:
    return [
        {"weekday": s.weekday, "start": s.start, "end": s.end, "state": s.state}
        for s in rows
        if isinstance(s, OpeningSpan)
    ]


class HolidayRuleForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["open_on_holidays", "makeup_weekday"]


class PeriodForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=60, help_text=_("e.g. 国庆节, 夏季作息, 装修闭馆")
    )
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class UpgradeForm(forms.ModelForm):
    class Meta:
        model = VenueUpgrade
        fields = ["kind", "year", "funding", "note"]


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo"), validators=[validate_image])
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)


class ServicesForm(forms.Form):
    matters = forms.ModelMultipleChoiceField(
        label=_("Matters offered"),
        queryset=ServiceMatter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, venue: Venue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matters"].queryset = matters_for(venue.unit)
        self.fields["matters"].label_from_instance = lambda m: (
            f"{m.name} · {m.provider_name or m.get_provider_kind_display()}"
        )


class MatterForm(forms.ModelForm):
    class Meta:
        model = ServiceMatter
        fields = [
            "name",
            "provider_kind",
            "provider_name",
            "department",
            "materials",
            "order",
            "is_active",
        ]
        widgets = {"materials": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, district: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Unit.objects.filter(
            kind=Unit.Kind.DEPARTMENT, path__startswith=district.path
        ).order_by("name")

    def validate_unique(self):
        """The service checks the name within the district."""
