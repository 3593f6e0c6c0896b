"""Forms of the ledger item pages. They only collect and check input; the services decide.

Every step form carries the item's `version` in a hidden input: the service refuses a form
filled in against an older version of the item.
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance import access
from governance.models import (
    ExtensionRequest,
    ExtensionStatus,
    LedgerKind,
    MatterCategory,
    Membership,
    Satisfaction,
    Source,
    Unit,
)
from governance.normalize import clean_text, normalize_phone
from governance.uploads import validate_document
from governance.widgets import DateInput

# The source a new item most likely has, from the kind of ledger it goes into.
SOURCE_BY_LEDGER_KIND = {
    LedgerKind.RECEPTION_DAY: Source.RECEPTION_DAY,
    LedgerKind.GRID_PROBLEM: Source.GRID_VISIT,
    LedgerKind.RECTIFICATION: Source.RECTIFICATION,
    LedgerKind.HOTLINE: Source.HOTLINE,
    LedgerKind.GENERAL: Source.OTHER,
}


def _text(label, *, required=True, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def unit_label(unit: Unit) -> str:
    return f"{unit.parent.name} / {unit.name}" if unit.parent_id else unit.name


def end_of_day(day: datetime.date) -> datetime.datetime:
    """A deadline given as a date ends at 24:00 of that day, as the services store it."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


class StepForm(forms.Form):
    """The form of one lifecycle step of one item."""

    #: False for steps whose service takes no version (adding a file, deciding an extension).
    versioned = True

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, item, step: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{step}_%s")
        super().__init__(*args, **kwargs)
        self.item = item
        self.step = step
        if self.versioned:
            self.fields["version"].initial = item.version
        else:
            del self.fields["version"]


class NoteForm(StepForm):
    note = _text(_("Note"), required=False, rows=2)


class PlanForm(StepForm):
    measures = _text(_("Measures"))
    due_on = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day; leave empty to keep the deadline as it is."),
    )
    handler = forms.ModelChoiceField(
        label=_("Handler"), required=False, queryset=get_user_model().objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].initial = self.item.measures
        self.fields["handler"].initial = self.item.handler_id
        self.fields["handler"].queryset = handlers_at(self.item.responsible_unit)
        self.fields["handler"].label_from_instance = account_label


class ReplyForm(StepForm):
    reply = _text(_("Reply given to the resident"))


