"""Harness cases of the ledger item pages (tests/test_url_harness.py runs them).

Items are made on the fly in community A (inside the viewer's scope) and community B (outside).
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from governance.ledger import services
from governance.models import ItemAttachment, Ledger, LedgerKind
from tests.harness import Case


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
]
