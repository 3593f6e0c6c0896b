"""Village Party leaders."""

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
from teams import rules
from teams.forms.leaders import LeaderForm
from teams.models import (
    VillageLeader,
)
from teams.services import leaders as services
from teams.views.pages import (
    Cell,
    Table,
    filter_units,
    need,
    need_reader,
    render_table,
)


@login_required
@require_GET
def leader_list(request):
    need_reader(request.user)
    leaders = VillageLeader.objects.for_user(request.user)
    unit = None
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk)
        leaders = leaders.within(unit)
    page = paginate(
        request,
        leaders.select_related("village__parent", "person").order_by(
            "village__path", "-term_start"
        ),
    )
    can_edit = access.can(request.user, "manage_people")
    table = Table(
        _("Village Party leaders"),
        [
            _("Village / community"),
            _("Full name"),
            _("Post"),
            _("Term"),
            _("Age"),
            _("Education"),
            "",
        ],
        actions=[(_("Add a leader"), reverse("teams:leader-create"))] if can_edit else [],
        filters=[
            {
                "name": "unit",
                "label": _("Unit"),
                "value": unit.pk if unit else "",
                "choices": [(u.pk, u.name) for u in filter_units(request.user)],
            }
        ],
    )
    day = timezone.localdate()
    for leader in page:
        term = (
            f"{leader.term_start:%Y-%m}–{leader.term_end:%Y-%m}"
            if leader.term_end
            else (f"{leader.term_start:%Y-%m}–")
        )
        table.rows.append(
            [
                Cell(f"{leader.village.parent.name} · {leader.village.name}"),
                Cell(leader.person.name, leader.person.get_absolute_url()),
                Cell(leader.get_post_display()),
                Cell(term),
                Cell(rules.age_on(leader.person.birth_date, day) or "—", num=True),
                Cell(leader.get_education_display() or "—"),
                Cell(_("Edit"), reverse("teams:leader-edit", args=[leader.pk]))
                if can_edit
                else Cell(),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


def _leader_page(request, leader=None):
    initial = {}
    if leader is not None:
        initial = {
            "village": leader.village,
            "person": leader.person.name,
            "post": leader.post,
            "term_start": leader.term_start,
            "term_end": leader.term_end,
            "education": leader.education,
            "profile": leader.profile,
        }
    form = LeaderForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["village"])
        try:
            services.leader_save(actor=request.user, leader=leader, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Village Party leader saved."))
            return redirect("teams:leader-list")
    return render(
        request,
        "teams/form.html",
        {
            "form": form,
            "title": _("Village Party leader"),
            "back_url": reverse("teams:leader-list"),
            "back_label": _("Village Party leaders"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def leader_create(request):
    need(request.user, "manage_people")
    return _leader_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def leader_edit(request, pk: int):
    leader = get_object_or_404(
        VillageLeader.objects.for_user(request.user).select_related("person", "village"), pk=pk
    )
    need(request.user, "manage_people", leader.village)
    return _leader_page(request, leader)
