"""Projects late (figures.late_projects) and the project list's ?late=1 filter."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from economy import figures, services
from economy.models import Project, ProjectStatus
from economy.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def _late_world(eco):
    """project_a: a leaf milestone overdue (late); project_b: its overdue milestone is done;
    a completed and a suspended project with overdue milestones (not late); an older project
    with an overdue leaf under a parent (late); one due in the future (not late)."""
    past = datetime.date(2020, 1, 10)
    services.milestone_add(actor=None, project=eco.project_a, name="立项", due_on=past)
    done = services.milestone_add(actor=None, project=eco.project_b, name="立项", due_on=past)
    services.milestone_record(actor=None, milestone=done, progress=Decimal(100), on=past)
    for status in (ProjectStatus.COMPLETED, ProjectStatus.SUSPENDED):
        project = services.project_create(
            actor=None,
            owner_unit=eco.township_a,
            name=f"项目{status}",
            year=YEAR,
            villages=[eco.village_a],
        )
        services.milestone_add(actor=None, project=project, name="建设", due_on=past)
        Project.objects.filter(pk=project.pk).update(status=status)
    older = services.project_create(
        actor=None,
        owner_unit=eco.township_a,
        name="老项目",
        year=YEAR - 3,
        villages=[eco.village_a],
    )
    parent = services.milestone_add(actor=None, project=older, name="主体")
    services.milestone_add(actor=None, project=older, name="基础", parent=parent, due_on=past)
    future = services.project_create(
        actor=None, owner_unit=eco.township_b, name="新项目", year=YEAR, villages=[eco.community_b]
    )
    services.milestone_add(
        actor=None, project=future, name="建设", due_on=datetime.date(2100, 1, 1)
    )
    return older


def test_late_projects(eco):
    older = _late_world(eco)
    late = figures.late_projects(Project.objects.all(), datetime.date.today())
    assert set(late) == {eco.project_a, older}


def test_the_project_list_filters_late_projects(client, eco):
    older = _late_world(eco)
    client.force_login(eco.district_admin)
    url = reverse("economy:project-list")
    response = client.get(url, {"unit": eco.district.pk, "year": "all", "late": "1"})
    assert response.status_code == 200
    assert set(response.context["page"].object_list) == {eco.project_a, older}
    assert response.context["late"] is True
    response = client.get(url, {"unit": eco.township_b.pk, "year": "all", "late": "1"})
    assert response.context["page"].paginator.count == 0
    response = client.get(url, {"unit": eco.district.pk, "year": "all"})
    assert response.context["page"].paginator.count == 6
