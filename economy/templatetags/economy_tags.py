"""Amounts as staff read them: 万元 with two decimals (more only when the yuan need them)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from economy.services import WAN

register = template.Library()
CENT = Decimal("0.01")


@register.filter
def wan(amount) -> str:
    """Yuan shown in 万元 with two decimals, as staff keep them: 30200000 → "3020.00",
    12345678.90 → "1234.57" (rounded half up for display only; the yuan stay exact)."""
    if amount is None or amount == "":
        return "—"
    value = (Decimal(amount) / WAN).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value:.2f}"


@register.filter
def wan_exact(amount) -> str:
    """Yuan in 万元 without rounding: 12345678.90 → "1234.56789"."""
    if amount is None or amount == "":
        return "—"
    value = Decimal(amount) / WAN
    if value == value.quantize(CENT):
        return f"{value.quantize(CENT):.2f}"
    return format(value.normalize(), "f")


@register.filter
def yuan(amount) -> str:
    if amount is None or amount == "":
        return "—"
    return f"{Decimal(amount).quantize(CENT):,.2f}"


@register.filter
def pct(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value).quantize(CENT)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"


@register.filter
def measure_late(measure, today) -> bool:
    return measure.is_late(today)


@register.filter
def milestone_late(milestone, today) -> bool:
    return milestone.is_late(today)
