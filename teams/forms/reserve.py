"""The form of a reserve cadre."""

from django import forms
from django.utils import timezone
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


class ReserveForm(ScopedForm):
    unit_field = "village"
    unit_levels = (3,)
    village = UnitChoiceField(queryset=Unit.objects.none(), label=_("village / community"))
    person = PersonField()
    education = forms.ChoiceField(label=_("education"), choices=Education.choices)
    source = forms.ChoiceField(label=_("source"), choices=[])
    added_on = forms.DateField(label=_("added on"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        from teams.models import ReserveSource

        super().__init__(*args, **kwargs)
        self.fields["source"].choices = ReserveSource.choices
