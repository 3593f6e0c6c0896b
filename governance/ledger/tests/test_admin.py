import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.ledger import services
from governance.models import (
    CalendarDay,
    CalendarSource,
    CalendarYear,
    CategoryTimeLimit,
    EventAction,
    ExtensionRequest,
    LedgerEvent,
    LedgerItem,
    MatterCategory,
    ReviewKind,
    ReviewMeeting,
    ReviewSchedule,
    Status,
)
from governance.testing import moment

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = moment(2026, 4, 1, 10, 0)
MODELS = (
    "ledger",
    "ledgeritem",
    "mattercategory",
    "categorytimelimit",
    "extensionrequest",
    "reviewmeeting",
    "reviewschedule",
    "calendarday",
    "calendaryear",
)


def staff(user, *models: str, actions=("view", "add", "change", "delete")):
    """Make an account staff with the admin permissions on the ledger models named."""
    user.is_staff = True
    user.save()
    codenames = [f"{action}_{model}" for model in models or MODELS for action in actions]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="governance", codename__in=codenames)
    )
    return user


def changelist(model: str) -> str:
    return reverse(f"admin:governance_{model}_changelist")


def change(obj) -> str:
    return reverse(f"admin:governance_{obj._meta.model_name}_change", args=[obj.pk])


def listed(client, model: str, **params) -> list:
    return list(client.get(changelist(model), params).context["cl"].result_list)


def form_data(response, **changes) -> dict:
    """What the browser would post back from an admin change page, with `changes`."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else getattr(value, "pk", value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    data.update(changes)
    return data


@pytest.fixture
def client(client, settings):
    """Messages are checked in English, whatever the translations say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def w(ledger_world, now):
    w = ledger_world
    w.item_a = services.item_create(
        ledger=w.ledger,
        title="楼道漏水",
        unit=w.grid_a,
        actor=w.secretary_a,
        category=w.category,
        resident_name="李四",
        resident_phone="13812341234",
    )
    w.item_b = services.item_create(
        ledger=w.ledger_b,
        title="路灯不亮",
        unit=w.community_b,
        actor=w.secretary_b,
        category=w.category,
    )
    w.extension_a = services.extension_request(
        item=w.item_a, actor=w.secretary_a, reason="材料未到", due_on=datetime.date(2026, 5, 29)
    )
    w.extension_b = services.extension_request(
        item=w.item_b, actor=w.secretary_b, reason="天气", due_on=datetime.date(2026, 5, 29)
    )
    w.meeting_a = ReviewMeeting.objects.create(
        kind=ReviewKind.WEEKLY, unit=w.community_a, held_on=datetime.date(2026, 3, 27)
    )
    w.meeting_b = ReviewMeeting.objects.create(
        kind=ReviewKind.WEEKLY, unit=w.community_b, held_on=datetime.date(2026, 3, 27)
    )
    w.schedule_a = ReviewSchedule.objects.create(unit=w.community_a, weekday=4)
    w.schedule_b = ReviewSchedule.objects.create(unit=w.community_b, weekday=2)
    w.other_category = MatterCategory.objects.create(
        district=w.other_district, code="0101", name="房屋漏水"
    )
    return w


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-test-123")


def test_a_township_staff_member_lists_only_rows_in_their_township(client, w):
    client.force_login(staff(w.staff_a))
    assert listed(client, "ledgeritem") == [w.item_a]
    assert listed(client, "ledger") == [w.ledger]
    assert listed(client, "extensionrequest") == [w.extension_a]
    assert listed(client, "reviewmeeting") == [w.meeting_a]
    assert listed(client, "reviewschedule") == [w.schedule_a]
    # The matters catalogue is the district's: a township does not keep it.
    assert listed(client, "mattercategory") == []


def test_a_district_admin_sees_the_catalogue_of_their_district_only(client, w):
    client.force_login(staff(w.district_admin))
    assert set(listed(client, "mattercategory")) == {w.category, w.urgent}
    assert set(listed(client, "ledgeritem")) == {w.item_a, w.item_b}


def test_a_department_handler_lists_what_was_handed_to_it(client, w):
    services.item_hand_over(
        item=w.item_a, actor=w.secretary_a, department=w.department, note="需住建部门处理"
    )
    client.force_login(staff(w.handler))
    assert listed(client, "ledgeritem") == [w.item_a]
    assert listed(client, "ledger") == []


