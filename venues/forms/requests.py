"""Forms of the service requests logged at venues."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from venues.forms.sites import units_managed
from venues.models import (
    RequestKind,
    ServiceMatter,
    ServiceRequest,
    Venue,
)
from venues.services.requests import LOG_REQUESTS


class RequestForm(forms.Form):
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none())
    matter = forms.ModelChoiceField(label=_("Matter"), queryset=ServiceMatter.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=RequestKind.choices, widget=forms.RadioSelect, initial="assisted"
    )
    resident_name = forms.CharField(label=_("Resident"), max_length=50)
    resident_phone = forms.CharField(label=_("Resident's phone"), max_length=30, required=False)
    note = forms.CharField(
        label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_managed(user, LOG_REQUESTS)
        self.fields["venue"].queryset = (
            Venue.objects.for_user(user)
            .filter(is_active=True, unit__in=units)
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        self.fields["venue"].label_from_instance = lambda v: f"{v.unit.name} · {v.name}"
        districts = {u.path[: u.steplen] for u in units[:1000]} if not user.is_superuser else None
        matters = ServiceMatter.objects.filter(is_active=True)
        if districts is not None:
            matters = matters.filter(district__path__in=districts)
        self.fields["matter"].queryset = matters.order_by("order", "name")


class RequestStepForm(forms.Form):
    step = forms.ChoiceField(
        choices=[("relay", _("Relay")), ("done", _("Done")), ("return", _("Return"))]
    )
    department = forms.ModelChoiceField(
        label=_("Relay to"), queryset=Unit.objects.none(), required=False
    )
    answer = forms.CharField(
        label=_("Answer or reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, request_obj: ServiceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        unit = request_obj.venue.unit
        self.fields["department"].queryset = Unit.objects.filter(
            kind=Unit.Kind.DEPARTMENT, path__startswith=unit.path[: unit.steplen], is_active=True
        ).order_by("name")
        if request_obj.matter.department_id:
            self.fields["department"].initial = request_obj.matter.department_id
