import datetime
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.ledger import services
from governance.ledger.rules import allowed_steps
from governance.ledger.templatetags.ledger import deadline
from governance.models import (
    AuditEvent,
    ExtensionRequest,
    ExtensionStatus,
    ItemAttachment,
    Ledger,
    LedgerItem,
    LedgerKind,
    Source,
    Status,
)
from governance.testing import frozen, moment
from governance.tests.factories import make_item

pytestmark = pytest.mark.django_db

# Wednesday 30 September 2026, 10:00 in Asia/Shanghai: National Day starts the next day.
T0 = moment(2026, 9, 30, 10, 0)
HTMX = {"HTTP_HX_REQUEST": "true"}


def new_item(w, **kwargs):
    return make_item(w, **{"received_at": T0, **kwargs})


def step(client, item, name, **data):
    item.refresh_from_db()
    data.setdefault("version", item.version)
    return client.post(reverse("ledger:item-step", args=[item.pk, name]), data)


def shown_numbers(response) -> list[str]:
    return [item.number for item in response.context["page"]]


def message_texts(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request)]


# The list


def test_list_filters_by_status_unit_and_search(client, ledger_world):
    w = ledger_world
    leak = new_item(w, title="屋顶漏水")
    ledger_a2 = Ledger.objects.create(
        unit=w.community_a2, name="鹏泉社区台账", kind="general", prefix="PQ"
    )
    lamp = new_item(
        w,
        title="路灯不亮",
        unit=w.community_a2,
        responsible_unit=w.community_a2,
        ledger=ledger_a2,
        actor=w.staff_a,
    )
    services.item_accept(item=lamp, actor=w.staff_a)
    client.force_login(w.staff_a)
    url = reverse("ledger:item-list")
    assert set(shown_numbers(client.get(url))) == {leak.number, lamp.number}
    assert shown_numbers(client.get(url, {"status": "accepted"})) == [lamp.number]
    assert shown_numbers(client.get(url, {"unit": w.community_a.pk})) == [leak.number]
    assert shown_numbers(client.get(url, {"q": "路灯"})) == [lamp.number]
    assert shown_numbers(client.get(url, {"q": leak.number})) == [leak.number]
    # The filter form as a browser sends it: every field, most of them empty.
    empty = dict.fromkeys(
        ["q", "ledger", "status", "light", "unit", "responsible", "category", "handler"], ""
    )
    response = client.get(url, {**empty, "source": "", "ordering": "", "open": "true"})
    assert response.context["filter"].form.is_valid()
    assert set(shown_numbers(response)) == {leak.number, lamp.number}


def test_list_filters_by_light(client, ledger_world):
    w = ledger_world
    item = new_item(w)  # due at the end of 20 October
    client.force_login(w.secretary_a)
    url = reverse("ledger:item-list")
    with frozen(2026, 10, 9, 9):
        assert shown_numbers(client.get(url, {"light": "green"})) == [item.number]
        assert shown_numbers(client.get(url, {"light": "red"})) == []
    with time_machine.travel(item.warn_at + datetime.timedelta(hours=1), tick=False):
        assert shown_numbers(client.get(url, {"light": "yellow"})) == [item.number]
    with frozen(2026, 10, 21, 9):
        response = client.get(url, {"light": "red"})
        assert shown_numbers(response) == [item.number]
        assert 'data-light="red"' in response.content.decode()


def test_list_sorts_and_keeps_a_stable_order(client, ledger_world):
    w = ledger_world
    first = new_item(w, received_at=T0)
    second = new_item(w, received_at=T0 + datetime.timedelta(days=1))
    urgent = new_item(w, category=w.urgent, received_at=T0 + datetime.timedelta(days=2))
    client.force_login(w.secretary_a)
    url = reverse("ledger:item-list")
    assert shown_numbers(client.get(url)) == [urgent.number, second.number, first.number]
    assert shown_numbers(client.get(url, {"ordering": "due"}))[0] == urgent.number
    assert shown_numbers(client.get(url, {"ordering": "number"})) == [
        first.number,
        second.number,
        urgent.number,
    ]
    assert shown_numbers(client.get(url, {"ordering": "-number"}))[0] == urgent.number


