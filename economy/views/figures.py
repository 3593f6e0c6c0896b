"""The economy's figures page: bands, movements, measures and projects of a unit and year, with
the townships of a district side by side."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from economy import figures as fig
from economy.views.tabs import page_unit, page_year, tab_context
from governance.models import Unit


@login_required
def figures_page(request):
    unit = page_unit(request)
    year = page_year(request)
    result = fig.figures(unit, year, user=request.user)
    # Bands per child unit, from the same rows: no query per child.
    rows = result.rows
    children = []
    if unit.depth == 1:  # per township; below that the village list says it
        child_depth = unit.depth + 1
        by_child: dict[str, dict] = {}
        for row in rows:
            key = row.village.path[: child_depth * Unit.steplen]
            entry = by_child.setdefault(key, {"villages": 0, "bands": {}, "up": 0, "none": 0})
            entry["villages"] += 1
            if row.band is not None:
                entry["bands"][row.band.pk] = entry["bands"].get(row.band.pk, 0) + 1
            entry["up"] += row.move == "up"
            entry["none"] += row.income is None
        for child in Unit.objects.filter(parent=unit, path__in=list(by_child)).order_by("path"):
            entry = by_child[child.path]
            children.append(
                {
                    "unit": child,
                    "villages": entry["villages"],
                    "bands": [entry["bands"].get(b.pk, 0) for b, _n in result.bands],
                    "up": entry["up"],
                    "none": entry["none"],
                }
            )
    return render(
        request,
        "economy/figures.html",
        {**tab_context(request, unit, year, "figures"), "f": result, "children": children},
    )
