"""The talent registry and talent service requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access
from governance.pages import form_error, paginate
from teams.forms.talent import TalentForm, TalentRequestForm
from teams.models import (
    Talent,
    TalentRequest,
)
from teams.services import talent as services
from teams.views.pages import (
    Cell,
    Table,
    filter_units,
    form_page,
    need,
    need_reader,
    render_table,
    unit_filter,
    within,
)


@login_required
@require_GET
def talent_list(request):
    need_reader(request.user)
    talents, unit = within(request, Talent.objects.for_user(request.user))
    category = request.GET.get("category", "")
    if category in Talent.Category.values:
        talents = talents.filter(category=category)
    page = paginate(
        request,
        talents.select_related("person", "unit")
        .annotate(request_count=Count("requests"))
        .order_by("-registered_on", "pk"),
    )
    can_edit = access.can(request.user, "manage_people")
    table = Table(
        _("Talent registry"),
        [
            _("Full name"),
            _("Talent category"),
            _("Specialty"),
            _("Employer"),
            _("Registered at"),
            _("Registered on"),
            _("Requests"),
        ],
        actions=[
            *([(_("Register a talent"), reverse("teams:talent-create"))] if can_edit else []),
            (_("Service window requests"), reverse("teams:talent-requests")),
            (_("Salons and seminars"), reverse("teams:salon-list")),
        ],
        filters=[
            unit_filter(request, unit),
            {
                "name": "category",
                "label": _("Talent category"),
                "value": category,
                "choices": Talent.Category.choices,
            },
        ],
    )
    for t in page:
        table.rows.append(
            [
                Cell(t.person.name, t.person.get_absolute_url()),
                Cell(t.get_category_display()),
                Cell(t.specialty),
                Cell(t.employer),
                Cell(t.unit.name),
                Cell(f"{t.registered_on:%Y-%m-%d}"),
                Cell(t.request_count, num=True),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


@login_required
@require_http_methods(["GET", "POST"])
def talent_create(request):
    need(request.user, "manage_people")
    form = TalentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["unit"])
        try:
            services.talent_register(actor=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Talent registered."))
            return redirect("teams:talent-list")
    return form_page(
        request, form, _("Register a talent"), "teams:talent-list", _("Talent registry")
    )


@login_required
@require_GET
def talent_requests(request):
    need_reader(request.user)
    requests_, unit = within(request, TalentRequest.objects.for_user(request.user))
    status = request.GET.get("status", "")
    if status in TalentRequest.Status.values:
        requests_ = requests_.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in TalentRequest.Kind.values:
        requests_ = requests_.filter(kind=kind)
    page = paginate(
        request,
        requests_.select_related("talent__person", "talent__unit").order_by("-submitted_on", "-pk"),
    )
    can_edit = access.can(request.user, "manage_people")
    return render(
        request,
        "teams/talent_requests.html",
        {
            "page": page,
            "unit": unit,
            "status": status,
            "kind": kind,
            "statuses": TalentRequest.Status.choices,
            "kinds": TalentRequest.Kind.choices,
            "units": filter_units(request.user, (1, 2, 3)),
            "can_edit": can_edit,
            "transitions": {
                k: [(s, TalentRequest.Status(s).label) for s in v]
                for k, v in TalentRequest.TRANSITIONS.items()
            },
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def talent_request_create(request):
    need(request.user, "manage_people")
    form = TalentRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["talent"].unit)
        try:
            services.talent_request_create(actor=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Request recorded."))
            return redirect("teams:talent-requests")
    return form_page(
        request, form, _("Record a request"), "teams:talent-requests", _("Service window requests")
    )


@login_required
@require_POST
def talent_request_transition(request, pk: int):
    found = get_object_or_404(
        TalentRequest.objects.for_user(request.user).select_related("talent__unit"), pk=pk
    )
    need(request.user, "manage_people", found.talent.unit)
    try:
        services.talent_request_transition(
            actor=request.user,
            request=found,
            to=request.POST.get("to", ""),
            on=timezone.localdate(),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Status changed to “%(status)s”.") % {"status": found.get_status_display()}
        )
    return redirect("teams:talent-requests")
