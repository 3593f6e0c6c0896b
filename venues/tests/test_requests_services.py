"""Service requests on the database: steps, concurrent steps, checks, and the follow-up into
the ledger."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import LedgerItem, Source
from venues.models import RequestStatus
from venues.services import requests as request_services

pytestmark = pytest.mark.django_db


def _request(sites, **extra):
    return request_services.request_create(
        venue=sites.centre,
        matter=sites.matter,
        kind="proxy",
        resident_name="李四",
        resident_phone="13812341234",
        actor=sites.secretary_a,
        **extra,
    )


def test_request_relay_then_department_marks_done(sites):
    row = _request(sites)
    assert row.status == RequestStatus.RECEIVED
    request_services.request_step(
        request=row, step="relay", actor=sites.secretary_a, department=sites.department
    )
    assert row.status == RequestStatus.RELAYED and row.relayed_at
    # The department handler now sees the request and closes it.
    from venues.models import ServiceRequest

    assert ServiceRequest.objects.for_user(sites.handler).filter(pk=row.pk).exists()
    request_services.request_step(request=row, step="done", actor=sites.handler, answer="已补办")
    assert row.status == RequestStatus.DONE and row.answer == "已补办"


def test_disallowed_and_concurrent_steps_are_refused(sites):
    row = _request(sites)
    stale = _request(sites)
    stale.pk = row.pk
    request_services.request_step(request=row, step="done", actor=sites.secretary_a)
    with pytest.raises(ValidationError):
        request_services.request_step(
            request=stale, step="return", actor=sites.secretary_a, answer="x"
        )
    with pytest.raises(ValidationError):
        request_services.request_step(
            request=_request(sites), step="return", actor=sites.secretary_a
        )
    with pytest.raises(ValidationError):
        request_services.request_step(
            request=_request(sites), step="relay", actor=sites.secretary_a
        )
    # A department it was not relayed to may not act; nor an outsider.
    with pytest.raises(PermissionDenied):
        request_services.request_step(request=_request(sites), step="done", actor=sites.handler)
    with pytest.raises(PermissionDenied):
        request_services.request_step(request=_request(sites), step="done", actor=sites.staff_b)


def test_request_checks(sites):
    with pytest.raises(ValidationError):
        request_services.request_create(
            venue=sites.centre,
            matter=sites.other_matter,
            kind="assisted",
            resident_name="李四",
            actor=None,
        )
    with pytest.raises(ValidationError):
        request_services.request_create(
            venue=sites.centre, matter=sites.matter, kind="assisted", resident_name=" ", actor=None
        )
    with pytest.raises(PermissionDenied):
        request_services.request_create(
            venue=sites.centre_b,
            matter=sites.matter,
            kind="assisted",
            resident_name="李四",
            actor=sites.secretary_a,
        )


def test_follow_up_becomes_a_walk_in_ledger_item_once(sites):
    row = _request(sites, note="外地社保关系转移")
    item = request_services.request_follow_up(request=row, actor=sites.secretary_a)
    assert item.ledger == sites.ledger and item.source == Source.WALK_IN
    assert item.source_record == row and item.unit == sites.community_a
    assert item.resident_phone == "13812341234"
    row.refresh_from_db()
    assert row.ledger_item == item
    with pytest.raises(ValidationError):
        request_services.request_follow_up(request=row, actor=sites.secretary_a)
    assert LedgerItem.objects.count() == 1


def test_follow_up_without_a_ledger_is_refused(sites):
    row = request_services.request_create(
        venue=sites.station, matter=sites.matter, kind="assisted", resident_name="赵六", actor=None
    )
    with pytest.raises(ValidationError, match="尚未建立台账"):
        request_services.request_follow_up(request=row, actor=None)
    assert not LedgerItem.objects.exists()
