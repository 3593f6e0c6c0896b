import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import LedgerItem, Source
from governance.testing import frozen
from governance.tests.factories import make_person
from outreach.models import ContactActivity, DutyContact, LiaisonDuty
from outreach.services.contacts import activity_file
from outreach.services.duties import duty_assign
from outreach.tests.fixtures import START

pytestmark = pytest.mark.django_db

GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _matrix(client, user, **params):
    client.force_login(user)
    return client.get(reverse("outreach:duty-matrix"), params)


def test_a_township_sees_its_duties_only(client, duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        response = _matrix(client, w.staff_a)
    shown = {row.duty.pk for row in response.context["page"]}
    assert shown == {w.leader_duty.pk, w.staff_duty.pk, w.household_duty.pk}
    with frozen(2026, 3, 10, 10):
        assert _matrix(client, w.staff_a, unit=w.township_b.pk).status_code == 404
        assert _matrix(client, w.other_admin, unit=w.township_a.pk).status_code == 404
        whole = _matrix(client, w.district_admin)
    assert whole.context["total"] == 4


def test_outsiders_get_404_on_duties_and_activities(client, duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        activity, _ = activity_file(
            actor=w.staff_b,
            system="talk",
            unit=w.community_b,
            leader=w.staff_b.person,
            held_on=datetime.date(2026, 3, 10),
            summary="走访",
        )
    client.force_login(w.staff_a)
    assert client.get(reverse("outreach:duty-detail", args=[w.staff_b_duty.pk])).status_code == 404
    assert client.get(reverse("outreach:activity-detail", args=[activity.pk])).status_code == 404
    url = reverse("outreach:duty-reassign", args=[w.staff_b_duty.pk])
    assert client.post(url, {"holder": w.staff_a.person.pk}).status_code == 404


def test_matrix_status_and_counts_follow_the_period(client, duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        activity_file(
            actor=w.staff_a,
            system="talk",
            unit=w.community_a,
            leader=w.staff_a.person,
            held_on=datetime.date(2026, 3, 10),
            summary="谈心",
        )
        response = _matrix(client, w.staff_a)
    by_duty = {row.duty.pk: row for row in response.context["page"]}
    assert (by_duty[w.staff_duty.pk].status, by_duty[w.staff_duty.pk].contacts) == ("done", 1)
    assert by_duty[w.leader_duty.pk].status == "behind"  # February ended without a contact
    assert response.context["totals"] == {"done": 1, "due": 0, "behind": 2}
    with frozen(2026, 3, 10, 10):
        behind = _matrix(client, w.staff_a, status="behind")
    assert {r.duty.pk for r in behind.context["page"]} == {w.leader_duty.pk, w.household_duty.pk}


def test_matrix_query_count_is_fixed(client, duty_world, django_assert_max_num_queries):
    w = duty_world
    for i in range(15):
        person = make_person(w.township_a, f"干部{i}")
        duty = duty_assign(
            holder=person, actor=w.staff_a, starts_on=START, target_unit=w.community_a2
        )
        if i % 2:
            DutyContact.objects.create(
                duty=duty,
                activity=ContactActivity.objects.create(
                    system="talk", unit=w.community_a2, leader=person, held_on=START, summary="x"
                ),
                held_on=datetime.date(2026, 3, 2),
            )
    client.force_login(w.district_admin)
    with frozen(2026, 3, 10, 10):
        client.get(reverse("outreach:duty-matrix"))  # warm the session
        with django_assert_max_num_queries(12):
            response = client.get(reverse("outreach:duty-matrix"))
    assert response.context["total"] == 19


def test_activity_list_query_count_is_fixed(client, duty_world, django_assert_max_num_queries):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        for day in range(1, 10):
            activity_file(
                actor=w.staff_a,
                system="publicity",
                unit=w.community_a,
                leader=w.staff_a.person,
                held_on=datetime.date(2026, 3, day),
                summary="宣讲",
                problems=["路灯"] if day % 3 == 0 else [],
            )
        client.force_login(w.staff_a)
        client.get(reverse("outreach:activity-list"))
        with django_assert_max_num_queries(10):
            response = client.get(reverse("outreach:activity-list"))
    assert response.context["page"].paginator.count == 9
    assert sum(a.problem_count or 0 for a in response.context["page"]) == 3


def test_filing_from_the_phone_form_raises_items_and_turns_the_duty_to_done(client, duty_world):
    w = duty_world
    client.force_login(w.staff_a)
    with frozen(2026, 3, 10, 10):
        form = client.get(reverse("outreach:activity-new"))
        assert form.status_code == 200
        response = client.post(
            reverse("outreach:activity-new"),
            {
                "system": "talk",
                "unit": w.community_a.pk,
                "people_reached": 1,
                "summary": "与独居老人谈心",
                "problems": "楼道灯坏了\n",
                "held_on": "2026-03-10",
                "leader": w.staff_a.person.pk,
                "photo": SimpleUploadedFile("p.gif", GIF, content_type="image/gif"),
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    activity = ContactActivity.objects.get()
    item = LedgerItem.objects.get(source=Source.CONTACT_ACTIVITY)
    assert item.source_record == activity and item.title == "楼道灯坏了"
    assert activity.photos.count() == 1
    with frozen(2026, 3, 10, 10):
        rows = {r.duty.pk: r for r in _matrix(client, w.staff_a).context["page"]}
    assert rows[w.staff_duty.pk].status == "done"


def test_bad_form_input_saves_nothing(client, duty_world):
    w = duty_world
    client.force_login(w.staff_a)
    with frozen(2026, 3, 10, 10):
        response = client.post(
            reverse("outreach:activity-new"),
            {"system": "talk", "unit": w.community_a.pk, "people_reached": 1, "summary": " ",
             "problems": "一个问题", "held_on": "2026-03-10", "leader": w.staff_a.person.pk},
        )  # fmt: skip
    assert response.status_code == 400
    assert not ContactActivity.objects.exists() and not LedgerItem.objects.exists()


def test_reassign_through_the_page_keeps_history(client, duty_world):
    w = duty_world
    newcomer = make_person(w.township_a, "郑八")
    client.force_login(w.staff_a)
    response = client.post(
        reverse("outreach:duty-reassign", args=[w.staff_duty.pk]),
        {"holder": newcomer.pk, "starts_on": "2026-03-01"},
    )
    new = LiaisonDuty.objects.get(holder=newcomer)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    page = client.get(new.get_absolute_url())
    assert [d.pk for d in page.context["history"]] == [w.staff_duty.pk, new.pk]


def test_figures_equal_their_drill_downs(client, duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        activity_file(
            actor=w.staff_a, system="talk", unit=w.community_a, leader=w.staff_a.person,
            held_on=datetime.date(2026, 3, 9), summary="谈心", people_reached=3,
            problems=["a", "b"],
        )  # fmt: skip
        activity_file(
            actor=w.staff_a, system="consultation", unit=w.community_a2, leader=w.staff_a.person,
            held_on=datetime.date(2026, 3, 10), summary="议事", people_reached=12,
        )  # fmt: skip
        client.force_login(w.staff_a)
        params = {"unit": w.township_a.pk, "from": "2026-03-01", "to": "2026-03-31"}
        data = client.get(reverse("outreach:activity-figures"), params).context["data"]
        assert (data.activities, data.people_reached, data.problems) == (2, 15, 2)
        assert data.by_system["talk"] == 1 and data.by_system["consultation"] == 1
        listed = client.get(
            reverse("outreach:activity-list"),
            {"unit": w.township_a.pk, "held_from": "2026-03-01", "held_to": "2026-03-31"},
        )
        assert listed.context["page"].paginator.count == data.activities
        problems = client.get(reverse("outreach:activity-problems"), {**params, "state": "raised"})
        assert problems.context["page"].paginator.count == data.problems
        behind = _matrix(client, w.staff_a, unit=w.township_a.pk, status="behind")
        assert behind.context["page"].paginator.count == data.duties_behind


def _xlsx(headers, rows) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("file.xlsx", data.getvalue())


DUTY_HEADERS = ["包联人", "包联人单位", "包联乡镇/村(社区)", "包联党建工作区", "包联户", "开始日期",
                "联系频次", "备注"]  # fmt: skip


def test_duty_import_is_all_or_nothing_with_row_errors(client, duty_world):
    w = duty_world
    make_person(w.township_a, "陈十")
    make_person(w.community_a, "褚十一")
    client.force_login(w.staff_a)
    bad = _xlsx(
        DUTY_HEADERS,
        [
            ["陈十", "凤城街道", "鹏泉社区", "", "", "2026-02-01", "每月", ""],
            ["褚十一", "花园社区", "凤城街道", "", "", "2026-02-01", "", ""],  # cadre → township
        ],
    )
    response = client.post(reverse("outreach:duty-import"), {"file": bad})
    assert response.status_code == 400
    assert [row for row, _column, _reason in response.context["outcome"].problems] == [3]
    assert not response.context["token"]
    assert LiaisonDuty.objects.count() == 4
    good = _xlsx(
        DUTY_HEADERS,
        [
            ["陈十", "凤城街道", "鹏泉社区", "", "", "2026-02-01", "每周", ""],
            [
                "褚十一",
                "花园社区",
                "",
                "",
                "1号楼-1单元-101、1号楼-1单元-102",
                "2026/02/01",
                "",
                "",
            ],
            ["陈十", "凤城街道", "", "凤城第一工作区", "", "2026-02-01", "", ""],
        ],
    )
    preview = client.post(reverse("outreach:duty-import"), {"file": good})
    assert preview.status_code == 200 and preview.context["outcome"].count == 3
    assert LiaisonDuty.objects.count() == 4  # the preview keeps nothing
    response = client.post(reverse("outreach:duty-import"), {"token": preview.context["token"]})
    assert response.status_code == 302
    assert LiaisonDuty.objects.count() == 7
    assert LiaisonDuty.objects.get(holder__name="褚十一").households.count() == 2


def test_duty_export_reads_back_in_and_holds_the_scope_only(client, duty_world):
    w = duty_world
    client.force_login(w.staff_a)
    with frozen(2026, 3, 10, 10):
        response = client.get(reverse("outreach:duty-export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(DUTY_HEADERS)]) == DUTY_HEADERS
    assert len(rows) == 4  # header + the three duties over township A
    assert {r[0] for r in rows[1:]} == {"leader", "staff_a", "shuji_a"}


ACTIVITY_HEADERS = ["日期", "联系制度", "覆盖单位", "牵头人", "牵头人单位", "参加人员", "地点",
                    "覆盖人数", "群众姓名", "活动内容", "反映问题"]  # fmt: skip


def test_activity_import_and_export(client, duty_world):
    w = duty_world
    client.force_login(w.staff_a)
    with frozen(2026, 3, 10, 10):
        bad = _xlsx(
            ACTIVITY_HEADERS,
            [
                ["2026-03-02", "谈心谈话", "花园社区", "staff_a", "凤城街道", "", "", 2, "", "谈心", "路灯"],
                ["2026-03-03", "唱歌", "花园社区", "staff_a", "凤城街道", "", "", 2, "", "x", ""],
            ],
        )  # fmt: skip
        response = client.post(reverse("outreach:activity-import"), {"file": bad})
        assert response.status_code == 400
        problems = response.context["outcome"].problems
        assert [(row, column) for row, column, _reason in problems] == [(3, "联系制度")]
        assert not ContactActivity.objects.exists() and not LedgerItem.objects.exists()
        good = _xlsx(
            ACTIVITY_HEADERS,
            [
                ["2026-03-02", "谈心谈话", "花园社区", "staff_a", "凤城街道", "shuji_a", "社区",
                 2, "李四", "谈心", "路灯；积水"],
                ["2026-03-03", "共商共议", "鹏泉社区", "staff_a", "凤城街道", "", "", 20, "", "议事", ""],
            ],
        )  # fmt: skip
        preview = client.post(reverse("outreach:activity-import"), {"file": good})
        assert preview.status_code == 200 and preview.context["outcome"].count == 2
        assert not ContactActivity.objects.exists() and not LedgerItem.objects.exists()
        response = client.post(
            reverse("outreach:activity-import"), {"token": preview.context["token"]}
        )
        assert response.status_code == 302
        assert ContactActivity.objects.count() == 2
        assert LedgerItem.objects.filter(source=Source.CONTACT_ACTIVITY).count() == 2
        exported = client.get(reverse("outreach:activity-export"))
    sheet = load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(ACTIVITY_HEADERS)]) == ACTIVITY_HEADERS
    assert len(rows) == 3
    assert rows[2][8] == "李*"  # township staff do not see residents' names in full


def test_figures_page_query_count_is_fixed(client, duty_world, django_assert_max_num_queries):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        for day in range(1, 8):
            activity_file(
                actor=w.staff_a, system="talk", unit=w.community_a, leader=w.staff_a.person,
                held_on=datetime.date(2026, 3, day), summary="谈心", problems=["问题"],
            )  # fmt: skip
        client.force_login(w.district_admin)
        client.get(reverse("outreach:activity-figures"))
        with django_assert_max_num_queries(12):
            response = client.get(reverse("outreach:activity-figures"))
    assert response.context["data"].problems == 7
