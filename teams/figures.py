"""Figures of people and teams for one unit and one period, as plain data.

Pages, exports and the dashboards all call these functions, so a figure is the same number
everywhere; every count names the list page (and filter) showing exactly those rows.

Definitions
- sessions: training sessions held in [start, end] by the unit or a unit below it;
  people trained: distinct people on those sessions' sign-in lists. By tier and topic: the
  same, split. By unit: per child unit, sessions organised in the child's subtree.
- to be trained: active community workers, village leaders in office and active reserve
  cadres of the unit's subtree; not trained this year: those on no sign-in list of a session
  held in the calendar year (any organiser).
- reserve: active reserve cadres (not left) of villages and communities of the subtree;
  below minimum: active villages/communities with fewer than the district's minimum.
- community workers: active ones; scored: with a score for the month.
- secondments: away = not returned; flagged = unapproved, overdue (not back after the planned
  end) or overlong (longer than the district allows, see SecondmentQuerySet).
- staffing: the quotas of the townships in the subtree; posts added: additions approved in the
  period.
- talent: registered in the period; requests submitted in the period by status; salons held
  in the period and the ideas they produced by status.
- employment: gig workers registered in the period; served: distinct gig workers matched to a
  job in the period; matches made and placements (placed_on) in the period.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from governance.models import Person, Unit
from teams import rules
from teams.models import (
    Attendance,
    BrandTheme,
    CommunityWorker,
    GigWorker,
    JobPosting,
    ModelCommunity,
    MonthlyScore,
    PartyBrand,
    Placement,
    ProjectIdea,
    QuotaAddition,
    QuotaKind,
    ReserveCadre,
    Salon,
    Secondment,
    StaffingQuota,
    Talent,
    TalentRequest,
    Tier,
    Topic,
    TrainingSession,
    VillageLeader,
)

LEVEL3 = Unit.KINDS_BY_LEVEL[3]


def _scoped(qs, user):
    return qs.for_user(user) if user is not None else qs


# ---------------------------------------------------------------- training


def sessions_in(unit: Unit, start: datetime.date, end: datetime.date, user=None):
    return _scoped(TrainingSession.objects.within(unit), user).filter(
        held_on__gte=start, held_on__lte=end
    )


@dataclass
class TrainingFigures:
    sessions: int
    people: int
    by_tier: list[dict]
    by_topic: list[dict]
    by_unit: list[dict]


def training_figures(unit: Unit, start: datetime.date, end: datetime.date, user=None):
    sessions = sessions_in(unit, start, end, user)
    attendances = Attendance.objects.filter(session__in=sessions.values("pk"))
    tiers = {
        row["session__tier"]: row
        for row in attendances.values("session__tier").annotate(
            people=Count("person", distinct=True)
        )
    }
    tier_sessions = dict(sessions.values_list("tier").annotate(n=Count("pk")).order_by())
    by_tier = [
        {
            "tier": tier,
            "label": tier.label,
            "sessions": tier_sessions.get(tier.value, 0),
            "people": tiers.get(tier.value, {}).get("people", 0),
        }
        for tier in Tier
    ]
    topic_people = dict(
        attendances.values_list("session__topic")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    topic_sessions = dict(sessions.values_list("topic").annotate(n=Count("pk")).order_by())
    by_topic = [
        {
            "topic": topic,
            "label": topic.label,
            "sessions": topic_sessions.get(topic.value, 0),
            "people": topic_people.get(topic.value, 0),
        }
        for topic in Topic
        if topic_sessions.get(topic.value)
    ]
    children = list(Unit.objects.filter(parent=unit).territory().order_by("path"))
    by_unit = []
    if children:
        length = children[0].depth * Unit.steplen
        from django.db.models.functions import Left

        per_child = dict(
            sessions.annotate(prefix=Left("unit__path", length))
            .values_list("prefix")
            .annotate(n=Count("pk"))
            .order_by()
        )
        people_child = dict(
            attendances.annotate(prefix=Left("session__unit__path", length))
            .values_list("prefix")
            .annotate(n=Count("person", distinct=True))
            .order_by()
        )
        by_unit = [
            {
                "unit": child,
                "sessions": per_child.get(child.path, 0),
                "people": people_child.get(child.path, 0),
            }
            for child in children
        ]
    return TrainingFigures(
        sessions=sessions.count(),
        people=attendances.values("person").distinct().count(),
        by_tier=by_tier,
        by_topic=by_topic,
        by_unit=by_unit,
    )


def to_be_trained(unit: Unit, today: datetime.date, user=None):
    """People of the subtree who should be trained: workers, leaders in office, reserve cadres."""
    workers = CommunityWorker.objects.within(unit).active().values("person_id")
    leaders = (
        VillageLeader.objects.within(unit)
        .filter(term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .values("person_id")
    )
    reserve = ReserveCadre.objects.within(unit).active().values("person_id")
    people = Person.objects.filter(Q(pk__in=workers) | Q(pk__in=leaders) | Q(pk__in=reserve))
    return _scoped(people, user)


def not_trained(unit: Unit, year: int, today: datetime.date, user=None):
    trained = Attendance.objects.filter(session__held_on__year=year).values("person_id")
    return to_be_trained(unit, today, user).exclude(pk__in=trained)


# ---------------------------------------------------------------- reserve cadres


def villages_with_reserve(unit: Unit):
    """Active villages and communities of the subtree with their count of active reserve cadres."""
    count = (
        ReserveCadre.objects.filter(village=OuterRef("pk"), removed_on__isnull=True)
        .order_by()
        .values("village")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Unit.objects.within(unit)
        .filter(kind__in=LEVEL3, is_active=True)
        .annotate(reserves=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)))
    )


def shortfall(unit: Unit):
    """Villages and communities below their district's minimum, fewest first."""
    minimum = rules.policy_for(unit).reserve_minimum
    return (
        villages_with_reserve(unit)
        .filter(reserves__lt=minimum)
        .select_related("parent")
        .order_by("reserves", "path")
    )


