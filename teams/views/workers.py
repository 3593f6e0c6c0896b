"""Community workers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access
from governance.models import Unit
from governance.pages import form_error, paginate
from governance.params import id_param, month_param
from governance.redirects import next_url
from teams import rules
from teams.forms.workers import ToReserveForm, WorkerForm
from teams.models import (
    CommunityWorker,
    MonthlyScore,
    ReserveCadre,
)
from teams.services import workers as services
from teams.views.pages import (
    Cell,
    Table,
    filter_units,
    need,
    need_reader,
    render_table,
)
from teams.views.secondments import flag_label


@login_required
@require_GET
def worker_list(request):
    need_reader(request.user)
    workers = CommunityWorker.objects.for_user(request.user)
    unit = None
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk)
        workers = workers.within(unit)
    if request.GET.get("all") != "1":
        workers = workers.active()
    # ?scored=YYYY-MM / ?unscored=YYYY-MM: with / without a monthly score for that month.
    months = {name: month_param(request, name) for name in ("scored", "unscored")}
    for name, month in months.items():
        if month is not None:
            with_score = MonthlyScore.objects.filter(month=month).values("worker_id")
            workers = (
                workers.filter(pk__in=with_score)
                if name == "scored"
                else workers.exclude(pk__in=with_score)
            )
    page = paginate(
        request,
        workers.select_related("person", "community__parent").order_by(
            "community__path", "person__name", "pk"
        ),
    )
    can_add = access.can(request.user, "manage_people")
    table = Table(
        _("Community workers"),
        [_("Community"), _("Full name"), _("Post"), _("Age"), _("Worker since")],
        actions=[(_("Add a community worker"), reverse("teams:worker-create"))] if can_add else [],
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
            *(
                {
                    "name": name,
                    "label": label,
                    "type": "month",
                    "value": f"{months[name]:%Y-%m}" if months[name] else "",
                }
                for name, label in (
                    ("scored", _("Scored for the month")),
                    ("unscored", _("Not scored for the month")),
                )
            ),
        ],
    )
    if unit is not None and unit.level == 3:
        table.actions.append((_("Monthly scores"), reverse("teams:scores", args=[unit.pk])))
    day = timezone.localdate()
    for w in page:
        table.rows.append(
            [
                Cell(f"{w.community.parent.name} · {w.community.name}"),
                Cell(w.person.name, reverse("teams:worker-detail", args=[w.pk])),
                Cell(w.post),
                Cell(rules.age_on(w.person.birth_date, day) or "—", num=True),
                Cell(f"{w.started_on:%Y-%m-%d}"),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


@login_required
@require_http_methods(["GET", "POST"])
def worker_create(request):
    need(request.user, "manage_people")
    form = WorkerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["community"])
        try:
            worker = services.worker_create(actor=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Community worker added."))
            return redirect("teams:worker-detail", worker.pk)
    return render(
        request,
        "teams/form.html",
        {
            "form": form,
            "title": _("Add a community worker"),
            "back_url": reverse("teams:worker-list"),
            "back_label": _("Community workers"),
        },
    )


@login_required
@require_GET
def worker_detail(request, pk: int):
    need_reader(request.user)
    worker = get_object_or_404(
        CommunityWorker.objects.for_user(request.user).select_related(
            "person__unit", "community__parent"
        ),
        pk=pk,
    )
    day = timezone.localdate()
    return render(
        request,
        "teams/worker_detail.html",
        {
            "worker": worker,
            "age": rules.age_on(worker.person.birth_date, day),
            "scores": worker.scores.order_by("-month")[:12],
            "quarters": worker.quarters.order_by("-year", "-quarter")[:8],
            "secondments": [
                (s, [flag_label(f) for f in s.flags(day)])
                for s in worker.secondments.order_by("-started_on")
            ],
            "in_reserve": ReserveCadre.objects.active()
            .filter(village=worker.community, person=worker.person)
            .exists(),
            "can_edit": access.can(request.user, "manage_people", worker.community),
            "reserve_form": ToReserveForm(),
        },
    )


@login_required
@require_POST
def worker_to_reserve(request, pk: int):
    worker = get_object_or_404(
        CommunityWorker.objects.for_user(request.user).select_related("person", "community"),
        pk=pk,
    )
    need(request.user, "manage_people", worker.community)
    form = ToReserveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the worker's education."))
    else:
        try:
            services.worker_to_reserve(
                actor=request.user,
                worker=worker,
                education=form.cleaned_data["education"],
                on=timezone.localdate(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s joined the reserve cadres of %(community)s.")
                % {"name": worker.person.name, "community": worker.community.name},
            )
    return redirect(next_url(request, reverse("teams:worker-detail", args=[pk])))
