"""The form of a village Party leader."""

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
    VillageLeader,
)


class LeaderForm(ScopedForm):
    unit_field = "village"
    unit_levels = (3,)
    village = UnitChoiceField(queryset=Unit.objects.none(), label=_("village / community"))
    person = PersonField()
    post = forms.ChoiceField(label=_("post"), choices=VillageLeader.Post.choices)
    term_start = forms.DateField(label=_("term from"), widget=DateInput())
    term_end = forms.DateField(label=_("term until"), widget=DateInput(), required=False)
    education = forms.ChoiceField(
        label=_("education"), choices=[("", "—"), *Education.choices], required=False
    )
    profile = forms.CharField(
        label=_("profile"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
