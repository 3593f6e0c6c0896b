import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.testing import SHANGHAI, frozen, moment
from governance.workdays import load_from_library
from venues.models import Activity, ActivityStatus, Registration, RegistrationStatus, WeekStatus
from venues.services import activities as services
from venues.tests.factories import make_activity

pytestmark = pytest.mark.django_db


def test_next_week_is_the_monday_after_the_current_week_in_shanghai():
    # Sunday 23:30 UTC is already Monday 07:30 in Shanghai.
    assert services.next_week(moment(2026, 9, 6, 12)) == datetime.date(2026, 9, 7)
    sunday_evening_utc = datetime.datetime(2026, 9, 6, 23, 30, tzinfo=datetime.UTC)
    assert services.next_week(sunday_evening_utc) == datetime.date(2026, 9, 14)


def test_series_creates_every_weekday_skipping_holidays_in_one_step(aworld):
    load_from_library([2026])
    series = services.series_create(
        venue=aworld.venue_a,
        category=aworld.course,
        title="点亮空房子·书法班",
        weekdays=[2, 4, 6],  # Tuesday, Thursday, Saturday
        first_day=datetime.date(2026, 9, 22),
        last_day=datetime.date(2026, 10, 15),
        start_time=datetime.time(15),
        end_time=datetime.time(16, 30),
        skip_holidays=True,
        actor=aworld.staff_a,
        capacity=20,
        registration_enabled=True,
    )
    days = [
        a.starts_at.astimezone(SHANGHAI).date() for a in series.activities.order_by("starts_at")
    ]
    expected = [datetime.date(2026, 9, d) for d in (22, 24, 29)] + [
        datetime.date(2026, 10, d) for d in (8, 10, 13, 15)
    ]
    # Mid-autumn (25–27 September: Saturday 26 inside it) and National Day (1–7 October:
    # Thursday 1, Saturday 3, Tuesday 6) are skipped; Saturday 10 October is a make-up
    # working day and keeps its class.
    assert days == expected
    first = series.activities.order_by("starts_at").first()
    assert first.starts_at == moment(2026, 9, 22, 15)
    assert first.ends_at == moment(2026, 9, 22, 16, 30)
    assert {a.week_start.weekday() for a in series.activities.all()} == {0}
    assert {(a.unit_id, a.capacity, a.title) for a in series.activities.all()} == {
        (aworld.community_a.pk, 20, "点亮空房子·书法班")
    }


def test_series_without_holiday_skipping_keeps_every_day(aworld):
    load_from_library([2026])
    series = services.series_create(
        venue=aworld.venue_a,
        category=aworld.course,
        title="太极",
        weekdays=[4],
        first_day=datetime.date(2026, 9, 24),
        last_day=datetime.date(2026, 10, 8),
        start_time=datetime.time(9),
        end_time=datetime.time(10),
        skip_holidays=False,
        actor=None,
    )
    assert series.activities.count() == 3


def test_a_bad_series_writes_nothing(aworld):
    with pytest.raises(ValidationError) as error:
        services.series_create(
            venue=aworld.venue_a,
            category=aworld.course,
            title="书法",
            weekdays=[1],
            first_day=datetime.date(2026, 9, 1),
            last_day=datetime.date(2026, 9, 30),
            start_time=datetime.time(16),
            end_time=datetime.time(15),
            actor=aworld.staff_a,
        )
    assert "end_time" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.series_create(
            venue=aworld.venue_a,
            category=aworld.course,
            title="书法",
            weekdays=[1],
            first_day=datetime.date(2026, 9, 1),
            last_day=datetime.date(2030, 9, 30),
            start_time=datetime.time(15),
            end_time=datetime.time(16),
            actor=aworld.staff_a,
        )
    assert not Activity.objects.exists()


def test_series_needs_the_right_to_manage_the_venues_unit(aworld):
    with pytest.raises(PermissionDenied):
        services.series_create(
            venue=aworld.venue_b,
            category=aworld.course,
            title="书法",
            weekdays=[1],
            first_day=datetime.date(2026, 9, 1),
            last_day=datetime.date(2026, 9, 30),
            start_time=datetime.time(15),
            end_time=datetime.time(16),
            actor=aworld.staff_a,
        )


def test_category_of_another_district_is_refused(aworld):
    from venues.tests.factories import category

    foreign = category(aworld.other_district, "market")
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            venue=aworld.venue_a,
            category=foreign,
            title="市集",
            starts_at=moment(2026, 9, 12, 9),
            ends_at=moment(2026, 9, 12, 11),
            actor=aworld.staff_a,
        )
    assert "category" in error.value.message_dict


