"""Display helpers for ledger pages: deadlines and the traffic light."""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def deadline(value) -> str:
    """A deadline as people read it.

    Deadlines counted in working days end at 24:00 of their last day, stored as 00:00 of the
    next day: show the last day itself. Deadlines counted in hours show the date and time.
    """
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if local.time() == datetime.time():
        return formats.date_format(local.date() - datetime.timedelta(days=1), "Y-m-d")
    return formats.date_format(local, "Y-m-d H:i")


@register.filter
def light_at(item, now) -> str:
    """`item.light(now)`: one `now` for the whole page, so rows agree with each other."""
    return item.light(now)


@register.simple_tag
def options(choices, selected) -> str:
    """<option> elements for (value, label) pairs, built in one pass: a district's filter menus
    hold thousands of units and ledgers, too many for a template loop on every request."""
    chosen = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == chosen else "", label)
            for value, label in choices
        ),
    )