@dataclass
class ReserveFigures:
    minimum: int
    villages: int
    cadres: int
    below: int
    by_township: list[dict] = field(default_factory=list)
    by_area: list[dict] = field(default_factory=list)


def reserve_figures(unit: Unit, user=None) -> ReserveFigures:
    minimum = rules.policy_for(unit).reserve_minimum
    rows = list(
        villages_with_reserve(unit).values("pk", "parent_id", "parent__area__name", "reserves")
    )
    townships = {
        t.pk: t
        for t in Unit.objects.filter(pk__in={r["parent_id"] for r in rows}).select_related("area")
    }
    by_township: dict[int, dict] = {}
    by_area: dict[str, dict] = {}
    for row in rows:
        for key, bucket, label in (
            (row["parent_id"], by_township, None),
            (row["parent__area__name"] or "", by_area, row["parent__area__name"]),
        ):
            entry = bucket.setdefault(
                key,
                {"key": key, "label": label, "villages": 0, "cadres": 0, "below": 0},
            )
            entry["villages"] += 1
            entry["cadres"] += row["reserves"]
            entry["below"] += row["reserves"] < minimum
    for pk, entry in by_township.items():
        entry["unit"] = townships.get(pk)
    return ReserveFigures(
        minimum=minimum,
        villages=len(rows),
        cadres=sum(r["reserves"] for r in rows),
        below=sum(r["reserves"] < minimum for r in rows),
        by_township=sorted(by_township.values(), key=lambda e: e["unit"].path if e["unit"] else ""),
        by_area=sorted(by_area.values(), key=lambda e: e["key"]) if any(by_area) else [],
    )


# ---------------------------------------------------------------- community workers


@dataclass
class WorkerFigures:
    workers: int
    scored: int
    unscored: int
    secondments_away: int
    unapproved: int
    overdue: int
    overlong: int
    flagged: int


def worker_figures(unit: Unit, month: datetime.date, today: datetime.date, user=None):
    workers = _scoped(CommunityWorker.objects.within(unit).active(), user)
    scored = (
        MonthlyScore.objects.filter(worker__in=workers.values("pk"), month=rules.month_start(month))
        .values("worker")
        .distinct()
        .count()
    )
    total = workers.count()
    secondments = _scoped(Secondment.objects.within(unit), user)
    return WorkerFigures(
        workers=total,
        scored=scored,
        unscored=total - scored,
        secondments_away=secondments.filter(returned_on__isnull=True).count(),
        unapproved=secondments.unapproved().count(),
        overdue=secondments.overdue(today).count(),
        overlong=secondments.overlong(today).count(),
        flagged=secondments.flagged(today).count(),
    )


