"""Venues on the database: the hours loader with the holiday calendar, labels kept in step,
services offered, the request log and its follow-up into the ledger."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.testing import moment
from venues import hours
from venues.models import OpeningSpan, Venue, VenueService
from venues.services import sites as services

pytestmark = pytest.mark.django_db


def _status(venue, moment):
    return services.statuses(Venue.objects.filter(pk=venue.pk), moment)[venue.pk]


def test_labels_follow_the_weekly_hours(sites):
    centre = Venue.objects.get(pk=sites.centre.pk)
    assert centre.weekly_hours == 38 and centre.is_extended and not centre.is_all_day
    assert not centre.is_through_lunch
    station = Venue.objects.get(pk=sites.station.pk)
    assert station.is_all_day and station.weekly_hours == 56 and station.self_service_hours == 112
    services.regular_hours_set(
        venue=centre, spans=hours.parse("周一至周五 08:30-17:30"), actor=None
    )
    centre.refresh_from_db()
    assert centre.is_through_lunch and not centre.is_extended and centre.weekly_hours == 45


def test_national_day_closes_the_centre_not_the_station(sites):
    holiday = moment(2026, 10, 1, 10)
    assert _status(sites.centre, holiday).state == hours.State.CLOSED
    # Saturday 3 October is inside the holiday: the centre's Saturday hours do not apply.
    assert _status(sites.centre, moment(2026, 10, 3, 10)).state == hours.State.CLOSED
    assert _status(sites.station, holiday).state == hours.State.OPEN
    # After the holiday, the next opening is Thursday 8 October 08:30.
    after = _status(sites.centre, moment(2026, 10, 1, 10))
    assert after.next_opening.start == datetime.datetime(2026, 10, 8, 8, 30)


def test_makeup_sunday_opens_with_monday_hours(sites):
    # Sunday 20 September 2026 is worked (调休上班).
    assert _status(sites.centre, moment(2026, 9, 20, 15)).state == hours.State.OPEN
    assert _status(sites.centre, moment(2026, 9, 13, 15)).state == hours.State.CLOSED


def test_special_hours_win_and_can_be_removed(sites):
    period = services.period_save(
        venue=sites.centre,
        actor=sites.staff_a,
        name="国庆值班",
        start=datetime.date(2026, 10, 1),
        end=datetime.date(2026, 10, 7),
        spans=hours.parse("每天 09:00-11:00"),
    )
    assert _status(sites.centre, moment(2026, 10, 2, 10)).state == hours.State.OPEN
    services.period_delete(period=period, actor=sites.staff_a)
    assert _status(sites.centre, moment(2026, 10, 2, 10)).state == hours.State.CLOSED
    assert not OpeningSpan.objects.filter(period_id=period.pk).exists()


def test_period_checks(sites):
    with pytest.raises(ValidationError):
        services.period_save(
            venue=sites.centre,
            actor=None,
            name="x",
            start=datetime.date(2026, 10, 7),
            end=datetime.date(2026, 10, 1),
            spans=(),
        )
    with pytest.raises(PermissionDenied):
        services.period_save(
            venue=sites.centre_b,
            actor=sites.staff_a,
            name="闭馆",
            start=datetime.date(2026, 10, 1),
            end=datetime.date(2026, 10, 1),
            spans=(),
        )


def test_weekly_hours_replace_not_add(sites):
    services.regular_hours_set(
        venue=sites.centre, spans=hours.parse("周一 09:00-10:00"), actor=None
    )
    assert OpeningSpan.objects.filter(venue=sites.centre, period=None).count() == 1


def test_venue_create_refuses_duplicates_and_foreign_kinds(sites):
    with pytest.raises(ValidationError):
        services.venue_create(
            unit=sites.community_a, kind=sites.centre_kind, actor=None, name="花园社区党群服务中心"
        )
    other_kind = services.ensure_kinds(sites.other_district)[0]
    with pytest.raises(ValidationError):
        services.venue_create(unit=sites.community_a, kind=other_kind, actor=None, name="新驿站")
    with pytest.raises(PermissionDenied):
        services.venue_create(
            unit=sites.community_b, kind=sites.centre_kind, actor=sites.staff_a, name="越权"
        )
    with pytest.raises(ValidationError):
        services.venue_create(unit=sites.grid_a, kind=sites.centre_kind, actor=None, name="网格")


def test_holiday_flag_change_recomputes(sites):
    services.venue_update(venue=sites.centre, actor=sites.staff_a, open_on_holidays=True)
    assert Venue.objects.get(pk=sites.centre.pk).open_on_holidays
    assert _status(sites.centre, moment(2026, 10, 1, 10)).state == hours.State.OPEN


def test_services_offered_from_the_district_catalogue_only(sites):
    services.venue_services_set(
        venue=sites.centre, matters=[sites.matter, sites.bank_matter], actor=sites.staff_a
    )
    services.venue_services_set(venue=sites.centre, matters=[sites.matter], actor=sites.staff_a)
    assert list(
        VenueService.objects.filter(venue=sites.centre).values_list("matter", flat=True)
    ) == [sites.matter.pk]
    with pytest.raises(ValidationError):
        services.venue_services_set(
            venue=sites.centre, matters=[sites.other_matter], actor=sites.staff_a
        )
