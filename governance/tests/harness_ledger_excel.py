"""Harness cases of the ledger's Excel pages (tests/test_url_harness.py runs them).

The import page is opened for a ledger of community A (inside staff_a's scope) and refused
for one of community B (outside).
"""

from governance.models import Ledger, LedgerKind
from tests.harness import Case


def _ledger(unit):
    ledger, _ = Ledger.objects.get_or_create(
        unit=unit,
        name=f"{unit.name}接待日诉求台账",
        defaults={"kind": LedgerKind.RECEPTION_DAY, "prefix": f"X{unit.pk}"},
    )
    return {"ledger_pk": ledger.pk}


CASES = [
    Case(
        "ledger:item-import",
        lambda w: _ledger(w.community_a),
        lambda w: _ledger(w.community_b),
    ),
    Case("ledger:item-export"),
]
