"""Forms of the figures page and the two review meetings."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.ledger import figures
from governance.ledger.reviews import due_day
from governance.models import ReviewSchedule
from governance.params import DayField
from governance.widgets import DateInput

PRESET_LABELS = {
    "week": _("This week"),
    "month": _("This month"),
    "last_month": _("Last month"),
    "quarter": _("This quarter"),
    "year": _("This year"),
    "custom": _("Custom"),
}


class PeriodForm(forms.Form):
    """The figures page's period: a preset, or a custom range of days (both included)."""

    period = forms.ChoiceField(
        label=_("Period"), choices=list(PRESET_LABELS.items()), required=False
    )
    start = DayField(label=_("From"), required=False, widget=DateInput())
    end = DayField(label=_("To"), required=False, widget=DateInput())

    def period_for(self, today: datetime.date) -> figures.Period:
        data = self.cleaned_data if self.is_valid() else {}
        first, last = data.get("start"), data.get("end")
        preset = data.get("period") or ("custom" if first and last else "month")
        return figures.period(preset, today, first, last)


def _handler_label(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person else user.get_full_name() or user.username


class PlanRowForm(forms.Form):
    """One item at the weekly review: measures, deadline (its last day) and handler."""

    measures = forms.CharField(
        label=_("Measures"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    due_on = forms.DateField(label=_("Deadline"), widget=DateInput())
    handler = forms.TypedChoiceField(
        label=_("Handler"), coerce=int, required=False, empty_value=None
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, item, handlers: list, **kwargs):
        kwargs.setdefault("prefix", f"item-{item.pk}")
        kwargs.setdefault(
            "initial",
            {
                "measures": item.measures,
                "due_on": due_day(item.due_at),
                "handler": item.handler_id,
                "version": item.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.item = item
        self.handlers = {user.pk: user for user in handlers}
        self.fields["handler"].choices = [("", "—")] + [
            (user.pk, _handler_label(user)) for user in handlers
        ]

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        # A deadline that has passed may stay as it is (an urgent matter counted in hours);
        # only a new one must lie ahead.
        if due_on != due_day(self.item.due_at) and due_on < timezone.localdate():
            raise forms.ValidationError(_("The deadline has already passed."))
        return due_on

    def plan_arguments(self) -> dict:
        """Keyword arguments for services.item_plan: only what the meeting changed."""
        data = self.cleaned_data
        arguments = {"measures": data["measures"], "version": data["version"]}
        if self.item.due_at is None or data["due_on"] != due_day(self.item.due_at):
            arguments["due_on"] = data["due_on"]
        if data["handler"] is not None and data["handler"] != self.item.handler_id:
            arguments["handler"] = self.handlers[data["handler"]]
        return arguments


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    attendees = forms.CharField(
        label=_("Attendees"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names, separated by commas."),
        max_length=2000,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A meeting cannot be recorded before it is held."))
        return held_on


class WeeklyMeetingForm(MeetingForm):
    """The weekly meeting: which of the items studied since the last record it covered."""

    items = forms.TypedMultipleChoiceField(
        label=_("Items studied"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, studied: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.studied = {item.pk: item for item in studied}
        self.fields["items"].choices = [(item.pk, item.number) for item in studied]
        self.fields["items"].initial = list(self.studied)

    def decisions(self) -> dict[int, str]:
        """The measures set at the review are the meeting's decision on each item."""
        return {pk: self.studied[pk].measures for pk in self.cleaned_data["items"]}


class MonthlyMeetingForm(MeetingForm):
    """The monthly meeting: a decision text per agenda item; items left blank were not
    discussed."""

    def __init__(self, *args, items: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"decision-{item.pk}"] = forms.CharField(
                label=item.number,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(f"decision-{item.pk}", "").strip() for item in self.items):
            raise forms.ValidationError(_("Write down the decision on at least one item."))
        return data

    def decisions(self) -> dict[int, str]:
        data = self.cleaned_data
        return {
            item.pk: data[f"decision-{item.pk}"].strip()
            for item in self.items
            if data.get(f"decision-{item.pk}", "").strip()
        }


class ScheduleForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Weekly review day"),
        coerce=int,
        choices=ReviewSchedule._meta.get_field("weekday").choices,
    )
