"""Forms of Party-building brands and model communities."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.uploads import validate_image
from teams.forms.scoped import (
    ScopedForm,
    ScopedModelForm,
    UnitChoiceField,
)
from teams.models import (
    PartyBrand,
)


class BrandForm(ScopedModelForm):
    unit_field = "community"
    unit_levels = (3,)
    community = UnitChoiceField(queryset=Unit.objects.none(), label=_("community"))

    class Meta:
        model = PartyBrand
        fields = ["community", "name", "theme", "description", "year"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def _post_clean(self):
        pass


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("photo"), validators=[validate_image])
    caption = forms.CharField(label=_("caption"), max_length=100, required=False)


class ModelCommunityForm(ScopedForm):
    unit_field = "community"
    unit_levels = (3,)
    community = UnitChoiceField(queryset=Unit.objects.none(), label=_("community"))
    year = forms.IntegerField(
        label=_("year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    citation = forms.CharField(label=_("citation"), max_length=200, required=False)
