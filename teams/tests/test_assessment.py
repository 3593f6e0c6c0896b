"""Monthly scores → quarterly assessment → half-year ranking; concurrency; one-step reserve."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from teams import rules
from teams.models import MonthlyScore, QuarterlyAssessment, Ranking, ReserveCadre, ScoreLine
from teams.services.assessments import (
    ScoreConflict,
    quarters_rebuild,
    ranking_publish,
    ranking_unpublish,
    scores_save,
)
from teams.services.workers import worker_to_reserve
from teams.tests.builders import sheet_row

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 20)


def save(w, month, rows, actor=None):
    return scores_save(
        community=rows[0]["worker"].community,
        month=month,
        rows=rows,
        actor=actor or w.staff_a,
        today=TODAY,
    )


def test_competition_ranking_shares_ranks_and_skips():
    scores = [Decimal("95"), Decimal("95.001"), Decimal("90"), Decimal("88"), Decimal("88")]
    assert rules.competition_ranks(scores) == [1, 1, 3, 4, 4]
    assert rules.competition_ranks([]) == []
    with pytest.raises(ValueError):
        rules.competition_ranks([Decimal(1), Decimal(2)])


def test_sheet_saves_totals_and_lines(teams_world):
    w = teams_world
    a, b, _c = w.workers_a
    save(w, datetime.date(2026, 4, 1), [sheet_row(a, 55, 35), sheet_row(b, 50, 30)])
    score = MonthlyScore.objects.get(worker=a, month=datetime.date(2026, 4, 1))
    assert score.total == Decimal(90)
    assert score.version == 1
    assert ScoreLine.objects.filter(score=score).count() == 2


def test_points_outside_full_marks_save_nothing(teams_world):
    w = teams_world
    a, b, _c = w.workers_a
    with pytest.raises(ValidationError) as error:
        save(w, datetime.date(2026, 4, 1), [sheet_row(a, 55, 35), sheet_row(b, 61, 30)])
    assert "李娜" in str(error.value)
    assert not MonthlyScore.objects.exists()


def test_future_month_is_refused(teams_world):
    w = teams_world
    with pytest.raises(ValidationError):
        save(w, datetime.date(2026, 7, 1), [sheet_row(w.workers_a[0], 50, 30)])


def test_quarter_is_mean_of_months_and_flags_missing(teams_world):
    w = teams_world
    a, b, _c = w.workers_a
    save(w, datetime.date(2026, 4, 1), [sheet_row(a, 50, 30), sheet_row(b, 40, 30)])
    save(w, datetime.date(2026, 5, 1), [sheet_row(a, 55, 35)])
    q_a = QuarterlyAssessment.objects.get(worker=a, year=2026, quarter=2)
    q_b = QuarterlyAssessment.objects.get(worker=b, year=2026, quarter=2)
    assert q_a.score == Decimal("85.00")  # (80 + 90) / 2
    assert q_a.missing_months == []  # June is under way
    assert q_a.months_scored == 2
    assert q_b.score == Decimal("70.00")
    assert q_b.missing_months == ["2026-05"]
    assert not q_b.is_complete


def test_quarter_without_scores_has_no_score_not_zero(teams_world):
    w = teams_world
    a = w.workers_a[0]
    (built,) = quarters_rebuild(
        actor=w.district_admin, workers=[a], year=2026, quarter=1, today=TODAY
    )
    assert built.score is None
    assert built.missing_months == ["2026-01", "2026-02", "2026-03"]


def test_half_year_ranking_follows_scores_with_ties(teams_world):
    w = teams_world
    a, b, c = w.workers_a
    save(w, datetime.date(2026, 1, 1), [sheet_row(a, 50, 40), sheet_row(b, 50, 40)])
    save(w, datetime.date(2026, 4, 1), [sheet_row(c, 45, 35)])
    # Community A2 is in the same street: ranked together.
    save(w, datetime.date(2026, 4, 1), [sheet_row(w.worker_a2, 60, 40)])
    ranking = Ranking.objects.get(unit=w.township_a, year=2026, half=1)
    rows = [(e.worker.person.name, e.rank, e.score) for e in ranking.entries.all()]
    assert rows == [
        ("赵磊", 1, Decimal("100.00")),
        ("张敏", 2, Decimal("90.00")),
        ("李娜", 2, Decimal("90.00")),
        ("王芳", 4, Decimal("80.00")),
    ]
    # The half-year score is the mean of the quarters: 王芳 rises with a better Q2 month.
    save(w, datetime.date(2026, 5, 1), [sheet_row(c, 60, 40)])
    entry = ranking.entries.get(worker=c)
    assert entry.score == Decimal("90.00")
    assert entry.rank == 2
    assert not Ranking.objects.filter(unit=w.township_b).exists()


def test_published_ranking_is_frozen_until_unpublished(teams_world):
    w = teams_world
    a, b, _c = w.workers_a
    save(w, datetime.date(2026, 4, 1), [sheet_row(a, 50, 40), sheet_row(b, 40, 30)])
    ranking = Ranking.objects.get(unit=w.township_a, year=2026, half=1)
    token = ranking.token
    ranking_publish(actor=w.district_admin, ranking=ranking)
    with pytest.raises(ValidationError):
        ranking_publish(actor=w.district_admin, ranking=ranking)
    current = MonthlyScore.objects.get(worker=b, month=datetime.date(2026, 4, 1))
    save(w, datetime.date(2026, 4, 1), [sheet_row(b, 60, 40, version=current.version)])
    assert ranking.entries.get(worker=b).rank == 2  # frozen
    ranking_unpublish(actor=w.district_admin, ranking=ranking, today=TODAY)
    ranking.refresh_from_db()
    assert ranking.token != token
    assert ranking.entries.get(worker=b).rank == 1


def test_stale_version_refuses_the_whole_sheet(teams_world):
    w = teams_world
    a, b, _c = w.workers_a
    month = datetime.date(2026, 4, 1)
    save(w, month, [sheet_row(a, 50, 30), sheet_row(b, 50, 30)])
    # Two people opened the sheet at version 1; the first saves.
    save(w, month, [sheet_row(a, 55, 30, version=1), sheet_row(b, 50, 30, version=1)])
    with pytest.raises(ScoreConflict):
        save(w, month, [sheet_row(a, 40, 30, version=1), sheet_row(b, 60, 40, version=1)])
    assert MonthlyScore.objects.get(worker=a, month=month).total == Decimal(85)
    assert MonthlyScore.objects.get(worker=b, month=month).total == Decimal(80)


def test_new_row_saved_meanwhile_is_a_conflict(teams_world):
    w = teams_world
    a = w.workers_a[0]
    month = datetime.date(2026, 4, 1)
    save(w, month, [sheet_row(a, 50, 30)])
    with pytest.raises(ScoreConflict):
        save(w, month, [sheet_row(a, 10, 10, version=None)])


def test_outstanding_worker_joins_reserve_in_one_step(teams_world):
    w = teams_world
    a = w.workers_a[0]
    cadre = worker_to_reserve(actor=w.district_admin, worker=a, education="bachelor", on=TODAY)
    assert cadre.village == w.community_a and cadre.person == a.person
    assert cadre.source == "worker"
    with pytest.raises(ValidationError):
        worker_to_reserve(actor=w.district_admin, worker=a, education="bachelor", on=TODAY)
    assert ReserveCadre.objects.active().count() == 1
