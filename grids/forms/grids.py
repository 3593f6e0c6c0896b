"""A grid's profile."""

from django import forms

from grids.models import GridProfile


class GridProfileForm(forms.ModelForm):
    class Meta:
        model = GridProfile
        fields = ["kind", "dedicated_to", "boundary"]
        widgets = {"boundary": forms.Textarea(attrs={"rows": 4})}
