import datetime
import io
import random

import pytest

from governance.ledger import services as ledger_services
from governance.models import LedgerItem, Source
from governance.testing import frozen
from governance.tests.factories import make_item
from outreach.demo.community import seed_community
from outreach.figures.reception import reception_figures
from outreach.models import (
    PropertyCompany,
    PropertyEvaluation,
    ReceptionDemand,
    ReceptionSession,
    UnitEvaluation,
    WorkUnit,
)

pytestmark = pytest.mark.django_db


def _counts():
    return (
        ReceptionSession.objects.count(),
        ReceptionDemand.objects.count(),
        WorkUnit.objects.count(),
        UnitEvaluation.objects.count(),
        PropertyCompany.objects.count(),
        PropertyEvaluation.objects.count(),
    )


def test_demo_ties_the_ledgers_demands_to_sessions_and_is_idempotent(reception_world):
    w = reception_world
    with frozen(2026, 10, 13, 10):
        items = [make_item(w, title=f"诉求{i}", unit=w.community_a) for i in range(3)]
        ledger_services.item_reply(item=items[0], actor=w.secretary_a, reply="已答复")
        ledger_services.item_resolve(item=items[0], actor=w.secretary_a, result="已解决")
    with frozen(2026, 10, 20, 10):
        make_item(w, title="次周诉求", unit=w.grid_a)
    with frozen(2026, 11, 2, 10):
        seed_community(stdout=io.StringIO(), scale="demo", rng=random.Random(1))
        first = _counts()
        seed_community(stdout=io.StringIO(), scale="demo", rng=random.Random(2))
        assert _counts() == first
    # Two sessions of 花园社区 (13 and 20 October), four demands, one answered on the spot.
    assert ReceptionSession.objects.filter(community=w.community_a).count() == 2
    spot = ReceptionDemand.objects.get(answered_on_spot=True)
    assert spot.item == items[0] and spot.item.source_record == spot.session
    figures = reception_figures(
        w.community_a, datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
    )
    assert figures.collected == LedgerItem.objects.filter(source=Source.RECEPTION_DAY).count() == 4
    assert figures.resolved == 1
    # Work units are posted, the demo's companies are evaluated against the district's criteria.
    assert WorkUnit.objects.filter(district=w.district).count() == 16
    assert PropertyCompany.objects.filter(district=w.district).exists()
