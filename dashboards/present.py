"""Turn a dashboard's data (compute.build) into what the pages, the big screen and the export
show: formatted headline cards with their change, ranking tables, attention rows, chart data.
Labels come from the section definitions here, not from the stored data, so a snapshot shows
in the reader's language."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dashboards.compute import rank
from dashboards.sections import all_sections
from dashboards.sections.base import AMOUNT, RATE, Figure


def display(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == RATE:
        return f"{100 * value:.1f}%"
    if kind == AMOUNT:
        try:
            amount = Decimal(value)
        except (InvalidOperation, TypeError):
            return str(value)
        if abs(amount) >= 10000:
            return _("%(amount)s 万元") % {"amount": number_format(amount / 10000, 2)}
        return _("%(amount)s 元") % {"amount": number_format(amount, 2)}
    return number_format(value, force_grouping=True)


def _number(value):
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def change(value, previous, figure: Figure) -> dict | None:
    """The change against the previous period: text and whether it is good news."""
    now, before = _number(value), _number(previous)
    if now is None or before is None or figure.current:
        return None
    delta = now - before
    if figure.kind == RATE:
        text = f"{100 * delta:+.1f}"  # percentage points
        text = _("%(points)s pp") % {"points": text}
    elif before:
        text = f"{100 * delta / before:+.0f}%"
    else:  # nothing before: the difference itself
        difference = int(delta) if delta.is_integer() else delta
        text = ("+" if delta > 0 else "") + display(difference, figure.kind)
    if not delta:
        direction = "same"
    else:
        up = delta > 0
        direction = "good" if up != figure.lower_is_better else "bad"
    return {"text": text, "direction": direction, "previous": display(previous, figure.kind)}


def sections(data: dict) -> list[dict]:
    """The sections in page order, each with its cards (headline figures)."""
    shown = []
    for section in all_sections():
        result = data["sections"].get(section.key)
        if result is None:
            continue
        cards = []
        for figure in section.figures:
            value = result["values"].get(figure.key)
            cards.append(
                {
                    "key": figure.key,
                    "label": figure.label,
                    "help": figure.help,
                    "kind": figure.kind,
                    "value": display(value, figure.kind),
                    "raw": value,
                    "url": result["links"].get(figure.key, ""),
                    "change": change(value, result["previous"].get(figure.key), figure),
                    "current": figure.current,
                    "headline": figure.headline,
                }
            )
        shown.append(
            {
                "key": section.key,
                "title": section.title,
                "page": section.page,
                "cards": cards,
                "note": result.get("note", ""),
                "section": section,
                "result": result,
            }
        )
    return shown


def ranking(section: dict, sort: str | None) -> dict | None:
    """A section's children as a table: one column per figure, each cell with its value,
    drill-down link and whether the child is a laggard on that figure; rows sorted by `sort`
    (a figure key; default the first rate, else the first figure)."""
    result, definition = section["result"], section["section"]
    if not result["children"]:
        return None
    figures = definition.figures
    keys = [f.key for f in figures]
    if sort not in keys:
        sort = next((f.key for f in figures if f.kind == RATE), keys[0])
    laggards = {}
    ranks = {}
    for figure in figures:
        for row in rank(result["children"], figure.key, lower_is_better=figure.lower_is_better):
            laggards[(row["unit_id"], figure.key)] = row["laggard"] and figure.judged
            if figure.key == sort:
                ranks[row["unit_id"]] = row["rank"]
    ordered = rank(
        result["children"], sort, lower_is_better=definition.figure(sort).lower_is_better
    )
    rows = []
    for row in ordered:
        rows.append(
            {
                "unit_id": row["unit_id"],
                "name": row["name"],
                "rank": ranks.get(row["unit_id"]),
                "laggard": laggards[(row["unit_id"], sort)],
                "sorted_value": display(row["value"], definition.figure(sort).kind),
                "cells": [
                    {
                        "value": display(row["values"].get(f.key), f.kind),
                        "url": row["links"].get(f.key, ""),
                        "laggard": laggards[(row["unit_id"], f.key)],
                    }
                    for f in figures
                ],
            }
        )
    return {
        "sort": sort,
        "columns": [{"key": f.key, "label": f.label, "sorted": f.key == sort} for f in figures],
        "rows": rows,
    }


#: A ranking panel of the big screen holds SCREEN_ROWS lines. A longer ranking shows its first
#: SCREEN_TOP units, a line saying how many are not shown, and its tail: the last SCREEN_BOTTOM
#: units, or more (up to the panel's height) so that the laggards are on the projector.
SCREEN_ROWS = 11
SCREEN_TOP = 5
SCREEN_BOTTOM = 3


def screen_ranking(table: dict | None) -> dict | None:
    """A ranking cut to fit a projector: the leaders, a gap that says how many are not shown,
    and the tail with the laggards."""
    if table is None:
        return None
    rows = table["rows"]
    if len(rows) <= SCREEN_ROWS:
        return {**table, "top": rows, "hidden": 0, "bottom": []}
    first_laggard = next((i for i, row in enumerate(rows) if row["laggard"]), len(rows))
    longest_tail = SCREEN_ROWS - SCREEN_TOP - 1
    tail_start = max(len(rows) - longest_tail, min(len(rows) - SCREEN_BOTTOM, first_laggard))
    return {
        **table,
        "top": rows[:SCREEN_TOP],
        "hidden": tail_start - SCREEN_TOP,
        "bottom": rows[tail_start:],
    }


def attention(data: dict) -> list[dict]:
    rows = []
    for section in all_sections():
        result = data["sections"].get(section.key)
        if result is None:
            continue
        for row in result["attention"]:
            rows.append({**row, "section": section.title})
    return rows


def charts(data: dict, granularity: str) -> list[dict]:
    """ECharts-ready series: one chart per section with a trend."""
    shown = []
    for section in all_sections():
        result = data["sections"].get(section.key)
        trend = (result or {}).get("trend", {}).get(granularity)
        if not trend:
            continue
        series = []
        for key in section.trend_figures or trend["series"].keys():
            if key not in trend["series"]:
                continue
            label = next((f.label for f in section.figures if f.key == key), key)
            series.append({"name": str(label), "data": trend["series"][key]})
        shown.append(
            {
                "id": f"chart-{section.key}",
                "title": str(section.title),
                "labels": trend["labels"],
                "series": series,
            }
        )
    return shown


def computed_at(data: dict) -> datetime.datetime:
    return datetime.datetime.fromisoformat(data["computed_at"])
