"""Every form gives back what it was given.

A browser submits exactly what a page rendered into its inputs. If a widget renders a value
its own field cannot read back (a zh-hans date `2014/10/27` in `<input type="date">`, which
the browser shows empty; an amount `2.1E+2`), saving a page without touching it loses data.

Three checks:
- every edit page of the project, opened on a stored object, is submitted back with the values
  it rendered, and nothing in the database changes;
- every field of every form class renders dates, times, date-times and amounts in a form it
  reads back (ISO for the date and time inputs), which covers create pages and their
  pre-filled values too;
- every form class of the project is either rendered by one of those edit pages or listed
  below as a form that never shows stored values, so a new form cannot slip past.
"""

import datetime
import importlib
import pkgutil
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import resolve, reverse
from django.utils import timezone

from governance.widgets import DateInput, DateTimeInput, TimeInput
from tests.test_url_harness import CASES

pytestmark = pytest.mark.django_db


# Discovery ------------------------------------------------------------------------------------


def _project_apps():
    # The virtualenv may live inside the project (.venv): its packages are not ours.
    return [
        c
        for c in apps.get_app_configs()
        if str(c.path).startswith(str(settings.BASE_DIR)) and "site-packages" not in str(c.path)
    ]


def _import_project_modules():
    for config in _project_apps():
        package = importlib.import_module(config.name)
        for info in pkgutil.walk_packages(package.__path__, f"{config.name}."):
            leaf = info.name.rsplit(".", 1)[-1]
            if ".tests" in info.name or ".migrations" in info.name or leaf == "tests":
                continue
            if ".management" in info.name:
                continue
            importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_form_classes() -> set[type]:
    _import_project_modules()
    names = {c.name for c in _project_apps()}
    return {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in names and "tests" not in cls.__module__.split(".")
    }


