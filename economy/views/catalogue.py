"""The district's catalogue: income bands and development models (kept by who keeps the
district's records; services decide)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from economy import services
from economy.forms import BandForm, DevelopmentModelForm
from economy.models import DevelopmentModel, IncomeBand
from economy.views.tabs import page_unit, page_year, tab_context
from governance.models import Unit

# Catalogue: bands and development models ----------------------------------------------------


def _district(request) -> Unit:
    return page_unit(request).district


@login_required
def catalogue(request):
    unit = page_unit(request)
    district = unit.district
    models = _models_with_counts(district, unit)
    can_edit = services.may(request.user, district)
    return render(
        request,
        "economy/catalogue.html",
        {
            **tab_context(request, unit, page_year(request), "catalogue"),
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
    form = BandForm(request.POST)
    if form.is_valid():
        try:
            services.band_save(district=district, actor=request.user, **form.cleaned_data)
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
    services.band_delete(band=band, actor=request.user)
    messages.success(request, _("The band was removed."))
    return redirect(_catalogue_url(band.district))


@login_required
@require_POST
def model_save(request):
    district = _district(request)
    form = DevelopmentModelForm(request.POST)
    if form.is_valid():
        try:
            services.development_model_create(
                district=district, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The development model was added."))
    else:
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
    return redirect(_catalogue_url(district))
