"""Who may give roles: appointments at a level come from the level above it, or from the
district administrator (issue 14, item 19)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from governance import services
from governance.models import Membership, Role
from governance.tests.factories import UserFactory, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(world):
    user = UserFactory(username="new_hand")
    person = make_person(world.community_a, "周八")
    person.user = user
    person.save()
    return user


def test_township_staff_cannot_appoint_a_colleague_of_their_own_township(world, account):
    with pytest.raises(PermissionDenied):
        services.membership_add(
            user=account, unit=world.township_a, role=Role.TOWNSHIP_STAFF, actor=world.staff_a
        )
    with pytest.raises(PermissionDenied):
        services.membership_end(membership=world.staff_a.memberships.get(), actor=world.staff_a)
    assert not Membership.objects.filter(user=account).exists()


def test_the_level_above_or_the_district_admin_appoints(world, account):
    services.membership_add(
        user=account, unit=world.community_a, role=Role.COMMUNITY_SECRETARY, actor=world.staff_a
    )
    services.membership_add(
        user=account, unit=world.township_a, role=Role.TOWNSHIP_STAFF, actor=world.district_admin
    )
    services.membership_add(
        user=account, unit=world.district, role=Role.LEADER, actor=world.district_admin
    )
    with pytest.raises(PermissionDenied):
        services.membership_add(
            user=account, unit=world.community_a2, role=Role.VILLAGE_CADRE, actor=world.secretary_a
        )
    assert Membership.objects.filter(user=account).count() == 3


def test_the_role_pages_follow_the_same_rule(client, world, account):
    client.force_login(world.staff_a)
    url = reverse("governance:membership-add", args=[world.township_a.pk])
    assert client.get(url).status_code == 403
    data = {"user": account.pk, "role": Role.TOWNSHIP_STAFF, "started_on": "2026-01-05"}
    assert client.post(url, data).status_code == 403
    colleague = world.staff_a.memberships.get()
    end = reverse("governance:membership-end", args=[colleague.pk])
    assert client.post(end).status_code == 403
    page = client.get(reverse("governance:unit-detail", args=[world.township_a.pk]))
    assert url not in page.content.decode()
    assert not Membership.objects.filter(user=account).exists()
    assert Membership.objects.get(pk=colleague.pk).ended_on is None

    client.force_login(world.district_admin)
    assert client.post(url, data).status_code == 302
    assert Membership.objects.filter(user=account, unit=world.township_a).exists()