def _label(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# The edit pages: each opens a stored object. `fill` gives the object the values a round trip
# can lose (dates, times, amounts) before the page is opened; it receives `world` and the URL
# kwargs of the harness case.


def _fill_person(w, kwargs):
    from governance.models import Person

    Person.objects.filter(pk=kwargs["pk"]).update(
        is_party_member=True, party_joined_on=datetime.date(2014, 10, 27)
    )


def _fill_income(w, kwargs):
    from economy.models import VillageIncome

    # 210万元 and 10万元: Decimal.normalize() makes them 2.1E+2 and 1E+1.
    VillageIncome.objects.create(
        village_id=kwargs["pk"],
        year=timezone.localdate().year,
        operating_income=Decimal("2112345.67"),
        resource_income=Decimal("2000000"),
        asset_income=Decimal("100000"),
        service_income=Decimal("12345.67"),
    )


def _fill_schedule(w, kwargs):
    from outreach.models import ReceptionSchedule

    ReceptionSchedule.objects.create(
        community_id=next(iter(kwargs.values())),
        weekday=4,
        start_time=datetime.time(8, 30),
        end_time=datetime.time(11, 30),
        place="党群服务中心",
        valid_from=datetime.date(2026, 1, 5),
    )


def _fill_spans(w, kwargs):
    from venues import hours
    from venues.models import Venue
    from venues.services import sites as services_sites

    span = hours.Span(weekday=0, start=datetime.time(8, 30), end=datetime.time(17, 0))
    services_sites.regular_hours_set(venue=Venue.objects.get(**kwargs), spans=[span], actor=None)


def _fill_criteria(w, kwargs):
    from outreach.services.property import criteria_set

    criteria_set(district=w.district, rows=[("服务质量", 60), ("安全管理", 40)], actor=None)


def _current_criteria(w, kwargs):
    from outreach.models import EvaluationCriterion

    rows = EvaluationCriterion.objects.filter(district=w.district, is_active=True)
    return sorted(rows.values_list("name", "weight"))


def _current_schedule(w, kwargs):
    from outreach.models import ReceptionSchedule

    rows = ReceptionSchedule.objects.filter(valid_until=None)
    return list(rows.values("community", "weekday", "start_time", "end_time", "place", "secretary"))


def _current_spans(w, kwargs):
    from venues.models import Venue

    venue = Venue.objects.get(**kwargs)
    spans = venue.spans.filter(period=None).values_list("weekday", "start", "end", "state")
    return venue.open_on_holidays, venue.makeup_weekday, sorted(spans)


def _fill_policy(w, kwargs):
    from teams.models import TeamsPolicy

    TeamsPolicy.objects.get_or_create(district=w.district)


def _fill_activity(w, kwargs):
    from venues.models import Activity

    activity = Activity.objects.get(pk=kwargs["pk"])
    activity.starts_at = activity.starts_at.replace(minute=30, second=0, microsecond=0)
    activity.ends_at = activity.starts_at + datetime.timedelta(hours=2)
    activity.save()


def _fill_attendance(w, kwargs):
    from venues.models import Activity

    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(days=2)
    Activity.objects.filter(pk=kwargs["pk"]).update(
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        attendance=12,
        report="到场居民十二人。",
    )


EDIT_PAGES = {
    "governance:unit-edit": {"forms": ["governance.forms.UnitForm"]},
    "governance:person-edit": {"forms": ["governance.forms.PersonForm"], "fill": _fill_person},
    "grids:grid-edit": {"forms": ["grids.forms.grids.GridProfileForm"]},
    "grids:care-tag-edit": {"forms": ["grids.catalogues.CareTagForm"]},
    "grids:visiting-round-edit": {"forms": ["grids.catalogues.RoundPolicyForm"]},
    "ledger:category-edit": {"forms": ["governance.ledger.catalogues.CategoryForm"]},
    "venues:activity-category-edit": {"forms": ["venues.catalogues.ActivityCategoryForm"]},
    "grids:household-edit": {"forms": ["grids.forms.households.HouseholdForm"]},
    "economy:income-record": {"forms": ["economy.forms.IncomeForm"], "fill": _fill_income},
    "economy:measure-edit": {"forms": ["economy.forms.MeasureForm"]},
    "economy:project-edit": {"forms": ["economy.forms.ProjectForm"]},
    "outreach:reception-schedule-edit": {
        "forms": ["outreach.forms.reception.ScheduleForm"],
        "fill": _fill_schedule,
        "current": _current_schedule,
    },
    "outreach:property-criteria": {
        "forms": ["outreach.forms.property.CriteriaForm"],
        "viewer": "district_admin",
        "fill": _fill_criteria,
        "current": _current_criteria,
    },
    "teams:rules": {
        "forms": ["teams.forms.rules.PolicyForm"],
        "viewer": "district_admin",
        "marker": ("form", "policy"),
        "fill": _fill_policy,
    },
    "venues:venue-edit": {"forms": ["venues.forms.sites.VenueForm"]},
    "teams:criterion-edit": {"forms": ["teams.forms.rules.CriterionForm"]},
    "teams:training-edit": {"forms": ["teams.forms.training.TrainingForm"]},
    "teams:leader-edit": {"forms": ["teams.forms.leaders.LeaderForm"]},
    "teams:secondment-edit": {"forms": ["teams.forms.secondments.SecondmentForm"]},
    "teams:brand-edit": {"forms": ["teams.forms.brands.BrandForm"]},
    "venues:venue-hours": {
        "forms": ["venues.forms.sites.HolidayRuleForm", "venues.forms.sites.SpanForm"],
        "fill": _fill_spans,
        "current": _current_spans,
    },
    "venues:period-edit": {"forms": ["venues.forms.sites.PeriodForm"]},
    "venues:venue-services": {"forms": ["venues.forms.sites.ServicesForm"]},
    "venues:matter-edit": {"forms": ["venues.forms.sites.MatterForm"]},
    "venues:activity-edit": {
        "forms": ["venues.forms.activities.ActivityEditForm"],
        "fill": _fill_activity,
    },
    "venues:activity-attendance": {
        "forms": ["venues.forms.activities.AttendanceForm"],
        "fill": _fill_attendance,
    },
}


# Forms that never render a stored object's values: creating, filtering, a lifecycle step, an
# upload, the admin's (Django's own change form). Their fields are still checked one by one
# below, which covers the values create pages pre-fill.
NOT_EDIT_FORMS = {
    "dashboards.views.PeriodForm",
    "economy.forms.AttachmentForm",
    "economy.forms.BandForm",
    "economy.forms.CompanyForm",
    "economy.forms.CompanyYearForm",
    "economy.forms.DevelopmentModelForm",
    "economy.forms.EnterpriseForm",
    "economy.forms.FundingForm",
    "economy.forms.MilestoneForm",
    "economy.forms.PairingEndForm",
    "economy.forms.PairingForm",
    "economy.forms.PairingResultForm",
    "economy.forms.ProgressForm",
    "economy.forms.ProjectStatusForm",
    "economy.forms.ShareForm",
    "economy.forms.VillageModelForm",
    "governance.admin.CalendarYearForm",
    "governance.ledger.admin.LedgerForm",
    "governance.ledger.admin.LedgerItemForm",
    "governance.ledger.admin.MatterCategoryForm",
    "governance.admin.MembershipAdminForm",
    "governance.admin.PersonAdminForm",
    "governance.admin.UnitAdminForm",
    "governance.admin._DropForm",
    "governance.catalogues.CatalogueForm",  # the base of the catalogue forms
    "governance.forms.AccountForm",
    "governance.forms.MembershipForm",
    "governance.forms.SignInForm",
    "governance.forms.ThrottledPasswordChangeForm",
    "governance.forms.UnitCreateForm",
    "governance.forms.UnitMoveForm",
    "governance.ledger.forms.items.AttachForm",
    "governance.ledger.forms.items.ExplainForm",
    "governance.ledger.forms.items.ExtensionDecideForm",
    "governance.ledger.forms.items.ExtensionRequestForm",
    "governance.ledger.forms.items.HandOverForm",
    "governance.ledger.forms.items.ItemCreateForm",
    "governance.ledger.forms.items.NoteForm",
    "governance.ledger.forms.items.PlanForm",
    "governance.ledger.forms.items.ReplyForm",
    "governance.ledger.forms.items.ResolveForm",
    "governance.ledger.forms.items.ReturnForm",
    "governance.ledger.forms.items.SatisfactionForm",
    "governance.ledger.forms.items.StepForm",
    "governance.ledger.forms.items.UrgeForm",
    "governance.ledger.forms.items.VerifyFailForm",
    "governance.ledger.forms.items.WithdrawForm",
    "governance.ledger.forms.reviews.MeetingForm",
    "governance.ledger.forms.reviews.MonthlyMeetingForm",
    "governance.ledger.forms.reviews.PeriodForm",
    "governance.ledger.forms.reviews.PlanRowForm",
    "governance.ledger.forms.reviews.ScheduleForm",  # a weekday choice on the review page
    "governance.ledger.forms.reviews.WeeklyMeetingForm",
    "governance.importing.ImportForm",
    "grids.admin.HouseholdAdminForm",
    "grids.forms.redraws.RedrawForm",
    "grids.forms.visits.ReviewForm",
    "grids.forms.visits.SupplementForm",
    "grids.forms.visits.VisitFilterForm",
    "grids.forms.visits.VisitForm",
    "grids.forms.workers.GridAssignmentForm",
    "outreach.forms.contacts.ActivityFilterForm",
    "outreach.forms.contacts.ActivityForm",
    "outreach.forms.dual.ClaimForm",
    "outreach.forms.dual.EvaluationForm",
    "outreach.forms.dual.MemberForm",
    "outreach.forms.dual.ProjectForm",
    "outreach.forms.dual.ReassignForm",
    "outreach.forms.dual.RecordForm",
    "outreach.forms.dual.WorkUnitForm",
    "outreach.forms.duties.DutyForm",
    "outreach.forms.duties.EndForm",
    "outreach.forms.duties.PolicyForm",  # no page renders it
    "outreach.forms.duties.ReassignForm",
    "outreach.forms.property.CompanyForm",
    "outreach.forms.property.ComplaintForm",
    "outreach.forms.property.ContractForm",
    "outreach.forms.property.EstateForm",
    "outreach.forms.property.EvaluationForm",
    "outreach.forms.reception.DemandForm",
    "outreach.forms.reception.SessionForm",
    "venues.forms.activities.ActivityForm",
    "venues.forms.activities.CancelForm",
    "venues.forms.activities.PublicRegistrationForm",
    "venues.forms.activities.RegistrationForm",
    "venues.forms.activities.SeriesForm",
    "venues.forms.activities._Common",
    "venues.forms.sites.PhotoForm",
    "venues.forms.requests.RequestForm",
    "venues.forms.requests.RequestStepForm",
    "venues.forms.sites.UpgradeForm",
    "teams.forms.training.AttendForm",
    "teams.forms.salons.FollowUpForm",
    "teams.forms.employment.GigWorkerForm",
    "teams.forms.salons.IdeaForm",
    "teams.forms.employment.MatchForm",
    "teams.forms.brands.ModelCommunityForm",
    "teams.forms.brands.PhotoForm",
    "teams.forms.employment.PostingForm",
    "teams.forms.staffing.QuotaAdditionForm",
    "teams.forms.staffing.QuotaForm",
    "teams.forms.reserve.ReserveForm",
    "teams.forms.salons.SalonForm",
    "teams.forms.scoped.ScopedForm",
    "teams.forms.scoped.ScopedModelForm",
    "teams.forms.talent.TalentForm",
    "teams.forms.talent.TalentRequestForm",
    "teams.forms.workers.ToReserveForm",
    "teams.forms.workers.WorkerForm",
}


# 1. Edit pages --------------------------------------------------------------------------------


# A browser empties an input whose value is not valid for its type (HTML's value sanitization
# algorithm): `<input type="date" value="2014/10/27">` shows an empty box and submits "".
VALID_VALUES = {
    "date": r"\d{4,}-\d{2}-\d{2}",
    "time": r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?",
    "datetime-local": r"\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?",
    "number": r"-?(\d+|\d*\.\d+)([eE][-+]?\d+)?",
}


def _sanitized(kind: str, value: str) -> str:
    pattern = VALID_VALUES.get(kind)
    return value if pattern is None or re.fullmatch(pattern, value) else ""


class _FormParser(HTMLParser):
    """The POST forms of a page with the values a browser would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action")}
            self._form["fields"] = []
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            fields.append((a["name"], _sanitized(kind, a.get("value", default))))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "chosen": [], "first": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and self._select["first"] is not None:
                chosen = [self._select["first"]]
            self._form["fields"].extend((self._select["name"], v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            name, text = self._textarea
            self._form["fields"].append((name, text.removeprefix("\n")))
            self._textarea = None


def _form_of_page(html: str, url: str, marker=None) -> dict:
    parser = _FormParser()
    parser.feed(html)
    page = resolve(url).url_name
    own = [
        f
        for f in parser.forms
        if f["method"] == "post"
        and (not f["action"] or resolve(f["action"].split("?")[0]).url_name == page)
    ]
    if marker:
        own = [f for f in own if marker in f["fields"]]
    assert own, f"{url}: no POST form submits to the page itself"
    return max(own, key=lambda f: len(f["fields"]))


# Who saved last and when: a save stamps them whatever it changes.
STAMPS = {"recorded_by_id", "attendance_recorded_at", "attendance_recorded_by_id"}


def _snapshot() -> dict:
    """Every row of the project's tables, without the columns a save stamps by itself."""
    rows = {}
    for config in _project_apps():
        for model in config.get_models():
            volatile = {
                f.attname
                for f in model._meta.concrete_fields
                if getattr(f, "auto_now", False)
                or getattr(f, "auto_now_add", False)
                or f.attname in STAMPS
            }
            keep = [f.attname for f in model._meta.concrete_fields if f.attname not in volatile]
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values(*keep))
    return rows


