"""Forms of the talent registry and talent requests."""

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
    Talent,
    TalentRequest,
)


class TalentForm(ScopedForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("registered at"))
    person = PersonField()
    category = forms.ChoiceField(label=_("category"), choices=Talent.Category.choices)
    specialty = forms.CharField(label=_("specialty"), max_length=100, required=False)
    employer = forms.CharField(label=_("employer"), max_length=100, required=False)
    registered_on = forms.DateField(
        label=_("registered on"), widget=DateInput(), initial=timezone.localdate
    )


class TalentRequestForm(forms.Form):
    talent = forms.ModelChoiceField(queryset=Talent.objects.none(), label=_("talent"))
    kind = forms.ChoiceField(label=_("request"), choices=TalentRequest.Kind.choices)
    amount = forms.DecimalField(
        label=_("amount (yuan)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    submitted_on = forms.DateField(
        label=_("submitted on"), widget=DateInput(), initial=timezone.localdate
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = (
            Talent.objects.for_user(user).select_related("person").order_by("person__name")
        )
