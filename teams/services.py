"""Writes of the teams app. Keyword-only, validated, each inside one transaction.

Every service takes the acting user (`actor`) and refuses, with PermissionDenied, what the
actor's role may not do or what lies outside the actor's scope (`allow`): the pages check the
same before they call, but an import, an admin action or a task reaches the rows only through
here. Managing people needs manage_people at the row's unit; the district's rules need it at
the district; scoring, quotas and model communities need it strictly above the unit (a
community does not score its own workers, a township does not raise its own quota).

A service raises ValidationError (keyed by field where it can) for bad input or a refused
transition; nothing is half-saved. Concurrent edits: monthly scores carry a version and are
saved with a conditional update; status transitions are conditional updates on the status
they start from, so two people acting at once never both win.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access
from governance.models import Person, Unit
from teams import rules
from teams.models import (
    TIER_OF_LEVEL,
    Attendance,
    BrandPhoto,
    CommunityWorker,
    GigWorker,
    IdeaFollowUp,
    JobPosting,
    ModelCommunity,
    MonthlyScore,
    PartyBrand,
    Placement,
    ProjectIdea,
    QuarterlyAssessment,
    QuotaAddition,
    Ranking,
    RankingEntry,
    ReserveCadre,
    ReserveSource,
    Salon,
    ScoreCriterion,
    ScoreLine,
    Secondment,
    StaffingQuota,
    Talent,
    TalentRequest,
    TeamsPolicy,
    TrainingSession,
    VillageLeader,
)


def allow(actor, unit: Unit, *, strictly_above: bool = False) -> None:
    """Refuse (PermissionDenied) an actor who may not manage people at `unit`: a role without
    manage_people, a unit outside the actor's scope, or (strictly_above) the actor's own unit."""
    if access.can(actor, "manage_people", unit, strictly_above=strictly_above):
        return
    if not access.can(actor, "manage_people"):
        raise PermissionDenied(_("Your role may not manage people and teams."))
    if strictly_above and access.can(actor, "manage_people", unit):
        raise PermissionDenied(_("This is done by the level above %(unit)s.") % {"unit": unit.name})
    raise PermissionDenied(_("%(unit)s is outside your scope.") % {"unit": unit.name})


def _require_level(unit: Unit, levels: tuple[int, ...], field: str) -> None:
    if not unit.is_territory or unit.level not in levels:
        messages = {
            (1, 2, 3): _("Choose a district, a township or a village / community."),
            (2,): _("Choose a township or street."),
            (3,): _("Choose a village or community."),
        }
        raise ValidationError({field: messages.get(levels, _("This unit cannot be used here."))})


def _same_district(a: Unit, b: Unit, field: str) -> None:
    if a.path[: Unit.steplen] != b.path[: Unit.steplen]:
        raise ValidationError({field: _("The person is registered in another district.")})


# ---------------------------------------------------------------- rules of a district


@transaction.atomic
def policy_update(
    *,
    actor,
    district: Unit,
    reserve_minimum: int,
    secondment_max_months: int,
    score_due_day: int,
) -> TeamsPolicy:
    allow(actor, district)
    if district.kind != Unit.Kind.DISTRICT:
        raise ValidationError({"district": _("Rules are set by a district.")})
    if not 1 <= score_due_day <= 28:
        raise ValidationError({"score_due_day": _("Choose a day between 1 and 28.")})
    if reserve_minimum < 1 or secondment_max_months < 1:
        raise ValidationError(_("The numbers must be at least 1."))
    policy, _created = TeamsPolicy.objects.select_for_update().get_or_create(district=district)
    changed_limit = policy.secondment_max_months != secondment_max_months or _created
    policy.reserve_minimum = reserve_minimum
    policy.secondment_max_months = secondment_max_months
    policy.score_due_day = score_due_day
    policy.save()
    if changed_limit:
        # The limit of every secondment of the district follows the new rule.
        changed = []
        for secondment in Secondment.objects.within(district).only("pk", "started_on"):
            secondment.limit_on = rules.add_months(secondment.started_on, secondment_max_months)
            changed.append(secondment)
        Secondment.objects.bulk_update(changed, ["limit_on"], batch_size=500)
    return policy


# ---------------------------------------------------------------- training


TRAINING_FIELDS = ("title", "topic", "trainer", "held_on", "place", "materials", "materials_note")


@transaction.atomic
def training_create(*, actor, unit: Unit, **fields) -> TrainingSession:
    allow(actor, unit)
    _require_level(unit, (1, 2, 3), "unit")
    session = TrainingSession(unit=unit, tier=TIER_OF_LEVEL[unit.level], created_by=actor)
    for name in TRAINING_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    session.full_clean(exclude=["created_by"])
    session.save()
    return session


@transaction.atomic
def training_update(*, actor, session: TrainingSession, **fields) -> TrainingSession:
    allow(actor, session.unit)
    for name in TRAINING_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    session.full_clean(exclude=["created_by"])
    session.save()
    return session


@transaction.atomic
def attendance_add(*, actor, session: TrainingSession, people: list[Person]) -> int:
    """Put people on the sign-in list; those already on it stay once. Returns how many were new."""
    allow(actor, session.unit)
    for person in people:
        _same_district(session.unit, person.unit, "person")
    existing = set(
        Attendance.objects.filter(session=session, person__in=people).values_list(
            "person_id", flat=True
        )
    )
    new = [Attendance(session=session, person=p) for p in people if p.pk not in existing]
    Attendance.objects.bulk_create(new, ignore_conflicts=True)
    return len({a.person_id for a in new})


def attendance_remove(*, actor, session: TrainingSession, person_id: int) -> int:
    allow(actor, session.unit)
    return Attendance.objects.filter(session=session, person_id=person_id).delete()[0]


# ---------------------------------------------------------------- village leaders, reserve


@transaction.atomic
def leader_save(*, actor, leader: VillageLeader | None = None, **fields) -> VillageLeader:
    if leader is not None:
        allow(actor, leader.village)
    leader = leader or VillageLeader()
    for name, value in fields.items():
        setattr(leader, name, value)
    allow(actor, leader.village)
    _require_level(leader.village, (3,), "village")
    _same_district(leader.village, leader.person.unit, "person")
    leader.full_clean()
    leader.save()
    return leader


@transaction.atomic
def reserve_add(
    *,
    actor,
    village: Unit,
    person: Person,
    education: str,
    source: str,
    added_on: datetime.date,
    note: str = "",
) -> ReserveCadre:
    allow(actor, village)
    _require_level(village, (3,), "village")
    _same_district(village, person.unit, "person")
    if ReserveCadre.objects.active().filter(village=village, person=person).exists():
        raise ValidationError(
            {
                "person": _("%(name)s is already a reserve cadre of %(village)s.")
                % {"name": person.name, "village": village.name}
            }
        )
    cadre = ReserveCadre(
        village=village,
        person=person,
        education=education,
        source=source,
        added_on=added_on,
        note=note,
    )
    cadre.full_clean(exclude=["village", "person"])
    try:
        with transaction.atomic():
            cadre.save()
    except IntegrityError:
        raise ValidationError(
            {
                "person": _("%(name)s is already a reserve cadre of %(village)s.")
                % {"name": person.name, "village": village.name}
            }
        ) from None
    return cadre


def reserve_remove(*, actor, cadre: ReserveCadre, on: datetime.date) -> ReserveCadre:
    allow(actor, cadre.village)
    if on < cadre.added_on:
        raise ValidationError(_("A cadre cannot leave the reserve before joining it."))
    updated = ReserveCadre.objects.filter(pk=cadre.pk, removed_on__isnull=True).update(
        removed_on=on
    )
    if not updated:
        raise ValidationError(_("This cadre has already left the reserve."))
    cadre.removed_on = on
    return cadre


def worker_to_reserve(
    *, actor, worker: CommunityWorker, education: str, on: datetime.date
) -> ReserveCadre:
    """One step: an outstanding community worker joins their community's reserve."""
    return reserve_add(
        actor=actor,
        village=worker.community,
        person=worker.person,
        education=education,
        source=ReserveSource.COMMUNITY_WORKER,
        added_on=on,
        note=_("Outstanding community worker"),
    )


