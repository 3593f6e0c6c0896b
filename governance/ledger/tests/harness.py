"""Harness cases of the ledger pages (tests/test_url_harness.py runs them, through
governance/tests/harness.py).

Items are made on the fly in community A (inside the viewer's scope) and community B (outside);
the import page is opened for a ledger of community A and refused for one of community B.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from governance.ledger import services
from governance.models import ItemAttachment, Ledger, LedgerKind, MatterCategory
from tests.harness import Case

# Items --------------------------------------------------------------------------------------


def _item(unit, actor):
    ledger, _ = Ledger.objects.get_or_create(
        unit=unit,
        name=f"{unit.name}网格问题台账",
        defaults={"kind": LedgerKind.GRID_PROBLEM, "prefix": f"H{unit.pk}"},
    )
    return services.item_create(ledger=ledger, title="楼道灯不亮", unit=unit, actor=actor)


def _item_a(w):
    return _item(w.community_a, w.secretary_a)


def _item_b(w):
    return _item(w.community_b, w.secretary_b)


def _attachment(item):
    name = "ledger/harness/note.txt"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"harness"))
    attachment = ItemAttachment.objects.create(item=item, file=name, name="note.txt")
    return {"pk": item.pk, "attachment_pk": attachment.pk}


def _ledger(unit):
    ledger, _ = Ledger.objects.get_or_create(
        unit=unit,
        name=f"{unit.name}接待日诉求台账",
        defaults={"kind": LedgerKind.RECEPTION_DAY, "prefix": f"X{unit.pk}"},
    )
    return {"ledger_pk": ledger.pk}


# Review meetings ----------------------------------------------------------------------------


def _reception_item(unit, secretary, prefix):
    ledger, _ = Ledger.objects.get_or_create(
        unit=unit,
        name=f"{unit.name}接待日台账",
        defaults={"kind": LedgerKind.RECEPTION_DAY, "prefix": prefix},
    )
    return services.item_create(ledger=ledger, title="楼道灯不亮", unit=unit, actor=secretary)


def _weekly_item(w, side):
    unit = w.community_a if side == "a" else w.community_b
    secretary = w.secretary_a if side == "a" else w.secretary_b
    return {"unit_pk": unit.pk, "item_pk": _reception_item(unit, secretary, f"H{side.upper()}").pk}


community_a = lambda w: {"unit_pk": w.community_a.pk}  # noqa: E731
community_b = lambda w: {"unit_pk": w.community_b.pk}  # noqa: E731
township_a = lambda w: {"township_pk": w.township_a.pk}  # noqa: E731
township_b = lambda w: {"township_pk": w.township_b.pk}  # noqa: E731


# Catalogues ---------------------------------------------------------------------------------


def _category(district):
    def kwargs(w):
        row = MatterCategory.objects.create(
            district=getattr(w, district), code="0101", name="房屋漏水", grid_action="report"
        )
        return {"pk": row.pk}

    return kwargs


CASES = [
    Case("ledger:item-list"),
    Case("ledger:item-create"),
    Case("ledger:item-detail", lambda w: {"pk": _item_a(w).pk}, lambda w: {"pk": _item_b(w).pk}),
    Case(
        "ledger:item-reveal",
        lambda w: {"pk": _item_a(w).pk},
        lambda w: {"pk": _item_b(w).pk},
        viewer="secretary_a",
        post_only=True,
    ),
    Case(
        "ledger:item-step",
        lambda w: {"pk": _item_a(w).pk, "step": "accept"},
        lambda w: {"pk": _item_b(w).pk, "step": "accept"},
        post_only=True,
    ),
    Case(
        "ledger:item-attachment",
        lambda w: _attachment(_item_a(w)),
        lambda w: _attachment(_item_b(w)),
    ),
    Case("ledger:department-queue", viewer="handler"),
    Case("ledger:extension-list"),
    Case(
        "ledger:item-import",
        lambda w: _ledger(w.community_a),
        lambda w: _ledger(w.community_b),
    ),
    Case("ledger:item-export"),
    # The unit of the figures page is a query parameter: its scope is tested in
    # governance/ledger/tests/test_figures.py.
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
    Case("ledger:category-list", viewer="district_admin"),
    Case("ledger:category-create", viewer="district_admin"),
    Case(
        "ledger:category-edit",
        _category("district"),
        _category("other_district"),
        viewer="district_admin",
    ),
]
