import datetime
import re

import pytest
from django.urls import reverse

from governance import testing
from governance.testing import moment
from venues.models import Activity, ActivitySeries, Registration, RegistrationStatus, WeekStatus
from venues.services import activities as services
from venues.tests.factories import make_activity

pytestmark = pytest.mark.django_db
NOW = moment(2026, 9, 2, 10)  # a Wednesday; next week starts on Monday 7 September


@pytest.fixture
def frozen():
    with testing.frozen(2026, 9, 2, 10):  # NOW
        yield


def test_list_is_scoped_filtered_and_keeps_its_query_count(
    client, aworld, frozen, django_assert_max_num_queries
):
    for i in range(30):
        make_activity(aworld.venue_a, starts=moment(2026, 9, 7 + i % 20, 9), title=f"花园市集{i}")
        make_activity(
            aworld.venue_a2,
            starts=moment(2026, 9, 7 + i % 20, 14),
            title=f"鹏泉课堂{i}",
            code="course",
        )
        make_activity(aworld.venue_b, starts=moment(2026, 9, 7 + i % 20, 9), title=f"牛泉市集{i}")
    client.force_login(aworld.staff_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("venues:activity-list"))
    html = response.content.decode()
    assert response.context["page"].paginator.count == 60
    assert "花园市集" in html and "鹏泉课堂" in html and "牛泉市集" not in html
    response = client.get(
        reverse("venues:activity-list"),
        {
            "unit": aworld.community_a2.pk,
            "category": aworld.course.pk,
            "from": "2026-09-07",
            "to": "2026-09-13",
        },
    )
    expected = Activity.objects.filter(
        venue=aworld.venue_a2, starts_at__gte=moment(2026, 9, 7), starts_at__lt=moment(2026, 9, 14)
    ).count()
    assert response.context["page"].paginator.count == expected
    # Another township's unit is not a filter one can use to peek.
    response = client.get(reverse("venues:activity-list"), {"unit": aworld.community_b.pk})
    assert "牛泉市集" not in response.content.decode()


