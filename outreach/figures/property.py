"""Figures of red property.

`property_ranking(district, period, user=None)`
A company's score for a quarter is the mean of the weighted scores the communities gave it
that quarter (rounded to 0.01); companies without an evaluation are not ranked. Ranks are
competition ranks over the whole district: equal scores share a rank and the next rank skips
(1, 1, 3). With `user`, only companies in the user's scope are listed (with their district rank).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from governance.models import Unit
from outreach.models import PropertyCompany, PropertyEvaluation


@dataclass(frozen=True)
class RankedCompany:
    rank: int
    company: PropertyCompany
    score: Decimal
    evaluations: int


def property_ranking(district: Unit, period: str, user=None) -> list[RankedCompany]:
    """Competition ranking (1, 1, 3) of the district's companies by mean score (two queries)."""
    rows = list(
        PropertyEvaluation.objects.filter(company__district=district, period=period)
        .values("company")
        .annotate(mean=Avg("score"), n=Count("pk"))
    )
    scored = [
        (
            Decimal(str(row["mean"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            row["company"],
            row["n"],
        )
        for row in rows
    ]
    scored.sort(key=lambda r: (-r[0], r[1]))
    companies = PropertyCompany.objects.filter(pk__in=[r[1] for r in scored])
    if user is not None:
        companies = companies.for_user(user)
    by_pk = {c.pk: c for c in companies}
    ranking, previous, rank = [], None, 0
    for position, (score, pk, n) in enumerate(scored, start=1):
        if score != previous:
            rank, previous = position, score
        if pk in by_pk:
            ranking.append(RankedCompany(rank=rank, company=by_pk[pk], score=score, evaluations=n))
    ranking.sort(key=lambda r: (r.rank, r.company.name))
    return ranking
