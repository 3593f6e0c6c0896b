"""Economy pages: figures per unit and year, villages (list, page, income), the catalogue of
bands and development models. Projects, measures, pairings and companies have modules of their
own (views_projects, views_measures, views_pairing); Excel in views_excel.

Every object is read through `for_user` (404 outside the user's scope); unsafe methods are POST
only; rights come from governance.access: `manage_ledgers` over the unit keeps its economy
records, `handle_items` records progress of milestones and measures.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from economy import figures as fig
from economy import services
from economy.forms import BandForm, DevelopmentModelForm, IncomeForm, VillageModelForm
from economy.models import (
    VILLAGE_KINDS,
    DevelopmentModel,
    Dividend,
    IncomeBand,
    IncomeMeasure,
    Pairing,
    Project,
    VillageIncome,
    VillageModel,
)
from governance import access
from governance.htmx import render_page
from governance.models import Unit
from governance.params import id_param, year_param

MANAGE = "manage_ledgers"
HANDLE = "handle_items"
PAGE_SIZE = 50


# Shared helpers ---------------------------------------------------------------------------


def scope_unit(request) -> Unit:
    """The unit of ?unit= when in scope (404 otherwise), else the user's own highest unit."""
    territory = Unit.objects.for_user(request.user).territory()
    if unit_pk := id_param(request, "unit"):
        return get_object_or_404(territory, pk=unit_pk)
    unit = access.primary_unit(request.user)
    if unit is None or not unit.is_territory:
        unit = territory.filter(depth=1).first()
    if unit is None:
        raise Http404
    return unit


def scope_year(request) -> int:
    return year_param(request, "year", timezone.localdate().year)


def district_of(unit: Unit) -> Unit:
    return fig.district_of(unit)


def get_village(request, pk: int) -> Unit:
    return get_object_or_404(
        Unit.objects.for_user(request.user).filter(kind__in=VILLAGE_KINDS), pk=pk
    )


def require(user, capability: str, unit: Unit) -> None:
    if not access.can(user, capability, unit):
        raise PermissionDenied


def form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, msgs in error.message_dict.items():
            form.add_error(name if name in form.fields else None, msgs)
    else:
        form.add_error(None, error.messages)


def unit_choices(request, unit: Unit) -> list[Unit]:
    """The unit, its ancestors in scope and its children: the filter's unit picker."""
    children = list(
        Unit.objects.filter(parent=unit).territory().exclude(kind=Unit.Kind.GRID).order_by("path")
    )
    above = [
        u
        for u in Unit.objects.for_user(request.user).filter(path__in=unit.ancestor_paths())
        if u.pk != unit.pk
    ]
    return [*above, unit, *children]


def years_around(year: int) -> list[int]:
    this = timezone.localdate().year
    return list(range(max(this, year) + 1, min(this, year) - 7, -1))


def base_context(request, unit: Unit, year: int, tab: str) -> dict:
    return {
        "unit": unit,
        "year": year,
        "tab": tab,
        "units": unit_choices(request, unit),
        "years": years_around(year),
        "can_manage": access.can(request.user, MANAGE, unit),
    }


# Figures ----------------------------------------------------------------------------------


@login_required
def figures_page(request):
    unit = scope_unit(request)
    year = scope_year(request)
    result = fig.figures(unit, year, user=request.user)
    # Bands per child unit, from the same rows: no query per child.
    rows = result.rows
    children = []
    if unit.depth == 1:  # per township; below that the village list says it
        child_depth = unit.depth + 1
        by_child: dict[str, dict] = {}
        for row in rows:
            key = row.village.path[: child_depth * Unit.steplen]
            entry = by_child.setdefault(key, {"villages": 0, "bands": {}, "up": 0, "none": 0})
            entry["villages"] += 1
            if row.band is not None:
                entry["bands"][row.band.pk] = entry["bands"].get(row.band.pk, 0) + 1
            entry["up"] += row.move == "up"
            entry["none"] += row.income is None
        for child in Unit.objects.filter(parent=unit, path__in=list(by_child)).order_by("path"):
            entry = by_child[child.path]
            children.append(
                {
                    "unit": child,
                    "villages": entry["villages"],
                    "bands": [entry["bands"].get(b.pk, 0) for b, _n in result.bands],
                    "up": entry["up"],
                    "none": entry["none"],
                }
            )
    return render(
        request,
        "economy/figures.html",
        {**base_context(request, unit, year, "figures"), "f": result, "children": children},
    )


# Villages ---------------------------------------------------------------------------------


@login_required
def village_list(request):
    unit = scope_unit(request)
    year = scope_year(request)
    rows = fig.village_rows(unit, year, user=request.user)
    band, move = request.GET.get("band", ""), request.GET.get("move", "")
    model = id_param(request, "model")
    rows = fig.filter_rows(rows, band=band, move=move)
    if model:
        following = set(
            VillageModel.objects.filter(model_id=model).values_list("village_id", flat=True)
        )
        rows = [r for r in rows if r.village.pk in following]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    district = district_of(unit)
    return render_page(
        request,
        "economy/village_list.html",
        {
            **base_context(request, unit, year, "villages"),
            "page": page,
            "count": len(rows),
            "bands": IncomeBand.objects.filter(district=district),
            "models": DevelopmentModel.objects.filter(district=district),
            "band": band,
            "move": move,
            "model": model,
        },
        "rows",
    )