def _changes(before: dict, after: dict) -> list[str]:
    out = []
    for label, rows in before.items():
        if rows != after[label]:
            old = {r["id"]: r for r in rows}
            new = {r["id"]: r for r in after[label]}
            for pk in old.keys() | new.keys():
                a, b = old.get(pk), new.get(pk)
                if a != b:
                    diff = {k: (a.get(k), b.get(k)) for k in (a or b) if a and b and a[k] != b[k]}
                    out.append(f"{label} #{pk}: {diff or ('added' if b else 'removed')}")
    return out


@pytest.mark.parametrize("url_name", sorted(EDIT_PAGES))
def test_an_edit_page_saved_untouched_changes_nothing(client, world, url_name):
    page, case = EDIT_PAGES[url_name], CASES[url_name]
    kwargs = case.inside(world)
    if "fill" in page:
        page["fill"](world, kwargs)
    url = reverse(url_name, kwargs=kwargs or None)
    client.force_login(getattr(world, page.get("viewer", case.viewer)))

    response = client.get(url)
    assert response.status_code == 200
    rendered = {_label(type(f)) for f in _forms_in(response)}
    assert set(page["forms"]) <= rendered, rendered
    form = _form_of_page(response.content.decode(), url, page.get("marker"))
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)

    # Pages that keep history replace the current rows by equal ones: compare what is current.
    state = page.get("current") or (lambda w, kwargs: _snapshot())
    before = state(world, kwargs)
    response = client.post(form["action"] or url, data)
    assert response.status_code == 302, _errors(response)
    after = state(world, kwargs)
    if "current" in page:
        assert after == before
    else:
        assert _changes(before, after) == []


