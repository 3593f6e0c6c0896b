"""The teams hub, figures, training, village leaders, reserve cadres and the district's rules.

Scope: every page starts from Model.objects.for_user, so a row outside the user's scope is a
404. Reading needs manage_people or view_figures; writing needs manage_people at the unit the
row belongs to (403 otherwise); the district's rules need manage_people at the district.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access, excel
from governance.models import Unit
from governance.params import id_param
from governance.uploads import file_response
from teams import figures, resources, rules, services
from teams.forms import (
    AttendForm,
    CriterionForm,
    LeaderForm,
    PeriodForm,
    PolicyForm,
    ReserveForm,
    SignInImportForm,
    TrainingForm,
    resolve_person,
)
from teams.models import (
    Attendance,
    ReserveCadre,
    ScoreCriterion,
    TeamsPolicy,
    Tier,
    Topic,
    TrainingSession,
    VillageLeader,
)
from teams.views_common import (
    Cell,
    Table,
    filter_units,
    form_error,
    need,
    need_reader,
    page_unit,
    paginate,
    render_table,
    today,
    year_arg,
)

# ---------------------------------------------------------------- hub and figures


@login_required
@require_GET
def index(request):
    need_reader(request.user)
    unit = page_unit(request)
    day = today()
    context = {"unit": unit, "today": day}
    if unit is not None:
        context.update(
            reserve=figures.reserve_figures(unit, user=request.user),
            workers=figures.worker_figures(unit, day, day, user=request.user),
            training=figures.training_figures(
                unit, datetime.date(day.year, 1, 1), day, user=request.user
            ),
            untrained=figures.not_trained(unit, day.year, day, user=request.user).count(),
        )
    return render(request, "teams/index.html", context)


@login_required
@require_GET
def figures_page(request):
    need_reader(request.user)
    unit = page_unit(request)
    if unit is None:
        raise PermissionDenied
    day = today()
    start, end = PeriodForm(request.GET).period(day)
    user = request.user
    context = {
        "unit": unit,
        "start": start,
        "end": end,
        "training": figures.training_figures(unit, start, end, user=user),
        "reserve": figures.reserve_figures(unit, user=user),
        "workers": figures.worker_figures(unit, end, day, user=user),
        "staffing": figures.staffing_figures(unit, start, end, user=user),
        "brands": figures.brand_figures(unit, end.year, user=user),
        "talent": figures.talent_figures(unit, start, end, user=user),
        "employment": figures.employment_figures(unit, start, end, user=user),
        "children": Unit.objects.filter(parent=unit).territory().order_by("path"),
        "ancestors": Unit.objects.for_user(user)
        .filter(path__in=unit.ancestor_paths()[:-1])
        .order_by("path"),
    }
    return render(request, "teams/figures.html", context)


# ---------------------------------------------------------------- training


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
    start, end = PeriodForm(request.GET).period(today())
    if request.GET.get("start") or request.GET.get("end") or request.GET.get("year"):
        if request.GET.get("year"):
            year = year_arg(request)
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        sessions = sessions.filter(held_on__gte=start, held_on__lte=end)
        params.update(start=start.isoformat(), end=end.isoformat())
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
            {"name": "start", "label": _("From"), "type": "date", "value": params.get("start", "")},
            {"name": "end", "label": _("To"), "type": "date", "value": params.get("end", "")},
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
                session = services.training_create(unit=unit, actor=request.user, **data)
            else:
                session = services.training_update(session=session, **data)
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
                added = services.attendance_add(session=session, people=people)
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
    if services.attendance_remove(session=session, person_id=person_pk):
        messages.success(request, _("Removed from the sign-in list."))
    return redirect(session)


@login_required
@require_http_methods(["GET", "POST"])
def training_import(request, pk: int):
    session = get_object_or_404(
        TrainingSession.objects.for_user(request.user).select_related("unit"), pk=pk
    )
    need(request.user, "manage_people", session.unit)
    if request.method == "GET" and request.GET.get("template"):
        return excel.template_response("培训签到", resources.SIGNIN_COLUMNS)
    form = SignInImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = resources.signin_import(
            session=session, user=request.user, data=upload.read(), file_name=upload.name
        )
        if outcome.ok:
            messages.success(
                request,
                _("%(rows)d rows read; %(added)d people added to the sign-in list.")
                % {"rows": outcome.rows, "added": outcome.added},
            )
            return redirect(session)
    return render(
        request,
        "teams/training_import.html",
        {
            "session": session,
            "form": form,
            "outcome": outcome,
            "columns": resources.SIGNIN_COLUMNS,
            "max_rows": resources.MAX_ROWS,
        },
    )


@login_required
@require_GET
def untrained(request):
    need_reader(request.user)
    unit = page_unit(request)
    if unit is None:
        raise PermissionDenied
    day = today()
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


# ---------------------------------------------------------------- village leaders


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
    day = today()
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
            services.leader_save(leader=leader, **data)
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


# ---------------------------------------------------------------- reserve cadres


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
    day = today()
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
            services.reserve_add(**data)
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
            services.reserve_remove(cadre=cadre, on=today())
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
    unit = page_unit(request)
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


# ---------------------------------------------------------------- rules of the district


def _district_of_user(request) -> Unit:
    unit = page_unit(request)
    if unit is None:
        raise PermissionDenied
    # Everyone in a district may read its rules; only its administrators change them.
    return rules.district_of(unit)


@login_required
@require_http_methods(["GET", "POST"])
def rules_page(request):
    need_reader(request.user)
    district = _district_of_user(request)
    can_edit = access.can(request.user, "manage_people", district)
    policy = TeamsPolicy.objects.filter(district=district).first() or TeamsPolicy(district=district)
    policy_form = PolicyForm(instance=policy)
    criterion_form = CriterionForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("form") == "criterion":
            criterion_form = CriterionForm(request.POST)
            if criterion_form.is_valid():
                try:
                    services.criterion_save(district=district, **criterion_form.cleaned_data)
                except ValidationError as error:
                    form_error(criterion_form, error)
                else:
                    messages.success(request, _("Criterion saved."))
                    return redirect(reverse("teams:rules") + f"?unit={district.pk}")
        else:
            policy_form = PolicyForm(request.POST, instance=policy)
            if policy_form.is_valid():
                try:
                    services.policy_update(district=district, **policy_form.cleaned_data)
                except ValidationError as error:
                    form_error(policy_form, error)
                else:
                    messages.success(request, _("Rules saved."))
                    return redirect(reverse("teams:rules") + f"?unit={district.pk}")
    criteria = ScoreCriterion.objects.filter(district=district).order_by("order", "pk")
    return render(
        request,
        "teams/rules.html",
        {
            "district": district,
            "policy_form": policy_form,
            "criterion_form": criterion_form,
            "criteria": criteria,
            "can_edit": can_edit,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk: int):
    criterion = get_object_or_404(ScoreCriterion.objects.for_user(request.user), pk=pk)
    need(request.user, "manage_people", criterion.district)
    form = CriterionForm(
        request.POST or None,
        initial={
            "name": criterion.name,
            "max_points": criterion.max_points,
            "order": criterion.order,
            "is_active": criterion.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(criterion=criterion, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Criterion saved."))
            return redirect(reverse("teams:rules") + f"?unit={criterion.district_id}")
    return render(
        request,
        "teams/form.html",
        {
            "form": form,
            "title": _("Scoring criterion"),
            "back_url": reverse("teams:rules"),
            "back_label": _("Rules and scoring criteria"),
        },
    )