@login_required
def village_detail(request, pk: int):
    village = get_village(request, pk)
    district = district_of(village)
    bands = services.bands_of(district)
    incomes = list(VillageIncome.objects.filter(village=village).order_by("year"))
    history = []
    previous = None
    for income in incomes:
        band = services.band_for(bands, income.operating_income)
        history.append({"income": income, "band": band, "move": services.movement(previous, band)})
        previous = band
    history.reverse()
    today = timezone.localdate()
    return render(
        request,
        "economy/village_detail.html",
        {
            "village": village,
            "history": history,
            "models": VillageModel.objects.filter(village=village).select_related("model"),
            "measures": IncomeMeasure.objects.filter(village=village).order_by("-deadline"),
            "projects": Project.objects.filter(project_villages__village=village)
            .select_related("owner_unit")
            .order_by("-year", "name"),
            "pairings": Pairing.objects.filter(village=village).select_related("enterprise"),
            "dividends": Dividend.objects.filter(village=village).select_related("company"),
            "today": today,
            "can_manage": access.can(request.user, MANAGE, village),
            "model_form": VillageModelForm(district=district),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def income_record(request, pk: int):
    village = get_village(request, pk)
    require(request.user, MANAGE, village)
    year = scope_year(request)
    existing = VillageIncome.objects.filter(village=village, year=year).first()
    initial = {"year": year}
    if existing:
        initial.update(
            {f: getattr(existing, f) for f in ("operating_income", *VillageIncome.SOURCE_FIELDS)}
        )
        initial["note"] = existing.note
    form = IncomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.income_record(
                village=village, year=data.pop("year"), actor=request.user, **data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The income was recorded."))
            return redirect("economy:village-detail", village.pk)
    return render(
        request,
        "economy/income_form.html",
        {"village": village, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def village_model_add(request, pk: int):
    village = get_village(request, pk)
    require(request.user, MANAGE, village)
    form = VillageModelForm(request.POST, district=district_of(village))
    if form.is_valid():
        try:
            services.village_model_add(village=village, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The development model was added."))
    else:
        messages.error(request, _("Choose a development model."))
    return redirect("economy:village-detail", village.pk)


@login_required
@require_POST
def village_model_remove(request, pk: int):
    link = get_object_or_404(VillageModel.objects.for_user(request.user), pk=pk)
    require(request.user, MANAGE, link.village)
    link.delete()
    messages.success(request, _("The development model was removed."))
    return redirect("economy:village-detail", link.village_id)


# Catalogue: bands and development models ----------------------------------------------------


def _district(request) -> Unit:
    return district_of(scope_unit(request))


@login_required
def catalogue(request):
    unit = scope_unit(request)
    district = district_of(unit)
    models = _models_with_counts(district, unit)
    can_edit = access.can(request.user, MANAGE, district)
    return render(
        request,
        "economy/catalogue.html",
        {
            **base_context(request, unit, scope_year(request), "catalogue"),
            "district": district,
            "bands": IncomeBand.objects.filter(district=district),
            "models": models,
            "can_edit": can_edit,
            "band_form": BandForm(),
            "model_form": DevelopmentModelForm(),
        },
    )


def _models_with_counts(district: Unit, unit: Unit):
    return (
        DevelopmentModel.objects.filter(district=district)
        .annotate(
            village_count=Count("villages", filter=Q(villages__village__path__startswith=unit.path))
        )
        .order_by("order", "pk")
    )


def _catalogue_url(district: Unit) -> str:
    return reverse("economy:catalogue") + f"?unit={district.pk}"


@login_required
@require_POST
def band_save(request):
    district = _district(request)
    require(request.user, MANAGE, district)
    form = BandForm(request.POST)
    if form.is_valid():
        try:
            services.band_save(district=district, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The band was saved."))
    else:
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
    return redirect(_catalogue_url(district))


@login_required
@require_POST
def band_delete(request, pk: int):
    band = get_object_or_404(IncomeBand.objects.for_user(request.user), pk=pk)
    require(request.user, MANAGE, band.district)
    band.delete()
    messages.success(request, _("The band was removed."))
    return redirect(_catalogue_url(band.district))


@login_required
@require_POST
def model_save(request):
    district = _district(request)
    require(request.user, MANAGE, district)
    form = DevelopmentModelForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _model, created = DevelopmentModel.objects.get_or_create(
            district=district,
            name=data["name"],
            defaults={"description": data["description"], "order": data["order"] or 0},
        )
        if created:
            messages.success(request, _("The development model was added."))
        else:
            messages.error(request, _("The district has a model with this name."))
    else:
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
    return redirect(_catalogue_url(district))
