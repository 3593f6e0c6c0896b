"""Writes of dual reporting (双报到).

Who may do what (governance.access capabilities, at the community or above it)
- manage_people: register work units and Party members, re-assign a work unit (over both
  communities), publish and close service projects.
- create_items: record service given and claims made on a unit's or member's behalf.
- manage_ledgers: evaluate a posted work unit for a half-year.

Rules
- A work unit serves one community at a time. Re-assignment (动态调整) ends the current posting
  on the day the new one starts (that day belongs to the new community) and keeps both.
- A project is claimed by one posted work unit or registered member of its community, under a
  conditional update: of two claims at once, one wins and the other is told.
- An evaluation is for a half-year ("2026-H1") that has started, of a unit posted to the
  community on some day of it; one per unit, community and period. Its grade follows the score
  (outreach.models.dual.GRADE_BOUNDS).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access
from governance.models import Unit
from governance.normalize import clean_text, normalize_phone
from outreach import evaluation_periods as periods
from outreach.models import (
    ProjectStatus,
    ReportedMember,
    ServiceProject,
    ServiceRecord,
    UnitEvaluation,
    WorkUnit,
    WorkUnitKind,
    WorkUnitPosting,
    grade_for,
)
from outreach.services.reception import COMMUNITY_KINDS


def _check_community(unit: Unit) -> None:
    if unit.kind not in COMMUNITY_KINDS:
        raise ValidationError(_("Choose a community or village."))


def current_posting(work_unit: WorkUnit) -> WorkUnitPosting | None:
    return work_unit.postings.current().select_related("community").first()


@transaction.atomic
def work_unit_register(
    *,
    community: Unit,
    name: str,
    kind: str,
    started_on: datetime.date,
    actor,
    contact_name: str = "",
    contact_phone: str = "",
) -> WorkUnit:
    _check_community(community)
    access.require(actor, "manage_people", community)
    name = clean_text(name)
    if not name:
        raise ValidationError(_("Give the work unit's name."))
    if kind not in WorkUnitKind.values:
        raise ValidationError(_("Choose the kind of work unit."))
    district = community.district
    if WorkUnit.objects.filter(district=district, name=name).exists():
        raise ValidationError(
            _("%(name)s is already registered in the district; re-assign it instead.")
            % {"name": name}
        )
    unit = WorkUnit.objects.create(
        district=district,
        name=name,
        kind=kind,
        contact_name=clean_text(contact_name),
        contact_phone=normalize_phone(contact_phone),
    )
    WorkUnitPosting.objects.create(
        work_unit=unit, community=community, started_on=started_on, created_by=actor
    )
    return unit


@transaction.atomic
def work_unit_reassign(
    *, work_unit: WorkUnit, community: Unit, on: datetime.date, actor, reason: str = ""
) -> WorkUnitPosting:
    """动态调整: the unit serves `community` from `on`; the posting it replaces ends that day."""
    _check_community(community)
    work_unit = WorkUnit.objects.select_for_update().get(pk=work_unit.pk)
    if not community.path.startswith(work_unit.district.path):
        raise ValidationError(_("Choose a community of the work unit's district."))
    current = work_unit.postings.current().select_related("community").first()
    access.require(actor, "manage_people", community)
    if current is not None:
        access.require(actor, "manage_people", current.community)
        if current.community_id == community.pk:
            raise ValidationError(_("The work unit already serves this community."))
        if on <= current.started_on:
            raise ValidationError(
                _("The current posting began on %(day)s; the new one must start later.")
                % {"day": current.started_on.isoformat()}
            )
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    return WorkUnitPosting.objects.create(
        work_unit=work_unit,
        community=community,
        started_on=on,
        reason=clean_text(reason),
        created_by=actor,
    )


def member_register(
    *,
    community: Unit,
    name: str,
    registered_on: datetime.date,
    actor,
    phone: str = "",
    work_unit: WorkUnit | None = None,
) -> ReportedMember:
    _check_community(community)
    access.require(actor, "manage_people", community)
    name = clean_text(name)
    if not name:
        raise ValidationError(_("Give the Party member's name."))
    if work_unit is not None and work_unit.district.path != community.path[: community.steplen]:
        raise ValidationError(_("Choose a work unit of this district."))
    return ReportedMember.objects.create(
        community=community,
        name=name,
        phone=normalize_phone(phone),
        work_unit=work_unit,
        registered_on=registered_on,
    )


def member_leave(*, member: ReportedMember, on: datetime.date, actor) -> ReportedMember:
    access.require(actor, "manage_people", member.community)
    if on < member.registered_on:
        raise ValidationError(_("A member leaves after registering."))
    claimed = ReportedMember.objects.filter(pk=member.pk, left_on__isnull=True).update(left_on=on)
    if not claimed:
        raise ValidationError(_("This member has already left."))
    member.refresh_from_db()
    return member


def project_publish(
    *,
    community: Unit,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor,
    description: str = "",
    needs: str = "",
) -> ServiceProject:
    _check_community(community)
    access.require(actor, "manage_people", community)
    title = clean_text(title)
    if not title:
        raise ValidationError(_("Give the project a title."))
    if ends_on < starts_on:
        raise ValidationError(_("The project ends on or after the day it starts."))
    return ServiceProject.objects.create(
        community=community,
        title=title,
        description=description.strip(),
        needs=clean_text(needs),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )


def _check_provider(community: Unit, work_unit, member, on: datetime.date) -> None:
    if (work_unit is None) == (member is None):
        raise ValidationError(_("Choose either a work unit or a Party member."))
    if work_unit is not None:
        if not work_unit.postings.filter(community=community).current(on).exists():
            raise ValidationError(
                _("%(name)s is not posted to %(unit)s.")
                % {"name": work_unit.name, "unit": community.name}
            )
    elif member.community_id != community.pk or (
        member.left_on is not None and member.left_on <= on
    ):
        raise ValidationError(
            _("%(name)s is not registered with %(unit)s.")
            % {"name": member.name, "unit": community.name}
        )


def project_claim(
    *, project: ServiceProject, actor, work_unit: WorkUnit | None = None, member=None
) -> ServiceProject:
    access.require(actor, "create_items", project.community)
    _check_provider(project.community, work_unit, member, timezone.localdate())
    claimed = ServiceProject.objects.filter(pk=project.pk, status=ProjectStatus.OPEN).update(
        status=ProjectStatus.CLAIMED,
        claimed_by_unit=work_unit,
        claimed_by_member=member,
        claimed_at=timezone.now(),
    )
    if not claimed:
        raise ValidationError(_("This project is no longer open for claiming."))
    project.refresh_from_db()
    return project


def project_finish(*, project: ServiceProject, actor, cancel: bool = False) -> ServiceProject:
    """Done (after it was claimed) or cancelled (while still open)."""
    access.require(actor, "manage_people", project.community)
    if cancel:
        changed = ServiceProject.objects.filter(pk=project.pk, status=ProjectStatus.OPEN).update(
            status=ProjectStatus.CANCELLED
        )
    else:
        changed = ServiceProject.objects.filter(pk=project.pk, status=ProjectStatus.CLAIMED).update(
            status=ProjectStatus.DONE, done_at=timezone.now()
        )
    if not changed:
        raise ValidationError(
            _("Only an open project can be cancelled.")
            if cancel
            else _("Only a claimed project can be marked done.")
        )
    project.refresh_from_db()
    return project


def service_record_add(
    *,
    community: Unit,
    what: str,
    served_on: datetime.date,
    hours,
    actor,
    work_unit: WorkUnit | None = None,
    member: ReportedMember | None = None,
    project: ServiceProject | None = None,
    people: int = 1,
) -> ServiceRecord:
    _check_community(community)
    access.require(actor, "create_items", community)
    what = clean_text(what)
    if not what:
        raise ValidationError(_("Say what service was given."))
    if served_on > timezone.localdate():
        raise ValidationError(_("Service is recorded once it has been given."))
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Give the hours as a number, e.g. 2.5.")) from None
    if not Decimal("0.5") <= hours <= Decimal("1000"):
        raise ValidationError(_("Hours lie between 0.5 and 1000."))
    if people < 1:
        raise ValidationError(_("At least one person took part."))
    if project is not None and project.community_id != community.pk:
        raise ValidationError(_("The project belongs to another community."))
    _check_provider(community, work_unit, member, served_on)
    return ServiceRecord.objects.create(
        community=community,
        project=project,
        work_unit=work_unit,
        member=member,
        what=what,
        served_on=served_on,
        hours=hours,
        people=people,
        recorded_by=actor,
    )


def unit_evaluate(
    *, community: Unit, work_unit: WorkUnit, period: str, score, feedback: str, actor
) -> UnitEvaluation:
    _check_community(community)
    access.require(actor, "manage_ledgers", community)
    period = periods.normalize(period)
    if periods.parse(period)[1] != periods.HALF:
        raise ValidationError(_("Work units are evaluated per half-year, e.g. 2026-H1."))
    start, end = periods.bounds(period)
    if start > timezone.localdate():
        raise ValidationError(_("This period has not started yet."))
    if not work_unit.postings.filter(community=community).overlapping(start, end).exists():
        raise ValidationError(
            _("%(name)s did not serve %(unit)s in this period.")
            % {"name": work_unit.name, "unit": community.name}
        )
    try:
        score = Decimal(str(score)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Give the score as a number from 0 to 100.")) from None
    if not 0 <= score <= 100:
        raise ValidationError(_("Give the score as a number from 0 to 100."))
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError(_("Write the feedback to the work unit."))
    try:
        with transaction.atomic():
            return UnitEvaluation.objects.create(
                community=community,
                work_unit=work_unit,
                period=period,
                score=score,
                grade=grade_for(score),
                feedback=feedback,
                evaluated_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s has already been evaluated for this period.") % {"name": work_unit.name}
        ) from None