# ---------------------------------------------------------------- community workers


@transaction.atomic
def worker_create(
    *, actor, person: Person, community: Unit, started_on: datetime.date, post: str = ""
) -> CommunityWorker:
    allow(actor, community)
    _require_level(community, (3,), "community")
    _same_district(community, person.unit, "person")
    if CommunityWorker.objects.filter(person=person).exists():
        raise ValidationError({"person": _("This person is already a community worker.")})
    return CommunityWorker.objects.create(
        person=person, community=community, started_on=started_on, post=post
    )


@transaction.atomic
def worker_update(*, actor, worker: CommunityWorker, **fields) -> CommunityWorker:
    allow(actor, worker.community)
    for name in ("post", "started_on", "is_active"):
        if name in fields:
            setattr(worker, name, fields[name])
    worker.save()
    return worker


@transaction.atomic
def criterion_save(
    *, actor, criterion: ScoreCriterion | None = None, district: Unit | None = None, **fields
) -> ScoreCriterion:
    criterion = criterion or ScoreCriterion(district=district)
    allow(actor, criterion.district)
    if criterion.district.kind != Unit.Kind.DISTRICT:
        raise ValidationError(_("Scoring criteria are set by a district."))
    for name in ("name", "max_points", "order", "is_active"):
        if name in fields:
            setattr(criterion, name, fields[name])
    criterion.full_clean()
    criterion.save()
    return criterion


