"""Training sessions, their sign-in lists, the export and who is not trained yet."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access
from governance.importing import import_page
from governance.models import Unit
from governance.pages import date_range, form_error, paginate
from governance.params import id_param
from governance.uploads import file_response
from teams import figures, resources
from teams.forms.scoped import resolve_person
from teams.forms.training import AttendForm, TrainingForm
from teams.models import (
    Attendance,
    Tier,
    Topic,
    TrainingSession,
)
from teams.services import training as services
from teams.views.pages import (
    Cell,
    Table,
    filter_units,
    need,
    need_reader,
    page_territory,
    render_table,
    year_arg,
)


def _training_filtered(request):
    sessions = TrainingSession.objects.for_user(request.user)
    params = {}
    unit = None
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk)
        sessions = sessions.within(unit)
        params["unit"] = unit.pk
    tier = request.GET.get("tier")
    if tier in Tier.values:
        sessions = sessions.filter(tier=tier)
        params["tier"] = tier
    topic = request.GET.get("topic")
    if topic in Topic.values:
        sessions = sessions.filter(topic=topic)
        params["topic"] = topic
    today = timezone.localdate()
    start, end = date_range(request, datetime.date(today.year, 1, 1), today)
    if request.GET.get("from") or request.GET.get("to") or request.GET.get("year"):
        if request.GET.get("year"):
            year = year_arg(request)
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        sessions = sessions.filter(held_on__gte=start, held_on__lte=end)
        params.update({"from": start.isoformat(), "to": end.isoformat()})
    return sessions, params


@login_required
@require_GET
def training_list(request):
    need_reader(request.user)
    sessions, params = _training_filtered(request)
    page = paginate(
        request,
        sessions.select_related("unit")
        .annotate(people=Count("attendances"))
        .order_by("-held_on", "-pk"),
    )
    table = Table(
        _("Training sessions"),
        [
            _("Date"),
            _("Title"),
            _("Tier"),
            _("Topic"),
            _("Organised by"),
            _("Trainer"),
            _("People"),
        ],
        actions=[(_("Add a training session"), reverse("teams:training-create"))]
        if access.can(request.user, "manage_people")
        else [],
        filters=[
            {
                "name": "unit",
                "label": _("Unit"),
                "value": params.get("unit", ""),
                "choices": [(u.pk, u.name) for u in filter_units(request.user, (1, 2, 3))],
            },
            {
                "name": "tier",
                "label": _("Tier"),
                "value": params.get("tier", ""),
                "choices": Tier.choices,
            },
            {
                "name": "topic",
                "label": _("Topic"),
                "value": params.get("topic", ""),
                "choices": Topic.choices,
            },
            {"name": "from", "label": _("From"), "type": "date", "value": params.get("from", "")},
            {"name": "to", "label": _("To"), "type": "date", "value": params.get("to", "")},
        ],
    )
    if access.can(request.user, "export"):
        query = request.GET.urlencode()
        table.actions.append(
            (_("Export (.xlsx)"), reverse("teams:training-export") + (f"?{query}" if query else ""))
        )
    for s in page:
        table.rows.append(
            [
                Cell(f"{s.held_on:%Y-%m-%d}"),
                Cell(s.title, s.get_absolute_url()),
                Cell(s.get_tier_display()),
                Cell(s.get_topic_display()),
                Cell(s.unit.name),
                Cell(s.trainer),
                Cell(s.people, num=True),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


@login_required
@require_GET
def training_export(request):
    need(request.user, "export")
    sessions, _params = _training_filtered(request)
    return resources.training_export(user=request.user, sessions=sessions)


def _training_form_page(request, session=None):
    form = TrainingForm(
        request.POST or None, request.FILES or None, instance=session, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        need(request.user, "manage_people", unit)
        try:
            if session is None:
                session = services.training_create(actor=request.user, unit=unit, **data)
            else:
                session = services.training_update(actor=request.user, session=session, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Training session saved."))
            return redirect(session)
    return render(
        request,
        "teams/form.html",
        {
            "form": form,
            "title": _("Edit training session") if session else _("Add a training session"),
            "back_url": reverse("teams:training-list"),
            "back_label": _("Training sessions"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request):
    need(request.user, "manage_people")
    return _training_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request, pk: int):
    session = get_object_or_404(TrainingSession.objects.for_user(request.user), pk=pk)
    need(request.user, "manage_people", session.unit)
    return _training_form_page(request, session)


@login_required
@require_GET
def training_detail(request, pk: int):
    need_reader(request.user)
    session = get_object_or_404(
        TrainingSession.objects.for_user(request.user).select_related("unit"), pk=pk
    )
    attendances = (
        Attendance.objects.filter(session=session)
        .select_related("person__unit")
        .order_by("person__unit__path", "person__name")
    )
    return render(
        request,
        "teams/training_detail.html",
        {
            "session": session,
            "attendances": attendances,
            "can_edit": access.can(request.user, "manage_people", session.unit),
            "attend_form": AttendForm(),
        },
    )


@login_required
@require_GET
def training_materials(request, pk: int):
    """The session's materials, to whoever may open the session; uploads are never public."""
    need_reader(request.user)
    session = get_object_or_404(TrainingSession.objects.for_user(request.user), pk=pk)
    return file_response(session.materials, download=True)


