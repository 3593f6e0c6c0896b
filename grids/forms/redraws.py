"""The form of a grid re-drawing. Rules live in grids.services.redraws."""

from django import forms
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from governance.widgets import DateInput
from grids.models import Household, Redraw
from grids.services.redraws import community_grids


class RedrawForm(forms.Form):
    """One re-drawing that starts from one grid of a community (the source grid)."""

    kind = forms.ChoiceField(
        label=_("What changes"),
        choices=[
            (Redraw.Kind.MOVE, _("Move buildings or households to another grid")),
            (Redraw.Kind.SPLIT, _("Split: a new grid takes buildings or households")),
            (Redraw.Kind.MERGE, _("Merge: the whole grid joins another grid")),
        ],
        widget=forms.RadioSelect,
        initial=Redraw.Kind.MOVE,
    )
    to_grid = forms.ModelChoiceField(
        label=_("Into the grid"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("For a move or a merge."),
    )
    new_grid_name = forms.CharField(
        label=_("Name of the new grid"), max_length=100, required=False, help_text=_("For a split.")
    )
    new_grid_code = forms.CharField(label=_("Code of the new grid"), max_length=40, required=False)
    buildings = forms.MultipleChoiceField(
        label=_("Buildings or village groups"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    households = forms.ModelMultipleChoiceField(
        label=_("Single households"),
        queryset=Household.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput)

    def __init__(self, *args, community: Unit, grid: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.community, self.grid = community, grid
        self.fields["effective_on"].initial = timezone.localdate()
        self.fields["to_grid"].queryset = (
            community_grids(community).filter(is_active=True).exclude(pk=grid.pk).order_by("path")
        )
        in_grid = Household.objects.active().filter(grid=grid)
        buildings = (
            in_grid.exclude(building="")
            .values("building")
            .annotate(n=Count("pk"))
            .order_by("building")
        )
        self.fields["buildings"].choices = [
            (b["building"], f"{b['building']} ({b['n']})") for b in buildings
        ]
        self.fields["households"].queryset = in_grid
        self.fields["households"].label_from_instance = str

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (Redraw.Kind.MOVE, Redraw.Kind.MERGE) and not data.get("to_grid"):
            self.add_error("to_grid", _("Choose the grid they go to."))
        if kind == Redraw.Kind.SPLIT and not data.get("new_grid_name", "").strip():
            self.add_error("new_grid_name", _("Name the new grid."))
        if (
            kind in (Redraw.Kind.MOVE, Redraw.Kind.SPLIT)
            and not data.get("buildings")
            and not data.get("households")
        ):
            self.add_error("buildings", _("Choose the buildings or households."))
        return data

    def chosen_households(self) -> list[Household]:
        data = self.cleaned_data
        chosen = {h.pk: h for h in data.get("households") or []}
        if data.get("buildings"):
            for h in Household.objects.active().filter(
                grid=self.grid, building__in=data["buildings"]
            ):
                chosen.setdefault(h.pk, h)
        return list(chosen.values())
