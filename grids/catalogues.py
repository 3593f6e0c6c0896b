"""The district's grid catalogues kept in the app (governance.catalogues): care tags and the
visiting round."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.catalogues import Catalogue, CatalogueForm
from grids.models import CareTag, RoundPolicy


class CareTagForm(CatalogueForm):
    class Meta:
        model = CareTag
        fields = ("name", "visit_every_days")
        help_texts = {
            "visit_every_days": _("Leave empty to visit these households on the district's round.")
        }

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_visit_every_days(self):
        days = self.cleaned_data["visit_every_days"]
        if days is not None and not 1 <= days <= 366:
            raise ValidationError(_("Enter a number of days from 1 to 366."))
        return days


class RoundPolicyForm(CatalogueForm):
    class Meta:
        model = RoundPolicy
        fields = ("months", "remind_days_before_end")

    def clean(self):
        data = super().clean()
        months, days = data.get("months"), data.get("remind_days_before_end")
        # The shortest round (February) has 28 days: a reminder must fall inside it.
        if months and days is not None and days >= 28 * months:
            self.add_error("remind_days_before_end", _("The reminder must fall inside the round."))
        return data


CARE_TAGS = Catalogue(
    namespace="grids",
    noun="care-tag",
    route="care-tags/",
    model=CareTag,
    form_class=CareTagForm,
    columns=("name", "visit_every_days"),
    description=_("Groups that need care; a tag may ask for more frequent visits."),
    deletable=lambda tag: not tag.households.exists(),
)
VISITING_ROUNDS = Catalogue(
    namespace="grids",
    noun="visiting-round",
    route="visiting-rounds/",
    model=RoundPolicy,
    form_class=RoundPolicyForm,
    columns=("months", "remind_days_before_end"),
    description=_(
        "How often every household is visited; without one, households are visited monthly."
    ),
    one_per_district=True,
)
