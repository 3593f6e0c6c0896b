"""A community adds a neighbourhood market for next week, publishes the weekly preview, the
public page shows it, and after the event the attendance moves the figures."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Unit
from venues.figures.activities import figures
from venues.models import Activity, Venue
from venues.services import activities as services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}  # fmt: skip
TITLE = "花园社区暖冬睦邻市集"


def test_a_market_next_week_is_published_held_and_counted(
    demo, open_context, sign_in, live_server, screenshot_dir
):
    community = Unit.objects.get(name="花园社区")
    venue = Venue.objects.filter(unit=community, is_active=True).order_by("pk").first()
    week = services.next_week()
    saturday = week + datetime.timedelta(days=5)
    year_start = timezone.localdate().replace(month=1, day=1)

    page = open_context(**DESKTOP).new_page()
    sign_in(page, "shequ_shuji")
    page.goto(f"{live_server.url}/venues/activities/")
    page.get_by_test_id("activity-new").click()
    form = page.get_by_test_id("activity-form")
    form.locator("[name=venue]").select_option(str(venue.pk))
    form.locator("[name=category]").select_option(label="睦邻市集")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=day]").fill(saturday.isoformat())
    form.locator("[name=start_time]").fill("09:00")
    form.locator("[name=end_time]").fill("11:30")
    form.locator("[name=organiser]").fill("花园社区党委")
    form.locator("[name=partners]").fill("区妇联、辖区商户")
    form.locator("[name=target_group]").fill("全体居民")
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(TITLE)
    activity = Activity.objects.get(title=TITLE)
    assert activity.week_start == week and activity.unit == community

    # The draft preview of next week holds it; publishing makes it public.
    page.goto(f"{live_server.url}/venues/week/{community.pk}/?week={week.isoformat()}")
    expect(page.get_by_text(TITLE)).to_be_visible()
    public_url = page.get_by_test_id("public-link").get_attribute("href")
    resident = open_context(**PHONE).new_page()
    resident.goto(public_url)
    expect(resident.get_by_text(TITLE)).to_have_count(0)
    page.get_by_test_id("week-publish").click()
    expect(page.get_by_test_id("week-published")).to_be_visible()
    page.screenshot(path=screenshot_dir / "venues_week_preview.png", full_page=True)

    resident.goto(public_url)
    expect(resident.get_by_text(TITLE)).to_be_visible()
    expect(resident.locator("body")).to_contain_text("区妇联、辖区商户")
    resident.screenshot(path=screenshot_dir / "venues_public_week.png", full_page=True)

    # After the market: the attendance is recorded and the figures move.
    before = figures(community, year_start, saturday)
    with time_machine.travel(
        datetime.datetime.combine(saturday, datetime.time(12), timezone.get_current_timezone())
    ):
        sign_in(page, "shequ_shuji")  # a week later the session has expired
        page.goto(f"{live_server.url}{activity.get_absolute_url()}")
        page.get_by_test_id("record-attendance").click()
        attendance = page.get_by_test_id("attendance-form")
        attendance.locator("[name=attendance]").fill("320")
        attendance.locator("[name=report]").fill("商户32家参与，服务居民320人次。")
        attendance.locator("button[type=submit]").click()
        expect(page.get_by_test_id("attendance-figure")).to_have_text("320")
        page.goto(
            f"{live_server.url}/venues/activities/figures/?unit={community.pk}"
            f"&from={year_start.isoformat()}&to={saturday.isoformat()}"
        )
        shown = int(page.get_by_test_id("figure-person-times").inner_text())
        page.screenshot(path=screenshot_dir / "venues_figures.png", full_page=True)
    after = figures(community, year_start, saturday)
    assert after.person_times == before.person_times + 320 == shown
    assert after.activities == before.activities
