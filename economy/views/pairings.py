"""Village–enterprise pairing (村企结对共建): list, record, a pairing's yearly results and its end,
and the pairings sheet (import and export). economy.services decides who may write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from economy import figures as fig
from economy import services
from economy.forms import PairingEndForm, PairingForm, PairingResultForm
from economy.models import Pairing
from economy.resources.pairings import PairingSheet
from economy.views.tabs import page_unit, page_year, page_year_or_all, tab_context
from governance import access
from governance.htmx import render_page
from governance.importing import import_page
from governance.pages import form_error, paginate
from governance.params import id_param


def _errors(form) -> str:
    return " ".join(m for ms in form.errors.values() for m in ms)


def _refuse_unless_manager(request, unit) -> None:
    """A form posted with errors by who may not write here is refused as the service would."""
    if not services.may(request.user, unit):
        raise PermissionDenied


# Pairings ---------------------------------------------------------------------------------


@login_required
def pairing_list(request):
    unit = page_unit(request)
    year = page_year_or_all(request)
    qs = fig.pairings_of(unit, year, request.user)
    if enterprise := id_param(request, "enterprise"):
        qs = qs.filter(enterprise_id=enterprise)
    qs = qs.select_related("village", "village__parent", "enterprise").order_by(
        "village__path", "enterprise__name", "pk"
    )
    page = paginate(request, qs)
    context = tab_context(request, unit, year or page_year(request), "pairings")
    context.update(
        {"page": page, "all_years": year is None, "can_create": services.may(request.user, None)}
    )
    return render_page(request, "economy/pairing_list.html", context, "rows")


@login_required
@require_http_methods(["GET", "POST"])
def pairing_create(request):
    if not services.may(request.user, None):
        raise PermissionDenied
    initial = {}
    if village := id_param(request, "village"):
        initial["village"] = village
    form = PairingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pairing = services.pairing_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The pairing was recorded."))
            return redirect("economy:pairing-detail", pairing.pk)
    return render(
        request, "economy/pairing_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _pairing(request, pk: int) -> Pairing:
    return get_object_or_404(
        Pairing.objects.for_user(request.user).select_related(
            "village", "village__parent", "enterprise", "enterprise__unit"
        ),
        pk=pk,
    )


@login_required
def pairing_detail(request, pk: int):
    pairing = _pairing(request, pk)
    return render(
        request,
        "economy/pairing_detail.html",
        {
            "pairing": pairing,
            "results": pairing.results.all(),
            "can_manage": services.may(request.user, pairing.village),
            "result_form": PairingResultForm(),
            "end_form": PairingEndForm(),
        },
    )


@login_required
@require_POST
def pairing_result(request, pk: int):
    pairing = _pairing(request, pk)
    form = PairingResultForm(request.POST)
    if not form.is_valid():
        _refuse_unless_manager(request, pairing.village)
        messages.error(request, _errors(form))
        return redirect("economy:pairing-detail", pairing.pk)
    data = dict(form.cleaned_data)
    data["jobs"] = data["jobs"] or 0
    try:
        services.pairing_result_record(pairing=pairing, actor=request.user, **data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The year's results were recorded."))
    return redirect("economy:pairing-detail", pairing.pk)


@login_required
@require_POST
def pairing_end(request, pk: int):
    pairing = _pairing(request, pk)
    form = PairingEndForm(request.POST)
    if not form.is_valid():
        _refuse_unless_manager(request, pairing.village)
        messages.error(request, _errors(form))
    else:
        try:
            services.pairing_end(
                pairing=pairing, actor=request.user, on=form.cleaned_data["ended_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The pairing was ended."))
    return redirect("economy:pairing-detail", pairing.pk)


# The pairings sheet -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pairing_import(request, kind: str = "pairings"):
    if not services.may(request.user, None):
        raise PermissionDenied
    sheet = PairingSheet(request.user)
    return import_page(
        request, sheet, title=sheet.page_title(), back_url=reverse("economy:pairing-list")
    )


@login_required
@require_GET
def pairing_export(request, kind: str = "pairings"):
    if not access.can(request.user, "export"):
        raise PermissionDenied
    return PairingSheet(request.user).response(page_unit(request), page_year_or_all(request))
