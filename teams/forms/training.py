"""Forms of training sessions and their sign-in lists."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.uploads import validate_document
from governance.widgets import DateInput
from teams.forms.scoped import (
    ScopedModelForm,
    UnitChoiceField,
)
from teams.models import (
    TrainingSession,
)


class TrainingForm(ScopedModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("organised by"))

    class Meta:
        model = TrainingSession
        fields = [
            "unit",
            "title",
            "topic",
            "trainer",
            "held_on",
            "place",
            "materials",
            "materials_note",
        ]
        widgets = {"held_on": DateInput(), "materials_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].validators.append(validate_document)


class AttendForm(forms.Form):
    people = forms.CharField(
        label=_("Add to the sign-in list"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names or ID card numbers, separated by commas or new lines."),
    )