class HandOverForm(StepForm):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Unit.objects.none())
    note = _text(_("Why the department"), rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.item.unit
        district = unit.path[: unit.steplen]
        self.fields["department"].queryset = Unit.objects.departments().filter(
            path__startswith=district, is_active=True
        )
        if self.item.category_id and self.item.category.department_id:
            self.fields["department"].initial = self.item.category.department_id


class ReturnForm(StepForm):
    note = _text(_("Why it is not this department's matter"), rows=2)


class UrgeForm(StepForm):
    versioned = False

    note = _text(_("What you ask the department"), required=False, rows=2)


class WithdrawForm(StepForm):
    note = _text(_("Why the item is withdrawn"), rows=2)


class ResolveForm(StepForm):
    result = _text(_("How it was resolved"))


class VerifyFailForm(StepForm):
    note = _text(_("What is still not done"), rows=2)


class SatisfactionForm(StepForm):
    satisfaction = forms.ChoiceField(
        label=_("The resident is"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = _text(_("Note"), required=False, rows=2)


class ExplainForm(StepForm):
    explanation = _text(_("Explanation given to the resident"))


class ExtensionRequestForm(StepForm):
    due_on = forms.DateField(label=_("New deadline (last day)"), widget=DateInput())
    reason = _text(_("Reason"), rows=2)


class ExtensionDecideForm(StepForm):
    versioned = False

    extension = forms.ModelChoiceField(
        queryset=ExtensionRequest.objects.none(), widget=forms.HiddenInput
    )
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.HiddenInput
    )
    note = _text(_("Note"), required=False, rows=2)

    def __init__(self, *args, extension=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extension"].queryset = ExtensionRequest.objects.filter(
            item=self.item, status=ExtensionStatus.PENDING
        )
        if extension is not None:
            self.fields["extension"].initial = extension.pk


class AttachForm(StepForm):
    versioned = False

    file = forms.FileField(label=_("File"), validators=[validate_document])


STEP_FORMS: dict[str, type[StepForm]] = {
    "accept": NoteForm,
    "start": NoteForm,
    "plan": PlanForm,
    "reply": ReplyForm,
    "hand_over": HandOverForm,
    "return": ReturnForm,
    "urge": UrgeForm,
    "withdraw": WithdrawForm,
    "resolve": ResolveForm,
    "verify": NoteForm,
    "verify_fail": VerifyFailForm,
    "satisfaction": SatisfactionForm,
    "explain": ExplainForm,
    "extension_request": ExtensionRequestForm,
    "extension_decide": ExtensionDecideForm,
    "attach": AttachForm,
}


def handlers_at(unit: Unit):
    """Accounts holding a role that handles items at exactly this unit, today."""
    roles = [role for role, caps in access.CAPABILITIES.items() if "handle_items" in caps]
    holders = Membership.objects.current().filter(unit=unit, role__in=roles).values("user")
    return (
        get_user_model()
        .objects.filter(pk__in=holders, is_active=True)
        .select_related("person")
        .order_by("username")
    )


def account_label(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person else user.username


class ItemCreateForm(forms.Form):
    ledger = forms.ModelChoiceField(label=_("Ledger"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("What the resident said"), required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    unit = forms.ModelChoiceField(label=_("Where it arose"), queryset=None)
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=MatterCategory.objects.none()
    )
    resident_name = forms.CharField(label=_("Resident's name"), max_length=50, required=False)
    resident_phone = forms.CharField(
        label=_("Resident's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    hotline_ticket = forms.CharField(label=_("12345 ticket number"), max_length=40, required=False)
    hotline_due_on = forms.DateField(
        label=_("12345 centre's deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day the hotline centre gave for the reply."),
    )
    measures = _text(_("Measures"), required=False, rows=2)
    due_on = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day; leave empty to count it from the category's time limit."),
    )
    answered_on_spot = forms.BooleanField(
        label=_("Answered on the spot"),
        required=False,
        help_text=_(
            "The matter was settled at the reception: it is recorded as replied and resolved."
        ),
    )
    reply = _text(_("Reply given to the resident"), required=False, rows=2)

    def __init__(self, *args, ledgers, ledger, units, can_answer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger"].queryset = ledgers
        self.fields["ledger"].label_from_instance = lambda lg: f"{lg.unit.name} · {lg.name}"
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_label
        if ledger is not None:
            self.fields["ledger"].initial = ledger.pk
            self.fields["source"].initial = SOURCE_BY_LEDGER_KIND.get(ledger.kind, Source.OTHER)
            district = ledger.unit.path[: ledger.unit.steplen]
            self.fields["category"].queryset = MatterCategory.objects.filter(
                district__path=district, is_active=True
            )
            self.fields["category"].initial = ledger.default_category_id
        if not can_answer:
            del self.fields["answered_on_spot"]
            del self.fields["reply"]

    def clean_title(self):
        return clean_text(self.cleaned_data["title"])

    def clean_resident_phone(self):
        return normalize_phone(self.cleaned_data.get("resident_phone"))

    def clean(self):
        data = super().clean()
        ledger, unit = data.get("ledger"), data.get("unit")
        if ledger and unit and not unit.path.startswith(ledger.unit.path):
            self.add_error("unit", _("Choose a unit inside the ledger's unit."))
        if data.get("answered_on_spot") and not (data.get("reply") or "").strip():
            self.add_error("reply", _("Write down the reply given on the spot."))
        return data
