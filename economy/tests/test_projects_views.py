"""The project pages: milestones recorded by POST and htmx, who may record, creating a project."""

from decimal import Decimal

import pytest
from django.urls import reverse

from economy import services
from economy.models import Milestone, Project
from economy.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_township_staff_records_a_milestone_done_and_figures_move(client, eco):
    first = services.milestone_add(
        actor=None, project=eco.project_a, name="立项", weight=Decimal("1")
    )
    services.milestone_add(actor=None, project=eco.project_a, name="建设", weight=Decimal("3"))
    client.force_login(eco.staff_a)
    figures = reverse("economy:figures") + f"?unit={eco.township_a.pk}&year={YEAR}"
    assert client.get(figures).context["f"].project_progress == Decimal("0.00")
    response = client.post(
        reverse("economy:milestone-record", args=[first.pk]), {"progress": "100"}
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=eco.project_a.pk).progress == Decimal("25.00")
    # Mean over the township's projects in the year: project A only.
    assert client.get(figures).context["f"].project_progress == Decimal("25.00")


def test_milestone_record_by_htmx_returns_the_tree(client, eco):
    m = services.milestone_add(actor=None, project=eco.project_a, name="立项")
    client.force_login(eco.staff_a)
    response = client.post(
        reverse("economy:milestone-record", args=[m.pk]),
        {"progress": "100"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-testid="milestones"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_others_cannot_record_milestones(client, eco):
    m = services.milestone_add(actor=None, project=eco.project_a, name="立项")
    url = reverse("economy:milestone-record", args=[m.pk])
    client.force_login(eco.staff_b)
    assert client.post(url, {"progress": "100"}).status_code == 404
    # A community secretary sees the project (it involves the community) but does not run it.
    client.force_login(eco.secretary_a)
    assert client.get(reverse("economy:project-detail", args=[eco.project_a.pk])).status_code == 200
    assert client.post(url, {"progress": "100"}).status_code == 403
    assert Milestone.objects.get(pk=m.pk).progress == 0


def test_bad_progress_is_refused_with_a_message(client, eco):
    m = services.milestone_add(actor=None, project=eco.project_a, name="立项")
    client.force_login(eco.staff_a)
    response = client.post(
        reverse("economy:milestone-record", args=[m.pk]), {"progress": "abc"}, follow=True
    )
    assert "0" in response.content.decode()
    assert Milestone.objects.get(pk=m.pk).progress == 0


def test_project_create_for_own_township_only(client, eco):
    client.force_login(eco.staff_a)
    url = reverse("economy:project-create")
    response = client.post(
        url,
        {
            "owner_unit": eco.township_b.pk,
            "name": "越界项目",
            "year": YEAR,
            "budget": "10",
        },
    )
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "owner_unit": eco.township_a.pk,
            "name": "新项目",
            "year": YEAR,
            "budget": "302.5",
            "villages": [eco.village_a.pk],
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(name="新项目")
    assert project.budget == Decimal("3025000.00")