def test_a_superuser_sees_everything(client, w, root):
    client.force_login(root)
    assert set(listed(client, "ledgeritem")) == {w.item_a, w.item_b}
    assert w.other_category in listed(client, "mattercategory")


def test_outside_the_scope_the_change_pages_are_missing(client, w):
    client.force_login(staff(w.staff_a))
    for obj in (w.item_b, w.ledger_b, w.extension_b, w.meeting_b, w.category):
        response = client.get(change(obj), follow=True)
        assert response.redirect_chain[-1][0] == reverse("admin:index"), obj
        assert str(obj) not in response.content.decode()


def test_an_item_is_edited_through_the_service_and_its_status_stays(client, w):
    client.force_login(staff(w.secretary_a))
    page = client.get(change(w.item_a))
    assert page.status_code == 200
    fields = page.context["adminform"].form.fields
    assert "status" not in fields and "due_at" not in fields and "resident_phone" not in fields
    assert "138****1234" in page.content.decode() and "13812341234" not in page.content.decode()

    response = client.post(
        change(w.item_a),
        form_data(page, title="三楼楼道漏水", status=Status.CLOSED, due_at="2030-01-01"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = LedgerItem.objects.get(pk=w.item_a.pk)
    assert item.title == "三楼楼道漏水"
    assert item.status == Status.RECEIVED and item.due_at == w.item_a.due_at
    assert item.version == w.item_a.version + 2  # the extension request, then this edit
    edit = LedgerEvent.objects.get(item=item, action=EventAction.EDIT)
    assert (edit.actor, edit.data["changed"]) == (w.secretary_a, ["title"])


def test_a_form_filled_in_against_an_older_version_is_refused(client, w):
    client.force_login(staff(w.secretary_a))
    page = client.get(change(w.item_a))
    services.item_accept(item=w.item_a, actor=w.secretary_a)
    response = client.post(change(w.item_a), form_data(page, title="改名"))
    assert response.status_code == 200
    assert "Someone else changed this item" in str(response.context["adminform"].form.errors)
    assert LedgerItem.objects.get(pk=w.item_a.pk).title == "楼道漏水"


def test_the_history_is_shown_read_only(client, w):
    client.force_login(staff(w.secretary_a))
    page = client.get(change(w.item_a))
    [events] = page.context["inline_admin_formsets"]
    assert not events.has_add_permission and not events.has_change_permission
    assert not events.has_delete_permission
    assert len(events.formset.forms) == LedgerEvent.objects.filter(item=w.item_a).count()


def test_a_closed_item_is_view_only_and_items_are_neither_added_nor_deleted(client, w, root):
    services.item_close_explained(item=w.item_a, actor=w.secretary_a, explanation="不属管辖")
    client.force_login(staff(w.secretary_a))
    page = client.get(change(w.item_a))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.post(change(w.item_a), {"title": "改名"}).status_code == 403
    assert client.get(reverse("admin:governance_ledgeritem_add")).status_code == 403
    delete = reverse("admin:governance_ledgeritem_delete", args=[w.item_b.pk])
    client.force_login(staff(w.secretary_b))
    assert client.get(delete).status_code == 403
    client.force_login(root)
    assert client.get(delete).status_code == 200


def test_extension_requests_are_read_only(client, w):
    client.force_login(staff(w.district_admin))
    page = client.get(change(w.extension_a))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.post(change(w.extension_a), {"status": "approved"}).status_code == 403
    assert ExtensionRequest.objects.get(pk=w.extension_a.pk).status == "pending"


def test_a_category_is_kept_with_its_time_limits_per_level(client, w):
    client.force_login(staff(w.district_admin))
    add = reverse("admin:governance_mattercategory_add")
    page = client.get(add)
    data = form_data(
        page,
        district=w.district.pk,
        code="0201",
        name="占道经营",
        department=w.department.pk,
        accept_limit=1,
        handle_limit=10,
        verify_limit=5,
        limit_unit="workday",
        is_active="on",
        **{
            "time_limits-TOTAL_FORMS": 1,
            "time_limits-0-level": "department",
            "time_limits-0-accept_limit": 1,
            "time_limits-0-handle_limit": 5,
            "time_limits-0-verify_limit": 3,
            "time_limits-0-limit_unit": "workday",
        },
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    category = MatterCategory.objects.get(code="0201")
    assert CategoryTimeLimit.objects.get(category=category).handle_limit == 5

    data.update(code="0202", department=w.other_township.pk)
    assert client.post(add, data).status_code == 200  # another district's unit: refused
    assert not MatterCategory.objects.filter(code="0202").exists()


def test_the_calendar_is_kept_by_district_administrators(client, w):
    add_day = reverse("admin:governance_calendarday_add")
    client.force_login(staff(w.staff_a))
    assert client.get(changelist("calendarday")).status_code == 200
    assert client.get(add_day).status_code == 403

    client.force_login(staff(w.district_admin))
    # 2031 is not in the library: its schedule is entered by hand.
    saturday = {"date": "2031-09-27", "kind": CalendarDay.Kind.WORKDAY, "name": "国庆节调休"}
    assert client.post(add_day, saturday).status_code == 302
    assert CalendarDay.objects.get(date="2031-09-27").source == CalendarSource.MANUAL
    wrong = {"date": "2031-09-28", "kind": CalendarDay.Kind.HOLIDAY, "name": "周日"}
    assert client.post(add_day, wrong).status_code == 200
    assert not CalendarDay.objects.filter(date="2031-09-28").exists()

    add_year = reverse("admin:governance_calendaryear_add")
    assert client.post(add_year, {"year": 2032}).status_code == 200  # no days recorded yet
    assert client.post(add_year, {"year": 2031}).status_code == 302
    assert CalendarYear.objects.get(year=2031).source == CalendarSource.MANUAL


def test_a_library_day_corrected_by_hand_becomes_manual(client, w):
    client.force_login(staff(w.district_admin))
    day = CalendarDay.objects.get(date="2026-10-01")
    page = client.get(change(day))
    assert client.post(change(day), form_data(page, name="国庆节（更正）")).status_code == 302
    day.refresh_from_db()
    assert (day.name, day.source) == ("国庆节（更正）", CalendarSource.MANUAL)


def test_the_weekly_review_day_is_set_through_the_service(client, w):
    client.force_login(staff(w.secretary_a))
    page = client.get(change(w.schedule_a))
    assert client.post(change(w.schedule_a), form_data(page, weekday=1)).status_code == 302
    assert ReviewSchedule.objects.get(unit=w.community_a).weekday == 1


def test_meetings_are_corrected_not_recorded_here(client, w):
    client.force_login(staff(w.secretary_a))
    assert client.get(reverse("admin:governance_reviewmeeting_add")).status_code == 403
    page = client.get(change(w.meeting_a))
    response = client.post(change(w.meeting_a), form_data(page, attendees="张书记、李委员"))
    assert response.status_code == 302
    assert ReviewMeeting.objects.get(pk=w.meeting_a.pk).attendees == "张书记、李委员"


@pytest.mark.parametrize(
    "model", ["ledgeritem", "ledger", "extensionrequest", "reviewmeeting", "mattercategory"]
)
def test_list_pages_cost_the_same_whatever_their_length(client, w, model):
    client.force_login(staff(w.district_admin))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(changelist(model)).status_code == 200
        return len(captured)

    few = queries()
    for n in range(20):
        item = services.item_create(
            ledger=w.ledger if n % 2 else w.ledger_b,
            title=f"事项{n}",
            unit=w.community_a if n % 2 else w.community_b,
            actor=w.district_admin,
            category=w.category,
        )
        services.extension_request(
            item=item, actor=w.district_admin, reason="等待", due_on=datetime.date(2026, 6, 30)
        )
        ReviewMeeting.objects.create(
            kind=ReviewKind.MONTHLY, unit=w.township_a, held_on=datetime.date(2026, 3, n + 1)
        )
        MatterCategory.objects.create(
            district=w.district, code=f"09{n:02d}", name=f"类别{n}", department=w.department
        )
        w.ledger.__class__.objects.create(
            unit=w.community_a2, name=f"台账{n}", kind="general", prefix=f"T{n}"
        )
    assert queries() == few
