"""The demo seeder runs through the services and changes nothing the second time."""

import io
import random

import pytest

from teams.demo import seed_teams
from teams.models import (
    GigWorker,
    PartyBrand,
    ProjectIdea,
    QuotaAddition,
    ScoreCriterion,
    Secondment,
    StaffingQuota,
    TeamsPolicy,
    TrainingSession,
)

pytestmark = pytest.mark.django_db
MODELS = (TeamsPolicy, ScoreCriterion, TrainingSession, StaffingQuota, QuotaAddition, PartyBrand,
          ProjectIdea, GigWorker, Secondment)  # fmt: skip


def test_seeding_twice_changes_nothing(world):
    out = io.StringIO()
    seed_teams(stdout=out, scale="demo", rng=random.Random(1))
    counts = {m: m.objects.count() for m in MODELS}
    assert counts[TeamsPolicy] == 2 and counts[ScoreCriterion] == 8
    assert counts[ProjectIdea] == 85  # Zhenghe's '惊喜点'
    assert counts[GigWorker] == 300
    # Laiwu's +10 administrative and +90 public-institution posts.
    assert sum(QuotaAddition.objects.values_list("posts", flat=True)) == 100
    seed_teams(stdout=io.StringIO(), scale="demo", rng=random.Random(2))
    assert {m: m.objects.count() for m in MODELS} == counts
