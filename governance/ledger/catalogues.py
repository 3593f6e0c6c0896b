"""The district's matters catalogue (事项清单, with the grid matters) kept in the app
(governance.catalogues). Time limits per level stay in the admin."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.catalogues import Catalogue, CatalogueForm
from governance.models import MatterCategory, Unit


class CategoryForm(CatalogueForm):
    class Meta:
        model = MatterCategory
        fields = (
            "code",
            "name",
            "parent",
            "department",
            "grid_action",
            "accept_limit",
            "handle_limit",
            "verify_limit",
            "limit_unit",
            "is_active",
        )
        help_texts = {
            "grid_action": _("Blank: not a grid matter."),
            "is_active": _("Inactive categories stay on past items but are not offered."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = MatterCategory.objects.all()
        departments = Unit.objects.filter(kind=Unit.Kind.DEPARTMENT)
        if self.district is not None:
            parents = parents.filter(district=self.district)
            departments = departments.filter(path__startswith=self.district.path)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["department"].queryset = departments.order_by("path")

    def clean_handle_limit(self):
        limit = self.cleaned_data["handle_limit"]
        if limit is not None and limit < 1:
            raise ValidationError(_("The time to handle must be at least 1."))
        return limit

    def clean(self):
        data = super().clean()
        parent, department = data.get("parent"), data.get("department")
        # A superuser chooses the district in the same form: the choices cannot narrow first.
        if self.district and parent and parent.district_id != self.district.pk:
            self.add_error("parent", _("Choose a category of the same district."))
        if self.district and department and not department.path.startswith(self.district.path):
            self.add_error("department", _("Choose a department of the same district."))
        return data


CATEGORIES = Catalogue(
    namespace="ledger",
    noun="category",
    route="categories/",
    model=MatterCategory,
    form_class=CategoryForm,
    columns=("code", "name", "department", "grid_action", "handle_limit", "is_active"),
    description=_(
        "The district's matters with their time limits; the grid matters are those a grid "
        "worker handles directly or reports."
    ),
)
