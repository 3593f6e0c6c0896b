"""Villages and their collective incomes: the village list (drill-down of the figures), a
village's page, recording a year's income, the development models a village follows, and the
incomes sheet (import and export).

Every object is read through `for_user` (404 outside the user's scope); unsafe methods are POST
only; economy.services decides who may write (PermissionDenied: 403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from economy import figures as fig
from economy import services
from economy.forms import IncomeForm, VillageModelForm
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
from economy.resources.incomes import IncomeSheet
from economy.views.tabs import page_unit, page_year, page_year_or_all, tab_context
from governance import access
from governance.htmx import render_page
from governance.importing import import_page
from governance.models import Unit
from governance.pages import form_error, paginate
from governance.params import id_param


def get_village(request, pk: int) -> Unit:
    return get_object_or_404(
        Unit.objects.for_user(request.user).filter(kind__in=VILLAGE_KINDS), pk=pk
    )


# Villages ---------------------------------------------------------------------------------


@login_required
def village_list(request):
    unit = page_unit(request)
    year = page_year(request)
    rows = fig.village_rows(unit, year, user=request.user)
    band, move = request.GET.get("band", ""), request.GET.get("move", "")
    model = id_param(request, "model")
    rows = fig.filter_rows(rows, band=band, move=move)
    if model:
        following = set(
            VillageModel.objects.filter(model_id=model).values_list("village_id", flat=True)
        )
        rows = [r for r in rows if r.village.pk in following]
    page = paginate(request, rows)
    district = unit.district
    return render_page(
        request,
        "economy/village_list.html",
        {
            **tab_context(request, unit, year, "villages"),
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
    district = village.district
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
            "can_manage": services.may(request.user, village),
            "model_form": VillageModelForm(district=district),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def income_record(request, pk: int):
    village = get_village(request, pk)
    if not services.may(request.user, village):
        raise PermissionDenied
    year = page_year(request)
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
            form_error(form, error)
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
    form = VillageModelForm(request.POST, district=village.district)
    if form.is_valid():
        try:
            services.village_model_add(village=village, actor=request.user, **form.cleaned_data)
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
    services.village_model_remove(link=link, actor=request.user)
    messages.success(request, _("The development model was removed."))
    return redirect("economy:village-detail", link.village_id)


# The incomes sheet ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def income_import(request, kind: str = "incomes"):
    if not services.may(request.user, None):
        raise PermissionDenied
    sheet = IncomeSheet(request.user)
    return import_page(
        request, sheet, title=sheet.page_title(), back_url=reverse("economy:village-list")
    )


@login_required
@require_GET
def income_export(request, kind: str = "incomes"):
    if not access.can(request.user, "export"):
        raise PermissionDenied
    return IncomeSheet(request.user).response(page_unit(request), page_year_or_all(request))
