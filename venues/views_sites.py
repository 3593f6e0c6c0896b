"""Staff pages of the venues (sites) part: the venue list and page, create/edit, the hours
editor with special hours, upgrades and photos, the services offered, the service catalogue,
the assisted/proxy request log, the figures and the .xlsx import and export.

Scope: every page starts from `<Model>.objects.for_user(request.user)`, so a row outside the
user's scope is a 404; writing needs the capability over the venue's unit (services_sites.
MANAGE for the venue itself, LOG_REQUESTS / HANDLE_REQUESTS for requests), else 403.
"""

import datetime
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access, excel
from governance.excel import SheetError
from governance.htmx import render_page
from governance.importing import ImportForm, PreviewExpired, claim_upload, keep_upload
from governance.masking import mask_name, mask_phone
from governance.models import Unit
from governance.normalize import clean_text
from governance.params import date_param, id_param
from governance.uploads import file_response
from venues import figures_sites, hours, resources_sites
from venues import services_sites as services
from venues.forms_sites import (
    HolidayRuleForm,
    MatterForm,
    PeriodForm,
    PhotoForm,
    RequestForm,
    RequestStepForm,
    ServicesForm,
    SpanFormSet,
    UpgradeForm,
    VenueForm,
    span_initial,
)
from venues.models import (
    OpeningPeriod,
    RequestKind,
    RequestStatus,
    ServiceMatter,
    ServiceRequest,
    Venue,
    VenuePhoto,
    VenueUpgrade,
)

PAGE_SIZE = 50
UNIT_CHOICES = 300
LABELS = {
    "extended": gettext_lazy("Staggered and extended hours"),
    "lunch": gettext_lazy("Open through lunch"),
    "holidays": gettext_lazy("Open on holidays"),
    "all_day": gettext_lazy("Open 24 hours"),
}
# Pk 0 is no ledger: a token made here is refused by the ledger's confirmation and back.
_VENUES = SimpleNamespace(pk=-7)
IMPORT_TEMPLATE = "venues/sites/import.html"


def _form_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _venue(request, pk: int, *, manage: bool = False) -> Venue:
    venue = get_object_or_404(
        Venue.objects.for_user(request.user).select_related("unit", "kind"), pk=pk
    )
    if manage and not access.can(request.user, services.MANAGE, venue.unit):
        raise PermissionDenied
    return venue


def _units_in_scope(user):
    return Unit.objects.for_user(user).filter(
        kind__in=(Unit.Kind.DISTRICT, Unit.Kind.TOWNSHIP, Unit.Kind.STREET)
    )


# The venue list ---------------------------------------------------------------------------


def _filtered_venues(request):
    """Venues of the list's filters (unit, kind, label, open now, q, inactive)."""
    user = request.user
    venues = Venue.objects.for_user(user)
    if request.GET.get("inactive") != "1":
        venues = venues.filter(is_active=True)
    unit = None
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(user), pk=unit_pk)
        venues = venues.within(unit)
    kind = None
    if kind_pk := id_param(request, "kind"):
        kind = services.kinds_for(user).filter(pk=kind_pk).first()
        if kind is not None:
            venues = venues.filter(kind=kind)
    label = request.GET.get("label") if request.GET.get("label") in LABELS else ""
    if label:
        venues = venues.filter(figures_sites.LABEL_FILTERS[label])
    query = clean_text(request.GET.get("q"))[:50]
    if query:
        venues = venues.filter(Q(name__contains=query) | Q(address__contains=query))
    open_now = request.GET.get("open") in ("now", "staffed")
    if open_now:
        # Open now is computed, not stored: read the candidates' hours (two queries) and keep
        # the pks of those open at this moment.
        now = timezone.now()
        wanted = (
            {hours.State.OPEN}
            if request.GET["open"] == "staffed"
            else {hours.State.OPEN, hours.State.SELF_SERVICE}
        )
        open_pks = [pk for pk, st in services.states(venues, now).items() if st in wanted]
        venues = venues.filter(pk__in=open_pks)
    filters = {
        "unit": unit,
        "kind": kind,
        "label": label,
        "q": query,
        "open": request.GET.get("open", "") if open_now else "",
        "inactive": request.GET.get("inactive") == "1",
    }
    return venues, filters


