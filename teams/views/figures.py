"""The teams hub and its figures page."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance.models import Unit
from governance.pages import date_range
from teams import figures
from teams.views.pages import (
    need_reader,
    page_territory,
)


@login_required
@require_GET
def index(request):
    need_reader(request.user)
    unit = page_territory(request)
    day = timezone.localdate()
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
    unit = page_territory(request)
    if unit is None:
        raise PermissionDenied
    day = timezone.localdate()
    start, end = date_range(request, datetime.date(day.year, 1, 1), day)
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
