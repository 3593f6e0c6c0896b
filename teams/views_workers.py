"""Community workers: register, the monthly score sheet, quarterly assessments, the half-year
ranking (with its public page) and secondments.

Scoring is done by the level above the community (township or district staff: manage_people
held strictly above it), so a community does not score its own workers. Publishing a ranking
needs manage_people at the township.
"""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access
from governance.models import Unit
from governance.params import id_param, month_param, number_param
from governance.redirects import next_url
from teams import rules, services
from teams.forms import SecondmentForm, ToReserveForm, WorkerForm
from teams.models import (
    CommunityWorker,
    MonthlyScore,
    QuarterlyAssessment,
    Ranking,
    ReserveCadre,
    ScoreLine,
    Secondment,
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


def _flag_label(flag: str) -> str:
    return {
        "unapproved": _("Approval missing"),
        "overdue": _("Not back after the planned end"),
        "overlong": _("Longer than allowed"),
    }[flag]


# ---------------------------------------------------------------- workers


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
    day = today()
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
            worker = services.worker_create(**data)
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
    day = today()
    return render(
        request,
        "teams/worker_detail.html",
        {
            "worker": worker,
            "age": rules.age_on(worker.person.birth_date, day),
            "scores": worker.scores.order_by("-month")[:12],
            "quarters": worker.quarters.order_by("-year", "-quarter")[:8],
            "secondments": [
                (s, [_flag_label(f) for f in s.flags(day)])
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
                worker=worker, education=form.cleaned_data["education"], on=today()
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


# ---------------------------------------------------------------- monthly score sheet


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal((value or "").strip()) if (value or "").strip() else None
    except InvalidOperation:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def scores(request, community_pk: int):
    """The score sheet of one community for one month: a row per worker, a column per criterion."""
    need_reader(request.user)
    community = get_object_or_404(
        Unit.objects.for_user(request.user).filter(kind__in=Unit.KINDS_BY_LEVEL[3]),
        pk=community_pk,
    )
    day = today()
    # By default the month just ended: scores are entered early in the next month.
    month = month_param(
        request,
        "month",
        rules.add_months(rules.month_start(day), -1),
        data=request.POST if request.POST.get("month") else None,
    )
    can_score = access.can(request.user, "manage_people", community, strictly_above=True)
    criteria = list(services.criteria_for(community))
    workers = list(
        CommunityWorker.objects.active()
        .filter(community=community)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    existing = {
        s.worker_id: s for s in MonthlyScore.objects.filter(worker__in=workers, month=month)
    }
    lines = {
        (line.score_id, line.criterion_id): line.points
        for line in ScoreLine.objects.filter(score__in=list(existing.values()))
    }
    errors: list[str] = []
    posted: dict = {}
    if request.method == "POST":
        if not can_score:
            raise PermissionDenied
        rows = []
        for worker in workers:
            points = {}
            for criterion in criteria:
                raw = request.POST.get(f"p-{worker.pk}-{criterion.pk}", "")
                posted[(worker.pk, criterion.pk)] = raw
                value = _decimal(raw)
                if raw.strip() and value is None:
                    errors.append(
                        _("%(name)s: “%(value)s” is not a number.")
                        % {"name": worker.person.name, "value": raw}
                    )
                points[criterion.pk] = value
            if all(v is None for v in points.values()):
                continue  # a row left empty is not scored this time
            version = request.POST.get(f"v-{worker.pk}", "")
            rows.append(
                {
                    "worker": worker,
                    "version": int(version) if version.isdigit() else None,
                    "points": points,
                }
            )
        if not errors and not rows:
            errors.append(_("Enter the scores of at least one worker."))
        if not errors:
            try:
                services.scores_save(
                    community=community, month=month, rows=rows, actor=request.user, today=day
                )
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(
                    request,
                    _("Scores of %(month)s saved for %(count)d workers.")
                    % {"month": f"{month:%Y-%m}", "count": len(rows)},
                )
                return redirect(
                    reverse("teams:scores", args=[community.pk]) + f"?month={month:%Y-%m}"
                )
    sheet = []
    for worker in workers:
        score = existing.get(worker.pk)
        cells = []
        for criterion in criteria:
            if (worker.pk, criterion.pk) in posted:
                value = posted[(worker.pk, criterion.pk)]
            elif score is not None:
                value = lines.get((score.pk, criterion.pk), "")
            else:
                value = ""
            cells.append(
                {"criterion": criterion, "name": f"p-{worker.pk}-{criterion.pk}", "value": value}
            )
        sheet.append({"worker": worker, "score": score, "cells": cells})
    township = Unit.objects.get(pk=community.parent_id)
    return render(
        request,
        "teams/scores.html",
        {
            "community": community,
            "township": township,
            "month": month,
            "previous": rules.add_months(month, -1),
            "next": rules.add_months(month, 1) if rules.add_months(month, 1) <= day else None,
            "criteria": criteria,
            "sheet": sheet,
            "errors": errors,
            "can_score": can_score and month <= rules.month_start(day),
            "full_marks": sum((c.max_points for c in criteria), Decimal(0)),
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------- quarters and rankings


@login_required
@require_GET
def quarters(request):
    need_reader(request.user)
    unit = page_unit(request)
    if unit is None:
        raise PermissionDenied
    day = today()
    year = year_arg(request)
    quarter = number_param(request, "quarter", rules.quarter_of(day), low=1, high=4)
    quarter = quarter if 1 <= quarter <= 4 else rules.quarter_of(day)
    assessments = (
        QuarterlyAssessment.objects.for_user(request.user)
        .within(unit)
        .filter(year=year, quarter=quarter)
    )
    if request.GET.get("missing") == "1":
        assessments = assessments.exclude(missing_months=[])
    page = paginate(
        request,
        assessments.select_related("worker__person", "worker__community").order_by(
            "worker__community__path", "-score", "worker__person__name"
        ),
    )
    table = Table(
        _("Quarterly assessments · %(unit)s %(year)s Q%(quarter)s")
        % {"unit": unit.name, "year": year, "quarter": quarter},
        [
            _("Community"),
            _("Full name"),
            _("Score"),
            _("Months scored"),
            _("Months without a score"),
        ],
        note=_(
            "A quarter's score is the mean of the monthly totals on file; months without a "
            "score are listed and do not count as zero."
        ),
        filters=[
            {
                "name": "unit",
                "label": _("Unit"),
                "value": unit.pk,
                "choices": [(u.pk, u.name) for u in filter_units(request.user, (1, 2, 3))],
            },
            {"name": "year", "label": _("Year"), "value": year, "type": "number"},
            {
                "name": "quarter",
                "label": _("Quarter"),
                "value": quarter,
                "choices": [(q, f"Q{q}") for q in range(1, 5)],
            },
            {
                "name": "missing",
                "label": _("Show"),
                "value": request.GET.get("missing", ""),
                "choices": [("1", _("Only with months missing"))],
            },
        ],
    )
    for a in page:
        table.rows.append(
            [
                Cell(a.worker.community.name),
                Cell(a.worker.person.name, reverse("teams:worker-detail", args=[a.worker_id])),
                Cell(a.score if a.score is not None else "—", num=True),
                Cell(a.months_scored, num=True),
                Cell("、".join(a.missing_months), tag="yellow" if a.missing_months else ""),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


def _township(request, pk: int) -> Unit:
    return get_object_or_404(
        Unit.objects.for_user(request.user).filter(kind__in=Unit.KINDS_BY_LEVEL[2]), pk=pk
    )


@login_required
@require_GET
def ranking(request, township_pk: int):
    need_reader(request.user)
    township = _township(request, township_pk)
    day = today()
    year = year_arg(request)
    half = number_param(request, "half", rules.half_of(day), low=1, high=2)
    half = half if half in (1, 2) else rules.half_of(day)
    # Rankings are rebuilt when scores are saved; none yet means no scores in this half year.
    found = Ranking.objects.filter(unit=township, year=year, half=half).first()
    entries = (
        found.entries.select_related("worker__person", "worker__community").order_by(
            "rank", "worker__person__name"
        )
        if found is not None
        else []
    )
    return render(
        request,
        "teams/ranking.html",
        {
            "township": township,
            "ranking": found,
            "entries": entries,
            "year": year,
            "half": half,
            "can_publish": access.can(request.user, "manage_people", township),
            "public_url": request.build_absolute_uri(
                reverse("teams:ranking-public", args=[found.token])
            )
            if found is not None and found.is_published
            else "",
            "can_reserve": access.can(request.user, "manage_people", township),
            "reserve_form": ToReserveForm(),
        },
    )


def _ranking_for_change(request, pk: int) -> Ranking:
    found = get_object_or_404(Ranking.objects.for_user(request.user).select_related("unit"), pk=pk)
    need(request.user, "manage_people", found.unit)
    return found


def _ranking_url(found: Ranking) -> str:
    return reverse("teams:ranking", args=[found.unit_id]) + f"?year={found.year}&half={found.half}"


@login_required
@require_POST
def ranking_publish(request, pk: int):
    found = _ranking_for_change(request, pk)
    try:
        services.ranking_publish(ranking=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The ranking is published on its public page."))
    return redirect(_ranking_url(found))


@login_required
@require_POST
def ranking_unpublish(request, pk: int):
    found = _ranking_for_change(request, pk)
    try:
        services.ranking_unpublish(ranking=found, today=today())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The ranking is no longer public; its old address is closed."))
    return redirect(_ranking_url(found))


@require_GET
def ranking_public(request, token: str):
    """半年一晾晒, public: names and ranks only, and only while published."""
    found = get_object_or_404(
        Ranking.objects.select_related("unit"), token=token, published_at__isnull=False
    )
    entries = found.entries.select_related("worker__person", "worker__community").order_by(
        "rank", "worker__person__name"
    )
    return render(request, "teams/ranking_public.html", {"ranking": found, "entries": entries})


# ---------------------------------------------------------------- secondments


@login_required
@require_GET
def secondment_list(request):
    need_reader(request.user)
    day = today()
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
                Cell("、".join(_flag_label(f) for f in flags), tag="red" if flags else ""),
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
            services.secondment_save(secondment=secondment, **data)
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
