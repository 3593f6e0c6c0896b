"""Staff pages of the assisted and proxy service requests logged at venues: the log, a new
request, a request's page with its steps, revealing the resident, and the follow-up in a ledger.

Scope: every page starts from `ServiceRequest.objects.for_user(request.user)`, so a row
outside the user's scope is a 404; writing needs LOG_REQUESTS / HANDLE_REQUESTS over the
venue's unit (services.requests), else 403.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access
from governance.htmx import render_page
from governance.masking import mask_name, mask_phone
from governance.models import Unit
from governance.pages import date_range, form_error, paginate
from governance.params import id_param
from venues.forms.requests import (
    RequestForm,
    RequestStepForm,
)
from venues.models import (
    RequestKind,
    RequestStatus,
    ServiceRequest,
    Venue,
)
from venues.services import requests as services

# Service requests -------------------------------------------------------------------------


def _filtered_requests(request):
    user = request.user
    rows = ServiceRequest.objects.for_user(user)
    venue = unit = None
    if venue_pk := id_param(request, "venue"):
        venue = get_object_or_404(Venue.objects.for_user(user), pk=venue_pk)
        rows = rows.filter(venue=venue)
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(user), pk=unit_pk)
        rows = rows.filter(venue__unit__path__startswith=unit.path)
    status = request.GET.get("status") if request.GET.get("status") in RequestStatus.values else ""
    if status:
        rows = rows.filter(status=status)
    kind = request.GET.get("kind") if request.GET.get("kind") in RequestKind.values else ""
    if kind:
        rows = rows.filter(kind=kind)
    start, end = date_range(request)
    tz = timezone.get_current_timezone()
    if start:
        rows = rows.filter(
            received_at__gte=datetime.datetime.combine(start, datetime.time(), tzinfo=tz)
        )
    if end:
        rows = rows.filter(
            received_at__lt=datetime.datetime.combine(
                end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz
            )
        )
    if request.GET.get("followed") == "1":
        rows = rows.filter(ledger_item__isnull=False)
    filters = {
        "venue": venue,
        "unit": unit,
        "status": status,
        "kind": kind,
        "start": start,
        "end": end,
        "followed": request.GET.get("followed") == "1",
    }
    return rows, filters


@login_required
@require_GET
def request_list(request):
    rows, filters = _filtered_requests(request)
    page = paginate(
        request,
        rows.select_related("venue__unit", "matter", "relayed_to").order_by("-received_at", "-pk"),
    )
    user = request.user
    for row in page.object_list:
        # A list never shows full numbers: the request's page reveals them, recorded.
        row.phone_shown = mask_phone(row.resident_phone)
        row.name_shown = (
            row.resident_name
            if access.can(user, "view_personal_data", row.venue.unit)
            else mask_name(row.resident_name)
        )
    context = {
        "page": page,
        "statuses": RequestStatus.choices,
        "kinds": RequestKind.choices,
        "can_log": access.can(user, services.LOG_REQUESTS),
        **filters,
    }
    return render_page(request, "venues/requests/request_list.html", context, "rows")


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    if not access.can(request.user, services.LOG_REQUESTS):
        raise PermissionDenied
    initial = {"venue": pk} if (pk := id_param(request, "venue")) else {}
    form = RequestForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.request_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Request logged."))
            return redirect(row)
    return render(request, "venues/requests/request_form.html", {"form": form})


def _request(request, pk: int) -> ServiceRequest:
    return get_object_or_404(
        ServiceRequest.objects.for_user(request.user).select_related(
            "venue__unit", "matter", "relayed_to", "ledger_item", "created_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def request_detail(request, pk: int):
    return _request_page(request, _request(request, pk))


@login_required
@require_POST
def request_reveal(request, pk: int):
    """The resident's phone in full, for the roles that may see it; recorded."""
    row = _request(request, pk)
    services.request_reveal(request_obj=row, actor=request.user)
    return _request_page(request, row, revealed=True)


def _request_page(request, row: ServiceRequest, *, revealed: bool = False):
    user = request.user
    show = services.may_see_resident(user, row)
    context = {
        "row": row,
        "resident_name": row.resident_name if show else mask_name(row.resident_name),
        "resident_phone": row.resident_phone if revealed else mask_phone(row.resident_phone),
        "can_reveal": show and bool(row.resident_phone) and not revealed,
        "steps": {
            step: services.may_act(user, row, step) and row.status in services.TRANSITIONS[step][0]
            for step in services.TRANSITIONS
        },
        "can_follow_up": row.ledger_item_id is None
        and access.can(user, services.LOG_REQUESTS, row.venue.unit),
        "step_form": RequestStepForm(request_obj=row),
    }
    return render(request, "venues/requests/request_detail.html", context)


@login_required
@require_POST
def request_step(request, pk: int):
    row = _request(request, pk)
    form = RequestStepForm(request.POST, request_obj=row)
    if not form.is_valid():
        messages.error(request, _("Choose a step."))
        return redirect(row)
    try:
        services.request_step(
            request=row,
            step=form.cleaned_data["step"],
            actor=request.user,
            department=form.cleaned_data.get("department"),
            answer=form.cleaned_data.get("answer", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request updated."))
    return redirect(row)


@login_required
@require_POST
def request_follow_up(request, pk: int):
    row = _request(request, pk)
    try:
        item = services.request_follow_up(request=row, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(row)
    messages.success(
        request, _("Registered in the ledger as %(number)s.") % {"number": item.number}
    )
    return redirect(row)
