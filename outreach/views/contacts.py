"""Contact activity pages: filing one from a phone, the list (with htmx filtering), one
activity with its photos and problems, the figures per unit and period with their drill-downs,
and the .xlsx export and import.

Rows are read through the scoped querysets (`for_user`): an activity, photo or unit outside the
user's scope is a 404. Writes go through outreach.services.duties.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from governance import access, excel
from governance.htmx import render_page
from governance.importing import import_page
from governance.models import Person, Unit
from governance.pages import date_range, paginate, requested_unit
from governance.uploads import file_response
from grids.models import Household
from outreach.figures import contacts as contact_figures
from outreach.forms.contacts import ActivityFilterForm, ActivityForm
from outreach.models import (
    ActivityPhoto,
    ActivityProblem,
    ContactActivity,
    ContactSystem,
    DutyTier,
    LiaisonDuty,
)
from outreach.resources import contacts as contact_resources
from outreach.services.contacts import activity_file, activity_items
from outreach.services.duties import TOWNSHIP_KINDS, VILLAGE_KINDS, holder_duties
from outreach.views.duties import matrix_url

ACTIVITIES_PER_PAGE = 50
ACTIVITY_ROW_RELATED = ("unit", "leader", "leader__unit")


# Filing ---------------------------------------------------------------------------------------


def _units_for_filing(user, today):
    """Units the user may file for: those their own duties cover first, then units where they
    register items (townships, streets, villages, communities)."""
    duties = list(holder_duties(user, today))
    own_ids = set()
    zone_ids = set()
    for duty in duties:
        if duty.tier == DutyTier.WORK_ZONE:
            zone_ids.add(duty.target_zone_id)
            own_ids.add(duty.target_zone.township_id)
        elif duty.tier == DutyTier.HOUSEHOLDS:
            own_ids.add(duty.scope_unit_id)
        else:
            own_ids.add(duty.target_unit_id)
    kinds = (*TOWNSHIP_KINDS, *VILLAGE_KINDS)
    condition = Q(pk__in=own_ids) | Q(work_zone_id__in=zone_ids)
    for unit in access.units_where(user, "create_items"):
        condition |= Q(path__startswith=unit.path)
    if user.is_superuser:
        condition = Q()
    units = Unit.objects.filter(condition, kind__in=kinds, is_active=True)
    # Duty targets first, then tree order.
    return sorted(units, key=lambda u: (u.pk not in own_ids, u.path)), own_ids


def _people_for_filing(user, unit: Unit | None, today):
    """Who may be recorded as leading or present: the user, the people in the user's scope at
    the unit and above it, and holders of current duties over the unit."""
    condition = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    if unit is not None:
        in_scope = Person.objects.for_user(user).filter(
            Q(unit__path__in=unit.ancestor_paths()) | Q(unit=unit)
        )
        holders = (
            LiaisonDuty.objects.current(today)
            .filter(Q(target_unit__path__in=unit.ancestor_paths()) | Q(scope_unit=unit))
            .values("holder_id")
        )
        condition |= Q(pk__in=in_scope.values("pk")) | Q(pk__in=holders)
    return Person.objects.filter(condition).select_related("unit").order_by("unit__path", "name")


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    """The phone form: system, unit, people reached, summary, problems; the rest behind "more"."""
    today = timezone.localdate()
    units, own_ids = _units_for_filing(request.user, today)
    if not units:
        raise PermissionDenied(_("You hold no liaison duty and may not file activities."))
    unit_ids = {u.pk for u in units}
    chosen = None
    raw = request.POST.get("unit") or request.GET.get("unit") or ""
    if raw.isdigit() and int(raw) in unit_ids:
        chosen = next(u for u in units if u.pk == int(raw))
    elif raw:
        raise Http404
    else:
        chosen = units[0]
    people = _people_for_filing(request.user, chosen, today)
    households = Household.objects.none()
    if chosen.kind in VILLAGE_KINDS:
        households = (
            Household.objects.for_user(request.user)
            .active()
            .filter(grid__path__startswith=chosen.path)
            .order_by("grid__path", "building", "entrance", "room", "pk")
        )
        if not households.exists():
            own = [
                d.pk
                for d in holder_duties(request.user, today)
                if d.tier == DutyTier.HOUSEHOLDS and d.scope_unit_id == chosen.pk
            ]
            households = Household.objects.filter(duties__in=own).distinct()
    me = getattr(request.user, "person", None)
    initial = {"unit": chosen, "leader": me, "held_on": today}
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        units=Unit.objects.filter(pk__in=unit_ids).order_by("path"),
        people=people,
        households=households,
        initial=initial,
    )
    form.fields["unit"].choices = [(u.pk, f"{u.name}（{u.get_kind_display()}）") for u in units]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                activity, items = activity_file(
                    actor=request.user,
                    system=data["system"],
                    unit=data["unit"],
                    leader=data["leader"],
                    held_on=data["held_on"],
                    summary=data["summary"],
                    people_reached=data["people_reached"],
                    attendees=list(data["attendees"]),
                    households=list(data["households"]),
                    place=data["place"],
                    reached_names=data["reached_names"],
                    problems=form.problem_lines,
                    photos=[data["photo"]] if data["photo"] else [],
                )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", None) or str(error))
        else:
            if items:
                message = _("Activity filed; %(n)s problem(s) sent to the ledger: %(numbers)s.") % {
                    "n": len(items),
                    "numbers": "、".join(i.number for i in items),
                }
            else:
                message = _("Activity filed.")
            messages.success(request, message)
            return redirect(activity.get_absolute_url())
    more_open = form.is_bound and any(
        form[f].errors for f in ("held_on", "place", "leader", "attendees", "households")
    )
    return render(
        request,
        "outreach/contacts/activity_form.html",
        {
            "form": form,
            "unit": chosen,
            "own_ids": own_ids,
            "more_open": more_open,
            "has_households": households.exists(),
        },
        status=400 if form.is_bound else 200,
    )


# List, detail, photos -------------------------------------------------------------------------


def filtered_activities(request):
    activities = ContactActivity.objects.for_user(request.user)
    form = ActivityFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    unit = None
    if data.get("unit"):
        unit = get_object_or_404(Unit.objects.for_user(request.user).territory(), pk=data["unit"])
        activities = activities.within(unit)
    if data.get("system"):
        activities = activities.filter(system=data["system"])
    start, last = date_range(request)  # ?from=&to=, both days included
    if start:
        activities = activities.filter(held_on__gte=start)
    if last:
        activities = activities.filter(held_on__lte=last)
    if data.get("leader"):
        activities = activities.filter(leader_id=data["leader"])
    if data.get("duty"):
        activities = activities.filter(duty_contacts__duty_id=data["duty"])
    if request.GET.get("mine") == "1":
        activities = activities.filter(created_by=request.user)
    return activities, unit


@login_required
@require_GET
def activity_list(request):
    activities, unit = filtered_activities(request)
    problems = (
        ActivityProblem.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    activities = (
        activities.select_related(*ACTIVITY_ROW_RELATED)
        .annotate(problem_count=Subquery(problems))
        .order_by("-held_on", "-pk")
    )
    page = paginate(request, activities, ACTIVITIES_PER_PAGE)
    context = {
        "page": page,
        "unit": unit,
        "systems": ContactSystem.choices,
        "can_export": access.can(request.user, "export"),
        "can_import": access.can(request.user, "create_items"),
    }
    return render_page(request, "outreach/contacts/activity_list.html", context, "rows")


def _activity(request, pk) -> ContactActivity:
    return get_object_or_404(
        ContactActivity.objects.for_user(request.user).select_related(
            *ACTIVITY_ROW_RELATED, "work_zone", "created_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def activity_detail(request, pk):
    activity = _activity(request, pk)
    return render(
        request,
        "outreach/contacts/activity_detail.html",
        {
            "activity": activity,
            "attendees": list(activity.attendees.select_related("unit")),
            "households": list(activity.households.select_related("grid")),
            "photos": list(activity.photos.all()),
            "items": list(activity_items(activity).select_related("responsible_unit")),
            "duties": list(
                activity.duties.select_related("holder", "target_unit", "target_zone", "scope_unit")
            ),
            "show_names": access.can(request.user, "view_personal_data", activity.unit),
        },
    )


@login_required
@require_GET
def activity_photo(request, pk):
    photo = get_object_or_404(ActivityPhoto.objects.for_user(request.user), pk=pk)
    return file_response(photo.image)


# Figures ----------------------------------------------------------------------------------------


def _period(request, today) -> tuple[datetime.date, datetime.date]:
    """from/to (inclusive) from the query; this year so far by default."""
    start, last = date_range(request, datetime.date(today.year, 1, 1), today)
    return start, last + datetime.timedelta(days=1)


@login_required
@require_GET
def activity_figures(request):
    unit = requested_unit(request, territory=True)
    if not (
        access.can(request.user, "view_figures", unit)
        or access.can(request.user, "create_items", unit)
    ):
        raise PermissionDenied(_("Your role does not allow this."))
    today = timezone.localdate()
    start, end = _period(request, today)
    last = end - datetime.timedelta(days=1)
    data = contact_figures.figures(unit, start, end, user=request.user, today=today)
    query = {"unit": unit.pk, "from": start.isoformat(), "to": last.isoformat()}
    activities_url = f"{reverse('outreach:activity-list')}?{urlencode(query)}"
    problems_base = {"unit": unit.pk, "from": start.isoformat(), "to": last.isoformat()}
    children = list(
        Unit.objects.for_user(request.user)
        .territory()
        .filter(parent=unit)
        .exclude(kind=Unit.Kind.GRID)
    )
    return render(
        request,
        "outreach/contacts/figures.html",
        {
            "unit": unit,
            "data": data,
            "start": start,
            "last": last,
            "systems": [
                (label, data.by_system[value], f"{activities_url}&system={value}")
                for value, label in ContactSystem.choices
            ],
            "activities_url": activities_url,
            "problem_urls": {
                state: f"{reverse('outreach:activity-problems')}?"
                f"{urlencode({**problems_base, 'state': state})}"
                for state in ("raised", "replied", "solved")
            },
            "behind_url": matrix_url(unit, status="behind"),
            "children": [
                (
                    c,
                    f"{reverse('outreach:activity-figures')}?"
                    f"{urlencode({'unit': c.pk, 'from': start.isoformat(), 'to': last.isoformat()})}",
                )
                for c in children
            ],
        },
    )


@login_required
@require_GET
def activity_problems(request):
    """The drill-down of the problem figures: items raised in the unit's activities of the
    period (state raised, replied or solved)."""
    unit = requested_unit(request, territory=True)
    today = timezone.localdate()
    start, end = _period(request, today)
    state = request.GET.get("state", "raised")
    if state not in ("raised", "replied", "solved"):
        state = "raised"
    items = (
        contact_figures.problems_in(unit, start, end, user=request.user, state=state)
        .for_user(request.user)
        .select_related("responsible_unit", "ledger")
        .order_by("-received_at", "-pk")
    )
    page = paginate(request, items, ACTIVITIES_PER_PAGE)
    return render_page(
        request,
        "outreach/contacts/problems.html",
        {
            "unit": unit,
            "page": page,
            "state": state,
            "start": start,
            "last": end - datetime.timedelta(days=1),
        },
        "rows",
    )


# Excel ------------------------------------------------------------------------------------------


@login_required
@require_GET
def activity_export(request):
    access.require(request.user, "export")
    activities, unit = filtered_activities(request)
    output = contact_resources.export_activities(
        request.user, activities.order_by("-held_on", "-pk")
    )
    name = excel.file_name(_("Contact activities"), unit.name if unit else "")
    return excel.response(output, name)


@login_required
@require_http_methods(["GET", "POST"])
def activity_import(request):
    """Upload → preview of every row → confirm: all written, or nothing."""
    access.require(request.user, "create_items")
    return import_page(
        request,
        contact_resources.ContactImporter(request.user),
        title=_("Import contact activities"),
        back_url=reverse("outreach:activity-list"),
    )
