"""The district's activity categories kept in the app (governance.catalogues)."""

from django.utils.translation import gettext_lazy as _

from governance.catalogues import Catalogue, CatalogueForm
from venues.models import ActivityCategory


class ActivityCategoryForm(CatalogueForm):
    class Meta:
        model = ActivityCategory
        fields = ("code", "name", "order", "is_active")
        help_texts = {
            "code": _("Letters, digits, hyphens; the import sheets use it."),
            "is_active": _("Inactive categories stay on past activities but are not offered."),
        }


ACTIVITY_CATEGORIES = Catalogue(
    namespace="venues",
    noun="activity-category",
    route="activity-categories/",
    model=ActivityCategory,
    form_class=ActivityCategoryForm,
    columns=("name", "code", "order", "is_active"),
    description=_("The kinds of activity the venues choose from."),
)
