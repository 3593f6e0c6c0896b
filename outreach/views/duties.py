"""Duty pages: the duty matrix of a unit (who covers what, done / due / behind this period),
a duty with its history, assigning, reassigning and ending duties, the district's frequencies,
and the .xlsx export and import of duty assignments.

Every row is read through the scoped querysets, so a duty or unit outside the user's scope is
a 404 on every URL. Writes go through outreach.services.duties.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access, excel
from governance.htmx import render_page
from governance.importing import import_page
from governance.models import Unit
from governance.pages import paginate, requested_unit
from governance.params import id_param
from outreach.figures.duties import (
    DutyStatus,
    district_path,
    duty_rows,
    frequency_of,
    policy_frequencies,
    status_label,
    status_of,
)
from outreach.forms.duties import DutyForm, EndForm, ReassignForm
from outreach.models import DutyContact, DutyPolicy, DutyTier, Frequency, LiaisonDuty
from outreach.resources import duties as duty_resources
from outreach.services.duties import (
    VILLAGE_KINDS,
    duty_assign,
    duty_end,
    duty_history,
    duty_reassign,
    may_assign,
)

MATRIX_PAGE_SIZE = 100
DUTY_RELATED = ("holder", "holder__unit", "scope_unit", "target_unit", "target_zone")


def _territory(user):
    return Unit.objects.for_user(user).territory()


def matrix_url(unit: Unit, **params) -> str:
    return f"{reverse('outreach:duty-matrix')}?{urlencode({'unit': unit.pk, **params})}"


def _matrix_rows(request, unit: Unit, today, *, light: bool = False):
    duties = (
        LiaisonDuty.objects.for_user(request.user)
        .within(unit)
        .current(today)
        .select_related(*DUTY_RELATED)
        .order_by("scope_unit__path", "tier", "holder__name", "pk")
    )
    tier = request.GET.get("tier", "")
    if tier in DutyTier.values:
        duties = duties.filter(tier=tier)
    q = request.GET.get("q", "").strip()
    if q:
        duties = duties.filter(holder__name__contains=q)
    return duty_rows(duties, today, light=light)


@login_required
@require_GET
def duty_matrix(request):
    """Who covers what in the unit's subtree, and whether this period's contact happened."""
    unit = requested_unit(request, territory=True)
    today = timezone.localdate()
    rows = _matrix_rows(request, unit, today, light=True)
    totals = {s: 0 for s in DutyStatus.ALL}
    for row in rows:
        totals[row.status] += 1
    status = request.GET.get("status", "")
    if status in DutyStatus.ALL:
        rows = [r for r in rows if r.status == status]
    page = paginate(request, rows, MATRIX_PAGE_SIZE)
    # The status of every duty came from plain values; full rows only for the page shown.
    shown = LiaisonDuty.objects.select_related(*DUTY_RELATED).in_bulk([r.duty.pk for r in page])
    for row in page:
        row.duty = shown[row.duty.pk]
    group_ids = [r.duty.pk for r in page if r.duty.tier == DutyTier.HOUSEHOLDS]
    sizes = (
        dict(
            LiaisonDuty.households.through.objects.filter(liaisonduty_id__in=group_ids)
            .values("liaisonduty_id")
            .order_by("liaisonduty_id")
            .annotate(n=_count())
            .values_list("liaisonduty_id", "n")
        )
        if group_ids
        else {}
    )
    for row in page:
        row.households = sizes.get(row.duty.pk, 0)
    context = {
        "unit": unit,
        "today": today,
        "page": page,
        "totals": totals,
        "total": sum(totals.values()),
        "tiers": DutyTier.choices,
        "statuses": [(s, status_label(s)) for s in DutyStatus.ALL],
        "ancestors": list(
            _territory(request.user).filter(path__in=unit.ancestor_paths()[:-1]).order_by("depth")
        ),
        "children": list(_territory(request.user).filter(parent=unit).exclude(kind=Unit.Kind.GRID)),
        "can_assign": access.can(request.user, "manage_people", unit),
        "can_export": access.can(request.user, "export", unit),
    }
    return render_page(request, "outreach/duties/matrix.html", context, "rows")


def _count():
    from django.db.models import Count

    return Count("pk")


def _duty(request, pk) -> LiaisonDuty:
    return get_object_or_404(
        LiaisonDuty.objects.for_user(request.user).select_related(*DUTY_RELATED), pk=pk
    )


@login_required
@require_GET
def duty_detail(request, pk):
    duty = _duty(request, pk)
    today = timezone.localdate()
    policies = policy_frequencies([district_path(duty.scope_unit)])
    frequency = frequency_of(duty, policies)
    row = None
    if duty.starts_on <= today and (duty.ends_on is None or duty.ends_on >= today):
        from outreach.figures.duties import contact_counts

        row = status_of(duty, frequency, contact_counts([duty.pk], today).get(duty.pk), today)
    contacts = (
        DutyContact.objects.filter(duty=duty)
        .select_related("activity", "activity__leader", "activity__unit")
        .order_by("-held_on", "-pk")[:50]
    )
    editable = may_assign(request.user, duty.holder) and duty.ends_on is None
    context = {
        "duty": duty,
        "row": row,
        "frequency": Frequency(frequency).label,
        "history": duty_history(duty),
        "contacts": contacts,
        "households": list(duty.households.select_related("grid")[:200]),
        "reassign_form": ReassignForm(user=request.user, duty=duty) if editable else None,
        "end_form": EndForm() if editable else None,
        "status_label": status_label(row.status) if row else "",
    }
    return render(request, "outreach/duties/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def duty_new(request):
    access.require(request.user, "manage_people")
    village = None
    if village_pk := id_param(request, "village"):
        village = get_object_or_404(
            _territory(request.user).filter(kind__in=VILLAGE_KINDS), pk=village_pk
        )
    else:
        try:
            home = requested_unit(request, territory=True)
        except Http404:  # no unit of one's own: the form offers every village in scope
            home = None
        if home is not None and home.kind in VILLAGE_KINDS:
            village = home
    form = DutyForm(request.POST or None, user=request.user, village=village)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            duty = duty_assign(
                holder=data["holder"],
                actor=request.user,
                starts_on=data["starts_on"],
                target_unit=data["target_unit"],
                target_zone=data["target_zone"],
                households=list(data["households"] or []),
                frequency=data["frequency"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages if hasattr(error, "messages") else str(error))
        else:
            messages.success(
                request,
                _("%(name)s now covers %(target)s.")
                % {"name": duty.holder.name, "target": duty.target_label},
            )
            return redirect(duty.get_absolute_url())
    villages = _territory(request.user).filter(kind__in=VILLAGE_KINDS).order_by("path")[:300]
    return render(
        request,
        "outreach/duties/form.html",
        {"form": form, "village": village, "villages": villages},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def duty_reassign_view(request, pk):
    duty = _duty(request, pk)
    if not may_assign(request.user, duty.holder):
        raise PermissionDenied(_("Your role does not allow this."))
    form = ReassignForm(request.POST, user=request.user, duty=duty)
    if form.is_valid():
        try:
            new = duty_reassign(
                duty=duty,
                holder=form.cleaned_data["holder"],
                actor=request.user,
                starts_on=form.cleaned_data["starts_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s takes over from %(day)s; the history is kept.")
                % {"name": new.holder.name, "day": new.starts_on.isoformat()},
            )
            return redirect(new.get_absolute_url())
    else:
        messages.error(request, _("Choose the new holder and the day they take over."))
    return redirect(duty.get_absolute_url())


@login_required
@require_POST
def duty_end_view(request, pk):
    duty = _duty(request, pk)
    if not may_assign(request.user, duty.holder):
        raise PermissionDenied(_("Your role does not allow this."))
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            duty_end(duty=duty, actor=request.user, on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The duty ends on %(day)s.") % {"day": form.cleaned_data["ends_on"].isoformat()},
            )
    else:
        messages.error(request, _("Give the duty's last day."))
    return redirect(duty.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def duty_policy(request):
    """The district's expected contact frequency per tier (district administrators)."""
    districts = [
        m.unit
        for m in access.memberships(request.user)
        if m.unit.kind == Unit.Kind.DISTRICT and access.can(request.user, "manage_units", m.unit)
    ]
    if request.user.is_superuser and not districts:
        districts = list(Unit.objects.filter(kind=Unit.Kind.DISTRICT))
    if not districts:
        raise PermissionDenied(_("District administrators set the frequencies."))
    district = districts[0]
    if district_pk := id_param(request, "district"):
        district = next((d for d in districts if d.pk == district_pk), None)
        if district is None:
            raise Http404
    current = {p.tier: p.frequency for p in DutyPolicy.objects.filter(district=district)}
    if request.method == "POST":
        for tier in DutyTier.values:
            value = request.POST.get(tier, "")
            if value not in Frequency.values:
                messages.error(request, _("Choose weekly, monthly or quarterly."))
                break
        else:
            for tier in DutyTier.values:
                DutyPolicy.objects.update_or_create(
                    district=district, tier=tier, defaults={"frequency": request.POST[tier]}
                )
            messages.success(request, _("The frequencies are saved."))
            return redirect(f"{reverse('outreach:duty-policy')}?district={district.pk}")
    rows = [
        {"tier": tier, "label": label, "frequency": current.get(tier, Frequency.MONTHLY)}
        for tier, label in DutyTier.choices
    ]
    return render(
        request,
        "outreach/duties/policy.html",
        {
            "district": district,
            "districts": districts,
            "rows": rows,
            "frequencies": Frequency.choices,
        },
    )


@login_required
@require_GET
def duty_export(request):
    unit = requested_unit(request, territory=True)
    access.require(request.user, "export", unit)
    today = timezone.localdate()
    rows = _matrix_rows(request, unit, today)
    output = duty_resources.export_duties(request.user, rows, unit=unit)
    return excel.response(output, excel.file_name(_("Liaison duties"), unit.name))


@login_required
@require_http_methods(["GET", "POST"])
def duty_import(request):
    """Upload → preview of every row → confirm: all written, or nothing."""
    access.require(request.user, "manage_people")
    return import_page(
        request,
        duty_resources.DutyImporter(request.user),
        title=_("Import liaison duties"),
        back_url=reverse("outreach:duty-matrix"),
    )
