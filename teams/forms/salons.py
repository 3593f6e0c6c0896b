"""Forms of salons and project ideas."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.widgets import DateInput
from teams.forms.scoped import (
    ScopedModelForm,
)
from teams.models import (
    Salon,
)


class SalonForm(ScopedModelForm):
    class Meta:
        model = Salon
        fields = ["unit", "kind", "title", "held_on", "place", "participants", "summary"]
        widgets = {"held_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        pass


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("project idea"), max_length=200)
    proposer = forms.CharField(label=_("proposed by"), max_length=100, required=False)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=[])
    note = forms.CharField(label=_("follow-up"), max_length=300)

    def __init__(self, *args, idea, **kwargs):
        super().__init__(*args, **kwargs)
        from teams.models import ProjectIdea

        self.fields["status"].choices = [
            (s, ProjectIdea.Status(s).label) for s in ProjectIdea.TRANSITIONS[idea.status]
        ]