def _forms_in(response) -> list:
    contexts = response.context or []
    if not isinstance(contexts, list):
        contexts = [contexts]
    found = []
    for context in contexts:
        for value in context.flatten().values():
            members = [value, *value.forms] if isinstance(value, forms.BaseFormSet) else [value]
            for member in members:
                if isinstance(member, forms.BaseForm | forms.BaseFormSet) and member not in found:
                    found.append(member)
    return found


def _errors(response):
    return [
        (type(f).__name__, f.errors, getattr(f, "non_form_errors", list)())
        for f in _forms_in(response)
    ]


# 2. Every field of every form -----------------------------------------------------------------

SAMPLES = {
    forms.DateTimeField: (datetime.datetime(2026, 10, 27, 9, 30), "2026-10-27T09:30"),
    forms.DateField: (datetime.date(2014, 10, 27), "2014-10-27"),
    forms.TimeField: (datetime.time(8, 30), "08:30"),
}
# Yuan amounts as the database holds them and as Decimal.normalize() leaves them (2.1E+2 万元).
AMOUNTS = [Decimal("2100000"), Decimal("100000"), Decimal("1E+5"), Decimal("12345.67")]
ISO_WIDGETS = {
    forms.DateTimeField: DateTimeInput,
    forms.DateField: DateInput,
    forms.TimeField: TimeInput,
}


