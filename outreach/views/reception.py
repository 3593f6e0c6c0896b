"""Reception-day pages: schedules, sessions with their demands (phone-friendly), the figures
("1038 collected, 1015 resolved") and the list each figure drills down to."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from governance import access
from governance.htmx import render_page
from governance.models import Unit
from governance.pages import date_range, paginate, requested_unit
from governance.params import date_param
from outreach.communities import (
    COMMUNITY_KINDS,
    communities_where,
    scoped_community,
)
from outreach.figures.reception import (
    RECEPTION_COUNTS,
    demand_list,
    reception_children,
    reception_figures,
)
from outreach.forms.reception import DemandForm, ScheduleForm, SessionForm
from outreach.models import ReceptionDemand, ReceptionSchedule, ReceptionSession
from outreach.services import reception as services

FIGURE_LABELS = {
    "collected": gettext_lazy("Collected"),
    "answered_on_spot": gettext_lazy("Answered on the spot"),
    "resolved": gettext_lazy("Resolved"),
    "handed_over": gettext_lazy("Handed to departments"),
    "open": gettext_lazy("Still open"),
}

PER_PAGE = 30


@login_required
@require_GET
def session_list(request):
    user = request.user
    sessions = (
        ReceptionSession.objects.for_user(user)
        .select_related("community", "held_by")
        # A correlated count per row of the page, not a GROUP BY over every session in scope.
        .annotate(
            demand_count=Subquery(
                ReceptionDemand.objects.filter(session=OuterRef("pk"))
                .order_by()
                .values("session")
                .annotate(n=Count("pk"))
                .values("n")
            )
        )
        .order_by("-date", "-pk")
    )
    unit = None
    if request.GET.get("unit"):
        unit = requested_unit(request, territory=True)
        sessions = sessions.within(unit)
    # ?from=&to= (both included, either may be left out): the sessions the figures count.
    start, until = date_range(request)
    if start:
        sessions = sessions.filter(date__gte=start)
    if until:
        sessions = sessions.filter(date__lte=until)
    page = paginate(request, sessions, PER_PAGE)
    recordable = list(communities_where(user, "create_items").order_by("path")[:20])
    return render_page(
        request,
        "outreach/reception/session_list.html",
        {
            "page": page,
            "unit": unit,
            "start": start,
            "until": until,
            "recordable": recordable,
            "today": timezone.localdate(),
        },
        "rows",
    )


@login_required
@require_GET
def schedule_list(request):
    user = request.user
    communities = Unit.objects.for_user(user).filter(kind__in=COMMUNITY_KINDS).order_by("path")
    if request.GET.get("unit"):
        communities = communities.filter(
            path__startswith=requested_unit(request, territory=True).path
        )
    page = paginate(request, communities)
    units = list(page.object_list)
    current = {
        s.community_id: s
        for s in ReceptionSchedule.objects.filter(community__in=units)
        .current()
        .select_related("secretary")
    }
    rows = [{"unit": u, "schedule": current.get(u.pk)} for u in units]
    return render(
        request,
        "outreach/reception/schedule_list.html",
        {"page": page, "rows": rows, "manageable": _manageable(user, units)},
    )


def _manageable(user, units) -> set[int]:
    return {u.pk for u in units if access.can(user, "manage_ledgers", u)}


@login_required
def schedule_edit(request, community_pk):
    community = scoped_community(request.user, community_pk)
    access.require(request.user, "manage_ledgers", community)
    current = services.current_schedule(community)
    initial = {"valid_from": timezone.localdate()}
    if current is not None:
        initial.update(
            weekday=current.weekday,
            start_time=current.start_time,
            end_time=current.end_time,
            place=current.place,
            secretary=current.secretary_id,
        )
    form = ScheduleForm(request.POST or None, initial=initial, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_set(community=community, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The reception-day schedule is saved."))
            return redirect("outreach:reception-schedule-list")
    history = ReceptionSchedule.objects.filter(community=community).select_related("secretary")
    return render(
        request,
        "outreach/reception/schedule_form.html",
        {"form": form, "community": community, "history": history},
        status=400 if form.errors else 200,
    )


@login_required
def session_new(request, community_pk):
    community = scoped_community(request.user, community_pk)
    access.require(request.user, "create_items", community)
    today = timezone.localdate()
    initial = {"date": date_param(request, "date", today), "attendance": 0}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_record(
                community=community, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The reception day is recorded; enter its demands."))
            return redirect(session)
    return render(
        request,
        "outreach/reception/session_new.html",
        {
            "form": form,
            "community": community,
            "schedule": services.current_schedule(community),
        },
        status=400 if form.errors else 200,
    )


def _session(request, pk) -> ReceptionSession:
    return get_object_or_404(
        ReceptionSession.objects.for_user(request.user).select_related(
            "community", "held_by", "schedule"
        ),
        pk=pk,
    )


def _detail(request, session, form, status=200):
    demands = (
        ReceptionDemand.objects.filter(session=session)
        .select_related("item", "item__responsible_unit")
        .order_by("pk")
    )
    can_add = access.can(request.user, "create_items", session.community)
    return render(
        request,
        "outreach/reception/session_detail.html",
        {
            "session": session,
            "demands": demands,
            "form": form if can_add else None,
            "can_answer": access.can(request.user, "handle_items", session.community),
        },
        status=status,
    )


@login_required
@require_GET
def session_detail(request, pk):
    session = _session(request, pk)
    return _detail(request, session, DemandForm(community=session.community))


@login_required
@require_POST
def demand_add(request, session_pk):
    session = _session(request, session_pk)
    access.require(request.user, "create_items", session.community)
    form = DemandForm(request.POST, community=session.community)
    if form.is_valid():
        try:
            demand = services.demand_add(session=session, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if demand.answered_on_spot:
                text = _("%(number)s answered on the spot and resolved.")
            else:
                text = _("%(number)s entered into the reception-day ledger.")
            messages.success(request, text % {"number": demand.item.number})
            return redirect(session)
    return _detail(request, session, form, status=400)


def _period(request) -> tuple[datetime.date, datetime.date]:
    """[start, end) from ?from=&to= (both included); default: this year up to today."""
    today = timezone.localdate()
    start, until = date_range(request, datetime.date(today.year, 1, 1), today)
    return start, until + datetime.timedelta(days=1)


def _drill_url(unit, start, end, figure) -> str:
    query = {
        "unit": unit.pk,
        "from": start.isoformat(),
        "to": (end - datetime.timedelta(days=1)).isoformat(),
        "figure": figure,
    }
    return f"{reverse('outreach:reception-demand-list')}?{urlencode(query)}"


@login_required
@require_GET
def figures_page(request):
    unit = requested_unit(request, territory=True)
    start, end = _period(request)
    # The unit is in the user's scope (requested_unit), and so is its whole subtree: the
    # figures need no second scope filter.
    data = reception_figures(unit, start, end)
    headline = [
        {
            "name": name,
            "label": FIGURE_LABELS[name],
            "value": getattr(data, name),
            "url": _drill_url(unit, start, end, name),
        }
        for name in RECEPTION_COUNTS
    ]
    rows = []
    for row in reception_children(unit, start, end):
        child = row["unit"]
        rows.append(
            {
                "unit": child,
                "url": f"{reverse('outreach:reception-figures')}?"
                + urlencode(
                    {
                        "unit": child.pk,
                        "from": start.isoformat(),
                        "to": (end - datetime.timedelta(days=1)).isoformat(),
                    }
                ),
                "figures": row["figures"],
                "cells": [
                    (getattr(row["figures"], name), _drill_url(child, start, end, name))
                    for name in RECEPTION_COUNTS
                ],
            }
        )
    ancestors = list(
        Unit.objects.for_user(request.user)
        .filter(path__in=unit.ancestor_paths()[:-1])
        .order_by("depth")
    )
    return render(
        request,
        "outreach/reception/figures.html",
        {
            "unit": unit,
            "start": start,
            "until": end - datetime.timedelta(days=1),
            "data": data,
            "headline": headline,
            "labels": [FIGURE_LABELS[n] for n in RECEPTION_COUNTS],
            "rows": rows,
            "ancestors": ancestors,
        },
    )


@login_required
@require_GET
def demand_list_page(request):
    unit = requested_unit(request, territory=True)
    figure = request.GET.get("figure", "collected")
    if figure not in RECEPTION_COUNTS:
        raise Http404
    start, end = _period(request)
    demands = (
        demand_list(unit, start, end, figure=figure)
        .select_related("session", "session__community", "item", "item__responsible_unit")
        .order_by("-session__date", "-pk")
    )
    page = paginate(request, demands, PER_PAGE)
    return render_page(
        request,
        "outreach/reception/demand_list.html",
        {
            "unit": unit,
            "page": page,
            "figure": figure,
            "figure_label": FIGURE_LABELS[figure],
            "start": start,
            "until": end - datetime.timedelta(days=1),
            "figures_url": f"{reverse('outreach:reception-figures')}?"
            + urlencode(
                {
                    "unit": unit.pk,
                    "from": start.isoformat(),
                    "to": (end - datetime.timedelta(days=1)).isoformat(),
                }
            ),
        },
        "rows",
    )
