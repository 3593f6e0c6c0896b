"""Staff pages of activities: the list with filters, create (single or series), detail with
registrations, edit and cancel (one or the rest of a series), attendance with photos, figures
with drill-down, the weekly preview (draft view, publish, withdraw), and .xlsx export/import.

Every page is for signed-in staff; rows come from `Activity.objects.for_user` (404 outside the
user's scope) and writes need "handle_items" over the activity's unit (the services check it
too). Phones of registrations are masked unless the role may see personal data there.
"""

import datetime
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access, excel
from governance.excel import SheetError
from governance.htmx import render_page
from governance.importing import ImportForm, PreviewExpired, claim_upload, keep_upload
from governance.masking import mask_phone
from governance.models import Unit
from governance.params import date_param, id_param, week_param
from governance.uploads import file_response
from venues import figures_activities as figures
from venues import resources_activities as resources
from venues import services_activities as services
from venues.forms_activities import (
    ActivityEditForm,
    ActivityForm,
    AttendanceForm,
    CancelForm,
    RegistrationForm,
    SeriesForm,
)
from venues.models import (
    Activity,
    ActivityCategory,
    ActivityPhoto,
    ActivityStatus,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Venue,
    WeekPreview,
    WeekStatus,
)

PAGE_SIZE = 50
MANAGE = services.MANAGE


def _denied():
    raise PermissionDenied(_("Your role does not allow this."))


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        for message in error.messages:
            form.add_error(None, message)


# Choices