def test_list_paginates_by_fifty_with_a_fixed_number_of_queries(
    client, ledger_world, django_assert_max_num_queries
):
    w = ledger_world
    for n in range(60):
        item = new_item(w, title=f"事项{n}")
        if n % 2:
            services.item_accept(item=item, actor=w.secretary_a)
    client.force_login(w.staff_a)
    url = reverse("ledger:item-list")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert len(response.context["page"]) == 50
    page = response.content.decode()
    assert "李四" not in page and "13812341234" not in page  # no resident data in lists
    second = client.get(url, {"page": 2})
    assert len(second.context["page"]) == 10
    assert not set(shown_numbers(response)) & set(shown_numbers(second))
    with django_assert_max_num_queries(6):
        client.get(url, {"page": 2, "open": "true"}, **HTMX)


def test_htmx_gets_only_the_rows(client, ledger_world):
    new_item(ledger_world)
    client.force_login(ledger_world.staff_a)
    response = client.get(reverse("ledger:item-list"), {"q": "漏水"}, **HTMX)
    page = response.content.decode()
    assert 'data-testid="items"' in page
    assert "<html" not in page and 'data-testid="item-filters"' not in page
    assert "HX-Request" in response["Vary"]


def test_deadlines_show_the_last_day_or_the_hour():
    # A working-day deadline ends at 24:00, stored as 00:00 of the next day.
    assert deadline(moment(2026, 10, 21)) == "2026-10-20"
    assert deadline(moment(2026, 10, 10, 2, 0)) == "2026-10-10 02:00"
    assert deadline("2026-10-21T00:00:00+08:00") == "2026-10-20"
    assert deadline(None) == ""


# The detail page