def test_staff_create_a_single_activity_and_a_series(client, aworld, frozen):
    client.force_login(aworld.secretary_a)
    response = client.post(
        reverse("venues:activity-create"),
        {
            "venue": aworld.venue_a.pk,
            "category": aworld.market.pk,
            "title": "花园社区睦邻市集",
            "day": "2026-09-12",
            "start_time": "09:00",
            "end_time": "11:30",
            "organiser": "花园社区党委",
            "partners": "区妇联、辖区商户",
            "target_group": "全体居民",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="花园社区睦邻市集")
    assert activity.starts_at == moment(2026, 9, 12, 9) and activity.unit == aworld.community_a
    assert activity.partner_list == ["区妇联", "辖区商户"]

    response = client.post(
        reverse("venues:activity-series-create"),
        {
            "venue": aworld.venue_a.pk,
            "category": aworld.course.pk,
            "title": "点亮空房子·剪纸班",
            "weekdays": ["2", "4"],
            "first_day": "2026-09-08",
            "last_day": "2026-09-24",
            "start_time": "15:00",
            "end_time": "16:30",
            "capacity": "15",
            "registration_enabled": "on",
            "waitlist_enabled": "on",
        },
    )
    assert response.status_code == 302
    series = ActivitySeries.objects.get(title="点亮空房子·剪纸班")
    assert series.activities.count() == 6

    # Another township's venue is not offered, and posting it is refused.
    response = client.post(
        reverse("venues:activity-create"),
        {"venue": aworld.venue_b.pk, "category": aworld.market.pk, "title": "x",
         "day": "2026-09-12", "start_time": "09:00", "end_time": "10:00"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Activity.objects.filter(venue=aworld.venue_b).exists()


def test_bad_times_are_refused_with_a_message(client, aworld, frozen):
    client.force_login(aworld.staff_a)
    response = client.post(
        reverse("venues:activity-create"),
        {"venue": aworld.venue_a.pk, "category": aworld.market.pk, "title": "市集",
         "day": "2026-09-12", "start_time": "11:00", "end_time": "09:00"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors["end_time"]
    assert not Activity.objects.exists()


def test_detail_masks_registrants_phones_for_everyone(client, aworld, frozen):
    activity = make_activity(
        aworld.venue_a, starts=moment(2026, 9, 12, 9), registration_enabled=True, capacity=1
    )
    services.registration_create(activity=activity, name="张三", phone="13812345678")
    services.registration_create(activity=activity, name="李四", phone="13900001111")
    client.force_login(aworld.staff_a)  # township staff: no view_personal_data
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert "候补" in html or "Waiting" in html
    client.force_login(aworld.secretary_a)  # may see personal data, but not unrecorded
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "138****5678" in html and "13812345678" not in html


def test_staff_registration_and_cancellation_promote_the_waiting(client, aworld, frozen):
    activity = make_activity(
        aworld.venue_a, starts=moment(2026, 9, 12, 9), registration_enabled=True, capacity=1
    )
    client.force_login(aworld.secretary_a)
    url = reverse("venues:activity-register", args=[activity.pk])
    client.post(url, {"name": "张三", "phone": "13800000001"})
    client.post(url, {"name": "李四", "phone": "13800000002"})
    first, second = Registration.objects.order_by("pk")
    assert (first.status, second.status) == ("confirmed", "waiting")
    client.post(reverse("venues:activity-registration-cancel", args=[first.pk]))
    second.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED


def test_attendance_moves_the_figures_and_the_drilldown_matches(client, aworld):
    with testing.frozen(2026, 9, 2, 10):  # NOW
        market = make_activity(aworld.venue_a, starts=moment(2026, 9, 5, 9))
        make_activity(aworld.venue_a2, starts=moment(2026, 9, 6, 9))
        course = make_activity(aworld.venue_a, starts=moment(2026, 9, 12, 15), code="course")
        cancelled = make_activity(aworld.venue_a, starts=moment(2026, 9, 13, 9))
        services.activity_cancel(activity=cancelled, actor=aworld.staff_a)
        make_activity(aworld.venue_b, starts=moment(2026, 9, 5, 9))
        client.force_login(aworld.staff_a)
        response = client.post(
            reverse("venues:activity-attendance", args=[course.pk]), {"attendance": "30"}
        )
        assert response.status_code == 400  # not started yet
    with testing.frozen(2026, 9, 20, 10):
        client.force_login(aworld.staff_a)
        figures_url = reverse("venues:activity-figures")
        period = {"unit": aworld.township_a.pk, "from": "2026-09-01", "to": "2026-09-30"}
        before = client.get(figures_url, period).context["figures"]
        assert (before.activities, before.person_times, before.without_attendance) == (3, 0, 3)
        client.post(
            reverse("venues:activity-attendance", args=[market.pk]),
            {"attendance": "260", "report": "商户28家，服务居民260人次"},
        )
        client.post(reverse("venues:activity-attendance", args=[course.pk]), {"attendance": "22"})
        after = client.get(figures_url, period).context["figures"]
        assert (after.activities, after.person_times, after.without_attendance) == (3, 282, 1)
        by_category = {row.category: row for row in after.rows}
        assert by_category["睦邻市集"].activities == 2
        assert by_category["睦邻市集"].person_times == 260
        for row in after.rows:
            listed = client.get(reverse("venues:activity-list") + "?" + row.query)
            assert listed.context["page"].paginator.count == row.activities
        listed = client.get(reverse("venues:activity-list") + "?" + after.query)
        assert listed.context["page"].paginator.count == after.activities


def test_figures_keep_their_query_count(client, aworld, frozen, django_assert_max_num_queries):
    for i in range(40):
        make_activity(
            aworld.venue_a,
            starts=moment(2026, 8, 1 + i % 28, 9),
            code=("market", "course", "clinic")[i % 3],
        )
    client.force_login(aworld.staff_a)
    with django_assert_max_num_queries(8):
        response = client.get(
            reverse("venues:activity-figures"),
            {"unit": aworld.township_a.pk, "from": "2026-08-01", "to": "2026-08-31"},
        )
    assert response.context["figures"].activities == 40


def test_week_preview_publish_makes_the_public_page_show_the_week(client, aworld, frozen):
    activity = make_activity(
        aworld.venue_a,
        starts=moment(2026, 9, 12, 9),
        title="九月睦邻市集",
        registration_enabled=True,
        capacity=50,
    )
    services.registration_create(activity=activity, name="张三", phone="13812345678")
    board = services.board_for(aworld.community_a).public_token
    public = reverse("venues:week-board", args=[board])
    assert "九月睦邻市集" not in client.get(public).content.decode()

    client.force_login(aworld.secretary_a)
    preview = reverse("venues:week-preview", args=[aworld.community_a.pk])
    assert "九月睦邻市集" in client.get(preview).content.decode()
    response = client.post(
        reverse("venues:week-publish", args=[aworld.community_a.pk]), {"week": "2026-09-07"}
    )
    assert response.status_code == 302
    assert (
        services.week_status(aworld.community_a, datetime.date(2026, 9, 7)).status
        == WeekStatus.PUBLISHED
    )
    client.logout()

    for url in (
        public,
        reverse("venues:week-board-poster", args=[board]),
        reverse("venues:week-board", args=[services.board_for(aworld.district).public_token]),
        reverse("venues:week-venue", args=[aworld.venue_a.public_token]),
        reverse("venues:week-activity", args=[activity.pk]),
    ):
        html = client.get(url).content.decode()
        assert "九月睦邻市集" in html, url
        assert "张三" not in html and "1381" not in html and "5678" not in html, url
    # Another community's board does not show it; an unknown token is 404.
    other = services.board_for(aworld.community_b).public_token
    assert (
        "九月睦邻市集"
        not in client.get(reverse("venues:week-board", args=[other])).content.decode()
    )
    assert client.get(reverse("venues:week-board", args=["nope"])).status_code == 404


def test_unpublished_activity_page_is_not_public(client, aworld, frozen):
    activity = make_activity(aworld.venue_a, starts=moment(2026, 9, 12, 9))
    assert client.get(reverse("venues:week-activity", args=[activity.pk])).status_code == 404


def test_icalendar_feed(client, aworld, frozen):
    activity = make_activity(
        aworld.venue_a,
        starts=moment(2026, 9, 12, 9),
        title="市集; 义诊, 咨询",
        description="第一行\n第二行",
    )
    cancelled = make_activity(aworld.venue_a, starts=moment(2026, 9, 13, 9), title="取消的沙龙")
    services.activity_cancel(activity=cancelled, actor=aworld.staff_a)
    services.week_publish(unit=aworld.community_a, week_start=activity.week_start, actor=None)
    response = client.get(reverse("venues:week-venue-ical", args=[aworld.venue_a.public_token]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert f"UID:activity-{activity.pk}@shanzhi" in unfolded
    assert "DTSTART:20260912T010000Z" in unfolded  # 09:00 in Shanghai
    assert "SUMMARY:市集\\; 义诊\\, 咨询" in unfolded
    assert "DESCRIPTION:第一行\\n第二行" in unfolded
    assert re.search(r"SUMMARY:取消的沙龙\r\n(.*\r\n)*?STATUS:CANCELLED", unfolded)
    # The same feed read twice gives the same UIDs.
    again = client.get(reverse("venues:week-venue-ical", args=[aworld.venue_a.public_token]))
    uids = lambda text: re.findall(r"UID:(\S+)", text)  # noqa: E731
    assert uids(again.content.decode()) == uids(body)


def test_public_registration_with_honeypot_and_rate_limit(client, aworld, frozen, settings):
    from django.core.cache import cache

    cache.clear()
    activity = make_activity(
        aworld.venue_a, starts=moment(2026, 9, 12, 9), registration_enabled=True, capacity=1
    )
    services.week_publish(unit=aworld.community_a, week_start=activity.week_start, actor=None)
    url = reverse("venues:week-activity", args=[activity.pk])
    response = client.post(url, {"name": "张三", "phone": "13800000001"})
    assert response.status_code == 302
    response = client.post(url, {"name": "李四", "phone": "13800000002"}, follow=True)
    assert "候补" in response.content.decode() or "waiting list" in response.content.decode()
    assert "张三" not in response.content.decode()
    # A robot filling in the hidden field is thanked and nothing is kept.
    client.post(url, {"name": "机器人", "phone": "13800000003", "website": "http://spam"})
    assert not Registration.objects.filter(name="机器人").exists()
    response = client.post(url, {"name": "王五", "phone": "123"})
    assert response.status_code == 400
    for i in range(10):
        client.post(url, {"name": "赵六", "phone": f"139000000{i:02d}"})
    response = client.post(url, {"name": "钱七", "phone": "13700000000"})
    assert response.status_code == 429
    assert not Registration.objects.filter(name="钱七").exists()
    cache.clear()


def test_public_registration_with_the_cache_down_still_registers(client, aworld, frozen, settings):
    # Redis stopped: the registration throttle cannot count, and lets the resident through.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    activity = make_activity(
        aworld.venue_a, starts=moment(2026, 9, 12, 9), registration_enabled=True, capacity=5
    )
    services.week_publish(unit=aworld.community_a, week_start=activity.week_start, actor=None)
    url = reverse("venues:week-activity", args=[activity.pk])
    response = client.post(url, {"name": "张三", "phone": "13800000001"})
    assert response.status_code == 302
    assert Registration.objects.filter(name="张三").exists()


def test_upcoming_partial_for_the_venue_page(aworld, frozen):
    from django.template.loader import render_to_string

    from venues.views.public import upcoming_for_venue

    shown = make_activity(aworld.venue_a, starts=moment(2026, 9, 8, 9), title="已发布的义诊", code="clinic",
                          registration_enabled=True, capacity=30)  # fmt: skip
    make_activity(aworld.venue_a, starts=moment(2026, 9, 15, 9), title="尚未发布的沙龙")
    past = make_activity(aworld.venue_a, starts=moment(2026, 9, 1, 9), title="上周的市集")
    services.week_publish(unit=aworld.community_a, week_start=shown.week_start, actor=None)
    services.week_publish(unit=aworld.community_a, week_start=past.week_start, actor=None)
    services.registration_create(activity=shown, name="张三", phone="13812345678")
    upcoming = upcoming_for_venue(aworld.venue_a, NOW)
    assert [a.title for a in upcoming] == ["已发布的义诊"]
    assert upcoming[0].places_left == 29
    html = render_to_string("venues/public/_upcoming.html", {"upcoming": upcoming})
    assert "已发布的义诊" in html and "张三" not in html and "5678" not in html


def test_withdrawn_week_disappears_from_public_pages(client, aworld, frozen):
    activity = make_activity(aworld.venue_a, starts=moment(2026, 9, 12, 9), title="撤回的市集")
    services.week_publish(unit=aworld.community_a, week_start=activity.week_start, actor=None)
    url = reverse("venues:week-venue", args=[aworld.venue_a.public_token])
    assert "撤回的市集" in client.get(url).content.decode()
    client.force_login(aworld.staff_a)
    client.post(
        reverse("venues:week-withdraw", args=[aworld.community_a.pk]), {"week": "2026-09-07"}
    )
    client.logout()
    assert "撤回的市集" not in client.get(url).content.decode()


def test_public_weekly_previews_keep_their_query_count(
    client, aworld, frozen, django_assert_max_num_queries
):
    for i in range(20):
        for venue in (aworld.venue_a, aworld.venue_a2, aworld.venue_b):
            make_activity(venue, starts=moment(2026, 9, 7 + i % 7, 8 + i % 10), title=f"活动{i}")
    for unit in (aworld.community_a, aworld.community_a2, aworld.community_b):
        services.week_publish(unit=unit, week_start=datetime.date(2026, 9, 7), actor=None)
    district = services.board_for(aworld.district).public_token
    urls = [
        reverse("venues:week-board", args=[district]),
        reverse("venues:week-board-poster", args=[district]),
        reverse("venues:week-board-ical", args=[district]),
        reverse("venues:week-venue", args=[aworld.venue_a.public_token]),
    ]
    for url in urls:
        with django_assert_max_num_queries(3):
            response = client.get(url)
        assert response.status_code == 200
    html = client.get(urls[0]).content.decode()
    assert html.count('data-testid="public-activity"') == 60
