"""Assessing community workers: the monthly score sheet, the quarters and the half-year ranking."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access
from governance.models import Unit
from governance.pages import paginate
from governance.params import month_param, number_param
from teams import rules
from teams.forms.workers import ToReserveForm
from teams.models import (
    CommunityWorker,
    MonthlyScore,
    QuarterlyAssessment,
    Ranking,
    ScoreLine,
)
from teams.services import assessments as services
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
    day = timezone.localdate()
    # By default the month just ended: scores are entered early in the next month.
    month = month_param(
        request,
        "month",
        rules.add_months(rules.month_start(day), -1),
        data=request.POST if request.POST.get("month") else None,
    )
    can_score = access.can(request.user, "manage_people", community, strictly_above=True)
    criteria = list(rules.criteria_for(community))
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
                    actor=request.user, community=community, month=month, rows=rows, today=day
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


@login_required
@require_GET
def quarters(request):
    need_reader(request.user)
    unit = page_territory(request)
    if unit is None:
        raise PermissionDenied
    day = timezone.localdate()
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
    day = timezone.localdate()
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
        services.ranking_publish(actor=request.user, ranking=found)
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
        services.ranking_unpublish(actor=request.user, ranking=found, today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The ranking is no longer public; its old address is closed."))
    return redirect(_ranking_url(found))