@frozen(2026, 9, 1, 10)
def test_capacity_waiting_list_and_promotion(aworld):
    activity = make_activity(
        aworld.venue_a, starts=moment(2026, 9, 12, 9), capacity=2, registration_enabled=True
    )
    first = services.registration_create(activity=activity, name="张三", phone="13800000001")
    second = services.registration_create(activity=activity, name="李四", phone="13800000002")
    third = services.registration_create(activity=activity, name="王五", phone="13800000003")
    fourth = services.registration_create(activity=activity, name="赵六", phone="13800000004")
    assert [r.status for r in (first, second, third, fourth)] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
        RegistrationStatus.WAITING,
    ]
    activity.refresh_from_db()
    assert activity.confirmed_count == 2
    # The same phone twice is refused, full-width digits folded first.
    with pytest.raises(ValidationError) as error:
        services.registration_create(activity=activity, name="张三", phone="１３８００００００01")
    assert "phone" in error.value.message_dict

    promoted = services.registration_cancel(registration=first, actor=aworld.staff_a)
    assert promoted.pk == third.pk
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == RegistrationStatus.CONFIRMED and third.promoted_at is not None
    assert fourth.status == RegistrationStatus.WAITING
    activity.refresh_from_db()
    assert activity.confirmed_count == 2
    assert Registration.objects.filter(activity=activity, status="confirmed").count() == 2

    # A waiting registration cancelled promotes nobody.
    assert services.registration_cancel(registration=fourth, actor=aworld.staff_a) is None
    with pytest.raises(ValidationError):
        services.registration_cancel(registration=fourth, actor=aworld.staff_a)
    # Cancelled, the phone may register again.
    again = services.registration_create(activity=activity, name="张三", phone="13800000001")
    assert again.status == RegistrationStatus.WAITING


@frozen(2026, 9, 1, 10)
def test_full_without_waiting_list_and_closed_registrations_are_refused(aworld):
    activity = make_activity(
        aworld.venue_a,
        starts=moment(2026, 9, 12, 9),
        capacity=1,
        registration_enabled=True,
        waitlist_enabled=False,
    )
    services.registration_create(activity=activity, name="张三", phone="13800000001")
    with pytest.raises(ValidationError, match=r"full|满"):
        services.registration_create(activity=activity, name="李四", phone="13800000002")
    no_registration = make_activity(aworld.venue_a, starts=moment(2026, 9, 13, 9))
    with pytest.raises(ValidationError):
        services.registration_create(activity=no_registration, name="李四", phone="13800000002")
    with pytest.raises(ValidationError) as error:
        services.registration_create(activity=activity, name="", phone="123")
    assert set(error.value.message_dict) == {"name", "phone"}
    with frozen(2026, 9, 12, 9, 5):
        activity.capacity = 5
        activity.save()
        with pytest.raises(ValidationError):
            services.registration_create(activity=activity, name="李四", phone="13800000002")


@frozen(2026, 9, 1, 10)
def test_raising_the_capacity_promotes_and_lowering_below_confirmed_is_refused(aworld):
    activity = make_activity(
        aworld.venue_a, starts=moment(2026, 9, 12, 9), capacity=1, registration_enabled=True
    )
    services.registration_create(activity=activity, name="张三", phone="13800000001")
    waiting = services.registration_create(activity=activity, name="李四", phone="13800000002")
    services.activity_update(activity=activity, actor=aworld.staff_a, capacity=3)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    with pytest.raises(ValidationError) as error:
        services.activity_update(activity=activity, actor=aworld.staff_a, capacity=1)
    assert "capacity" in error.value.message_dict
    activity.refresh_from_db()
    assert (activity.capacity, activity.confirmed_count) == (3, 2)


def _series(aworld):
    return services.series_create(
        venue=aworld.venue_a,
        category=aworld.course,
        title="合唱班",
        weekdays=[3],
        first_day=datetime.date(2026, 9, 2),
        last_day=datetime.date(2026, 9, 30),
        start_time=datetime.time(15),
        end_time=datetime.time(16),
        skip_holidays=False,
        actor=aworld.staff_a,
    )


