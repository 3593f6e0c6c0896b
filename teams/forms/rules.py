"""Forms of the district's rules: the policy and a scoring criterion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from teams.models import (
    TeamsPolicy,
)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = TeamsPolicy
        fields = ["reserve_minimum", "secondment_max_months", "score_due_day"]


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("criterion"), max_length=100)
    max_points = forms.DecimalField(
        label=_("full marks"), min_value=0.5, max_digits=5, decimal_places=1
    )
    order = forms.IntegerField(label=_("order"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("in use"), required=False, initial=True)
