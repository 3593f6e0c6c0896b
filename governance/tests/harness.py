from governance.ledger.tests.harness import CASES as LEDGER_CASES
from governance.models import Membership, Notification
from tests.harness import Case


def _membership(user):
    return {"pk": Membership.objects.get(user=user).pk}


def _notification(w, user):
    from django.contrib.contenttypes.models import ContentType

    notification, _ = Notification.objects.get_or_create(
        recipient=user,
        kind="test",
        day="2026-01-05",
        subject_type=ContentType.objects.get_for_model(user),
        subject_id=user.pk,
        defaults={"title": "测试提醒"},
    )
    return {"pk": notification.pk}


unit_a = lambda w: {"pk": w.community_a.pk}  # noqa: E731
unit_b = lambda w: {"pk": w.community_b.pk}  # noqa: E731
person_a = lambda w: {"pk": w.resident_a.pk}  # noqa: E731
person_b = lambda w: {"pk": w.resident_b.pk}  # noqa: E731

CASES = [
    Case("governance:home"),
    Case("governance:unit-list"),
    Case("governance:unit-detail", unit_a, unit_b),
    Case("governance:unit-children", unit_a, unit_b),
    Case("governance:unit-create", unit_a, unit_b),
    Case("governance:unit-edit", unit_a, unit_b),
    Case("governance:unit-move", unit_a, unit_b),
    Case("governance:membership-add", unit_a, unit_b),
    Case(
        "governance:membership-end",
        lambda w: _membership(w.secretary_a),
        lambda w: _membership(w.secretary_b),
        post_only=True,
    ),
    Case("governance:person-list"),
    Case("governance:person-create"),
    Case("governance:person-detail", person_a, person_b, viewer="secretary_a"),
    Case("governance:person-edit", person_a, person_b, viewer="secretary_a"),
    Case("governance:person-reveal", person_a, person_b, viewer="secretary_a", post_only=True),
    Case("governance:person-account", person_a, person_b, post_only=True),
    Case("governance:notification-list"),
    Case(
        "governance:notification-read",
        lambda w: _notification(w, w.staff_a),
        lambda w: _notification(w, w.staff_b),
        post_only=True,
    ),
    Case("governance:notification-read-all", post_only=True),
    Case("governance:unread-badge"),
    Case("governance:healthz", public=True),
    Case("login", public=True),
    Case("logout", public=True, post_only=True),
    Case("password_change"),
    Case("password_change_done"),
    Case("set_language", public=True),
]

# The ledger's pages (a package of governance, with its own tests folder).
CASES += LEDGER_CASES
