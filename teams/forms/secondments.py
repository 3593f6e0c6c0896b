"""The form of a secondment."""

from governance.widgets import DateInput
from teams.forms.scoped import (
    ScopedModelForm,
)
from teams.models import (
    Secondment,
)


class SecondmentForm(ScopedModelForm):
    class Meta:
        model = Secondment
        fields = [
            "worker",
            "to_office",
            "reason",
            "started_on",
            "planned_end_on",
            "returned_on",
            "approval_document",
            "approved_on",
        ]
        widgets = {
            "started_on": DateInput(),
            "planned_end_on": DateInput(),
            "returned_on": DateInput(),
            "approved_on": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        from teams.models import CommunityWorker

        super().__init__(*args, user=user, **kwargs)
        self.fields["worker"].queryset = (
            CommunityWorker.objects.for_user(user)
            .select_related("person", "community")
            .order_by("community__path", "person__name")
        )
        self.fields["worker"].label_from_instance = lambda w: (
            f"{w.community.name} · {w.person.name}"
        )

    def _post_clean(self):
        # The service validates and saves; the model's own clean needs limit_on first.
        pass