def _managed_venues(user):
    """Active venues in scope where the user may manage activities."""
    venues = [
        v
        for v in Venue.objects.for_user(user)
        .filter(is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name")
        if access.can(user, MANAGE, v.unit)
    ]
    return Venue.objects.filter(pk__in=[v.pk for v in venues]).select_related("unit").order_by(
        "unit__path", "name"
    ), venues


def _categories_for(venues: list) -> "ActivityCategory.objects":
    districts = {v.unit.path[: Unit.steplen] for v in venues}
    for district in Unit.objects.filter(path__in=districts):
        services.categories_ensure(district)
    return ActivityCategory.objects.filter(district__path__in=districts, is_active=True)


def _form_kwargs(user) -> dict:
    venues, listed = _managed_venues(user)
    if not listed:
        _denied()
    return {"venues": venues, "categories": _categories_for(listed)}


# The list


def _filtered(request):
    """The activities in the user's scope as the list's filters ask, and the filter values."""
    user, params = request.user, request.GET
    activities = Activity.objects.for_user(user)
    chosen = {"unit": None, "venue": None, "category": None}
    unit_pk = id_param(request, "unit")
    if unit_pk:
        chosen["unit"] = Unit.objects.for_user(user).filter(pk=unit_pk).first()
        if chosen["unit"] is not None:
            activities = activities.within(chosen["unit"])
    venue_pk = id_param(request, "venue")
    if venue_pk:
        chosen["venue"] = Venue.objects.for_user(user).filter(pk=venue_pk).first()
        activities = activities.filter(venue_id=venue_pk)
    category_pk = id_param(request, "category")
    if category_pk:
        chosen["category"] = category_pk
        activities = activities.filter(category_id=category_pk)
    start, end = date_param(request, "from"), date_param(request, "to")
    if start and end:
        activities = activities.between(start, end)
    elif start:
        activities = activities.between(start, datetime.date(9999, 12, 30))
    elif end:
        activities = activities.between(datetime.date(1900, 1, 1), end)
    if params.get("held") == "1":
        activities = activities.held()
    status = params.get("status", "")
    if status == "cancelled":
        activities = activities.filter(status=ActivityStatus.CANCELLED)
    elif status == "no_attendance":
        activities = activities.held().filter(
            attendance__isnull=True, starts_at__lte=timezone.now()
        )
    elif status == "upcoming":
        activities = activities.held().filter(starts_at__gt=timezone.now())
    q = (params.get("q") or "").strip()
    if q:
        activities = activities.filter(title__icontains=q)
    return activities, {**chosen, "start": start, "end": end, "status": status, "q": q}


@login_required
@require_GET
def activity_list(request):
    activities, chosen = _filtered(request)
    order = "-starts_at" if chosen["status"] != "upcoming" else "starts_at"
    page = Paginator(
        activities.select_related("venue", "category", "unit").order_by(order, "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    venues = (
        Venue.objects.for_user(request.user).select_related("unit").order_by("unit__path", "name")
    )
    categories = ActivityCategory.objects.for_user(request.user).filter(is_active=True)
    return render_page(
        request,
        "venues/activities/activity_list.html",
        {
            "page": page,
            "chosen": chosen,
            "units": _filter_units(request.user),
            "venues": venues,
            "categories": categories,
            "can_create": access.can(request.user, MANAGE),
            "can_export": access.can(request.user, "export"),
            "query": request.GET.urlencode(),
        },
        "rows",
    )


def _filter_units(user):
    """Townships, communities and villages in scope (and the district for its staff)."""
    return (
        Unit.objects.for_user(user)
        .territory()
        .filter(depth__lte=3)
        .only("pk", "name", "depth", "path")
        .order_by("path")
    )


# Create, edit, cancel


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    kwargs = _form_kwargs(request.user)
    initial = {}
    venue_pk = id_param(request, "venue")
    if venue_pk:
        initial["venue"] = venue_pk
    day = date_param(request, "day")
    if day:
        initial["day"] = day
    form = ActivityForm(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(
                venue=data["venue"],
                category=data["category"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                actor=request.user,
                **form.common_values(),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(activity.get_absolute_url())
    return render(
        request,
        "venues/activities/activity_form.html",
        {"form": form, "title": _("New activity"), "series_link": True},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_series_create(request):
    kwargs = _form_kwargs(request.user)
    form = SeriesForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series = services.series_create(
                venue=data["venue"],
                category=data["category"],
                title=data["title"],
                weekdays=data["weekdays"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                skip_holidays=data["skip_holidays"],
                actor=request.user,
                **form.common_values(),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            count = series.activities.count()
            messages.success(
                request,
                ngettext(
                    "Series saved: %(count)d activity.",
                    "Series saved: %(count)d activities.",
                    count,
                )
                % {"count": count},
            )
            first = series.activities.order_by("starts_at").first()
            return redirect(first.get_absolute_url())
    return render(
        request,
        "venues/activities/activity_form.html",
        {"form": form, "title": _("New series of activities"), "series": True},
        status=400 if request.method == "POST" else 200,
    )


def _activity(user, pk) -> Activity:
    return get_object_or_404(
        Activity.objects.for_user(user).select_related(
            "venue", "venue__unit", "category", "unit", "series", "attendance_recorded_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def activity_detail(request, pk):
    activity = _activity(request.user, pk)
    can_manage = access.can(request.user, MANAGE, activity.unit)
    registrations = list(
        Registration.objects.filter(activity=activity).order_by("status", "created_at", "pk")
    )
    for r in registrations:
        r.phone_shown = mask_phone(r.phone)
    now = timezone.now()
    preview = services.week_status(activity.unit, activity.week_start)
    return render(
        request,
        "venues/activities/activity_detail.html",
        {
            "activity": activity,
            "can_manage": can_manage,
            "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
            "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
            "photos": ActivityPhoto.objects.filter(activity=activity),
            "started": activity.has_started(now),
            "registration_form": RegistrationForm(),
            "cancel_form": CancelForm(),
            "published": preview is not None and preview.status == WeekStatus.PUBLISHED,
            "in_series": (
                activity.series.activities.order_by("starts_at").values_list(
                    "pk", "starts_at", "status"
                )
                if activity.series_id
                else ()
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = _activity(request.user, pk)
    if not access.can(request.user, MANAGE, activity.unit):
        _denied()
    if activity.is_cancelled:
        messages.error(request, _("A cancelled activity cannot be edited."))
        return redirect(activity.get_absolute_url())
    kwargs = _form_kwargs(request.user)
    form = ActivityEditForm(
        request.POST or None,
        initial=ActivityForm.initial_for(activity),
        in_series=bool(activity.series_id),
        **kwargs,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            name: data[name] for name in ("venue", "category", "title", "starts_at", "ends_at")
        } | form.common_values()
        try:
            changed = services.activity_update(
                activity=activity,
                actor=request.user,
                scope=data.get("scope") or "one",
                **changes,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d activity saved.", "%(count)d activities saved.", len(changed))
                % {"count": len(changed)},
            )
            return redirect(activity.get_absolute_url())
    return render(
        request,
        "venues/activities/activity_form.html",
        {"form": form, "title": _("Edit activity"), "activity": activity},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def activity_cancel(request, pk):
    activity = _activity(request.user, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        count = services.activity_cancel(
            activity=activity,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
            scope=form.cleaned_data.get("scope") or "one",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)d activity cancelled.", "%(count)d activities cancelled.", count)
            % {"count": count},
        )
    return redirect(activity.get_absolute_url())


# Attendance and photos


@login_required
@require_http_methods(["GET", "POST"])
def activity_attendance(request, pk):
    activity = _activity(request.user, pk)
    if not access.can(request.user, MANAGE, activity.unit):
        _denied()
    form = AttendanceForm(
        request.POST or None,
        request.FILES or None,
        initial={"attendance": activity.attendance, "report": activity.report},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.attendance_record(
                    activity=activity,
                    attendance=form.cleaned_data["attendance"],
                    report=form.cleaned_data["report"],
                    photos=form.cleaned_data["photos"],
                    actor=request.user,
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Attendance recorded."))
                return redirect(activity.get_absolute_url())
    return render(
        request,
        "venues/activities/attendance_form.html",
        {"form": form, "activity": activity, "started": activity.has_started()},
        status=status,
    )


@login_required
@require_GET
def activity_photo(request, pk):
    """A photo of an activity, to whoever may open the activity; files are not public."""
    photo = get_object_or_404(ActivityPhoto.objects.for_user(request.user), pk=pk)
    return file_response(photo.image)


# Registrations by staff


@login_required
@require_POST
def activity_register(request, pk):
    activity = _activity(request.user, pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a name and a mobile phone number."))
        return redirect(activity.get_absolute_url())
    try:
        registration = services.registration_create(
            activity=activity,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            source=RegistrationSource.STAFF,
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("Registered: a place is confirmed."))
        else:
            messages.success(request, _("The activity is full: registered on the waiting list."))
    return redirect(activity.get_absolute_url())


@login_required
@require_POST
def activity_registration_cancel(request, pk):
    registration = get_object_or_404(
        Registration.objects.for_user(request.user).select_related("activity"), pk=pk
    )
    try:
        promoted = services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if promoted:
            messages.success(
                request,
                _("Registration cancelled; %(name)s moved up from the waiting list.")
                % {"name": promoted.name},
            )
        else:
            messages.success(request, _("Registration cancelled."))
    return redirect(registration.activity.get_absolute_url())


# Figures


def _period(request) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start = date_param(request, "from", today.replace(month=1, day=1))
    end = date_param(request, "to", today)
    if end < start:
        start, end = end, start
    return start, end


@login_required
@require_GET
def activity_figures(request):
    if not access.can(request.user, "view_figures") and not access.can(request.user, MANAGE):
        _denied()
    unit_pk = id_param(request, "unit")
    if unit_pk:
        unit = get_object_or_404(Unit.objects.for_user(request.user).territory(), pk=unit_pk)
    else:
        unit = access.primary_unit(request.user)
        if unit is None:
            unit = Unit.objects.for_user(request.user).territory().order_by("path").first()
        if unit is None:
            raise Http404
    start, end = _period(request)
    return render(
        request,
        "venues/activities/figures.html",
        {
            "figures": figures.figures(unit, start, end, user=request.user),
            "unit": unit,
            "units": _filter_units(request.user),
            "start": start,
            "end": end,
        },
    )


# The weekly preview (staff)


def _week(request) -> datetime.date:
    chosen = week_param(request, data=request.POST if request.POST.get("week") else None)
    return services.week_of(chosen) if chosen else services.next_week()


@login_required
@require_GET
def week_list(request):
    """Next week's preview of every unit with venues in scope: published or still a draft."""
    week = _week(request)
    unit_ids = Venue.objects.for_user(request.user).filter(is_active=True).values("unit_id")
    units = list(Unit.objects.filter(pk__in=unit_ids).select_related("parent").order_by("path"))
    published = {
        p.unit_id: p
        for p in WeekPreview.objects.filter(
            unit__in=units, week_start=week, status=WeekStatus.PUBLISHED
        ).select_related("published_by")
    }
    counts = dict(
        Activity.objects.filter(unit__in=units, week_start=week)
        .held()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [
        {"unit": u, "preview": published.get(u.pk), "count": counts.get(u.pk, 0)} for u in units
    ]
    return render(
        request,
        "venues/activities/week_list.html",
        {"rows": rows, "week": week, "week_end": week + datetime.timedelta(days=6),
         "previous": week - datetime.timedelta(days=7), "next": week + datetime.timedelta(days=7)},
    )  # fmt: skip


def _preview_unit(user, unit_pk) -> Unit:
    unit_ids = Venue.objects.for_user(user).values("unit_id")
    return get_object_or_404(
        Unit.objects.for_user(user).filter(pk__in=unit_ids).select_related("parent"),
        pk=unit_pk,
    )


@login_required
@require_GET
def week_preview(request, unit_pk):
    """The draft view: the unit's activities of the week as the public will see them."""
    unit = _preview_unit(request.user, unit_pk)
    week = _week(request)
    activities = list(
        Activity.objects.filter(unit=unit, week_start=week)
        .select_related("venue", "category")
        .order_by("starts_at", "pk")
    )
    preview = services.week_status(unit, week)
    board = services.board_for(unit)
    published = preview is not None and preview.status == WeekStatus.PUBLISHED
    return render(
        request,
        "venues/activities/week_preview.html",
        {
            "unit": unit,
            "week": week,
            "week_end": week + datetime.timedelta(days=6),
            "previous": week - datetime.timedelta(days=7),
            "next": week + datetime.timedelta(days=7),
            "days": _by_day(week, activities),
            "count": sum(1 for a in activities if not a.is_cancelled),
            "preview": preview,
            "published": published,
            "board": board,
            "public_url": request.build_absolute_uri(board.get_public_url())
            + f"?week={week.isoformat()}",
            "can_publish": access.can(request.user, MANAGE, unit)
            and week + datetime.timedelta(days=7) > timezone.localdate(),
        },
    )


def _by_day(week: datetime.date, activities) -> list[tuple[datetime.date, list]]:
    days = {d: [] for d in services.week_days(week)}
    for activity in activities:
        day = timezone.localtime(activity.starts_at).date()
        days.setdefault(day, []).append(activity)
    return list(days.items())


@login_required
@require_POST
def week_publish(request, unit_pk):
    unit = _preview_unit(request.user, unit_pk)
    week = _week(request)
    try:
        services.week_publish(unit=unit, week_start=week, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Published: residents can see this week's activities now."))
    return redirect(reverse("venues:week-preview", args=[unit.pk]) + f"?week={week.isoformat()}")


@login_required
@require_POST
def week_withdraw(request, unit_pk):
    unit = _preview_unit(request.user, unit_pk)
    week = _week(request)
    try:
        services.week_withdraw(unit=unit, week_start=week, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Withdrawn: the public pages no longer show this week."))
    return redirect(reverse("venues:week-preview", args=[unit.pk]) + f"?week={week.isoformat()}")


# Excel export and import

IMPORT_TEMPLATE = "venues/activities/import.html"
PREVIEW_ROWS = 200
_ACTIVITIES = SimpleNamespace(pk=-2)  # names the activity import in the upload token


@login_required
@require_GET
def activity_export(request):
    """The list as filtered, as .xlsx (no personal data: registrations are not exported)."""
    if not access.can(request.user, "export"):
        _denied()
    activities, _chosen = _filtered(request)
    detail = {"filters": {k: v for k, v in request.GET.items() if k != "page"}}
    output = resources.export_activities(
        request.user, activities.order_by("starts_at", "pk"), detail=detail
    )
    return excel.response(output, excel.file_name(_("Activities")))


def _import_context(form, **extra) -> dict:
    return {
        "form": form,
        "columns": list(resources.COLUMNS.values()),
        "required_columns": resources.REQUIRED_COLUMNS,
        "max_rows": resources.MAX_ROWS,
        **extra,
    }


def _outcome(checked) -> dict:
    return {
        "problems": checked.problems,
        "rows": [_preview_row(n, v) for n, v in checked.rows[:PREVIEW_ROWS]],
        "row_count": len(checked.rows),
        "more_rows": max(0, len(checked.rows) - PREVIEW_ROWS),
        "ignored_columns": checked.ignored_columns,
    }


def _preview_row(number: int, values: dict) -> dict:
    return {
        "row": number,
        "venue": f"{values['venue'].unit.name} · {values['venue'].name}",
        "category": values["category"].name,
        "title": values["title"],
        "starts_at": values["starts_at"],
        "ends_at": values["ends_at"],
        "capacity": values["capacity"],
        "attendance": values["attendance"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def activity_import(request):
    """Upload → preview (every row checked, nothing written) → confirm (all rows, or none)."""
    if not access.can(request.user, MANAGE):
        _denied()
    if request.method == "GET" and request.GET.get("template"):
        return excel.template_response("活动", resources.COLUMNS.values())
    if request.method == "GET":
        return render(request, IMPORT_TEMPLATE, _import_context(ImportForm()))
    if "token" in request.POST:
        return _confirm_import(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, IMPORT_TEMPLATE, _import_context(form), status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        dataset = resources.read_activities(data)
    except SheetError as error:
        form.add_error("file", str(error))
        return render(request, IMPORT_TEMPLATE, _import_context(form), status=400)
    checked = resources.ActivityImport(user=request.user, file_name=upload.name)
    checked.check(dataset)
    extra = _outcome(checked)
    if checked.ok:
        extra["token"] = keep_upload(data, request.user, "venues.activities", upload.name)
    return render(
        request,
        IMPORT_TEMPLATE,
        _import_context(ImportForm(), file_name=upload.name, **extra),
        status=200 if checked.ok else 400,
    )


def _confirm_import(request):
    try:
        data, name = claim_upload(request.POST["token"], request.user, "venues.activities")
    except PreviewExpired:
        messages.error(
            request,
            _(
                "This preview can no longer be confirmed: it was confirmed already, or it is "
                "older than two hours. Upload the file again."
            ),
        )
        return redirect("venues:activity-import")
    checked = resources.ActivityImport(user=request.user, file_name=name)
    checked.check(resources.read_activities(data))
    if not checked.ok:
        return render(
            request,
            IMPORT_TEMPLATE,
            _import_context(ImportForm(), file_name=name, confirmed=True, **_outcome(checked)),
            status=400,
        )
    created = checked.save()
    messages.success(
        request,
        ngettext(
            "%(count)s activity was imported.", "%(count)s activities were imported.", len(created)
        )
        % {"count": len(created)},
    )
    return redirect("venues:activity-list")
