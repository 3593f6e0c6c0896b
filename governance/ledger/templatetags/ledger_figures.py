"""Display helpers for the ledger's figures: a rate without a denominator reads "—"."""

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def percent(value) -> str:
    """A rate in [0, 1] as a percentage with one decimal; None (nothing to divide by) as —."""
    if value is None:
        return "—"
    return f"{formats.number_format(100 * value, 1)}%"


@register.filter
def dash(value) -> str:
    """A number that may be missing (an average over nothing, a score without rates)."""
    if value is None:
        return "—"
    return formats.number_format(value, 1) if isinstance(value, float) else str(value)