def test_detail_shows_the_timeline_masked_resident_and_the_allowed_actions(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    services.item_accept(item=item, actor=w.secretary_a, note="已受理")
    client.force_login(w.secretary_a)
    response = client.get(item.get_absolute_url())
    page = response.content.decode()
    assert 'data-testid="timeline"' in page and "已受理" in page
    assert "李*" in page and "138****1234" in page and "13812341234" not in page
    assert "2026-10-20" in page  # the deadline's last day
    shown = set(re.findall(r'data-step="([a-z_]+)"', page))
    item.refresh_from_db()
    expected = set(allowed_steps(w.secretary_a, item)) - {"edit", "extension_decide"}
    assert shown == expected and "resolve" in shown and "accept" not in shown


def test_roles_see_only_their_actions(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    client.force_login(w.leader)  # figures only: may read, may not act
    page = client.get(item.get_absolute_url()).content.decode()
    assert "data-step=" not in page
    services.item_hand_over(item=item, actor=w.secretary_a, department=w.department, note="转")
    client.force_login(w.handler)
    shown = set(
        re.findall(r'data-step="([a-z_]+)"', client.get(item.get_absolute_url()).content.decode())
    )
    assert "accept" in shown and "return" in shown and "hand_over" not in shown


def test_every_step_through_the_pages(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    client.force_login(w.secretary_a)
    assert step(client, item, "accept").status_code == 302
    response = step(client, item, "hand_over", department=w.department.pk, note="需维修基金")
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    item.refresh_from_db()
    assert item.status == Status.HANDED_OVER and item.responsible_unit == w.department

    client.force_login(w.handler)
    assert step(client, item, "accept").status_code == 302
    assert step(client, item, "resolve", result="已更换防水层").status_code == 302
    item.refresh_from_db()
    assert item.status == Status.RESOLVED and item.handler == w.handler

    client.force_login(w.secretary_a)
    assert step(client, item, "verify", note="").status_code == 302
    assert step(client, item, "satisfaction", satisfaction="satisfied").status_code == 302
    item.refresh_from_db()
    assert item.status == Status.CLOSED and item.satisfaction == "satisfied"
    actions = list(item.events.values_list("action", flat=True))
    assert actions == [
        "create",
        "accept",
        "hand_over",
        "accept",
        "resolve",
        "verify",
        "satisfaction",
    ]
    page = client.get(item.get_absolute_url()).content.decode()
    assert "区住建局" in page and "已更换防水层" in page


def test_plan_reply_explain_and_attach(client, ledger_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = ledger_world
    item = new_item(w, category=None)  # a reception-day demand: no deadline until planned
    client.force_login(w.secretary_a)
    response = step(
        client, item, "plan", measures="联系物业", due_on="2026-10-16", handler=w.secretary_a.pk
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.due_at == moment(2026, 10, 17) and item.handler == w.secretary_a
    assert step(client, item, "reply", reply="已电话告知").status_code == 302
    upload = SimpleUploadedFile("现场照片.jpg", b"jpeg", content_type="image/jpeg")
    response = client.post(reverse("ledger:item-step", args=[item.pk, "attach"]), {"file": upload})
    assert response.status_code == 302
    attachment = ItemAttachment.objects.get(item=item)
    download = client.get(reverse("ledger:item-attachment", args=[item.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"jpeg"
    assert step(client, item, "explain", explanation="属司法程序").status_code == 302
    item.refresh_from_db()
    assert item.status == Status.CLOSED and item.close_reason == "explained"


def test_plan_offers_only_handlers_of_the_responsible_unit(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    client.force_login(w.staff_a)
    response = client.get(item.get_absolute_url())
    plan = next(a for a in response.context["actions"] if a["step"] == "plan")
    assert list(plan["form"].fields["handler"].queryset) == [w.secretary_a]
    response = step(client, item, "plan", measures="x", handler=w.staff_b.pk)
    assert response.status_code == 400
    assert LedgerItem.objects.get(pk=item.pk).measures == ""


def test_a_refused_step_says_why_in_chinese_and_changes_nothing(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    client.force_login(w.secretary_a)
    response = step(client, item, "resolve", result="已维修")
    assert response.status_code == 302
    assert message_texts(response) == ["事项处于“已登记”状态，不能“办结”。"]
    item.refresh_from_db()
    assert item.status == Status.RECEIVED and item.result == "" and item.events.count() == 1
    # htmx: 409 with the refreshed item and the message.
    item.refresh_from_db()
    response = client.post(
        reverse("ledger:item-step", args=[item.pk, "resolve"]),
        {"version": item.version, "result": "已维修"},
        **HTMX,
    )
    assert response.status_code == 409
    assert "不能“办结”" in response.content.decode()
    assert LedgerItem.objects.get(pk=item.pk).status == Status.RECEIVED


def test_a_role_without_the_step_is_refused(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    client.force_login(w.leader)
    response = step(client, item, "accept")
    assert message_texts(response) == ["您的角色不能对这条事项进行此操作。"]
    assert LedgerItem.objects.get(pk=item.pk).status == Status.RECEIVED


def test_a_stale_form_is_refused(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    seen = item.version
    services.item_plan(item=item, actor=w.staff_a, measures="联系物业")
    client.force_login(w.secretary_a)
    url = reverse("ledger:item-step", args=[item.pk, "plan"])
    response = client.post(url, {"version": seen, "measures": "另一措施"})
    assert message_texts(response) == ["刚才已有他人修改了这条事项，请刷新页面后重试。"]
    assert LedgerItem.objects.get(pk=item.pk).measures == "联系物业"


def test_a_form_to_correct_is_shown_again(client, ledger_world):
    w = ledger_world
    item = services.item_accept(item=new_item(w), actor=w.secretary_a)
    client.force_login(w.secretary_a)
    response = client.post(
        reverse("ledger:item-step", args=[item.pk, "resolve"]),
        {"version": item.version, "result": ""},
        **HTMX,
    )
    assert response.status_code == 422
    resolve = next(a for a in response.context["actions"] if a["step"] == "resolve")
    assert resolve["open"] and resolve["form"].errors
    assert LedgerItem.objects.get(pk=item.pk).status == Status.ACCEPTED


def test_a_successful_htmx_step_returns_the_refreshed_item(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    client.force_login(w.secretary_a)
    response = client.post(
        reverse("ledger:item-step", args=[item.pk, "accept"]), {"version": item.version}, **HTMX
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and 'data-step="resolve"' in page


def test_reveal_is_recorded(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    client.force_login(w.secretary_a)
    response = client.post(reverse("ledger:item-reveal", args=[item.pk]), **HTMX)
    assert "13812341234" in response.content.decode() and "李四" in response.content.decode()
    audit = AuditEvent.objects.get()
    assert audit.actor == w.secretary_a and audit.target == f"governance.ledgeritem:{item.pk}"
    client.force_login(w.staff_a)  # township staff do not hold view_personal_data
    assert client.post(reverse("ledger:item-reveal", args=[item.pk])).status_code == 403
    assert AuditEvent.objects.count() == 1


def test_whoever_records_the_call_back_may_reveal_the_residents_phone(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    LedgerItem.objects.filter(pk=item.pk).update(status=Status.VERIFIED)
    client.force_login(w.staff_a)  # township staff: no view_personal_data, but may call back
    assert "satisfaction" in allowed_steps(w.staff_a, LedgerItem.objects.get(pk=item.pk))
    page = client.get(item.get_absolute_url()).content.decode()
    assert "13812341234" not in page
    assert reverse("ledger:item-reveal", args=[item.pk]) in page
    response = client.post(reverse("ledger:item-reveal", args=[item.pk]), **HTMX)
    assert response.status_code == 200 and "13812341234" in response.content.decode()
    audit = AuditEvent.objects.get()
    assert audit.actor == w.staff_a and audit.target == f"governance.ledgeritem:{item.pk}"


# Queues and approvals


def test_department_queue_shows_only_what_was_handed_over(client, ledger_world):
    w = ledger_world
    handed = new_item(w, title="需住建局")
    later = new_item(w, title="也转住建局", received_at=T0 - datetime.timedelta(days=1))
    kept = new_item(w, title="社区自办")
    for item in (handed, later):
        services.item_hand_over(item=item, actor=w.secretary_a, department=w.department, note="转")
    services.item_resolve(
        item=services.item_accept(item=LedgerItem.objects.get(pk=later.pk), actor=w.handler),
        actor=w.handler,
        result="已办",
    )
    client.force_login(w.handler)
    response = client.get(reverse("ledger:department-queue"))
    assert shown_numbers(response) == [handed.number, later.number]  # open first
    assert kept.number not in response.content.decode()
    client.force_login(w.secretary_a)
    assert client.get(reverse("ledger:department-queue")).status_code == 403


def test_township_staff_approve_an_extension_on_the_page(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    first_due = item.due_at
    client.force_login(w.secretary_a)
    response = step(client, item, "extension_request", due_on="2026-11-06", reason="需招标")
    assert response.status_code == 302
    extension = ExtensionRequest.objects.get(item=item)
    assert client.get(reverse("ledger:extension-list")).context["page"].paginator.count == 0

    client.force_login(w.staff_a)
    url = reverse("ledger:extension-list")
    response = client.get(url)
    assert [e.pk for e in response.context["page"]] == [extension.pk]
    response = client.post(
        reverse("ledger:item-step", args=[item.pk, "extension_decide"]),
        {"extension": extension.pk, "decision": "approve", "note": "同意", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    item.refresh_from_db()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED and extension.decided_by == w.staff_a
    assert item.due_at == moment(2026, 11, 7) and item.original_due_at == first_due
    assert client.get(url).context["page"].paginator.count == 0
    again = client.post(
        reverse("ledger:item-step", args=[item.pk, "extension_decide"]),
        {"extension": extension.pk, "decision": "refuse", "next": url},
    )
    assert again["Location"] == url and message_texts(again) == ["该延期申请已经审批。"]
    page = client.get(item.get_absolute_url()).content.decode()
    assert "2026-11-06" in page and "2026-10-20" in page  # both deadlines


# Registering


def test_register_an_item_answered_on_the_spot(client, ledger_world):
    w = ledger_world
    client.force_login(w.secretary_a)
    url = reverse("ledger:item-create")
    form = client.get(url, {"ledger": w.ledger.pk})
    assert form.status_code == 200
    units = {u.pk for u in form.context["form"].fields["unit"].queryset}
    assert units == {w.community_a.pk, w.grid_a.pk, w.grid_a2.pk}
    response = client.post(
        url,
        {
            "ledger": w.ledger.pk,
            "title": "咨询养老补贴",
            "source": Source.RECEPTION_DAY,
            "unit": w.grid_a.pk,
            "resident_name": "王五",
            "resident_phone": "１３９ ０００ ０１１１１",
            "answered_on_spot": "on",
            "reply": "已现场解释政策",
        },
    )
    item = LedgerItem.objects.get(title="咨询养老补贴")
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.status == Status.RESOLVED and item.responsible_unit == w.community_a
    assert item.resident_phone == "13900001111"
    assert list(item.events.values_list("action", flat=True)) == ["create", "reply", "resolve"]


def test_register_with_a_deadline_and_the_ledger_partial(client, ledger_world):
    w = ledger_world
    client.force_login(w.secretary_a)
    url = reverse("ledger:item-create")
    partial = client.get(url, {"ledger": w.ledger.pk}, **HTMX).content.decode()
    assert "<html" not in partial and "花园第一网格" in partial
    client.post(
        url,
        {
            "ledger": w.ledger.pk,
            "title": "楼道堆物",
            "source": Source.GRID_VISIT,
            "unit": w.community_a.pk,
            "measures": "通知物业清理",
            "due_on": "2026-12-04",
        },
    )
    item = LedgerItem.objects.get(title="楼道堆物")
    assert item.due_at == moment(2026, 12, 5) and item.measures == "通知物业清理"


def test_register_refuses_a_unit_outside_the_ledger_and_other_ledgers(client, ledger_world):
    w = ledger_world
    client.force_login(w.secretary_a)
    url = reverse("ledger:item-create")
    assert client.get(url, {"ledger": w.ledger_b.pk}).status_code == 404
    response = client.post(
        url, {"ledger": w.ledger.pk, "title": "x", "source": "other", "unit": w.grid_b.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not LedgerItem.objects.exists()


def test_a_grid_worker_files_into_the_community_ledger(client, ledger_world):
    w = ledger_world
    grid_ledger = Ledger.objects.create(
        unit=w.community_a, name="花园社区网格问题台账", kind=LedgerKind.GRID_PROBLEM, prefix="HY"
    )
    client.force_login(w.worker_a)
    url = reverse("ledger:item-create")
    form = client.get(url, {"ledger": grid_ledger.pk}).context["form"]
    assert [u.pk for u in form.fields["unit"].queryset] == [w.grid_a.pk]
    assert "answered_on_spot" not in form.fields
    client.post(
        url,
        {
            "ledger": grid_ledger.pk,
            "title": "井盖松动",
            "source": "grid_visit",
            "unit": w.grid_a.pk,
        },
    )
    item = LedgerItem.objects.get(title="井盖松动")
    assert item.unit == w.grid_a and item.responsible_unit == w.community_a
    assert client.get(item.get_absolute_url()).status_code == 200


# Scope


def test_outsiders_get_404_everywhere(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    client.force_login(w.secretary_b)
    detail = reverse("ledger:item-detail", args=[item.pk])
    assert client.get(detail).status_code == 404
    assert client.get(detail, **HTMX).status_code == 404
    assert client.post(reverse("ledger:item-reveal", args=[item.pk])).status_code == 404
    for name in ("accept", "resolve", "hand_over", "nonsense"):
        url = reverse("ledger:item-step", args=[item.pk, name])
        assert client.post(url, {"version": item.version}, **HTMX).status_code == 404
    assert item.number not in client.get(reverse("ledger:item-list")).content.decode()
    assert LedgerItem.objects.get(pk=item.pk).status == Status.RECEIVED


def test_a_department_sees_an_item_only_after_hand_over(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    client.force_login(w.handler)
    assert client.get(item.get_absolute_url()).status_code == 404
    services.item_hand_over(item=item, actor=w.secretary_a, department=w.department, note="转")
    assert client.get(item.get_absolute_url()).status_code == 200


def test_anonymous_users_are_sent_to_sign_in(client, ledger_world):
    item = new_item(ledger_world)
    for url in (
        reverse("ledger:item-list"),
        item.get_absolute_url(),
        reverse("ledger:item-step", args=[item.pk, "accept"]),
    ):
        response = client.post(url) if "accept" in url else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# Home page


def test_work_queue_figures_match_the_lists_they_open(
    client, ledger_world, django_assert_max_num_queries
):
    w = ledger_world
    with time_machine.travel(T0, tick=False):
        red = new_item(w, received_at=T0 - datetime.timedelta(days=40))
        new_item(w)
        new_item(w, category=None)  # no deadline yet: green
        other = new_item(
            w,
            unit=w.community_b,
            responsible_unit=w.community_b,
            ledger=w.ledger_b,
            actor=w.secretary_b,
        )
        services.extension_request(
            item=red, actor=w.secretary_a, reason="需招标", due_on=datetime.date(2026, 12, 1)
        )
    with frozen(2026, 10, 19, 9):
        assert other.light(timezone.now()) == "yellow"  # counted for B's staff, not A's
        client.force_login(w.staff_a)
        client.get(reverse("governance:home"))
        # 10: the dashboards' panel reads this month's snapshot of the street (one row).
        with django_assert_max_num_queries(10):
            response = client.get(reverse("governance:home"))
        panel = next(p for p in response.context["panels"] if "counts" in p and "links" in p)
        assert panel["counts"] == {"open": 3, "red": 1, "yellow": 1, "green": 1}
        assert panel["pending_extensions"] == 1
        for light in ("open", "red", "yellow", "green"):
            listed = client.get(panel["links"][light]).context["page"].paginator.count
            assert listed == panel["counts"][light], light
        assert other.number not in client.get(panel["links"]["open"]).content.decode()


def test_department_panel(client, ledger_world):
    w = ledger_world
    item = new_item(w)
    services.item_hand_over(item=item, actor=w.secretary_a, department=w.department, note="转")
    client.force_login(w.handler)
    page = client.get(reverse("governance:home")).content.decode()
    assert 'data-testid="department-queue"' in page and 'data-testid="work-queue"' not in page
    panels = client.get(reverse("governance:home")).context["panels"]
    panel = next(p for p in panels if "counts" in p)
    assert panel["counts"]["open"] == 1 and panel["counts"]["waiting"] == 1
    assert 'href="/ledger/items/"' in page  # the navigation entry


def test_the_list_links_to_the_export_when_it_exists(client, ledger_world):
    client.force_login(ledger_world.staff_a)
    response = client.get(reverse("ledger:item-list"), {"status": "received"})
    export = reverse("ledger:item-export")
    assert response.context["export_url"] == f"{export}?status=received"
    rows = client.get(
        reverse("ledger:item-list"), {"status": "", "open": "true", "page": "1"}, **HTMX
    )
    assert rows["HX-Push-Url"] == reverse("ledger:item-list") + "?open=true"


def test_a_unit_outside_the_scope_is_404_on_the_list_and_the_export(client, ledger_world):
    """A drill-down link into another township (from its dashboard, say) shows nothing of the
    user's own items under a foreign filter: the unit does not exist for this user."""
    w = ledger_world
    new_item(w)
    client.force_login(w.staff_b)
    for name in ("ledger:item-list", "ledger:item-export"):
        assert client.get(reverse(name), {"unit": w.township_a.pk}).status_code == 404
        assert client.get(reverse(name), {"unit": w.township_b.pk}).status_code == 200


# Messages (issue 14, item 25)


def test_a_message_shows_once_and_the_next_htmx_step_replaces_it(client, ledger_world):
    w = ledger_world
    client.force_login(w.secretary_a)
    page = client.post(
        reverse("ledger:item-create"),
        {
            "ledger": w.ledger.pk,
            "title": "楼道堆物",
            "source": Source.RECEPTION_DAY,
            "unit": w.community_a.pk,
        },
        follow=True,
    ).content.decode()
    item = LedgerItem.objects.get(title="楼道堆物")
    assert page.count(f"事项 {item.number} 已登记。") == 1
    assert page.count('id="messages"') == 1
    # The next step, asked by htmx: its answer carries the one message slot out of band, with
    # only the new message, so the registration's message does not stay on the page.
    answer = client.post(
        reverse("ledger:item-step", args=[item.pk, "accept"]),
        {"version": item.version},
        **HTMX,
    ).content.decode()
    slots = re.findall(r'<div id="messages"[^>]*>.*?</div>', answer, flags=re.S)
    assert len(slots) == 1 and 'hx-swap-oob="true"' in slots[0]
    assert "已完成：受理" in slots[0] and item.number not in slots[0]
    assert answer.count("已完成：受理") == 1
    # A page that has no message left clears the slot on its next htmx answer.
    again = client.get(reverse("ledger:item-detail", args=[item.pk]), **HTMX).content.decode()
    assert re.search(r'<div id="messages" hx-swap-oob="true"></div>', again)