class ScoreConflict(ValidationError):
    """Someone else saved a score of this sheet since it was opened."""


def scores_save(
    *,
    community: Unit,
    month: datetime.date,
    rows: list[dict],
    actor,
    today: datetime.date | None = None,
) -> list[MonthlyScore]:
    """Save a community's monthly score sheet in one transaction.

    `rows`: {"worker": CommunityWorker, "version": int | None (None: no score yet),
    "points": {criterion id: Decimal}}. Each row needs a value for every criterion in use, between
    0 and its full marks. A row whose version no longer matches the stored one (someone else
    saved it meanwhile) refuses the whole sheet. Then the quarter's assessments of these workers
    and the township's half-year ranking are rebuilt.
    """
    allow(actor, community, strictly_above=True)
    today = today or timezone.localdate()
    month = rules.month_start(month)
    if month > rules.month_start(today):
        raise ValidationError(_("A month that has not begun cannot be scored."))
    criteria = list(rules.criteria_for(community))
    if not criteria:
        raise ValidationError(_("The district has not set any scoring criteria yet."))
    errors = []
    for row in rows:
        worker = row["worker"]
        if worker.community_id != community.pk:
            raise ValidationError(_("A worker of another community is on the sheet."))
        for criterion in criteria:
            value = row["points"].get(criterion.pk)
            if value is None:
                errors.append(
                    _("%(name)s: “%(criterion)s” has no score.")
                    % {"name": worker.person.name, "criterion": criterion.name}
                )
            elif not Decimal(0) <= value <= criterion.max_points:
                errors.append(
                    _("%(name)s: “%(criterion)s” must be between 0 and %(max)s.")
                    % {
                        "name": worker.person.name,
                        "criterion": criterion.name,
                        "max": criterion.max_points,
                    }
                )
    if errors:
        raise ValidationError(errors)
    saved = []
    with transaction.atomic():
        for row in rows:
            worker = row["worker"]
            total = sum((row["points"][c.pk] for c in criteria), Decimal(0))
            version = row.get("version")
            conflict = ScoreConflict(
                _(
                    "%(name)s's score was changed by someone else after you opened the sheet; "
                    "nothing was saved. Reload the sheet and enter it again."
                )
                % {"name": worker.person.name}
            )
            if version is None:
                try:
                    with transaction.atomic():
                        score = MonthlyScore.objects.create(
                            worker=worker, month=month, total=total, scored_by=actor
                        )
                except IntegrityError:
                    raise conflict from None
            else:
                updated = MonthlyScore.objects.filter(
                    worker=worker, month=month, version=version
                ).update(
                    total=total,
                    version=F("version") + 1,
                    scored_by=actor,
                    updated_at=timezone.now(),
                )
                if not updated:
                    raise conflict
                score = MonthlyScore.objects.get(worker=worker, month=month)
                ScoreLine.objects.filter(score=score).delete()
            ScoreLine.objects.bulk_create(
                ScoreLine(score=score, criterion=c, points=row["points"][c.pk]) for c in criteria
            )
            saved.append(score)
        workers = [row["worker"] for row in rows]
        quarters_rebuild(
            actor=actor,
            workers=workers,
            year=month.year,
            quarter=rules.quarter_of(month),
            today=today,
        )
        township = Unit.objects.get(pk=community.parent_id)
        ranking_refresh(
            actor=actor,
            township=township,
            year=month.year,
            half=rules.half_of(month),
            today=today,
        )
    return saved


