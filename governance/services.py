"""Writes to the ground floor. Keyword-only, validated, one transaction each."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access
from governance.models import AuditEvent, Membership, Person, Role, Unit
from governance.normalize import (
    birth_date_from_id,
    clean_compact,
    clean_text,
    normalize_id_number,
    normalize_phone,
)
from governance.permissions import sync_staff


def unit_check_parent(kind: str, parent: Unit | None) -> None:
    """Refuse a unit of `kind` under `parent` unless the parent is the level above."""
    allowed = Unit.PARENT_KINDS[kind]
    if parent is None and allowed:
        raise ValidationError(
            _("A %(kind)s must have a parent unit.") % {"kind": Unit.Kind(kind).label}
        )
    if parent is not None and parent.kind not in allowed:
        raise ValidationError(
            _("A %(kind)s cannot be placed under a %(parent)s.")
            % {"kind": Unit.Kind(kind).label, "parent": Unit.Kind(parent.kind).label}
        )


def unit_check_groupings(unit: Unit, parent: Unit | None) -> None:
    """Areas group townships of one district; work zones, villages of one township."""
    if unit.area_id and (
        unit.kind not in Unit.KINDS_BY_LEVEL[2]
        or parent is None
        or unit.area.district_id != parent.pk
    ):
        raise ValidationError(_("An area groups townships of its own district."))
    if unit.work_zone_id and (
        unit.kind not in Unit.KINDS_BY_LEVEL[3]
        or parent is None
        or unit.work_zone.township_id != parent.pk
    ):
        raise ValidationError(_("A work zone groups villages and communities of its own township."))


@transaction.atomic
def unit_create(
    *, parent: Unit | None, kind: str, name: str, code: str | None = None, **fields
) -> Unit:
    unit_check_parent(kind, parent)
    values = {"kind": kind, "name": clean_text(name), "code": clean_compact(code) or None, **fields}
    unit = Unit(parent=parent, **values)
    unit_check_groupings(unit, parent)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return Unit.objects.add_root(instance=unit)
    # Lock the parent row: treebeard computes the next child path from it.
    parent = Unit.objects.select_for_update().get(pk=parent.pk)
    return Unit.objects.add_child(parent, instance=unit)


EDITABLE_UNIT_FIELDS = {"name", "code", "address", "phone", "area", "work_zone", "is_active"}


@transaction.atomic
def unit_update(*, unit: Unit, **fields) -> Unit:
    """Change a unit's own fields; its place in the tree changes only through unit_move."""
    unknown = set(fields) - EDITABLE_UNIT_FIELDS
    if unknown:
        raise ValueError(f"unit_update cannot change {sorted(unknown)}")
    # Re-read under lock: a caller's copy may hold a stale numchild or path.
    unit = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
    for name, value in fields.items():
        setattr(unit, name, clean_text(value) if name in {"name", "address", "phone"} else value)
    if "code" in fields:
        unit.code = clean_compact(fields["code"]) or None
    unit_check_groupings(unit, unit.parent)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save(update_fields=[*fields, "updated_at"])
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit) -> Unit:
    """Move a unit with its whole subtree under another parent of the right kind."""
    unit_check_parent(unit.kind, new_parent)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself."))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    Unit.objects.move(unit, new_parent, pos="last-child")
    unit = Unit.objects.get(pk=unit.pk)
    # Groupings belong to the old parent; they do not travel.
    Unit.objects.filter(pk=unit.pk).update(
        parent=new_parent, area=None, work_zone=None, updated_at=timezone.now()
    )
    unit.refresh_from_db()
    return unit


def _person_values(values: dict) -> dict:
    cleaned = dict(values)
    if "name" in cleaned:
        cleaned["name"] = clean_text(cleaned["name"])
    if "phone" in cleaned:
        cleaned["phone"] = normalize_phone(cleaned["phone"])
    if "id_number" in cleaned:
        number = normalize_id_number(cleaned["id_number"])
        cleaned["id_number"] = number or None
        if number and not cleaned.get("birth_date"):
            cleaned["birth_date"] = birth_date_from_id(number)
    return cleaned


@transaction.atomic
def person_create(*, unit: Unit, name: str, **fields) -> Person:
    person = Person(unit=unit, **_person_values({"name": name, **fields}))
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, **fields) -> Person:
    for name, value in _person_values(fields).items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_reveal(*, person: Person, actor) -> dict:
    """Full phone and ID number for one person, for a role that may see them; recorded."""
    if not access.can(actor, "view_personal_data", person.unit):
        raise PermissionError(_("Your role may not see full personal data."))
    AuditEvent.objects.create(
        actor=actor,
        action=AuditEvent.Action.REVEAL,
        unit=person.unit,
        target=f"{Person._meta.label_lower}:{person.pk}",
        row_count=1,
    )
    return {"phone": person.phone, "id_number": person.id_number or ""}


@transaction.atomic
def account_create(*, person: Person, username: str, password: str, email: str = ""):
    if person.user_id:
        raise ValidationError(_("This person already has a login account."))
    User = get_user_model()
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username “%(name)s” is taken.") % {"name": username})
    user = User.objects.create_user(
        username=username, password=password, email=email, first_name=person.name
    )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return user


@transaction.atomic
def _check_appointer(actor, unit: Unit) -> None:
    if actor is not None and not access.may_appoint(actor, unit):
        raise PermissionDenied(
            _("Roles at %(unit)s are given by the level above it or the district administrator.")
            % {"unit": unit.name}
        )


def membership_add(
    *,
    user,
    unit: Unit,
    role: str,
    started_on: date | None = None,
    ended_on: date | None = None,
    actor=None,
) -> Membership:
    """Give `user` a role at `unit`. `actor` (None: the system itself, e.g. posting a grid
    worker, whose own check applies) must be allowed to appoint there (access.may_appoint)."""
    _check_appointer(actor, unit)
    if unit.kind not in Membership.ROLE_UNIT_KINDS[role]:
        raise ValidationError(
            _("The role “%(role)s” cannot be held at a %(kind)s.")
            % {"role": Role(role).label, "kind": Unit.Kind(unit.kind).label}
        )
    if Membership.objects.filter(user=user, unit=unit, role=role, ended_on__isnull=True).exists():
        raise ValidationError(_("This account already holds that role at this unit."))
    membership = Membership(
        user=user,
        unit=unit,
        role=role,
        started_on=started_on or timezone.localdate(),
        ended_on=ended_on,
    )
    membership.full_clean(validate_constraints=False)
    membership.save()
    access.forget(user)
    sync_staff(user, role)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, on: date | None = None, actor=None) -> Membership:
    _check_appointer(actor, membership.unit)
    on = on or timezone.localdate()
    if membership.ended_on is not None:
        raise ValidationError(_("This membership has already ended."))
    if on < membership.started_on:
        raise ValidationError(_("A membership cannot end before it started."))
    updated = Membership.objects.filter(pk=membership.pk, ended_on__isnull=True).update(ended_on=on)
    if not updated:
        raise ValidationError(_("This membership has already ended."))
    membership.ended_on = on
    access.forget(membership.user)
    sync_staff(membership.user, membership.role)
    return membership


def audit_record(
    *,
    actor,
    action: str,
    target: str,
    unit: Unit | None = None,
    row_count: int = 0,
    detail: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target=target,
        unit=unit,
        row_count=row_count,
        detail=detail or {},
    )
