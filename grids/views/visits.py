"""Visit pages, phone first: picking a household, filing a visit (three taps for a routine
one), the visit list with inline review, a visit, and the visit log export.

Every row is read through the scoped querysets (`for_user`), so a household, visit or grid
outside the user's scope is a 404 on every URL, partials and POSTs included. Writes go through
grids.services.visits.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, When
from django.db.models.functions import Length
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance import access, excel
from governance.htmx import render_page
from governance.models import LedgerItem, Membership, Role, Unit
from governance.pages import date_range, form_error, paginate
from governance.params import id_param
from governance.uploads import file_response
from grids import resources
from grids.coverage import current_round, unvisited
from grids.forms.visits import ReviewForm, SupplementForm, VisitFilterForm, VisitForm
from grids.models import Household, ReviewStatus, VisitLog
from grids.services.visits import (
    may_file,
    may_review,
    visit_file,
    visit_raise_problem,
    visit_review,
    visit_supplement,
)
from grids.services.workers import worker_grids
from grids.views.households import grids_in_scope

HOUSEHOLDS_PER_PAGE = 30


VISITS_PER_PAGE = 50


VISIT_ROW_RELATED = ("household", "grid", "grid__parent", "worker", "worker__person")


def _visited_in(household: Household, rnd) -> bool:
    return household.last_visited_at is not None and (
        rnd.start_at <= household.last_visited_at < rnd.end_at
    )


# Picking a household.


def _grid_for_filing(request, grid_id) -> Unit:
    grid = get_object_or_404(
        Unit.objects.for_user(request.user).filter(kind=Unit.Kind.GRID).select_related("parent"),
        pk=grid_id,
    )
    if not access.can(request.user, "create_items", grid):
        raise PermissionDenied(_("Your role may not file visits in this grid."))
    return grid


def _grid_choices(request):
    """Grids to file in: the worker's own; for staff, a search over the grids in scope."""
    grids = worker_grids(request.user)
    q = request.GET.get("q", "").strip()
    others = (
        Unit.objects.for_user(request.user)
        .filter(kind=Unit.Kind.GRID)
        .exclude(pk__in=[g.pk for g in grids])
        .select_related("parent")
        .order_by("path")
    )
    if q:
        others = others.filter(name__icontains=q)
    if not access.can(request.user, "create_items"):
        others = others.none()
    return grids, list(others[:50])


def _walk_order(households, last: VisitLog | None):
    """Walking order (coverage.WALK_ORDER: 2号楼 before 10号楼, room 201 before 1101), starting
    just after the household the worker visited last, so the next door comes first, and
    wrapping round to the start of the grid."""
    keyed = households.annotate(
        b_len=Length("building"), e_len=Length("entrance"), r_len=Length("room")
    )
    walk = ("b_len", "building", "e_len", "entrance", "r_len", "room", "pk")
    if last is None:
        return keyed.order_by(*walk)
    h = last.household
    mark = (len(h.building), h.building, len(h.entrance), h.entrance, len(h.room), h.room, h.pk)
    # (walk) > (mark), spelled out lexicographically: equal on the first i keys, greater on
    # the next one.
    after = Q(pk__in=[])
    for i, field in enumerate(walk):
        equal = {walk[j]: mark[j] for j in range(i)}
        after |= Q(**equal, **{f"{field}__gt": mark[i]})
    return keyed.annotate(
        wrap=Case(When(after, then=0), default=1, output_field=IntegerField())
    ).order_by("wrap", *walk)


@login_required
def visit_new(request):
    """Pick the household to visit: search by building, room or name, next door first."""
    grid_id = id_param(request, "grid")
    if not grid_id:
        own, others = _grid_choices(request)
        if len(own) == 1 and not others and not request.GET.get("q"):
            return redirect(reverse("grids:visit-new") + f"?grid={own[0].pk}")
        return render(request, "grids/visit_grids.html", {"own": own, "others": others})
    grid = _grid_for_filing(request, grid_id)
    rnd = current_round(grid)
    order = "recent" if request.GET.get("order") == "recent" else "walk"
    todo = request.GET.get("todo") == "1"
    households = (
        unvisited(grid, rnd) if todo else Household.objects.active().filter(grid=grid)
    ).prefetch_related("tags")
    q = request.GET.get("q", "").strip()
    for token in q.replace("-", " ").split()[:5]:
        households = households.filter(
            Q(building__icontains=token)
            | Q(entrance__icontains=token)
            | Q(room__icontains=token)
            | Q(head_name__icontains=token)
            | Q(address__icontains=token)
        )
    last = None
    if order == "recent":
        households = households.order_by(
            F("last_visited_at").desc(nulls_last=True), "building", "entrance", "room", "pk"
        )
    else:
        last = (
            VisitLog.objects.filter(grid=grid, worker=request.user)
            .select_related("household")
            .order_by("-visited_at", "-pk")
            .first()
        )
        households = _walk_order(households, last)
    page = paginate(request, households, HOUSEHOLDS_PER_PAGE)
    for household in page:
        household.visited_this_round = _visited_in(household, rnd)
    context = {
        "grid": grid,
        "round": rnd,
        "page": page,
        "order": order,
        "todo": todo,
        "last": last,
    }
    return render_page(request, "grids/visit_new.html", context, "households")


