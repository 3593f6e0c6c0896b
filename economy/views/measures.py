"""Income measures (增收措施): list (drill-down of the figures: done, late, open), add, edit, one
POST per status step, and the measures sheet (import and export); a measure past its deadline
without being done shows red. economy.services decides who may write."""

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
from economy.forms import MeasureForm
from economy.models import IncomeMeasure
from economy.resources.measures import MeasureSheet
from economy.views.tabs import page_unit, page_year, page_year_or_all, tab_context
from governance import access
from governance.htmx import is_partial, render_page
from governance.importing import import_page
from governance.pages import form_error, paginate
from governance.params import id_param
from governance.redirects import next_url

STATES = ("done", "late", "open")


@login_required
def measure_list(request):
    unit = page_unit(request)
    year = page_year_or_all(request)
    today = timezone.localdate()
    state = request.GET.get("state", "")
    qs = fig.measures_in_state(fig.measures_of(unit, year, request.user), state, today)
    if village := id_param(request, "village"):
        qs = qs.filter(village_id=village)
    qs = qs.select_related("village", "village__parent").order_by("deadline", "pk")
    page = paginate(request, qs)
    context = tab_context(request, unit, year or page_year(request), "measures")
    context.update(
        {
            "page": page,
            "state": state,
            "all_years": year is None,
            "today": today,
            "can_create": services.may(request.user, None),
        }
    )
    return render_page(request, "economy/measure_list.html", context, "rows")


def _get(request, pk: int) -> IncomeMeasure:
    return get_object_or_404(
        IncomeMeasure.objects.for_user(request.user).select_related("village", "village__parent"),
        pk=pk,
    )


def _values(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "village"}


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request):
    if not services.may(request.user, None):
        raise PermissionDenied
    initial = {}
    if village := id_param(request, "village"):
        initial["village"] = village
    form = MeasureForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        village = form.cleaned_data["village"]
        try:
            measure = services.measure_create(village=village, actor=request.user, **_values(form))
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The measure was added."))
            return redirect("economy:village-detail", measure.village_id)
    return render(
        request,
        "economy/measure_form.html",
        {"form": form, "measure": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request, pk: int):
    measure = _get(request, pk)
    if not services.may(request.user, measure.village):
        raise PermissionDenied
    initial = {
        f: getattr(measure, f)
        for f in ("title", "owner_name", "target_amount", "deadline", "status", "note")
    }
    initial["village"] = measure.village_id
    form = MeasureForm(request.POST or None, user=request.user, initial=initial)
    form.fields["village"].disabled = True
    form.fields["status"].disabled = True  # moved by the status buttons, which check the step
    if request.method == "POST" and form.is_valid():
        values = _values(form)
        values.pop("status")
        try:
            services.measure_update(measure=measure, actor=request.user, **values)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The measure was saved."))
            return redirect("economy:village-detail", measure.village_id)
    return render(
        request,
        "economy/measure_form.html",
        {"form": form, "measure": measure},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def measure_status(request, pk: int):
    measure = _get(request, pk)
    error = None
    try:
        measure = services.measure_set_status(
            measure=measure, actor=request.user, status=request.POST.get("status", "")
        )
    except ValidationError as e:
        error = e
    if error is not None:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” is now “%(status)s”.")
            % {"title": measure.title, "status": measure.get_status_display()},
        )
    if is_partial(request):
        measure = _get(request, pk)
        return render(
            request,
            "economy/_measure_row.html",
            {"m": measure, "today": timezone.localdate()},
            status=400 if error else 200,
        )
    return redirect(next_url(request, reverse("economy:measure-list")))


# The measures sheet -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def measure_import(request, kind: str = "measures"):
    if not services.may(request.user, None):
        raise PermissionDenied
    sheet = MeasureSheet(request.user)
    return import_page(
        request, sheet, title=sheet.page_title(), back_url=reverse("economy:measure-list")
    )


@login_required
@require_GET
def measure_export(request, kind: str = "measures"):
    if not access.can(request.user, "export"):
        raise PermissionDenied
    return MeasureSheet(request.user).response(page_unit(request), page_year_or_all(request))