@login_required
@require_GET
def venue_list(request):
    venues, filters = _filtered_venues(request)
    now = timezone.now()
    page = Paginator(
        venues.select_related("unit", "kind").order_by("unit__path", "name"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    states = services.statuses(Venue.objects.filter(pk__in=[v.pk for v in rows]), now)
    local = hours.local_now(now)
    for venue in rows:
        venue.now = states[venue.pk]
        venue.all_day_now = _all_day(venue.now, local)
    user = request.user
    context = {"page": page, "rows": rows, "labels": LABELS, **filters}
    if not (request.htmx and not request.htmx.history_restore_request):
        context.update(
            units=_units_in_scope(user).select_related("parent").order_by("path")[:UNIT_CHOICES],
            kinds=services.kinds_for(user),
            can_add=access.can(user, services.MANAGE),
            can_export=access.can(user, "export"),
        )
    return render_page(request, "venues/sites/venue_list.html", context, "rows")


# One venue --------------------------------------------------------------------------------


def _week_rows(schedule: hours.Schedule, start: datetime.date) -> list[dict]:
    """The coming seven days as the detail and public pages show them."""
    rows = []
    for offset in range(7):
        day = start + datetime.timedelta(days=offset)
        plan = hours.day_plan(schedule, day)
        rows.append(
            {
                "day": day,
                "weekday": hours.WEEKDAY_NAMES[day.weekday()],
                "spans": [
                    hours.span_text(s)
                    for s in sorted(
                        plan.spans, key=lambda s: (s.state != hours.State.OPEN, s.start)
                    )
                ],
                "source": plan.source.value,
                "reason": plan.reason,
                "today": offset == 0,
            }
        )
    return rows


def _all_day(state: hours.Status, local: datetime.datetime) -> bool:
    """Open (or self-service) for longer than the status reads ahead: shown as 24 hours."""
    return (
        state.state != hours.State.CLOSED
        and state.until is not None
        and state.until - local > datetime.timedelta(days=hours.ALWAYS_OPEN_DAYS)
    )


def hours_context(venue: Venue, now: datetime.datetime) -> dict:
    """What the detail and public pages show of the hours (venue prefetched with_hours)."""
    window = services.CalendarWindow.around(now)
    schedule = services.schedule_of(venue, window)
    state = hours.status(schedule, now)
    local = hours.local_now(now)
    regular = schedule.regular
    return {
        "now_status": state,
        "now_local": local,
        "all_day_now": _all_day(state, local),
        "week": _week_rows(schedule, local.date()),
        "regular_text": hours.format_week(regular),
        "regular_by_day": [
            {
                "weekday": hours.WEEKDAY_NAMES[wd],
                "spans": [hours.span_text(s) for s in regular if s.applies_to(wd)],
            }
            for wd in range(7)
        ],
        "upcoming_periods": sorted(
            (p for p in schedule.periods if p.end >= local.date()), key=lambda p: p.start
        ),
    }


@login_required
@require_GET
def venue_detail(request, pk: int):
    venue = get_object_or_404(
        services.with_hours(Venue.objects.for_user(request.user).select_related("unit", "kind")),
        pk=pk,
    )
    user = request.user
    show_phone = access.can(user, "view_personal_data", venue.unit)
    context = {
        "venue": venue,
        "contact_phone": venue.contact_phone if show_phone else mask_phone(venue.contact_phone),
        "contact_name": venue.contact_name if show_phone else mask_name(venue.contact_name),
        "upgrades": venue.upgrades.all(),
        "photos": venue.photos.all(),
        "offers": venue.services.select_related("matter"),
        "periods": venue.periods.order_by("start"),
        "recent_requests": venue.requests.select_related("matter").order_by("-received_at")[:10],
        "can_manage": access.can(user, services.MANAGE, venue.unit),
        "can_log": access.can(user, services.LOG_REQUESTS, venue.unit),
        "upgrade_form": UpgradeForm(),
        "photo_form": PhotoForm(),
        **hours_context(venue, timezone.now()),
    }
    return render(request, "venues/sites/venue_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def venue_create(request):
    if not access.can(request.user, services.MANAGE):
        raise PermissionDenied
    initial = {"unit": pk} if (pk := id_param(request, "unit")) else {}
    form = VenueForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            venue = services.venue_create(
                unit=data.pop("unit"), kind=data.pop("kind"), actor=request.user, **data
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Venue %(name)s added. Now set its opening hours.") % {"name": venue}
            )
            return redirect("venues:venue-hours", pk=venue.pk)
    return render(request, "venues/sites/venue_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk: int):
    venue = _venue(request, pk, manage=True)
    show = access.can(request.user, "view_personal_data", venue.unit)
    form = VenueForm(
        request.POST or None, instance=venue, user=request.user, show_contact_phone=show
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.venue_update(
                venue=venue,
                actor=request.user,
                unit=data.pop("unit"),
                kind=data.pop("kind"),
                **data,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(venue)
    return render(request, "venues/sites/venue_form.html", {"form": form, "venue": venue})


# Hours editor -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def venue_hours(request, pk: int):
    """The regular week (rows of day, opens, closes, state) and the holiday rule."""
    venue = _venue(request, pk, manage=True)
    regular = venue.spans.filter(period=None).order_by("weekday", "state", "start")
    formset = SpanFormSet(request.POST or None, initial=span_initial(regular), prefix="span")
    rule = HolidayRuleForm(request.POST or None, instance=venue, prefix="rule")
    if request.method == "POST" and formset.is_valid() and rule.is_valid():
        try:
            services.venue_update(
                venue=venue,
                actor=request.user,
                open_on_holidays=rule.cleaned_data["open_on_holidays"],
                makeup_weekday=rule.cleaned_data["makeup_weekday"],
            )
            services.regular_hours_set(venue=venue, spans=formset.spans(), actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect(venue)
    context = {
        "venue": venue,
        "formset": formset,
        "rule": rule,
        "periods": venue.periods.order_by("start"),
    }
    return render(request, "venues/sites/venue_hours.html", context)


def _period_page(request, venue: Venue, period: OpeningPeriod | None):
    initial = {}
    spans = []
    if period is not None:
        initial = {"name": period.name, "start": period.start, "end": period.end}
        spans = span_initial(period.spans.order_by("weekday", "state", "start"))
    form = PeriodForm(request.POST or None, initial=initial)
    formset = SpanFormSet(request.POST or None, initial=spans, prefix="span")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.period_save(
                venue=venue,
                actor=request.user,
                period=period,
                spans=formset.spans(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Special hours saved."))
            return redirect("venues:venue-hours", pk=venue.pk)
    context = {"venue": venue, "period": period, "form": form, "formset": formset}
    return render(request, "venues/sites/period_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request, pk: int):
    return _period_page(request, _venue(request, pk, manage=True), None)


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request, period_pk: int):
    period = get_object_or_404(
        OpeningPeriod.objects.for_user(request.user).select_related("venue__unit"), pk=period_pk
    )
    if not access.can(request.user, services.MANAGE, period.venue.unit):
        raise PermissionDenied
    return _period_page(request, period.venue, period)


@login_required
@require_POST
def period_delete(request, period_pk: int):
    period = get_object_or_404(
        OpeningPeriod.objects.for_user(request.user).select_related("venue__unit"), pk=period_pk
    )
    services.period_delete(period=period, actor=request.user)
    messages.success(request, _("Special hours removed."))
    return redirect("venues:venue-hours", pk=period.venue_id)


# Upgrades and photos ----------------------------------------------------------------------


@login_required
@require_POST
def upgrade_add(request, pk: int):
    venue = _venue(request, pk, manage=True)
    form = UpgradeForm(request.POST)
    if form.is_valid():
        try:
            services.upgrade_add(venue=venue, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Upgrade recorded."))
    else:
        messages.error(
            request, " ".join(f"{form.fields[k].label}: {v[0]}" for k, v in form.errors.items())
        )
    return redirect(venue)


@login_required
@require_POST
def upgrade_delete(request, upgrade_pk: int):
    upgrade = get_object_or_404(
        VenueUpgrade.objects.for_user(request.user).select_related("venue__unit"), pk=upgrade_pk
    )
    services.upgrade_delete(upgrade=upgrade, actor=request.user)
    messages.success(request, _("Upgrade removed."))
    return redirect(upgrade.venue)


@login_required
@require_POST
def photo_add(request, pk: int):
    venue = _venue(request, pk, manage=True)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.photo_add(venue=venue, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Photo added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(venue)


@login_required
@require_GET
def photo_file(request, photo_pk: int):
    """A venue's photo for staff; the public page has its own URL by the venue's token."""
    photo = get_object_or_404(VenuePhoto.objects.for_user(request.user), pk=photo_pk)
    return file_response(photo.image)


@login_required
@require_POST
def photo_delete(request, photo_pk: int):
    photo = get_object_or_404(
        VenuePhoto.objects.for_user(request.user).select_related("venue__unit"), pk=photo_pk
    )
    services.photo_delete(photo=photo, actor=request.user)
    messages.success(request, _("Photo removed."))
    return redirect(photo.venue)


# Services offered and the catalogue -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def venue_services(request, pk: int):
    venue = _venue(request, pk, manage=True)
    current = list(venue.services.values_list("matter_id", flat=True))
    form = ServicesForm(request.POST or None, venue=venue, initial={"matters": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_services_set(
                venue=venue, matters=form.cleaned_data["matters"], actor=request.user
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Services offered saved."))
            return redirect(venue)
    return render(request, "venues/sites/venue_services.html", {"venue": venue, "form": form})


def _district(request) -> Unit | None:
    """The district whose catalogue the page shows: ?district= among those in scope, else the
    user's own district."""
    districts = Unit.objects.for_user(request.user).filter(kind=Unit.Kind.DISTRICT)
    if district_pk := id_param(request, "district"):
        return get_object_or_404(districts, pk=district_pk)
    unit = access.primary_unit(request.user)
    if unit is not None:
        return Unit.objects.get(path=unit.path[: unit.steplen])
    return districts.order_by("path").first()


@login_required
@require_GET
def matter_list(request):
    district = _district(request)
    matters = (
        ServiceMatter.objects.filter(district=district)
        .select_related("department")
        .order_by("order", "name")
        if district
        else ServiceMatter.objects.none()
    )
    context = {
        "district": district,
        "matters": matters,
        "can_manage": district is not None and access.can(request.user, services.MANAGE, district),
    }
    return render(request, "venues/sites/matter_list.html", context)


def _matter_page(request, district: Unit, matter: ServiceMatter | None):
    if not access.can(request.user, services.MANAGE, district):
        raise PermissionDenied
    form = MatterForm(request.POST or None, instance=matter, district=district)
    if request.method == "POST" and form.is_valid():
        try:
            services.matter_save(
                district=district, actor=request.user, matter=matter, **form.cleaned_data
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('venues:matter-list')}?district={district.pk}")
    context = {"form": form, "matter": matter, "district": district}
    return render(request, "venues/sites/matter_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def matter_create(request):
    district = _district(request)
    if district is None:
        raise PermissionDenied
    return _matter_page(request, district, None)


@login_required
@require_http_methods(["GET", "POST"])
def matter_edit(request, matter_pk: int):
    matter = get_object_or_404(
        ServiceMatter.objects.for_user(request.user).select_related("district"), pk=matter_pk
    )
    return _matter_page(request, matter.district, matter)


# Service requests -------------------------------------------------------------------------


def _filtered_requests(request):
    user = request.user
    rows = ServiceRequest.objects.for_user(user)
    venue = unit = None
    if venue_pk := id_param(request, "venue"):
        venue = get_object_or_404(Venue.objects.for_user(user), pk=venue_pk)
        rows = rows.filter(venue=venue)
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(user), pk=unit_pk)
        rows = rows.filter(venue__unit__path__startswith=unit.path)
    status = request.GET.get("status") if request.GET.get("status") in RequestStatus.values else ""
    if status:
        rows = rows.filter(status=status)
    kind = request.GET.get("kind") if request.GET.get("kind") in RequestKind.values else ""
    if kind:
        rows = rows.filter(kind=kind)
    start, end = date_param(request, "from"), date_param(request, "to")
    tz = timezone.get_current_timezone()
    if start:
        rows = rows.filter(
            received_at__gte=datetime.datetime.combine(start, datetime.time(), tzinfo=tz)
        )
    if end:
        rows = rows.filter(
            received_at__lt=datetime.datetime.combine(
                end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz
            )
        )
    if request.GET.get("followed") == "1":
        rows = rows.filter(ledger_item__isnull=False)
    filters = {
        "venue": venue,
        "unit": unit,
        "status": status,
        "kind": kind,
        "start": start,
        "end": end,
        "followed": request.GET.get("followed") == "1",
    }
    return rows, filters


@login_required
@require_GET
def request_list(request):
    rows, filters = _filtered_requests(request)
    page = Paginator(
        rows.select_related("venue__unit", "matter", "relayed_to").order_by("-received_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    user = request.user
    for row in page.object_list:
        # A list never shows full numbers: the request's page reveals them, recorded.
        row.phone_shown = mask_phone(row.resident_phone)
        row.name_shown = (
            row.resident_name
            if access.can(user, "view_personal_data", row.venue.unit)
            else mask_name(row.resident_name)
        )
    context = {
        "page": page,
        "statuses": RequestStatus.choices,
        "kinds": RequestKind.choices,
        "can_log": access.can(user, services.LOG_REQUESTS),
        **filters,
    }
    return render_page(request, "venues/sites/request_list.html", context, "rows")


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    if not access.can(request.user, services.LOG_REQUESTS):
        raise PermissionDenied
    initial = {"venue": pk} if (pk := id_param(request, "venue")) else {}
    form = RequestForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.request_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Request logged."))
            return redirect(row)
    return render(request, "venues/sites/request_form.html", {"form": form})


def _request(request, pk: int) -> ServiceRequest:
    return get_object_or_404(
        ServiceRequest.objects.for_user(request.user).select_related(
            "venue__unit", "matter", "relayed_to", "ledger_item", "created_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def request_detail(request, pk: int):
    return _request_page(request, _request(request, pk))


@login_required
@require_POST
def request_reveal(request, pk: int):
    """The resident's phone in full, for the roles that may see it; recorded."""
    row = _request(request, pk)
    services.request_reveal(request_obj=row, actor=request.user)
    return _request_page(request, row, revealed=True)


def _request_page(request, row: ServiceRequest, *, revealed: bool = False):
    user = request.user
    show = services.may_see_resident(user, row)
    context = {
        "row": row,
        "resident_name": row.resident_name if show else mask_name(row.resident_name),
        "resident_phone": row.resident_phone if revealed else mask_phone(row.resident_phone),
        "can_reveal": show and bool(row.resident_phone) and not revealed,
        "steps": {
            step: services.may_act(user, row, step) and row.status in services.TRANSITIONS[step][0]
            for step in services.TRANSITIONS
        },
        "can_follow_up": row.ledger_item_id is None
        and access.can(user, services.LOG_REQUESTS, row.venue.unit),
        "step_form": RequestStepForm(request_obj=row),
    }
    return render(request, "venues/sites/request_detail.html", context)


@login_required
@require_POST
def request_step(request, pk: int):
    row = _request(request, pk)
    form = RequestStepForm(request.POST, request_obj=row)
    if not form.is_valid():
        messages.error(request, _("Choose a step."))
        return redirect(row)
    try:
        services.request_step(
            request=row,
            step=form.cleaned_data["step"],
            actor=request.user,
            department=form.cleaned_data.get("department"),
            answer=form.cleaned_data.get("answer", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request updated."))
    return redirect(row)


@login_required
@require_POST
def request_follow_up(request, pk: int):
    row = _request(request, pk)
    try:
        item = services.request_follow_up(request=row, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(row)
    messages.success(
        request, _("Registered in the ledger as %(number)s.") % {"number": item.number}
    )
    return redirect(row)


# Figures ----------------------------------------------------------------------------------


@login_required
@require_GET
def figures_page(request):
    user = request.user
    if not access.can(user, "view_figures"):
        raise PermissionDenied
    units = Unit.objects.for_user(user)
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(units, pk=unit_pk)
    else:
        unit = access.primary_unit(user) or units.order_by("path").first()
        if unit is None:
            raise PermissionDenied
    today = timezone.localdate()
    start = date_param(request, "from", today.replace(day=1))
    end = date_param(request, "to", today)
    if end < start:
        start, end = end, start
    result = figures_sites.figures(unit, start, end, user=user)
    children = (
        units.filter(parent=unit, kind__in=(Unit.Kind.TOWNSHIP, Unit.Kind.STREET))
        .order_by("path")
        .only("pk", "name")
    )
    context = {
        "fig": result,
        "unit": unit,
        "start": start,
        "end": end,
        "children": children,
        "labels": LABELS,
        "kinds": dict(RequestKind.choices),
        "statuses": dict(RequestStatus.choices),
    }
    return render(request, "venues/sites/figures.html", context)


# Excel ------------------------------------------------------------------------------------


def _import_context(form, **extra) -> dict:
    return {
        "form": form,
        "columns": list(resources_sites.COLUMNS.values()),
        "required_columns": resources_sites.REQUIRED_COLUMNS,
        "max_rows": resources_sites.MAX_ROWS,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def venue_import(request):
    """Upload → preview (every row checked, nothing written) → confirm (all rows, or none)."""
    if not access.can(request.user, services.MANAGE):
        raise PermissionDenied
    if request.method == "GET" and request.GET.get("template"):
        return excel.template_response("场所", resources_sites.COLUMNS.values())
    if request.method == "GET":
        return render(request, IMPORT_TEMPLATE, _import_context(ImportForm()))
    if "token" in request.POST:
        return _confirm(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, IMPORT_TEMPLATE, _import_context(form), status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        dataset = resources_sites.read_venues(data)
    except SheetError as error:
        form.add_error("file", str(error))
        return render(request, IMPORT_TEMPLATE, _import_context(form), status=400)
    checked = resources_sites.VenueImport(user=request.user, file_name=upload.name)
    checked.check(dataset)
    extra = _outcome(checked)
    if checked.ok:
        extra["token"] = keep_upload(data, request.user, "venues.sites", upload.name)
    return render(
        request,
        IMPORT_TEMPLATE,
        _import_context(ImportForm(), file_name=upload.name, **extra),
        status=200 if checked.ok else 400,
    )


def _outcome(checked) -> dict:
    return {
        "problems": checked.problems,
        "rows": [{"row": n, **resources_sites.preview(values)} for n, values in checked.rows[:200]],
        "row_count": len(checked.rows),
        "more_rows": max(0, len(checked.rows) - 200),
        "ignored_columns": checked.ignored_columns,
    }


def _confirm(request):
    try:
        data, name = claim_upload(request.POST["token"], request.user, "venues.sites")
    except PreviewExpired:
        messages.error(
            request,
            _(
                "This preview can no longer be confirmed: it was confirmed already, or it is "
                "older than two hours. Upload the file again."
            ),
        )
        return redirect("venues:venue-import")
    checked = resources_sites.VenueImport(user=request.user, file_name=name)
    checked.check(resources_sites.read_venues(data))
    if not checked.ok:
        return render(
            request,
            IMPORT_TEMPLATE,
            _import_context(ImportForm(), file_name=name, confirmed=True, **_outcome(checked)),
            status=400,
        )
    venues = checked.save()
    messages.success(
        request,
        ngettext("%(count)s venue was imported.", "%(count)s venues were imported.", len(venues))
        % {"count": len(venues)},
    )
    return redirect("venues:venue-list")


@login_required
@require_GET
def venue_export(request):
    venues, _filters = _filtered_venues(request)
    if not access.can(request.user, "export"):
        raise PermissionDenied
    output = resources_sites.export_venues(
        request.user,
        services.with_hours(
            venues.select_related("unit", "kind").order_by("unit__path", "name")
        ).prefetch_related("upgrades"),
        detail={"filters": {k: v for k, v in request.GET.items() if k != "page"}},
    )
    return excel.response(output, excel.file_name(_("Venues")))
