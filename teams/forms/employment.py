"""Forms of gig workers, job postings and matches."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.widgets import DateInput
from teams.forms.scoped import (
    PersonField,
    ScopedForm,
    ScopedModelForm,
    UnitChoiceField,
)
from teams.models import (
    JobPosting,
)


class GigWorkerForm(ScopedForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("registered at"))
    person = PersonField()
    skills = forms.CharField(label=_("skills"), max_length=200, required=False)
    registered_on = forms.DateField(
        label=_("registered on"), widget=DateInput(), initial=timezone.localdate
    )


class PostingForm(ScopedModelForm):
    class Meta:
        model = JobPosting
        fields = ["unit", "employer", "title", "positions", "wage", "posted_on", "closes_on"]
        widgets = {"posted_on": DateInput(), "closes_on": DateInput()}

    def _post_clean(self):
        pass


class MatchForm(forms.Form):
    worker = PersonField(label=_("gig worker"))
