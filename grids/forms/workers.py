"""Posting a grid worker to a grid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Person
from governance.widgets import DateInput
from grids.models import WorkerKind


class GridAssignmentForm(forms.Form):
    """Post a person of the grid's community (or township) to the grid as its grid worker."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Grid worker"))
    kind = forms.ChoiceField(
        choices=WorkerKind.choices, initial=WorkerKind.FULL_TIME, label=_("Employment")
    )
    started_on = forms.DateField(label=_("From"), widget=DateInput)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.unit.name}）"
