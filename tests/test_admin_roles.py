"""The Django admin for the roles that work in it: a district administrator keeps the district's
catalogues there without any permission set by hand, within the district only."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from governance import services
from governance.admin import ScopedAdminMixin
from governance.models import CalendarDay, CalendarYear, MatterCategory, Role
from grids.models import CareTag, RoundPolicy
from outreach.models import EvaluationCriterion, PropertyCompany, WorkUnit, WorkUnitPosting
from venues.models import ActivityCategory

pytestmark = pytest.mark.django_db


def admin_url(obj_or_model, view="changelist", *args):
    meta = obj_or_model._meta
    if view == "change":
        args = (obj_or_model.pk,)
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.fixture
def catalogues(world):
    """One row of each catalogue in each district."""
    rows = {}
    for key, district in (("own", world.district), ("other", world.other_district)):
        rows[key] = [
            CareTag.objects.create(district=district, name="独居老人"),
            RoundPolicy.objects.create(district=district, months=1),
            ActivityCategory.objects.create(district=district, code="volunteer", name="志愿服务"),
            MatterCategory.objects.create(
                district=district, code=f"01{district.pk}", name="环境卫生", handle_limit=5
            ),
            EvaluationCriterion.objects.create(district=district, name="保洁", weight=100),
            WorkUnit.objects.create(district=district, name="区税务局", kind="office"),
            PropertyCompany.objects.create(district=district, name="安居物业"),
        ]
    return rows


def test_appointing_a_district_admin_opens_the_admin_and_ending_it_closes_it(world):
    assert world.district_admin.is_staff
    assert world.district_admin.has_perm("grids.change_caretag")
    assert not world.staff_a.is_staff and not world.staff_a.has_perm("grids.change_caretag")
    membership = world.district_admin.memberships.get()
    services.membership_end(membership=membership, on=datetime.date(2020, 6, 1))
    world.district_admin.refresh_from_db()
    assert not world.district_admin.is_staff


def test_every_scoped_admin_list_opens_for_a_district_admin(client, world, catalogues):
    client.force_login(world.district_admin)
    assert client.get(reverse("admin:index")).status_code == 200
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ScopedAdminMixin):
            assert client.get(admin_url(model)).status_code == 200, model._meta.label


@pytest.mark.parametrize("index", range(7))
def test_a_district_admin_opens_and_saves_each_catalogue_row_of_the_district(
    client, world, catalogues, index
):
    client.force_login(world.district_admin)
    own, other = catalogues["own"][index], catalogues["other"][index]
    page = client.get(admin_url(own, "change"))
    assert page.status_code == 200
    listed = list(client.get(admin_url(type(own))).context["cl"].result_list)
    assert own in listed and other not in listed
    assert client.get(admin_url(other, "change")).status_code == 302  # "does not exist" → index
    form = page.context["adminform"].form
    if page.context["has_change_permission"]:
        data = {name: form[name].value() for name in form.fields}
        data = {k: ("" if v is None else v) for k, v in data.items()}
        for formset in page.context["inline_admin_formsets"]:
            management = formset.formset.management_form
            data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        response = client.post(admin_url(own, "change"), data)
        assert response.status_code == 302, response.context["adminform"].form.errors


def test_work_unit_and_property_company_change_pages_open_for_everyone_in_scope(
    client, world, catalogues, django_user_model
):
    work_unit = catalogues["own"][5]
    WorkUnitPosting.objects.create(
        work_unit=work_unit, community=world.community_a, started_on=datetime.date(2026, 1, 1)
    )
    root = django_user_model.objects.create_superuser("root", password="pw-test-123")
    for user in (root, world.district_admin):
        client.force_login(user)
        for row in (work_unit, catalogues["own"][6]):
            assert client.get(admin_url(row, "change")).status_code == 200


def test_a_district_admin_keeps_the_holiday_calendar(client, world):
    client.force_login(world.district_admin)
    CalendarDay.objects.create(date=datetime.date(2031, 1, 1), kind="holiday", name="元旦")
    response = client.post(admin_url(CalendarYear, "add"), {"year": 2031})
    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2031).exists()


def test_a_role_outside_the_admin_roles_gets_no_model_permission(world):
    for user in (world.staff_a, world.secretary_a, world.worker_a, world.handler, world.leader):
        assert not user.get_all_permissions()
    services.membership_add(user=world.leader, unit=world.district, role=Role.DISTRICT_ADMIN)
    world.leader.refresh_from_db()
    assert world.leader.is_staff and world.leader.has_perm("venues.add_activitycategory")
