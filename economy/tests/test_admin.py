"""The economy admin is scoped like the pages: a township's staff lists its own rows only."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from economy import services
from economy.models import IncomeMeasure
from economy.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def staff(user, *models):
    user.is_staff = True
    user.save()
    codenames = [f"{a}_{m}" for m in models for a in ("view", "change", "delete", "add")]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="economy", codename__in=codenames)
    )
    return user


def test_admin_lists_and_opens_in_scope_only(client, eco):
    services.income_record(
        actor=None, village=eco.village_a, year=YEAR, operating_income=Decimal(1)
    )
    services.income_record(
        actor=None, village=eco.community_b, year=YEAR, operating_income=Decimal(2)
    )
    theirs = services.measure_create(
        actor=None,
        village=eco.community_b,
        title="外乡措施",
        owner_name="王",
        deadline=datetime.date(YEAR, 1, 1),
    )
    client.force_login(staff(eco.staff_a, "project", "villageincome", "incomemeasure"))
    projects = client.get(reverse("admin:economy_project_changelist")).context["cl"].result_list
    assert list(projects) == [eco.project_a]
    incomes = client.get(reverse("admin:economy_villageincome_changelist")).context["cl"]
    assert [i.village for i in incomes.result_list] == [eco.village_a]
    change = reverse("admin:economy_incomemeasure_change", args=[theirs.pk])
    assert client.get(change).status_code in (302, 404)
    assert IncomeMeasure.objects.filter(pk=theirs.pk).exists()
    # Projects are read-only here: progress is a roll-up kept by the services.
    response = client.get(reverse("admin:economy_project_change", args=[eco.project_a.pk]))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