def quarters_rebuild(
    *, actor, workers, year: int, quarter: int, today: datetime.date
) -> list[QuarterlyAssessment]:
    """The quarter's assessment of each worker: the mean of the monthly totals on file.

    Months of the quarter that are over (by `today`) without a score are listed as missing;
    a worker with no score at all in the quarter gets no score (None), not zero.
    """
    communities = {w.community_id for w in workers}
    for community in Unit.objects.filter(pk__in=communities):
        allow(actor, community, strictly_above=True)
    current = rules.month_start(today)
    months = [m for m in rules.quarter_months(year, quarter) if m <= current]
    totals = defaultdict(dict)
    for worker_id, month, total in MonthlyScore.objects.filter(
        worker__in=workers, month__in=months
    ).values_list("worker_id", "month", "total"):
        totals[worker_id][month] = total
    built = []
    for worker in workers:
        scored = totals.get(worker.pk, {})
        # The month under way may still be scored: only months that are over are missing.
        missing = [f"{m:%Y-%m}" for m in months if m < current and m not in scored]
        score = rules.round2(sum(scored.values()) / len(scored)) if scored else None
        assessment, _created = QuarterlyAssessment.objects.update_or_create(
            worker=worker,
            year=year,
            quarter=quarter,
            defaults={
                "score": score,
                "months_scored": len(scored),
                "missing_months": missing,
            },
        )
        built.append(assessment)
    return built


def ranking_refresh(
    *, actor, township: Unit, year: int, half: int, today: datetime.date | None = None
) -> Ranking:
    """Rank the township's active community workers for the half year (unless published).

    A worker's half-year score is the mean of their quarterly scores in the half (quarters
    without any monthly score left out); workers without any are not ranked. Ties share a rank
    (competition ranking: 1, 1, 3).
    """
    allow(actor, township)
    today = today or timezone.localdate()
    with transaction.atomic():
        ranking, _created = Ranking.objects.get_or_create(unit=township, year=year, half=half)
        ranking = Ranking.objects.select_for_update().get(pk=ranking.pk)
        if ranking.is_published:
            return ranking
        quarters = rules.half_quarters(half)
        per_worker = defaultdict(list)
        months = defaultdict(int)
        for worker_id, score, scored in (
            QuarterlyAssessment.objects.within(township)
            .filter(year=year, quarter__in=quarters, score__isnull=False, worker__is_active=True)
            .values_list("worker_id", "score", "months_scored")
        ):
            per_worker[worker_id].append(score)
            months[worker_id] += scored
        scores = sorted(
            ((rules.round2(sum(v) / len(v)), worker_id) for worker_id, v in per_worker.items()),
            key=lambda item: (-item[0], item[1]),
        )
        ranks = rules.competition_ranks([s for s, _w in scores])
        RankingEntry.objects.filter(ranking=ranking).delete()
        RankingEntry.objects.bulk_create(
            RankingEntry(
                ranking=ranking,
                worker_id=worker_id,
                score=score,
                rank=rank,
                months_scored=months[worker_id],
            )
            for (score, worker_id), rank in zip(scores, ranks, strict=True)
        )
        ranking.save(update_fields=["refreshed_at"])
    return ranking


def ranking_publish(*, actor, ranking: Ranking) -> Ranking:
    allow(actor, ranking.unit)
    with transaction.atomic():
        if not ranking.entries.exists():
            raise ValidationError(_("There is nobody to rank yet."))
        updated = Ranking.objects.filter(pk=ranking.pk, published_at__isnull=True).update(
            published_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("This ranking is already published."))
    ranking.refresh_from_db()
    return ranking


def ranking_unpublish(*, actor, ranking: Ranking, today: datetime.date | None = None) -> Ranking:
    """Take the ranking off the public page; it follows the scores again and gets a new address."""
    allow(actor, ranking.unit)
    updated = Ranking.objects.filter(pk=ranking.pk, published_at__isnull=False).update(
        published_at=None, token=Ranking._meta.get_field("token").default()
    )
    if not updated:
        raise ValidationError(_("This ranking is not published."))
    ranking.refresh_from_db()
    return ranking_refresh(
        actor=actor, township=ranking.unit, year=ranking.year, half=ranking.half, today=today
    )


# ---------------------------------------------------------------- secondments


