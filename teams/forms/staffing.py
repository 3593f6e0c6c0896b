"""Forms of staffing quotas."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.widgets import DateInput
from teams.forms.scoped import (
    ScopedForm,
    UnitChoiceField,
)
from teams.models import (
    QuotaKind,
)


class QuotaForm(ScopedForm):
    unit_field = "township"
    unit_levels = (2,)
    township = UnitChoiceField(queryset=Unit.objects.none(), label=_("township"))
    kind = forms.ChoiceField(label=_("kind"), choices=QuotaKind.choices)
    allocated = forms.IntegerField(label=_("allocated"), min_value=0)
    filled = forms.IntegerField(label=_("filled"), min_value=0)


class QuotaAdditionForm(forms.Form):
    posts = forms.IntegerField(label=_("posts added"), min_value=1)
    approved_on = forms.DateField(
        label=_("approved on"), widget=DateInput(), initial=timezone.localdate
    )
    document = forms.CharField(label=_("document"), max_length=200, required=False)
