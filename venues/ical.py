"""iCalendar (RFC 5545) feeds of published activities, written by hand (no dependency).

- Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
- TEXT values escape backslash, semicolon, comma and line breaks (3.3.11).
- Times are written in UTC ("...Z"), so no VTIMEZONE block is needed; X-WR-TIMEZONE tells
  calendar apps the local zone (Asia/Shanghai) to show them in.
- UIDs are stable per activity ("activity-<id>@shanzhi"), so a re-read feed updates events
  instead of duplicating them; a cancelled activity stays in the feed with STATUS:CANCELLED.
"""

import datetime

from django.conf import settings

PRODID = "-//Shanzhi//Venue activities//ZH"


def escape(value: str) -> str:
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces joined by CRLF + space."""
    if len(line) <= 25 or len(line.encode("utf-8")) <= 75:  # most lines: nothing to fold
        return line
    pieces, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, activities, *, now: datetime.datetime, url_for=None) -> str:
    """A VCALENDAR of PublicActivity rows (venues.views.public)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    stamp = utc(now)
    for a in activities:
        description = "\n".join(
            part
            for part in (
                a.description,
                f"主办：{a.organiser}" if a.organiser else "",
                f"协办：{a.partners}" if a.partners else "",
                f"对象：{a.target_group}" if a.target_group else "",
                f"取消原因：{a.cancel_reason}" if a.cancelled and a.cancel_reason else "",
            )
            if part
        )
        location = " ".join(p for p in (a.venue, a.venue_address) if p)
        lines += [
            "BEGIN:VEVENT",
            f"UID:activity-{a.pk}@shanzhi",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{utc(a.starts_at)}",
            f"DTEND:{utc(a.ends_at)}",
            f"LAST-MODIFIED:{utc(a.updated_at)}",
            f"SUMMARY:{escape(a.title)}",
            f"LOCATION:{escape(location)}",
            f"CATEGORIES:{escape(a.category)}",
            f"STATUS:{'CANCELLED' if a.cancelled else 'CONFIRMED'}",
        ]
        if description:
            lines.append(f"DESCRIPTION:{escape(description)}")
        if url_for is not None:
            lines.append(f"URL:{url_for(a)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