@login_required
@require_POST
def training_attend(request, pk: int):
    session = get_object_or_404(TrainingSession.objects.for_user(request.user), pk=pk)
    need(request.user, "manage_people", session.unit)
    form = AttendForm(request.POST)
    if form.is_valid():
        names = [
            n
            for n in form.cleaned_data["people"].replace("，", ",").replace("\n", ",").split(",")
            if n.strip()
        ]
        people, problems = [], []
        for name in names:
            try:
                people.append(resolve_person(request.user, name))
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            for problem in problems:
                messages.error(request, problem)
            messages.error(request, _("Nobody was added; correct the names and try again."))
        else:
            try:
                added = services.attendance_add(actor=request.user, session=session, people=people)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("%(count)d added to the sign-in list.") % {"count": added}
                )
    return redirect(session)


@login_required
@require_POST
def training_unattend(request, pk: int, person_pk: int):
    session = get_object_or_404(TrainingSession.objects.for_user(request.user), pk=pk)
    need(request.user, "manage_people", session.unit)
    if services.attendance_remove(actor=request.user, session=session, person_id=person_pk):
        messages.success(request, _("Removed from the sign-in list."))
    return redirect(session)


@login_required
@require_http_methods(["GET", "POST"])
def training_import(request, pk: int):
    """Upload a sign-in sheet, see who it names, then put them all on the list (or nobody)."""
    session = get_object_or_404(
        TrainingSession.objects.for_user(request.user).select_related("unit"), pk=pk
    )
    need(request.user, "manage_people", session.unit)
    return import_page(
        request,
        resources.SignInImporter(request.user, session=session),
        title=_("Import sign-in sheet") + " · " + session.title,
        back_url=session.get_absolute_url(),
    )


@login_required
@require_GET
def untrained(request):
    need_reader(request.user)
    unit = page_territory(request)
    if unit is None:
        raise PermissionDenied
    day = timezone.localdate()
    year = year_arg(request)
    people = figures.not_trained(unit, year, day, user=request.user)
    page = paginate(request, people.select_related("unit").order_by("unit__path", "name", "pk"))
    table = Table(
        _("Not trained in %(year)s · %(unit)s") % {"year": year, "unit": unit.name},
        [_("Full name"), _("Unit"), _("Posts held")],
        note=_(
            "Community workers, village leaders in office and reserve cadres who are on no "
            "sign-in list of a session held this year."
        ),
        filters=[
            {
                "name": "unit",
                "label": _("Unit"),
                "value": unit.pk,
                "choices": [(u.pk, u.name) for u in filter_units(request.user, (1, 2, 3))],
            },
            {"name": "year", "label": _("Year"), "value": year, "type": "number"},
        ],
        empty=_("Everyone has been trained this year."),
    )
    for person in page:
        table.rows.append(
            [
                Cell(person.name, person.get_absolute_url()),
                Cell(person.unit.name),
                Cell(person.posts),
            ]
        )
    return render_table(request, table, page, page.paginator.count)
