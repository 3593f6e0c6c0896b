"""The leaders' dashboard: a unit in the user's scope and a period; the big screen (大屏) for a
projector, which refreshes itself with htmx; the .xlsx export; recomputing at once."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from dashboards import present, snapshots
from governance import access, excel, pages, periods
from governance.models import AuditEvent, Unit
from governance.params import DayField
from governance.services import audit_record
from governance.widgets import DateInput

#: A custom range may not be longer than this (the trends cover 12 months anyway).
MAX_DAYS = 3 * 366
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        choices=[*periods.PRESETS.items(), ("custom", gettext_lazy("Custom range"))],
        required=False,
    )
    start = DayField(label=gettext_lazy("From"), required=False, widget=DateInput())
    end = DayField(label=gettext_lazy("To"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        first, last = data.get("start"), data.get("end")
        if data.get("period") == "custom":
            if not (first and last):
                raise forms.ValidationError(_("Choose both the first and the last day."))
            if abs((last - first).days) > MAX_DAYS:
                raise forms.ValidationError(
                    _("A custom range may cover at most %(days)s days.") % {"days": MAX_DAYS}
                )
        return data

    def period_for(self, today):
        data = self.cleaned_data if self.is_valid() else {}
        preset = data.get("period") or "month"
        return periods.period(preset, today, data.get("start"), data.get("end"))


def _unit(request) -> Unit:
    """The unit asked for (default: the user's own), 404 outside the user's scope."""
    unit = pages.requested_unit(request)
    access.require(request.user, "view_figures", unit)
    return unit


def _request(request):
    unit = _unit(request)
    form = PeriodForm(request.GET or None)
    period = form.period_for(timezone.localdate())
    return unit, form, period


def _query(unit, period, **extra) -> str:
    params = {"unit": unit.pk, "period": period.kind}
    if period.kind == "custom":
        params.update(start=period.start.isoformat(), end=period.last.isoformat())
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params)


def _context(request, unit, form, period, data, from_snapshot) -> dict:
    granularity = (
        request.GET.get("trend") if request.GET.get("trend") in ("week", "month") else "month"
    )
    sort = request.GET.get("sort", "")
    sections = present.sections(data)
    for section in sections:
        section["ranking"] = present.ranking(
            section, sort.split(".", 1)[1] if sort.startswith(section["key"] + ".") else None
        )
    ancestors = list(
        Unit.objects.for_user(request.user)
        .filter(path__in=unit.ancestor_paths()[:-1])
        .order_by("depth")
    )
    computed_at = present.computed_at(data)
    return {
        "unit": unit,
        "form": form,
        "period": period,
        "previous": (
            {
                "start": data["previous"]["start"],
                "last": (
                    datetime.date.fromisoformat(data["previous"]["end"]) - periods.ONE_DAY
                ).isoformat(),
                "to_date": data["previous"].get("to_date", False),
            }
            if data["previous"]
            else None
        ),
        "presets": [
            (name, label, f"?{_query(unit, periods.period(name, timezone.localdate()))}")
            for name, label in periods.PRESETS.items()
        ],
        "sections": sections,
        "attention": present.attention(data),
        "charts": present.charts(data, granularity),
        "granularity": granularity,
        "children": data["children"],
        "ancestors": ancestors,
        "query": _query(unit, period),
        "trend_query": {g: _query(unit, period, trend=g, sort=sort) for g in ("week", "month")},
        "computed_at": computed_at,
        "stale": from_snapshot and timezone.now() - computed_at > snapshots.STALE_AFTER,
        "from_snapshot": from_snapshot,
        "can_export": access.can(request.user, "export", unit),
    }


@login_required
@require_GET
def dashboard(request):
    unit, form, period = _request(request)
    data, from_snapshot = snapshots.dashboard(unit, period)
    return render(
        request,
        "dashboards/dashboard.html",
        _context(request, unit, form, period, data, from_snapshot),
    )


@login_required
@require_GET
def screen(request):
    """The big screen: headline figures, attention and trends in large type; the page asks for
    its body again every minute (htmx) and swaps it in without reloading."""
    unit, form, period = _request(request)
    data, from_snapshot = snapshots.dashboard(unit, period)
    context = _context(request, unit, form, period, data, from_snapshot)
    for section in context["sections"]:
        section["ranking"] = present.screen_ranking(section["ranking"])
    template = "dashboards/screen.html#screen-body" if request.htmx else "dashboards/screen.html"
    return render(request, template, context)


@login_required
@require_POST
def refresh(request):
    """Recompute this dashboard now (a meeting wants this minute's figures)."""
    unit, _form, period = _request(request)
    snapshots.recompute(unit, period)
    messages.success(request, _("The figures were recomputed just now."))
    return redirect(f"{request.path.rsplit('refresh/', 1)[0]}?{_query(unit, period)}")


def _header(sheet, values):
    excel.append(sheet, [str(v) for v in values])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3E9E6")


def _cell(value, kind):
    """Numbers stay numbers in the workbook; rates as fractions with a percent format."""
    if value is None:
        return None
    if kind == "amount":
        return float(value)
    return value


@login_required
@require_GET
def export(request):
    """Every table of the dashboard as .xlsx: the headline figures with the previous period,
    each section's ranking of the child units, and what needs attention."""
    unit, form, period = _request(request)
    access.require(request.user, "export", unit)
    data, _from_snapshot = snapshots.dashboard(unit, period)
    context = _context(request, unit, form, period, data, _from_snapshot)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Figures")[:31]
    excel.append(
        sheet,
        [
            _("%(unit)s dashboard, %(start)s to %(last)s (computed %(at)s)")
            % {
                "unit": unit.name,
                "start": period.start,
                "last": period.last,
                "at": timezone.localtime(context["computed_at"]).strftime("%Y-%m-%d %H:%M"),
            }
        ],
    )
    _header(sheet, [_("Section"), _("Figure"), _("Value"), _("Previous period"), _("Change")])
    rate_rows = []
    for section in context["sections"]:
        for card in section["cards"]:
            previous = section["result"]["previous"].get(card["key"])
            excel.append(
                sheet,
                [
                    str(section["title"]),
                    str(card["label"]),
                    _cell(card["raw"], card["kind"]),
                    _cell(previous, card["kind"]),
                    card["change"]["text"] if card["change"] else "",
                ],
            )
            if card["kind"] == "rate":
                rate_rows.append(sheet.max_row)
    for row in rate_rows:
        for column in ("C", "D"):
            sheet[f"{column}{row}"].number_format = "0.0%"
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 28
    for section in context["sections"]:
        table = section["ranking"]
        if not table:
            continue
        ranked = workbook.create_sheet(str(section["title"])[:31])
        _header(
            ranked, [_("Rank"), _("Unit"), *(c["label"] for c in table["columns"]), _("Behind")]
        )
        kinds = [f.kind for f in section["section"].figures]
        by_unit = {row["unit_id"]: row for row in section["result"]["children"]}
        for row in table["rows"]:
            values = by_unit[row["unit_id"]]["values"]
            excel.append(
                ranked,
                [
                    row["rank"],
                    row["name"],
                    *(
                        _cell(values.get(c["key"]), k)
                        for c, k in zip(table["columns"], kinds, strict=True)
                    ),
                    _("yes") if row["laggard"] else "",
                ],
            )
            for offset, kind in enumerate(kinds):
                if kind == "rate":
                    ranked.cell(row=ranked.max_row, column=3 + offset).number_format = "0.0%"
        ranked.column_dimensions["B"].width = 20
    if context["attention"]:
        sheet = workbook.create_sheet(_("Needs attention")[:31])
        _header(sheet, [_("Section"), _("What"), _("Count")])
        for row in context["attention"]:
            excel.append(sheet, [str(row["section"]), row["label"], row["count"]])
        sheet.column_dimensions["B"].width = 40
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=f"dashboard {period.start}..{period.last}",
        unit=unit,
        row_count=len(context["children"]),
    )
    name = _("dashboard")
    return excel.response(
        excel.workbook_bytes(workbook),
        f"{unit.name}-{name}-{period.start:%Y-%m-%d}-{period.last:%Y-%m-%d}.xlsx",
    )