@transaction.atomic
def secondment_save(*, actor, secondment: Secondment | None = None, **fields) -> Secondment:
    if secondment is not None:
        allow(actor, secondment.worker.community)
    secondment = secondment or Secondment()
    for name in (
        "worker",
        "to_office",
        "reason",
        "started_on",
        "planned_end_on",
        "returned_on",
        "approval_document",
        "approved_on",
    ):
        if name in fields:
            setattr(secondment, name, fields[name])
    allow(actor, secondment.worker.community)
    if (
        secondment.planned_end_on
        and secondment.started_on
        and secondment.planned_end_on < secondment.started_on
    ):
        raise ValidationError({"planned_end_on": _("The end comes before the start.")})
    if secondment.returned_on and secondment.returned_on < secondment.started_on:
        raise ValidationError({"returned_on": _("The return comes before the start.")})
    if secondment.approved_on and not secondment.approval_document:
        raise ValidationError(
            {"approval_document": _("Give the approval document of an approved secondment.")}
        )
    policy = rules.policy_for(secondment.worker.community)
    secondment.limit_on = rules.add_months(secondment.started_on, policy.secondment_max_months)
    secondment.full_clean()
    secondment.save()
    return secondment


# ---------------------------------------------------------------- staffing


@transaction.atomic
def quota_set(*, actor, township: Unit, kind: str, allocated: int, filled: int) -> StaffingQuota:
    allow(actor, township, strictly_above=True)
    _require_level(township, (2,), "township")
    if filled > allocated:
        raise ValidationError({"filled": _("More posts filled than allocated.")})
    quota, _created = StaffingQuota.objects.select_for_update().get_or_create(
        township=township, kind=kind
    )
    quota.allocated = allocated
    quota.filled = filled
    quota.save()
    return quota


@transaction.atomic
def quota_add(
    *, actor, quota: StaffingQuota, posts: int, approved_on: datetime.date, document: str = ""
) -> QuotaAddition:
    allow(actor, quota.township, strictly_above=True)
    if posts < 1:
        raise ValidationError({"posts": _("Add at least one post.")})
    StaffingQuota.objects.filter(pk=quota.pk).update(allocated=F("allocated") + posts)
    quota.refresh_from_db()
    return QuotaAddition.objects.create(
        quota=quota, posts=posts, approved_on=approved_on, document=document, created_by=actor
    )


# ---------------------------------------------------------------- brands


@transaction.atomic
def brand_save(*, actor, brand: PartyBrand | None = None, **fields) -> PartyBrand:
    if brand is not None:
        allow(actor, brand.community)
    brand = brand or PartyBrand()
    for name in ("community", "name", "theme", "description", "year"):
        if name in fields:
            setattr(brand, name, fields[name])
    allow(actor, brand.community)
    _require_level(brand.community, (3,), "community")
    brand.full_clean()
    brand.save()
    return brand


def brand_photo_add(*, actor, brand: PartyBrand, image, caption: str = "") -> BrandPhoto:
    allow(actor, brand.community)
    return BrandPhoto.objects.create(brand=brand, image=image, caption=caption)


@transaction.atomic
def model_community_add(*, actor, community: Unit, year: int, citation: str = "") -> ModelCommunity:
    allow(actor, community, strictly_above=True)
    _require_level(community, (3,), "community")
    if ModelCommunity.objects.filter(community=community, year=year).exists():
        raise ValidationError(
            _("%(community)s is already a model community of %(year)s.")
            % {"community": community.name, "year": year}
        )
    return ModelCommunity.objects.create(community=community, year=year, citation=citation)


# ---------------------------------------------------------------- talent and employment


@transaction.atomic
def talent_register(*, actor, unit: Unit, person: Person, **fields) -> Talent:
    allow(actor, unit)
    _require_level(unit, (1, 2, 3), "unit")
    _same_district(unit, person.unit, "person")
    if Talent.objects.filter(unit=unit, person=person).exists():
        raise ValidationError({"person": _("This person is already on the registry.")})
    talent = Talent(unit=unit, person=person, **fields)
    talent.full_clean()
    talent.save()
    return talent


@transaction.atomic
def talent_request_create(*, actor, talent: Talent, **fields) -> TalentRequest:
    allow(actor, talent.unit)
    request = TalentRequest(talent=talent, **fields)
    if request.kind == TalentRequest.Kind.HOME_LOAN and not request.amount:
        raise ValidationError({"amount": _("Give the amount of the loan applied for.")})
    request.full_clean()
    request.save()
    return request


