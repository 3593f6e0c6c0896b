"""Forms of the household register. Rules live in the services."""

from django import forms
from django.db.models import Q

from governance import access
from governance.masking import MaskedFieldsMixin, mask_id_number, mask_phone
from governance.models import Unit
from grids.models import Household
from grids.services.households import care_tags_for


def managed_grids(user):
    """Active grids where the user may manage households (manage_people)."""
    grids = Unit.objects.filter(kind=Unit.Kind.GRID, is_active=True)
    if user.is_superuser:
        return grids
    paths = [unit.path for unit in access.units_where(user, "manage_households")]
    if not paths:
        return grids.none()
    held = Q()
    for path in paths:
        held |= Q(path__startswith=path)
    return grids.filter(held)


def _grid_label(unit: Unit) -> str:
    return f"{unit.parent.name} / {unit.name}" if unit.parent_id else unit.name


class HouseholdForm(MaskedFieldsMixin, forms.ModelForm):
    masked_fields = {"head_phone": mask_phone, "head_id_number": mask_id_number}

    class Meta:
        model = Household
        fields = [
            "grid",
            "building",
            "entrance",
            "room",
            "address",
            "head_name",
            "head_phone",
            "head_id_number",
            "members",
            "tags",
            "note",
        ]
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
            "head_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "head_id_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, user, show_personal_data: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A household changes grid only by a re-drawing, which keeps the history.
            del self.fields["grid"]
        else:
            grid = self.fields["grid"]
            grid.queryset = managed_grids(user).select_related("parent").order_by("path")
            grid.label_from_instance = _grid_label
        self.fields["tags"].queryset = care_tags_for(user)
        self.fields["tags"].help_text = ""
        if not show_personal_data:
            # Who may not see full personal data edits everything else; the values stay.
            del self.fields["head_phone"]
            del self.fields["head_id_number"]
        # Full-width digits and ID numbers are folded and checked by the service.
        for name in ("head_phone", "head_id_number"):
            if name in self.fields:
                self.fields[name].max_length = None
                self.fields[name].widget.attrs.pop("maxlength", None)
        if self.instance.pk:
            self.mask_stored_values()
