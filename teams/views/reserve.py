"""Reserve cadres of the villages and communities."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from governance import access
from governance.models import Unit
from governance.pages import form_error, paginate
from governance.params import id_param
from teams import figures, resources, rules
from teams.forms.reserve import ReserveForm
from teams.models import (
    Attendance,
    ReserveCadre,
)
from teams.services import reserve as services
from teams.views.pages import (
    Cell,
    Table,
    filter_units,
    need,
    need_reader,
    page_territory,
    render_table,
)


def _reserve_filtered(request):
    cadres = ReserveCadre.objects.for_user(request.user)
    unit = None
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk)
        cadres = cadres.within(unit)
    if request.GET.get("all") != "1":
        cadres = cadres.active()
    return cadres, unit


@login_required
@require_GET
def reserve_list(request):
    need_reader(request.user)
    cadres, unit = _reserve_filtered(request)
    page = paginate(
        request,
        cadres.select_related("village__parent", "person").order_by(
            "village__path", "added_on", "pk"
        ),
    )
    ids = [c.person_id for c in page]
    trained = dict(
        Attendance.objects.filter(person_id__in=ids)
        .values_list("person_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    can_edit = access.can(request.user, "manage_people")
    table = Table(
        _("Reserve cadres"),
        [
            _("Village / community"),
            _("Full name"),
            _("Age"),
            _("Education"),
            _("Source"),
            _("Added on"),
            _("Trainings attended"),
            "",
        ],
        actions=[
            *([(_("Add a reserve cadre"), reverse("teams:reserve-create"))] if can_edit else []),
            (_("Villages below the minimum"), reverse("teams:reserve-shortfall")),
            *(
                [
                    (
                        _("Export (.xlsx)"),
                        reverse("teams:reserve-export")
                        + (f"?{request.GET.urlencode()}" if request.GET else ""),
                    )
                ]
                if access.can(request.user, "export")
                else []
            ),
        ],
        filters=[
            {
                "name": "unit",
                "label": _("Unit"),
                "value": unit.pk if unit else "",
                "choices": [(u.pk, u.name) for u in filter_units(request.user)],
            },
            {
                "name": "all",
                "label": _("Show"),
                "value": request.GET.get("all", ""),
                "choices": [("1", _("Including those who left"))],
            },
        ],
    )
    day = timezone.localdate()
    for cadre in page:
        leave = Cell()
        if can_edit and cadre.removed_on is None:
            leave = Cell(_("Leave the reserve"), reverse("teams:reserve-leave", args=[cadre.pk]))
        elif cadre.removed_on:
            leave = Cell(_("Left %(date)s") % {"date": f"{cadre.removed_on:%Y-%m-%d}"}, tag="grey")
        table.rows.append(
            [
                Cell(f"{cadre.village.parent.name} · {cadre.village.name}"),
                Cell(cadre.person.name, cadre.person.get_absolute_url()),
                Cell(rules.age_on(cadre.person.birth_date, day) or "—", num=True),
                Cell(cadre.get_education_display()),
                Cell(cadre.get_source_display()),
                Cell(f"{cadre.added_on:%Y-%m-%d}"),
                Cell(trained.get(cadre.person_id, 0), num=True),
                leave,
            ]
        )
    return render_table(request, table, page, page.paginator.count, leave_post=True)


@login_required
@require_GET
def reserve_export(request):
    need(request.user, "export")
    cadres, _unit = _reserve_filtered(request)
    return resources.reserve_export(user=request.user, cadres=cadres)


@login_required
@require_http_methods(["GET", "POST"])
def reserve_create(request):
    need(request.user, "manage_people")
    initial = {"village": id_param(request, "village")}
    form = ReserveForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["village"])
        try:
            services.reserve_add(actor=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Reserve cadre added."))
            return redirect(reverse("teams:reserve-list") + f"?unit={data['village'].pk}")
    return render(
        request,
        "teams/form.html",
        {
            "form": form,
            "title": _("Add a reserve cadre"),
            "back_url": reverse("teams:reserve-list"),
            "back_label": _("Reserve cadres"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reserve_leave(request, pk: int):
    cadre = get_object_or_404(
        ReserveCadre.objects.for_user(request.user).select_related("person", "village"), pk=pk
    )
    need(request.user, "manage_people", cadre.village)
    if request.method == "POST":
        try:
            services.reserve_remove(actor=request.user, cadre=cadre, on=timezone.localdate())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s left the reserve.") % {"name": cadre.person.name})
        return redirect(reverse("teams:reserve-list") + f"?unit={cadre.village_id}")
    return render(
        request,
        "teams/confirm.html",
        {
            "title": _("Take %(name)s off the reserve of %(village)s?")
            % {"name": cadre.person.name, "village": cadre.village.name},
            "back_url": reverse("teams:reserve-list"),
        },
    )


@login_required
@require_GET
def reserve_shortfall(request):
    need_reader(request.user)
    unit = page_territory(request)
    if unit is None:
        raise PermissionDenied
    data = figures.reserve_figures(unit, user=request.user)
    below = figures.shortfall(unit)
    page = paginate(request, below)
    return render(
        request,
        "teams/shortfall.html",
        {
            "unit": unit,
            "data": data,
            "page": page,
            "can_add": access.can(request.user, "manage_people"),
        },
    )
