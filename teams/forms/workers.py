"""Forms of community workers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.widgets import DateInput
from teams.forms.scoped import (
    PersonField,
    ScopedForm,
    UnitChoiceField,
)
from teams.models import (
    Education,
)


class WorkerForm(ScopedForm):
    unit_field = "community"
    unit_levels = (3,)
    community = UnitChoiceField(queryset=Unit.objects.none(), label=_("community"))
    person = PersonField()
    post = forms.CharField(label=_("post"), max_length=100, required=False)
    started_on = forms.DateField(label=_("worker since"), widget=DateInput())


class ToReserveForm(forms.Form):
    education = forms.ChoiceField(label=_("education"), choices=Education.choices)
