import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from governance import access, services
from governance.models import Membership, Person, Unit

pytestmark = pytest.mark.django_db


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_each_role_sees_exactly_its_subtree(world):
    district = names(Unit.objects.for_user(world.district_admin))
    assert "政和县" not in district and "熊山街道" not in district
    assert {"莱芜区", "凤城街道", "牛泉镇", "区住建局", "牛泉第一网格"} <= district

    assert names(Unit.objects.for_user(world.staff_a)) == {
        "凤城街道",
        "花园社区",
        "鹏泉社区",
        "花园第一网格",
        "花园第二网格",
    }
    assert names(Unit.objects.for_user(world.secretary_a)) == {
        "花园社区",
        "花园第一网格",
        "花园第二网格",
    }
    assert names(Unit.objects.for_user(world.worker_a)) == {"花园第一网格"}
    assert names(Unit.objects.for_user(world.handler)) == {"区住建局"}
    assert names(Unit.objects.for_user(world.other_admin)) == {"政和县", "熊山街道"}


def test_people_follow_their_unit(world):
    assert "李四" in names(Person.objects.for_user(world.worker_a))
    assert "王五" not in names(Person.objects.for_user(world.worker_a))
    assert "王五" in names(Person.objects.for_user(world.staff_b))
    assert names(Person.objects.for_user(world.other_admin)) == {"zh_admin"}


def test_superuser_sees_all_and_anonymous_nothing(world, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x" * 12)
    assert Unit.objects.for_user(root).count() == Unit.objects.count()
    assert not Unit.objects.for_user(AnonymousUser()).exists()


def test_an_ended_membership_grants_nothing(world):
    membership = Membership.objects.get(user=world.staff_b)
    services.membership_end(membership=membership)
    access.forget(world.staff_b)
    # The membership ended today, so it still counts today and not from tomorrow.
    with time_machine.travel(datetime.date.today() + datetime.timedelta(days=2)):
        access.forget(world.staff_b)
        assert not Unit.objects.for_user(world.staff_b).exists()


def test_several_memberships_add_up(world):
    services.membership_add(user=world.worker_a, unit=world.grid_b, role="grid_worker")
    access.forget(world.worker_a)
    assert names(Unit.objects.for_user(world.worker_a)) == {"花园第一网格", "牛泉第一网格"}


def test_nested_memberships_are_collapsed(world):
    services.membership_add(user=world.staff_a, unit=world.community_a, role="village_cadre")
    access.forget(world.staff_a)
    assert access.scope_paths(world.staff_a) == [world.township_a.path]


def test_capabilities_are_checked_at_the_unit(world):
    assert access.can(world.staff_a, "manage_units", world.community_a, strictly_above=True)
    assert not access.can(world.staff_a, "manage_units", world.township_a, strictly_above=True)
    assert not access.can(world.staff_a, "manage_units", world.community_b)
    assert access.can(world.secretary_a, "view_personal_data", world.grid_a)
    assert not access.can(world.leader, "view_personal_data", world.grid_a)


def test_role_must_fit_the_unit_kind(world):
    with pytest.raises(ValidationError):
        services.membership_add(user=world.worker_a, unit=world.township_a, role="grid_worker")
    with pytest.raises(ValidationError):
        services.membership_add(
            user=world.handler, unit=world.community_a, role="department_handler"
        )


def test_scope_costs_one_query_per_request(world, django_assert_num_queries):
    access.forget(world.staff_a)
    # One query for the memberships, then one per list: the scope adds no query of its own.
    with django_assert_num_queries(4):
        list(Unit.objects.for_user(world.staff_a))
        list(Person.objects.for_user(world.staff_a))
        list(Unit.objects.for_user(world.staff_a))
