"""Assessing community workers: the monthly score sheet, the quarters and the half-year
ranking.

Concurrent edits: monthly scores carry a version and are saved with a conditional update, so
two people saving one sheet at once never both win."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Unit
from teams import rules
from teams.models import (
    MonthlyScore,
    QuarterlyAssessment,
    Ranking,
    RankingEntry,
    ScoreLine,
)
from teams.services.checks import allow


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
