"""Factories for the ground floor. Units go through the services so the tree stays consistent."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model

from governance import services
from governance.models import Person, Unit

_ids = itertools.count(1)


def valid_id_number(n: int) -> str:
    """A valid 18-digit ID number derived from n (check digit computed as in GB 11643)."""
    body = f"370116{1950 + n % 50:04d}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-test-123")


def make_unit(parent: Unit | None, kind: str, name: str | None = None, **fields) -> Unit:
    return services.unit_create(
        parent=parent, kind=kind, name=name or f"{Unit.Kind(kind).label}{next(_ids)}", **fields
    )


def make_person(unit: Unit, name: str = "张三", **fields) -> Person:
    return services.person_create(unit=unit, name=name, **fields)


def make_member(unit: Unit, role: str, username: str | None = None, **user_fields):
    user = UserFactory(username=username or f"u{next(_ids)}", **user_fields)
    if not hasattr(user, "person"):
        person = make_person(unit, name=username or user.username)
        person.user = user
        person.save()
    services.membership_add(user=user, unit=unit, role=role, started_on=datetime.date(2020, 1, 1))
    return user


def make_item(w, **overrides):
    """A reception-day item of community A in the `ledger_world` fixture, through item_create."""
    from governance.ledger import services
    from governance.models import Source

    values = {
        "ledger": w.ledger,
        "title": "楼道漏水",
        "unit": w.grid_a,
        "actor": w.secretary_a,
        "source": Source.RECEPTION_DAY,
        "category": w.category,
        "responsible_unit": w.community_a,
        "resident_name": "李四",
        "resident_phone": "13812341234",
        **overrides,
    }
    return services.item_create(**values)