def _rendered(field, value) -> str:
    return field.widget.format_value(field.prepare_value(value))


def _field_classes():
    return sorted(project_form_classes(), key=_label)


@pytest.mark.parametrize("form_class", _field_classes(), ids=_label)
def test_every_field_reads_back_what_it_renders(form_class):
    admin_form = form_class.__module__.split(".")[-1] == "admin"
    for name, field in form_class.base_fields.items():
        kind = next((k for k in SAMPLES if isinstance(field, k)), None)
        if kind is not None:
            value, iso = SAMPLES[kind]
            # The admin puts its own calendar widgets (text boxes) on these fields.
            if not admin_form and not isinstance(field.widget, forms.HiddenInput):
                assert isinstance(field.widget, ISO_WIDGETS[kind]), (
                    f"{name}: use governance.widgets.{ISO_WIDGETS[kind].__name__}"
                )
                assert _rendered(field, value) == iso, name
            cleaned = field.clean(_rendered(field, value))
            if isinstance(cleaned, datetime.datetime):
                cleaned = timezone.make_naive(cleaned)
            assert cleaned == value, name
        elif hasattr(field, "unit") and isinstance(field, forms.CharField):  # economy's 万元
            for amount in AMOUNTS:
                text = _rendered(field, amount)
                assert "E" not in text.upper(), (name, text)
                assert field.clean(text) == amount, (name, text)
        elif isinstance(field, forms.DecimalField):
            # As the database hands them back: quantized to the field's decimal places.
            places = Decimal(1).scaleb(-(field.decimal_places or 0))
            for number in (Decimal(10).quantize(places), Decimal(1).quantize(places)):
                text = _rendered(field, number)
                assert "E" not in text.upper(), (name, text)
                assert field.clean(text) == number, (name, text)


def test_a_date_passed_in_the_address_arrives_in_the_date_box(client, world):
    client.force_login(world.secretary_a)
    url = reverse("outreach:reception-session-new", args=[world.community_a.pk])
    response = client.get(url, {"date": "2026-12-07"})
    assert response.status_code == 200
    assert 'value="2026-12-07"' in response.content.decode()


# 3. Nothing escapes ---------------------------------------------------------------------------


def test_every_form_class_is_round_tripped_or_shows_no_stored_values():
    on_edit_pages = {name for page in EDIT_PAGES.values() for name in page["forms"]}
    known = on_edit_pages | NOT_EDIT_FORMS
    found = {_label(c) for c in project_form_classes()}
    assert not (found - known), (
        "Form classes that no round-trip covers: add their edit page to EDIT_PAGES or, if they "
        f"never show stored values, to NOT_EDIT_FORMS: {sorted(found - known)}"
    )
    assert not (known - found), f"listed but gone: {sorted(known - found)}"
