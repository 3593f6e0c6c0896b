import datetime
from decimal import Decimal

import pytest

from governance.tests.factories import make_person
from teams.models import ScoreCriterion
from teams.services.workers import worker_create


@pytest.fixture
def teams_world(world):
    """`world` plus two scoring criteria of 莱芜区 and community workers in A, A2 and B."""
    w = world
    w.criteria = [
        ScoreCriterion.objects.create(
            district=w.district, name="工作实绩", max_points=Decimal(60), order=1
        ),
        ScoreCriterion.objects.create(
            district=w.district, name="群众评价", max_points=Decimal(40), order=2
        ),
    ]
    started = datetime.date(2024, 1, 1)
    w.workers_a = [
        worker_create(
            actor=w.district_admin,
            person=make_person(w.community_a, name),
            community=w.community_a,
            started_on=started,
        )
        for name in ("张敏", "李娜", "王芳")
    ]
    w.worker_a2 = worker_create(
        actor=w.district_admin,
        person=make_person(w.community_a2, "赵磊"),
        community=w.community_a2,
        started_on=started,
    )
    w.worker_b = worker_create(
        actor=w.district_admin,
        person=make_person(w.community_b, "刘洋"),
        community=w.community_b,
        started_on=started,
    )
    return w