@frozen(2026, 9, 10, 10)
def test_edit_and_cancel_the_rest_of_a_series(aworld):
    series = _series(aworld)
    activities = list(series.activities.order_by("starts_at"))  # 2, 9, 16, 23, 30 September
    assert len(activities) == 5
    third = activities[2]
    changed = services.activity_update(
        activity=third,
        actor=aworld.staff_a,
        scope="following",
        title="合唱班（秋季）",
        starts_at=moment(2026, 9, 16, 14, 30),
        ends_at=moment(2026, 9, 16, 16),
    )
    assert [a.pk for a in changed] == [a.pk for a in activities[2:]]
    rows = list(series.activities.order_by("starts_at"))
    assert [r.title for r in rows] == [
        "合唱班",
        "合唱班",
        "合唱班（秋季）",
        "合唱班（秋季）",
        "合唱班（秋季）",
    ]
    assert rows[4].starts_at == moment(2026, 9, 30, 14, 30)
    assert rows[4].ends_at == moment(2026, 9, 30, 16)
    assert rows[1].starts_at == moment(2026, 9, 9, 15)  # already held: unchanged

    count = services.activity_cancel(
        activity=rows[3], actor=aworld.staff_a, reason="场地维修", scope="following"
    )
    assert count == 2
    statuses = list(series.activities.order_by("starts_at").values_list("status", flat=True))
    assert statuses == ["planned"] * 3 + ["cancelled"] * 2
    with pytest.raises(ValidationError):
        services.activity_update(activity=rows[4], actor=aworld.staff_a, title="x")
    with pytest.raises(ValidationError):  # started already
        services.activity_cancel(activity=rows[0], actor=aworld.staff_a)


@frozen(2026, 9, 1, 10)
def test_edit_only_one_of_a_series(aworld):
    series = _series(aworld)
    second = series.activities.order_by("starts_at")[1]
    services.activity_update(activity=second, actor=aworld.staff_a, title="合唱班·汇报演出")
    assert list(series.activities.order_by("starts_at").values_list("title", flat=True)) == [
        "合唱班",
        "合唱班·汇报演出",
        "合唱班",
        "合唱班",
        "合唱班",
    ]


def test_attendance_only_after_the_start_and_never_when_cancelled(aworld):
    with frozen(2026, 9, 1, 10):
        activity = make_activity(aworld.venue_a, starts=moment(2026, 9, 12, 9))
        cancelled = make_activity(aworld.venue_a, starts=moment(2026, 9, 12, 14))
        services.activity_cancel(activity=cancelled, actor=aworld.staff_a)
        with pytest.raises(ValidationError):
            services.attendance_record(activity=activity, attendance=100, actor=aworld.staff_a)
    with frozen(2026, 9, 12, 10):
        services.attendance_record(
            activity=activity, attendance=260, report="到场商户28家", actor=aworld.staff_a
        )
        activity.refresh_from_db()
        assert (activity.attendance, activity.report) == (260, "到场商户28家")
        assert activity.attendance_recorded_by == aworld.staff_a
        with pytest.raises(ValidationError):
            services.attendance_record(activity=cancelled, attendance=5, actor=aworld.staff_a)
        with pytest.raises(ValidationError):
            services.attendance_record(activity=activity, attendance=-1, actor=aworld.staff_a)
        with pytest.raises(PermissionDenied):
            services.attendance_record(activity=activity, attendance=5, actor=aworld.staff_b)


@frozen(2026, 9, 3, 10)
def test_publishing_a_week_once(aworld):
    week = services.next_week()
    preview = services.week_publish(
        unit=aworld.community_a, week_start=week, actor=aworld.secretary_a
    )
    assert preview.status == WeekStatus.PUBLISHED and preview.published_by == aworld.secretary_a
    with pytest.raises(ValidationError):
        services.week_publish(unit=aworld.community_a, week_start=week, actor=aworld.staff_a)
    with pytest.raises(ValidationError):  # a week that is over
        services.week_publish(
            unit=aworld.community_a,
            week_start=week - datetime.timedelta(days=14),
            actor=aworld.staff_a,
        )
    with pytest.raises(ValidationError):  # not a Monday
        services.week_publish(
            unit=aworld.community_a,
            week_start=week + datetime.timedelta(days=1),
            actor=aworld.staff_a,
        )
    with pytest.raises(PermissionDenied):
        services.week_publish(unit=aworld.community_b, week_start=week, actor=aworld.staff_a)
    services.week_withdraw(unit=aworld.community_a, week_start=week, actor=aworld.staff_a)
    preview.refresh_from_db()
    assert preview.status == WeekStatus.DRAFT


@frozen(2026, 9, 1, 10)
def test_moving_an_activity_to_another_week_and_venue_keeps_unit_and_week(aworld):
    activity = make_activity(aworld.venue_a, starts=moment(2026, 9, 12, 9))
    assert activity.week_start == datetime.date(2026, 9, 7)
    services.activity_update(
        activity=activity,
        actor=aworld.staff_a,
        venue=aworld.venue_a2,
        starts_at=moment(2026, 9, 14, 9),
        ends_at=moment(2026, 9, 14, 11),
    )
    activity.refresh_from_db()
    assert activity.week_start == datetime.date(2026, 9, 14)
    assert activity.unit == aworld.community_a2
    assert activity.status == ActivityStatus.PLANNED
