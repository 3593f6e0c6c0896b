"""Harness cases of the figures page and the weekly and monthly review meetings."""

from governance.models import Ledger, LedgerKind
from tests.harness import Case


def _item(unit, secretary, prefix):
    from governance.ledger import services

    ledger, _ = Ledger.objects.get_or_create(
        unit=unit,
        name=f"{unit.name}接待日台账",
        defaults={"kind": LedgerKind.RECEPTION_DAY, "prefix": prefix},
    )
    return services.item_create(ledger=ledger, title="楼道灯不亮", unit=unit, actor=secretary)


def _weekly_item(w, side):
    unit = w.community_a if side == "a" else w.community_b
    secretary = w.secretary_a if side == "a" else w.secretary_b
    return {"unit_pk": unit.pk, "item_pk": _item(unit, secretary, f"H{side.upper()}").pk}


community_a = lambda w: {"unit_pk": w.community_a.pk}  # noqa: E731
community_b = lambda w: {"unit_pk": w.community_b.pk}  # noqa: E731
township_a = lambda w: {"township_pk": w.township_a.pk}  # noqa: E731
township_b = lambda w: {"township_pk": w.township_b.pk}  # noqa: E731

CASES = [
    # The unit of the figures page is a query parameter: its scope is tested in
    # governance/tests/test_ledger_figures.py.
    Case("ledger:figures"),
    Case("ledger:figures-export"),
    Case("ledger:weekly-review", community_a, community_b, viewer="secretary_a"),
    Case(
        "ledger:weekly-review-item",
        lambda w: _weekly_item(w, "a"),
        lambda w: _weekly_item(w, "b"),
        viewer="secretary_a",
        post_only=True,
    ),
    Case(
        "ledger:weekly-review-meeting",
        community_a,
        community_b,
        viewer="secretary_a",
        post_only=True,
    ),
    Case(
        "ledger:weekly-review-schedule",
        community_a,
        community_b,
        viewer="secretary_a",
        post_only=True,
    ),
    Case("ledger:monthly-review", township_a, township_b),
    Case("ledger:monthly-review-export", township_a, township_b),
    Case("ledger:monthly-review-meeting", township_a, township_b, post_only=True),
]
