"""Writes of the service requests logged at venues.

Service requests move received → relayed → done / returned (also received → done or
returned, returned → relayed again); each step is a conditional update on the status it
starts from, so of two people acting at once the second is refused. A request that needs
follow-up becomes an item in a ledger of the venue's unit (`request_follow_up`), with source
"walk-in": the resident came to the venue in person, which is what the ledger's walk-in source
means, and the ledger item points back at the request (source_record).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access
from governance.ledger import services as ledger_services
from governance.models import AuditEvent, Ledger, LedgerItem, LedgerKind, Source, Unit
from governance.normalize import clean_text, normalize_phone
from governance.services import audit_record
from venues.models import (
    RequestStatus,
    ServiceMatter,
    ServiceRequest,
    Venue,
)

#: Capability to log a request at a venue and to move it on.
LOG_REQUESTS = "create_items"
HANDLE_REQUESTS = "handle_items"


# Service requests -------------------------------------------------------------------------

TRANSITIONS = {
    "relay": ((RequestStatus.RECEIVED, RequestStatus.RETURNED), RequestStatus.RELAYED),
    "done": ((RequestStatus.RECEIVED, RequestStatus.RELAYED), RequestStatus.DONE),
    "return": ((RequestStatus.RECEIVED, RequestStatus.RELAYED), RequestStatus.RETURNED),
}


@transaction.atomic
def request_create(
    *,
    venue: Venue,
    matter: ServiceMatter,
    kind: str,
    resident_name: str,
    actor,
    resident_phone: str = "",
    note: str = "",
    received_at: datetime.datetime | None = None,
) -> ServiceRequest:
    if actor is not None and not access.can(actor, LOG_REQUESTS, venue.unit):
        raise PermissionDenied
    if matter.district.path != venue.unit.path[: venue.unit.steplen] or not matter.is_active:
        raise ValidationError({"matter": _("Choose a matter of this district's catalogue.")})
    resident_name = clean_text(resident_name)
    if not resident_name:
        raise ValidationError({"resident_name": _("Enter the resident's name.")})
    phone = normalize_phone(resident_phone or "")
    if phone and not phone.replace("-", "").isdigit():
        raise ValidationError({"resident_phone": _("Enter a valid phone number.")})
    request = ServiceRequest(
        venue=venue,
        matter=matter,
        kind=kind,
        resident_name=resident_name,
        resident_phone=phone,
        note=(note or "").strip(),
        received_at=received_at or timezone.now(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    request.full_clean(exclude=["created_by", "ledger_item", "relayed_to"])
    request.save()
    return request


def may_act(actor, request: ServiceRequest, step: str) -> bool:
    """Venue staff move their own requests; the department a request was relayed to may mark
    it done or return it."""
    if actor is None:
        return True
    if access.can(actor, HANDLE_REQUESTS, request.venue.unit):
        return True
    if (
        step in ("done", "return")
        and request.relayed_to_id
        and request.status == RequestStatus.RELAYED
    ):
        return access.can(actor, HANDLE_REQUESTS, request.relayed_to)
    return False


def request_step(
    *, request: ServiceRequest, step: str, actor, department: Unit | None = None, answer: str = ""
) -> ServiceRequest:
    """relay (to a department), done, or return (with the reason in `answer`)."""
    if step not in TRANSITIONS:
        raise ValidationError(_("Unknown step."))
    if not may_act(actor, request, step):
        raise PermissionDenied
    sources, target = TRANSITIONS[step]
    now = timezone.now()
    changes: dict = {"status": target}
    answer = (answer or "").strip()
    if step == "relay":
        if department is None or department.kind != Unit.Kind.DEPARTMENT:
            raise ValidationError(
                {"department": _("Choose the department the request is relayed to.")}
            )
        district = request.venue.unit.path[: request.venue.unit.steplen]
        if not department.path.startswith(district):
            raise ValidationError({"department": _("Choose a department of this district.")})
        changes.update(relayed_to=department, relayed_at=now)
    else:
        if step == "return" and not answer:
            raise ValidationError({"answer": _("Say why the request is returned.")})
        changes.update(closed_at=now)
        if answer:
            changes["answer"] = answer
    with transaction.atomic():
        updated = ServiceRequest.objects.filter(pk=request.pk, status__in=sources).update(**changes)
    if not updated:
        current = ServiceRequest.objects.get(pk=request.pk)
        raise ValidationError(
            _("This request is now “%(status)s”; the step was not taken.")
            % {"status": current.get_status_display()}
        )
    request.refresh_from_db()
    return request


def follow_up_ledger(unit: Unit) -> Ledger | None:
    """The ledger a venue's follow-up goes to: the unit's reception-day ledger, else its
    general one, else any active ledger of the unit (the oldest of its kind)."""
    ledgers = list(Ledger.objects.filter(unit=unit, is_active=True).order_by("pk"))
    for kind in (LedgerKind.RECEPTION_DAY, LedgerKind.GENERAL):
        for ledger in ledgers:
            if ledger.kind == kind:
                return ledger
    return ledgers[0] if ledgers else None


@transaction.atomic
def request_follow_up(*, request: ServiceRequest, actor, title: str = "") -> LedgerItem:
    """Turn a request that needs follow-up into an item of a ledger of the venue's unit."""
    request = (
        ServiceRequest.objects.select_for_update()
        .select_related("venue__unit", "matter")
        .get(pk=request.pk)
    )
    if actor is not None and not access.can(actor, LOG_REQUESTS, request.venue.unit):
        raise PermissionDenied
    if request.ledger_item_id is not None:
        raise ValidationError(_("This request is already in a ledger."))
    ledger = follow_up_ledger(request.venue.unit)
    if ledger is None:
        raise ValidationError(
            _("%(unit)s keeps no ledger yet. Ask the administrator to set one up first.")
            % {"unit": request.venue.unit.name}
        )
    item = ledger_services.item_create(
        ledger=ledger,
        title=clean_text(title) or f"{request.matter.name}（{request.get_kind_display()}）",
        unit=request.venue.unit,
        actor=actor,
        source=Source.WALK_IN,
        description="\n".join(
            part
            for part in (
                _("Assisted/proxy request at %(venue)s.") % {"venue": request.venue.name},
                request.note,
                request.answer,
            )
            if part
        ),
        resident_name=request.resident_name,
        resident_phone=request.resident_phone,
        received_at=request.received_at,
        source_record=request,
    )
    request.ledger_item = item
    request.save(update_fields=["ledger_item"])
    return item


def may_see_resident(user, request_obj: ServiceRequest) -> bool:
    """The venue's unit and the department the request was relayed to may see the resident."""
    relayed = request_obj.relayed_to
    return access.can(user, "view_personal_data", request_obj.venue.unit) or (
        relayed is not None and access.can(user, "view_personal_data", relayed)
    )


def request_reveal(*, request_obj: ServiceRequest, actor) -> None:
    """Record that `actor` is shown the resident's phone in full."""
    if not may_see_resident(actor, request_obj):
        raise PermissionDenied(_("Your role may not see full personal data."))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.REVEAL,
        target=f"{ServiceRequest._meta.label_lower}:{request_obj.pk}",
        unit=request_obj.venue.unit,
        row_count=1,
        detail={"fields": ["resident_phone"]},
    )