# ---------------------------------------------------------------- staffing


def staffing_figures(unit: Unit, start: datetime.date, end: datetime.date, user=None) -> dict:
    quotas = _scoped(StaffingQuota.objects.within(unit), user)
    totals = {
        row["kind"]: row
        for row in quotas.values("kind").annotate(allocated=Sum("allocated"), filled=Sum("filled"))
    }
    added = dict(
        _scoped(QuotaAddition.objects.within(unit), user)
        .filter(approved_on__gte=start, approved_on__lte=end)
        .values_list("quota__kind")
        .annotate(n=Sum("posts"))
        .order_by()
    )
    return {
        kind.value: {
            "label": kind.label,
            "allocated": totals.get(kind.value, {}).get("allocated") or 0,
            "filled": totals.get(kind.value, {}).get("filled") or 0,
            "vacant": (totals.get(kind.value, {}).get("allocated") or 0)
            - (totals.get(kind.value, {}).get("filled") or 0),
            "added": added.get(kind.value, 0),
        }
        for kind in QuotaKind
    }


# ---------------------------------------------------------------- brands


def brand_figures(unit: Unit, year: int, user=None) -> dict:
    brands = _scoped(PartyBrand.objects.within(unit), user)
    themes = dict(brands.values_list("theme").annotate(n=Count("pk")).order_by())
    return {
        "brands": brands.count(),
        "by_theme": [
            {"theme": t.value, "label": t.label, "brands": themes.get(t.value, 0)}
            for t in BrandTheme
        ],
        "model_communities": _scoped(ModelCommunity.objects.within(unit), user)
        .filter(year=year)
        .count(),
    }


# ---------------------------------------------------------------- talent and employment


def talent_figures(unit: Unit, start: datetime.date, end: datetime.date, user=None) -> dict:
    requests = _scoped(TalentRequest.objects.within(unit), user).filter(
        submitted_on__gte=start, submitted_on__lte=end
    )
    by_status = dict(requests.values_list("status").annotate(n=Count("pk")).order_by())
    loans = requests.filter(kind=TalentRequest.Kind.HOME_LOAN)
    salons = _scoped(Salon.objects.within(unit), user).filter(held_on__gte=start, held_on__lte=end)
    ideas = ProjectIdea.objects.filter(salon__in=salons.values("pk"))
    idea_status = dict(ideas.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "talents": _scoped(Talent.objects.within(unit), user)
        .filter(registered_on__gte=start, registered_on__lte=end)
        .count(),
        "requests": sum(by_status.values()),
        "requests_by_status": [
            {"status": s.value, "label": s.label, "count": by_status.get(s.value, 0)}
            for s in TalentRequest.Status
        ],
        "home_loans": loans.count(),
        "home_loan_amount": loans.filter(
            status__in=[TalentRequest.Status.APPROVED, TalentRequest.Status.DONE]
        ).aggregate(s=Sum("amount"))["s"]
        or Decimal(0),
        "salons": salons.count(),
        "ideas": sum(idea_status.values()),
        "ideas_by_status": [
            {"status": s.value, "label": s.label, "count": idea_status.get(s.value, 0)}
            for s in ProjectIdea.Status
        ],
    }


def employment_figures(unit: Unit, start: datetime.date, end: datetime.date, user=None) -> dict:
    matches = _scoped(Placement.objects.within(unit), user)
    in_period = matches.filter(matched_on__gte=start, matched_on__lte=end)
    postings = _scoped(JobPosting.objects.within(unit), user).filter(
        posted_on__gte=start, posted_on__lte=end
    )
    return {
        "registered": _scoped(GigWorker.objects.within(unit), user)
        .filter(registered_on__gte=start, registered_on__lte=end)
        .count(),
        "served": in_period.values("worker").distinct().count(),
        "postings": postings.count(),
        "positions": postings.aggregate(s=Sum("positions"))["s"] or 0,
        "matches": in_period.count(),
        "placed": matches.filter(
            status=Placement.Status.PLACED, placed_on__gte=start, placed_on__lte=end
        ).count(),
    }
