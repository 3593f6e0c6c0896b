"""The figures page and the two review meetings (weekly community, monthly street)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from governance import access, excel, pages, workdays
from governance.ledger import figures, reviews, services
from governance.ledger.forms.reviews import (
    PRESET_LABELS,
    MonthlyMeetingForm,
    PeriodForm,
    PlanRowForm,
    ScheduleForm,
    WeeklyMeetingForm,
)
from governance.models import LedgerItem, ReviewKind, ReviewSchedule, Unit
from governance.params import month_param

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(workbook: Workbook, filename: str):
    return excel.response(excel.workbook_bytes(workbook), filename)


def _header_row(sheet, headers: list[str]) -> None:
    excel.append(sheet, headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F4F7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")


# Figures -----------------------------------------------------------------------------------


def _figures_request(request) -> tuple[Unit, figures.Period]:
    """The unit (default: the user's own) and the period (default: this month) asked for."""
    unit = pages.requested_unit(request)
    access.require(request.user, "view_figures", unit)
    return unit, PeriodForm(request.GET).period_for(timezone.localdate())


def _rate_rows(data: dict, links: dict) -> list[dict]:
    rows = [
        {
            "label": _("Response rate"),
            "value": data["response_rate"],
            "numerator": data["responded_on_time"],
            "denominator": data["collected"],
            "figure": "responded_on_time",
            "help": _("acknowledged within the time limit, of the items collected"),
        },
        {
            "label": _("Resolution rate"),
            "value": data["resolution_rate"],
            "numerator": data["resolved"],
            "denominator": data["collected"],
            "figure": "resolved",
            "help": _("resolved, of the items collected"),
        },
        {
            "label": _("Satisfaction rate"),
            "value": data["satisfaction_rate"],
            "numerator": data["content"],
            "denominator": data["rated"],
            "figure": "content",
            "help": _("satisfied or basically satisfied, of the call-backs"),
        },
        {
            "label": _("On-time rate"),
            "value": data["on_time_rate"],
            "numerator": data["resolved_on_time"],
            "denominator": data["resolved"],
            "figure": "resolved_on_time",
            "help": _("resolved by the deadline, of the items resolved"),
        },
    ]
    for row in rows:
        row["url"] = links[row["figure"]]
    return rows


@login_required
@require_GET
def figures_page(request):
    unit, period = _figures_request(request)
    calendar = workdays.WorkCalendar()
    data = figures.ledger_figures(unit, period.start, period.end, calendar=calendar)
    ranking = figures.child_ranking(unit, period.start, period.end, calendar=calendar)
    departments = figures.department_ranking(unit, period.start, period.end, calendar=calendar)
    for row in (*ranking, *departments):
        row["links"] = figures.drilldown_urls(row["unit_id"], row["kind"], period.start, period.end)
    ancestors = list(
        Unit.objects.for_user(request.user)
        .filter(path__in=unit.ancestor_paths()[:-1])
        .order_by("depth")
    )
    links = figures.drilldown_urls(unit.pk, unit.kind, period.start, period.end)
    query = {"unit": unit.pk}
    presets = [
        (name, PRESET_LABELS[name], f"?{urlencode({**query, 'period': name})}")
        for name in figures.PRESETS
        if name != "custom"
    ]
    export_query = urlencode(
        {**query, "start": period.start.isoformat(), "end": period.last.isoformat()}
    )
    return render(
        request,
        "ledger/figures.html",
        {
            "unit": unit,
            "period": period,
            "presets": presets,
            "form": PeriodForm(
                initial={"period": "custom", "start": period.start, "end": period.last}
            ),
            "data": data,
            "links": links,
            "rates": _rate_rows(data, links),
            "ranking": ranking,
            "departments": departments,
            "own_items": data["collected"] - sum(row["collected"] for row in ranking),
            "ancestors": ancestors,
            "export_url": f"{reverse('ledger:figures-export')}?{export_query}",
            "weekly_review": unit.kind in reviews.WEEKLY_KINDS
            and access.can(request.user, "handle_items", unit),
            "monthly_review": unit.kind in reviews.MONTHLY_KINDS,
        },
    )


def _percent(value) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


RANKING_COLUMNS = (
    ("collected", lambda: _("Collected")),
    ("replied", lambda: _("Replied")),
    ("resolved", lambda: _("Resolved")),
    ("explained", lambda: _("Closed with an explanation")),
    ("open", lambda: _("Still open")),
    ("overdue", lambda: _("Overdue")),
)
RATE_COLUMNS = (
    ("response_rate", lambda: _("Response rate")),
    ("resolution_rate", lambda: _("Resolution rate")),
    ("satisfaction_rate", lambda: _("Satisfaction rate")),
    ("on_time_rate", lambda: _("On-time rate")),
)


@login_required
@require_GET
def figures_export(request):
    """The ranking table as .xlsx: the unit's own row first, then its children by rank."""
    unit, period = _figures_request(request)
    access.require(request.user, "export", unit)
    calendar = workdays.WorkCalendar()
    data = figures.ledger_figures(unit, period.start, period.end, calendar=calendar)
    ranking = figures.child_ranking(unit, period.start, period.end, calendar=calendar)
    departments = figures.department_ranking(unit, period.start, period.end, calendar=calendar)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ranking")[:31]
    excel.append(
        sheet,
        [
            _("%(unit)s: ledger figures, %(start)s to %(last)s")
            % {"unit": unit.name, "start": period.start, "last": period.last}
        ],
    )
    headers = [
        _("Rank"),
        _("Unit"),
        *(label() for _name, label in RANKING_COLUMNS),
        *(label() for _name, label in RATE_COLUMNS),
        _("Average handling time (working days)"),
        _("Score"),
        _("Behind"),
    ]
    _header_row(sheet, headers)

    def line(rank, name, row, laggard=""):
        return [
            rank,
            name,
            *(row[key] for key, _label in RANKING_COLUMNS),
            *(_percent(row[key]) for key, _label in RATE_COLUMNS),
            row["avg_handling_workdays"],
            row["score"],
            laggard,
        ]

    excel.append(sheet, line("", _("%(unit)s (total)") % {"unit": unit.name}, data))
    for row in (*ranking, *departments):
        excel.append(sheet, line(row["rank"], row["name"], row, _("yes") if row["laggard"] else ""))
    sheet.column_dimensions["B"].width = 24
    reviews.export_recorded(
        actor=request.user,
        unit=unit,
        target=f"ledger figures {period.start}..{period.last}",
        rows=len(ranking) + len(departments) + 1,
    )
    name = _("Ledger figures")
    return _xlsx_response(
        workbook, f"{unit.name}-{name}-{period.start:%Y-%m-%d}-{period.last:%Y-%m-%d}.xlsx"
    )


# Weekly community review -------------------------------------------------------------------


def _weekly_unit(request, unit_pk) -> Unit:
    unit = get_object_or_404(
        Unit.objects.for_user(request.user).filter(kind__in=reviews.WEEKLY_KINDS), pk=unit_pk
    )
    access.require(request.user, "handle_items", unit)
    return unit


@login_required
@require_GET
def weekly_review(request, unit_pk):
    unit = _weekly_unit(request, unit_pk)
    return _weekly_page(request, unit)


def _weekly_page(request, unit: Unit, meeting_form=None, status=200):
    since = reviews.weekly_since(unit, timezone.localdate())
    handlers = reviews.handlers_at(unit)
    rows = [
        {"item": item, "form": PlanRowForm(item=item, handlers=handlers)}
        for item in reviews.weekly_agenda(unit, since)
    ]
    studied = list(reviews.weekly_studied(unit, since))
    if meeting_form is None:
        meeting_form = WeeklyMeetingForm(studied=studied)
    schedule = ReviewSchedule.objects.filter(unit=unit).first()
    return render(
        request,
        "ledger/review_weekly.html",
        {
            "unit": unit,
            "since": since,
            "rows": rows,
            "studied": studied,
            "meeting_form": meeting_form,
            "schedule": schedule,
            "schedule_form": ScheduleForm(initial={"weekday": schedule.weekday if schedule else 4}),
            # Meta.ordering does not apply to an aggregating query: order explicitly.
            "meetings": unit.review_meetings.filter(kind=ReviewKind.WEEKLY)
            .annotate(studied=Count("decisions"))
            .order_by("-held_on", "-pk")[:5],
        },
        status=status,
    )


@login_required
@require_POST
def weekly_review_item(request, unit_pk, item_pk):
    """One row of the weekly review: set measures, deadline and handler; htmx swaps the row."""
    unit = _weekly_unit(request, unit_pk)
    item = get_object_or_404(
        LedgerItem.objects.for_user(request.user)
        .filter(unit__path__startswith=unit.path)
        .select_related("unit", "category", "handler"),
        pk=item_pk,
    )
    handlers = reviews.handlers_at(unit)
    form = PlanRowForm(request.POST, item=item, handlers=handlers)
    done = False
    if form.is_valid():
        try:
            item = services.item_plan(
                item=item, actor=request.user, reviewed=True, **form.plan_arguments()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            done = True
    if not request.htmx:
        if done:
            messages.success(
                request, _("%(number)s: measures and deadline set.") % {"number": item.number}
            )
        else:
            messages.error(request, " ".join(form.non_field_errors()) or _("Check the form."))
        return redirect("ledger:weekly-review", unit_pk=unit.pk)
    if done:
        item = LedgerItem.objects.select_related("unit", "category", "handler__person").get(
            pk=item.pk
        )
    since = reviews.weekly_since(unit, timezone.localdate())
    return render(
        request,
        "ledger/review_weekly.html#row-response",
        {
            "unit": unit,
            "item": item,
            "form": form,
            "done": done,
            "studied": list(reviews.weekly_studied(unit, since)) if done else None,
        },
    )


@login_required
@require_POST
def weekly_review_meeting(request, unit_pk):
    unit = _weekly_unit(request, unit_pk)
    since = reviews.weekly_since(unit, timezone.localdate())
    form = WeeklyMeetingForm(request.POST, studied=list(reviews.weekly_studied(unit, since)))
    if form.is_valid():
        try:
            reviews.review_meeting_record(
                unit=unit,
                kind=ReviewKind.WEEKLY,
                held_on=form.cleaned_data["held_on"],
                actor=request.user,
                decisions=form.decisions(),
                attendees=form.cleaned_data["attendees"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The weekly review meeting is recorded."))
            return redirect("ledger:weekly-review", unit_pk=unit.pk)
    return _weekly_page(request, unit, meeting_form=form)


@login_required
@require_POST
def weekly_review_schedule(request, unit_pk):
    unit = _weekly_unit(request, unit_pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        schedule = reviews.review_schedule_set(
            unit=unit, weekday=form.cleaned_data["weekday"], actor=request.user
        )
        messages.success(
            request,
            _("The weekly review is held on %(day)s.") % {"day": schedule.get_weekday_display()},
        )
    return redirect("ledger:weekly-review", unit_pk=unit.pk)


# Monthly street review ---------------------------------------------------------------------


def _monthly_unit(request, township_pk) -> Unit:
    unit = get_object_or_404(
        Unit.objects.for_user(request.user).filter(kind__in=reviews.MONTHLY_KINDS),
        pk=township_pk,
    )
    if not (
        access.can(request.user, "view_figures", unit)
        or access.can(request.user, "handle_items", unit)
    ):
        raise PermissionDenied(_("Your role does not allow this."))
    return unit


def _month(request) -> datetime.date:
    return month_param(request, "month", timezone.localdate().replace(day=1))


def _monthly_agenda(unit: Unit, month: datetime.date) -> dict:
    decisions = reviews.monthly_decisions(unit, month)
    agenda = reviews.monthly_agenda(unit, month, decided_ids={d.item_id for d in decisions})
    by_item: dict[int, list] = {}
    for decision in decisions:
        by_item.setdefault(decision.item_id, []).append(decision)
    for item in agenda["items"]:
        item.month_decisions = by_item.get(item.pk, [])
    meetings = {d.meeting.pk: d.meeting for d in decisions}
    agenda["meetings"] = sorted(meetings.values(), key=lambda m: (m.held_on, m.pk))
    return agenda


def _month_query(month: datetime.date) -> str:
    return urlencode({"month": f"{month:%Y-%m}"})


@login_required
@require_GET
def monthly_review(request, township_pk):
    unit = _monthly_unit(request, township_pk)
    return _monthly_page(request, unit, _month(request))


def _monthly_page(request, unit: Unit, month: datetime.date, form=None):
    agenda = _monthly_agenda(unit, month)
    can_record = agenda["live"] and access.can(request.user, "handle_items", unit)
    if can_record and form is None:
        form = MonthlyMeetingForm(items=agenda["items"])
    if form is not None:
        for item in agenda["items"]:
            item.decision_field = form[f"decision-{item.pk}"]
    previous = reviews.month_bounds(month)[0] - datetime.timedelta(days=1)
    following = reviews.month_bounds(month)[1]
    return render(
        request,
        "ledger/review_monthly.html",
        {
            "unit": unit,
            "agenda": agenda,
            "form": form,
            "now": timezone.now(),
            "previous_query": _month_query(previous),
            "next_query": _month_query(following),
            "export_query": _month_query(month),
            "can_export": access.can(request.user, "export", unit),
        },
    )


@login_required
@require_GET
def monthly_review_export(request, township_pk):
    unit = _monthly_unit(request, township_pk)
    access.require(request.user, "export", unit)
    month = _month(request)
    agenda = _monthly_agenda(unit, month)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{month:%Y-%m}"
    excel.append(
        sheet,
        [
            _("%(unit)s: monthly review of unresolved items, %(month)s")
            % {"unit": unit.name, "month": f"{month:%Y-%m}"}
        ],
    )
    _header_row(
        sheet,
        [
            _("Village / community"),
            _("Number"),
            _("Title"),
            _("Received"),
            _("Responsible unit"),
            _("Handler"),
            _("Status"),
            _("Deadline"),
            _("Overdue (working days)"),
            _("Measures"),
            _("Decisions this month"),
        ],
    )
    for group in agenda["groups"]:
        for item in group["items"]:
            handler = item.handler
            excel.append(
                sheet,
                [
                    group["unit"].name,
                    item.number,
                    item.title,
                    timezone.localtime(item.received_at).strftime("%Y-%m-%d"),
                    item.responsible_unit.name,
                    (getattr(handler, "person", None) and handler.person.name)
                    or (handler.username if handler else ""),
                    item.get_status_display(),
                    item.due_day.isoformat() if item.due_day else "",
                    item.overdue_workdays or "",
                    item.measures,
                    "\n".join(
                        f"{d.meeting.held_on:%Y-%m-%d}: {d.decision}" for d in item.month_decisions
                    ),
                ],
            )
    for column, width in zip(
        "ABCDEFGHIJK", (16, 16, 30, 12, 16, 10, 14, 12, 10, 30, 40), strict=True
    ):
        sheet.column_dimensions[column].width = width
    reviews.export_recorded(
        actor=request.user,
        unit=unit,
        target=f"monthly review {month:%Y-%m}",
        rows=len(agenda["items"]),
    )
    title = _("Monthly review")
    return _xlsx_response(workbook, f"{unit.name}-{title}-{month:%Y-%m}.xlsx")


@login_required
@require_POST
def monthly_review_meeting(request, township_pk):
    unit = _monthly_unit(request, township_pk)
    access.require(request.user, "handle_items", unit)
    month = timezone.localdate().replace(day=1)
    agenda = _monthly_agenda(unit, month)
    form = MonthlyMeetingForm(request.POST, items=agenda["items"])
    if form.is_valid():
        try:
            reviews.review_meeting_record(
                unit=unit,
                kind=ReviewKind.MONTHLY,
                held_on=form.cleaned_data["held_on"],
                actor=request.user,
                decisions=form.decisions(),
                attendees=form.cleaned_data["attendees"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The meeting and its decisions are recorded."))
            url = reverse("ledger:monthly-review", kwargs={"township_pk": unit.pk})
            return redirect(f"{url}?{_month_query(month)}")
    return _monthly_page(request, unit, month, form=form)