def _transition(model, obj, to: str, allowed: dict, extra: dict) -> None:
    current = obj.status
    if to not in allowed.get(current, ()):
        raise ValidationError(
            _("“%(from)s” cannot change to “%(to)s”.")
            % {"from": obj.get_status_display(), "to": model.Status(to).label}
        )
    updated = model.objects.filter(pk=obj.pk, status=current).update(status=to, **extra)
    if not updated:
        raise ValidationError(_("Someone else changed this record meanwhile; reload the page."))
    obj.refresh_from_db()


def talent_request_transition(
    *, actor, request: TalentRequest, to: str, on: datetime.date, note: str = ""
) -> TalentRequest:
    allow(actor, request.talent.unit)
    extra = {}
    if to in (TalentRequest.Status.APPROVED, TalentRequest.Status.REJECTED):
        extra["decided_on"] = on
    if note:
        extra["note"] = note[:200]
    _transition(TalentRequest, request, to, TalentRequest.TRANSITIONS, extra)
    return request


@transaction.atomic
def salon_save(*, actor, salon: Salon | None = None, **fields) -> Salon:
    if salon is not None:
        allow(actor, salon.unit)
    salon = salon or Salon()
    for name, value in fields.items():
        setattr(salon, name, value)
    allow(actor, salon.unit)
    _require_level(salon.unit, (1, 2, 3), "unit")
    salon.full_clean()
    salon.save()
    return salon


def idea_create(*, actor, salon: Salon, title: str, proposer: str = "") -> ProjectIdea:
    allow(actor, salon.unit)
    if not title.strip():
        raise ValidationError({"title": _("This field is required.")})
    return ProjectIdea.objects.create(salon=salon, title=title.strip(), proposer=proposer)


@transaction.atomic
def idea_follow_up(*, actor, idea: ProjectIdea, status: str, note: str) -> ProjectIdea:
    allow(actor, idea.salon.unit)
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    _transition(ProjectIdea, idea, status, ProjectIdea.TRANSITIONS, {})
    IdeaFollowUp.objects.create(idea=idea, status=status, note=note.strip()[:300], by=actor)
    return idea


@transaction.atomic
def gig_register(*, actor, unit: Unit, person: Person, **fields) -> GigWorker:
    allow(actor, unit)
    _require_level(unit, (1, 2, 3), "unit")
    _same_district(unit, person.unit, "person")
    if GigWorker.objects.filter(unit=unit, person=person).exists():
        raise ValidationError({"person": _("This person is already registered here.")})
    worker = GigWorker(unit=unit, person=person, **fields)
    worker.full_clean()
    worker.save()
    return worker


@transaction.atomic
def posting_save(*, actor, posting: JobPosting | None = None, **fields) -> JobPosting:
    if posting is not None:
        allow(actor, posting.unit)
    posting = posting or JobPosting()
    for name, value in fields.items():
        setattr(posting, name, value)
    allow(actor, posting.unit)
    _require_level(posting.unit, (1, 2, 3), "unit")
    if posting.closes_on and posting.closes_on < posting.posted_on:
        raise ValidationError({"closes_on": _("The posting closes before it is posted.")})
    posting.full_clean()
    posting.save()
    return posting


@transaction.atomic
def match_create(*, actor, posting: JobPosting, worker: GigWorker, on: datetime.date) -> Placement:
    allow(actor, posting.unit)
    if posting.unit.path[: Unit.steplen] != worker.unit.path[: Unit.steplen]:
        raise ValidationError({"worker": _("The gig worker is registered in another district.")})
    try:
        with transaction.atomic():
            return Placement.objects.create(posting=posting, worker=worker, matched_on=on)
    except IntegrityError:
        raise ValidationError(
            {"worker": _("%(name)s is already matched to this job.") % {"name": worker}}
        ) from None


@transaction.atomic
def placement_transition(*, actor, placement: Placement, to: str, on: datetime.date) -> Placement:
    allow(actor, placement.posting.unit)
    extra = {"placed_on": on} if to == Placement.Status.PLACED else {}
    if to == Placement.Status.PLACED:
        placed = placement.posting.placements.filter(status=Placement.Status.PLACED).count()
        if placed >= placement.posting.positions:
            raise ValidationError(_("Every position of this job is already filled."))
    _transition(Placement, placement, to, Placement.TRANSITIONS, extra)
    return placement