# Filing a visit.


def _fileable_household(request, pk) -> Household:
    household = get_object_or_404(
        Household.objects.for_user(request.user)
        .active()
        .select_related("grid", "grid__parent")
        .prefetch_related("tags"),
        pk=pk,
    )
    if not may_file(request.user, household):
        raise PermissionDenied(_("Your role may not file visits for this household."))
    return household


@login_required
def visit_form(request, pk):
    """One big "visited, all well" button, and the full record behind it."""
    household = _fileable_household(request, pk)
    grid = household.grid
    form = VisitForm(request.POST or None, request.FILES or None, grid=grid)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        observed = data["observed"]
        if form.raises_problem and not (observed.strip() or data["demands"].strip()):
            observed = data["problem_title"]
        try:
            with transaction.atomic():
                visit = visit_file(
                    household=household,
                    worker=request.user,
                    kind=data["kind"],
                    all_well=data["all_well"],
                    observed=observed,
                    demands=data["demands"],
                    photo=data["photo"],
                    visited_at=data["visited_at"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    accuracy_m=data["accuracy_m"],
                )
                item = None
                if form.raises_problem:
                    item = visit_raise_problem(
                        visit=visit,
                        actor=request.user,
                        title=data["problem_title"],
                        category=data["problem_category"],
                        handled_on_spot=data["handled_on_spot"],
                        result=data["result"],
                    )
        except ValidationError as error:
            form_error(form, error)
        else:
            if item is None:
                message = _("Visit filed: %(place)s.") % {"place": household.place}
            elif visit.handled_on_spot:
                message = _("Visit filed; problem %(number)s recorded as handled on the spot.") % {
                    "number": item.number
                }
            else:
                message = _("Visit filed; problem %(number)s sent to %(unit)s.") % {
                    "number": item.number,
                    "unit": item.responsible_unit.name,
                }
            messages.success(request, message)
            return redirect(reverse("grids:visit-new") + f"?grid={grid.pk}")
    status = 400 if form.is_bound else 200
    context = {
        "household": household,
        "grid": grid,
        "form": form,
        "full_open": form.is_bound,
        "round": current_round(grid),
    }
    context["visited_this_round"] = _visited_in(household, context["round"])
    return render(request, "grids/visit_form.html", context, status=status)


# The visit list, a visit, its review; the visit log export.


def _visits(user):
    return VisitLog.objects.for_user(user).select_related(*VISIT_ROW_RELATED)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _row_context(user, visit: VisitLog) -> VisitLog:
    visit.can_review = may_review(user, visit) and visit.worker_id != user.pk
    return visit


@login_required
def visit_list(request):
    """Visits in scope, newest first, filtered by grid, unit (its subtree), review, date and
    worker. A unit outside the user's scope is a 404."""
    user = request.user
    visits = _visits(user)
    filters = VisitFilterForm(request.GET or None)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    if data.get("grid"):
        visits = visits.filter(grid_id=data["grid"])
    unit = None
    if data.get("unit"):
        unit = get_object_or_404(Unit.objects.for_user(user).territory(), pk=data["unit"])
        visits = visits.within(unit)
    if data.get("status"):
        visits = visits.filter(review_status=data["status"])
    # Local days as instants (midnight), so that the index on visited_at answers.
    start, end = date_range(request)
    if start:
        visits = visits.filter(visited_at__gte=_day_start(start))
    if end:
        visits = visits.filter(visited_at__lt=_day_start(end + datetime.timedelta(days=1)))
    if request.GET.get("worker") == "me":
        visits = visits.filter(worker=user)
    elif data.get("worker"):
        visits = visits.filter(worker_id=data["worker"])
    page = paginate(request, visits, VISITS_PER_PAGE)
    for visit in page:
        _row_context(user, visit)
    # Filter menus: the grids and grid workers in scope (a district's menus are long; the
    # first few hundred grids are listed and a grid reached by a link stays selectable).
    grids = list(
        Unit.objects.for_user(user)
        .filter(kind=Unit.Kind.GRID)
        .order_by("path")
        .values_list("pk", "name", "parent__name")[:300]
    )
    workers = list(
        Membership.objects.for_user(user)
        .current(timezone.localdate())
        .filter(role=Role.GRID_WORKER)
        .order_by("user__person__name", "user_id")
        .values_list("user_id", "user__person__name", "user__username")
        .distinct()[:300]
    )
    context = {
        "page": page,
        "unit": unit,
        "grids": [(pk, f"{parent} / {name}") for pk, name, parent in grids],
        "workers": [(pk, name or username) for pk, name, username in workers],
        "statuses": ReviewStatus.choices,
        "review_decisions": ReviewForm.base_fields["status"].choices,
    }
    return render_page(request, "grids/visit_list.html", context, "rows")


@login_required
def visit_detail(request, pk):
    visit = get_object_or_404(_visits(request.user).select_related("ledger_item"), pk=pk)
    context = _detail_context(request.user, visit, _supplement_form(request.user, visit))
    return render(request, "grids/visit_detail.html", context)


def _detail_context(user, visit, supplement_form) -> dict:
    _row_context(user, visit)
    item_visible = (
        visit.ledger_item_id is not None
        and LedgerItem.objects.for_user(user).filter(pk=visit.ledger_item_id).exists()
    )
    return {
        "visit": visit,
        "item_visible": item_visible,
        "review_decisions": ReviewForm.base_fields["status"].choices,
        "supplement_form": supplement_form,
    }


def _supplement_form(user, visit, data=None, files=None) -> SupplementForm | None:
    """A visit sent back offers its worker 补充 (this form) and 重新走访 (the visit form)."""
    if visit.worker_id != user.pk or visit.review_status != ReviewStatus.REJECTED:
        return None
    return SupplementForm(data, files)


@login_required
@require_POST
def visit_supplement_view(request, pk):
    visit = get_object_or_404(_visits(request.user).select_related("ledger_item"), pk=pk)
    form = _supplement_form(request.user, visit, request.POST, request.FILES)
    if form is None:
        raise PermissionDenied(
            _("Only a visit of yours that was not approved can be supplemented.")
        )
    if form.is_valid():
        try:
            visit_supplement(visit=visit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Supplement added; the visit goes back for review."))
            return redirect(visit.get_absolute_url())
    context = _detail_context(request.user, visit, form)
    return render(request, "grids/visit_detail.html", context, status=400)


@login_required
@require_POST
def visit_review_view(request, pk):
    """Approve, reject or hold a visit; from the list (htmx: the row comes back) or its page."""
    visit = get_object_or_404(_visits(request.user), pk=pk)
    if not may_review(request.user, visit):
        raise PermissionDenied(_("Your role may not review visits of this grid."))
    form = ReviewForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            visit = visit_review(
                visit=visit,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    else:
        error = _("Choose approved, not approved or on hold.")
    if request.htmx:
        visit = _row_context(request.user, get_object_or_404(_visits(request.user), pk=pk))
        context = {
            "visit": visit,
            "review_error": error,
            "review_decisions": ReviewForm.base_fields["status"].choices,
        }
        return render(request, "grids/visit_list.html#row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Review recorded."))
    return redirect(visit.get_absolute_url())


@login_required
def visit_photo(request, pk):
    """A visit's photo, to whoever may open the visit; the files are not served publicly."""
    visit = get_object_or_404(VisitLog.objects.for_user(request.user), pk=pk)
    return file_response(visit.photo)


@login_required
@require_GET
def visit_export(request):
    """Visit logs by the grid they were filed in, between two dates, as .xlsx."""
    visits = VisitLog.objects.for_user(request.user)
    grid = None
    if grid_pk := id_param(request, "grid"):
        grid = get_object_or_404(grids_in_scope(request.user), pk=grid_pk)
        visits = visits.filter(grid=grid)
    if not access.can(request.user, "export"):
        raise PermissionDenied
    start, end = date_range(request)
    if start:
        visits = visits.filter(visited_at__date__gte=start)
    if end:
        visits = visits.filter(visited_at__date__lte=end)
    detail = {
        "filters": {
            "grid": grid.pk if grid else None,
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
        }
    }
    output = resources.export_visits(
        request.user, visits.order_by("-visited_at", "-pk"), detail=detail
    )
    return excel.response(output, excel.file_name(_("Visit logs"), grid.name if grid else ""))
