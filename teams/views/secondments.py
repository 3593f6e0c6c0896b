"""Secondments of community workers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from governance import access
from governance.models import Unit
from governance.pages import form_error, paginate
from governance.params import id_param
from teams.forms.secondments import SecondmentForm
from teams.models import (
    Secondment,
)
from teams.services import secondments as services
from teams.views.pages import (
    Cell,
    Table,
    filter_units,
    need,
    need_reader,
    render_table,
)


def flag_label(flag: str) -> str:
    """What a secondment's flag (Secondment.flags) means, in words."""
    return {
        "unapproved": _("Approval missing"),
        "overdue": _("Not back after the planned end"),
        "overlong": _("Longer than allowed"),
    }[flag]


@login_required
@require_GET
def secondment_list(request):
    need_reader(request.user)
    day = timezone.localdate()
    secondments = Secondment.objects.for_user(request.user)
    unit = None
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk)
        secondments = secondments.within(unit)
    flag = request.GET.get("flag", "")
    if flag == "any":
        secondments = secondments.flagged(day)
    elif flag == "unapproved":
        secondments = secondments.unapproved()
    elif flag == "overdue":
        secondments = secondments.overdue(day)
    elif flag == "overlong":
        secondments = secondments.overlong(day)
    elif flag == "away":
        secondments = secondments.filter(returned_on__isnull=True)
    page = paginate(
        request,
        secondments.select_related("worker__person", "worker__community").order_by(
            "-started_on", "-pk"
        ),
    )
    can_edit = access.can(request.user, "manage_people")
    table = Table(
        _("Secondments"),
        [
            _("Community"),
            _("Full name"),
            _("Seconded to"),
            _("From"),
            _("Until (planned)"),
            _("Returned on"),
            _("Approval"),
            _("Flags"),
            "",
        ],
        actions=[(_("Record a secondment"), reverse("teams:secondment-create"))]
        if can_edit
        else [],
        filters=[
            {
                "name": "unit",
                "label": _("Unit"),
                "value": unit.pk if unit else "",
                "choices": [(u.pk, u.name) for u in filter_units(request.user)],
            },
            {
                "name": "flag",
                "label": _("Show"),
                "value": flag,
                "choices": [
                    ("any", _("Flagged")),
                    ("unapproved", _("Approval missing")),
                    ("overdue", _("Not back after the planned end")),
                    ("overlong", _("Longer than allowed")),
                    ("away", _("Still away")),
                ],
            },
        ],
    )
    for s in page:
        flags = s.flags(day)
        table.rows.append(
            [
                Cell(s.worker.community.name),
                Cell(s.worker.person.name, reverse("teams:worker-detail", args=[s.worker_id])),
                Cell(s.to_office),
                Cell(f"{s.started_on:%Y-%m-%d}"),
                Cell(f"{s.planned_end_on:%Y-%m-%d}"),
                Cell(f"{s.returned_on:%Y-%m-%d}" if s.returned_on else "—"),
                Cell(s.approval_document or "—"),
                Cell("、".join(flag_label(f) for f in flags), tag="red" if flags else ""),
                Cell(_("Edit"), reverse("teams:secondment-edit", args=[s.pk]))
                if can_edit
                else Cell(),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


def _secondment_page(request, secondment=None):
    form = SecondmentForm(request.POST or None, instance=secondment, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["worker"].community)
        try:
            services.secondment_save(actor=request.user, secondment=secondment, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Secondment saved."))
            return redirect("teams:secondment-list")
    return render(
        request,
        "teams/form.html",
        {
            "form": form,
            "title": _("Secondment"),
            "intro": _(
                "A secondment is flagged while it is not approved, when the worker is not back "
                "after the planned end, or when it runs longer than the district allows."
            ),
            "back_url": reverse("teams:secondment-list"),
            "back_label": _("Secondments"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def secondment_create(request):
    need(request.user, "manage_people")
    return _secondment_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def secondment_edit(request, pk: int):
    secondment = get_object_or_404(
        Secondment.objects.for_user(request.user).select_related("worker__community"), pk=pk
    )
    need(request.user, "manage_people", secondment.worker.community)
    return _secondment_page(request, secondment)
