"""Forms of the visit pages: filing a visit (with an optional problem), reviewing, filtering."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import GridAction
from governance.params import IdField
from governance.uploads import validate_image
from governance.widgets import DateTimeInput
from grids.models import ReviewStatus, VisitKind
from grids.services.visits import REVIEW_DECISIONS, grid_categories


class CategorySelect(forms.Select):
    """Each option carries its grid action, so the page shows "handled on the spot" only for
    matters the worker may handle directly (CSS :has, no script)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-action"] = instance.grid_action
        return option


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        action = GridAction(obj.grid_action).label if obj.grid_action else ""
        return f"{obj.name} · {action}" if action else obj.name


def _decimal(value: str, places: int = 6) -> Decimal | None:
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not number.is_finite():
        return None
    return number.quantize(Decimal(1).scaleb(-places))


class VisitForm(forms.Form):
    all_well = forms.BooleanField(label=_("Visited, all well"), required=False)
    kind = forms.ChoiceField(
        label=_("How"), choices=VisitKind.choices, initial=VisitKind.DOOR, widget=forms.RadioSelect
    )
    observed = forms.CharField(
        label=_("What was observed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    demands = forms.CharField(
        label=_("Residents' demands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        validators=[validate_image],
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    visited_at = forms.DateTimeField(
        label=_("Visited at"),
        required=False,
        help_text=_("Leave empty for now; fill in when recording an earlier visit."),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    # Filled by static/js/geo.js when the browser allows; read leniently, since a bad
    # reading must never stop a visit from being filed.
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    accuracy_m = forms.CharField(required=False, widget=forms.HiddenInput)

    problem_title = forms.CharField(label=_("Problem"), required=False, max_length=200)
    problem_category = CategoryField(
        label=_("Matter"),
        queryset=None,
        required=False,
        empty_label=_("Choose a grid matter"),
        widget=CategorySelect,
    )
    handled_on_spot = forms.BooleanField(label=_("Handled on the spot"), required=False)
    result = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem_category"].queryset = grid_categories(grid)

    def clean(self):
        data = super().clean()
        latitude = _decimal(data.get("latitude") or "")
        longitude = _decimal(data.get("longitude") or "")
        accuracy = _decimal(data.get("accuracy_m") or "", 0)
        if (
            latitude is None
            or longitude is None
            or not (-90 <= latitude <= 90)
            or not (-180 <= longitude <= 180)
        ):
            latitude = longitude = accuracy = None
        data["latitude"], data["longitude"] = latitude, longitude
        data["accuracy_m"] = int(accuracy) if accuracy is not None and accuracy >= 0 else None

        title, category = data.get("problem_title", "").strip(), data.get("problem_category")
        if title and category is None:
            self.add_error("problem_category", _("Choose the matter of the problem."))
        if category is not None and not title:
            self.add_error("problem_title", _("Say what the problem is."))
        if data.get("handled_on_spot"):
            if category is not None and category.grid_action != GridAction.HANDLE:
                self.add_error(
                    "handled_on_spot", _("This matter must be reported, not handled on the spot.")
                )
            if not data.get("result", "").strip():
                self.add_error("result", _("Write down what was done."))
        if not (data.get("all_well") or data.get("observed", "").strip()) and not (
            data.get("demands", "").strip() or title
        ):
            raise forms.ValidationError(
                _("Write down what you observed or the residents' demands, or mark it all well.")
            )
        return data

    @property
    def raises_problem(self) -> bool:
        return bool(self.cleaned_data.get("problem_title"))


class SupplementForm(forms.Form):
    text = forms.CharField(
        label=_("What you add"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        validators=[validate_image],
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Review"), choices=[(s.value, s.label) for s in REVIEW_DECISIONS]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class VisitFilterForm(forms.Form):
    grid = IdField(required=False)
    unit = IdField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", ""), *ReviewStatus.choices])
    worker = IdField(required=False)
