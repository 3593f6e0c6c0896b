"""How a unit is named in lists that span several of its parents."""

from django import template

register = template.Library()


@register.filter
def with_parent(unit) -> str:
    """A grid with its community ("花园社区 · 第一网格"): grids are named 第一网格, 第二网格 … in
    every community, so a township's or district's list needs the community to tell them
    apart. Select the parent with the rows (select_related("grid__parent"))."""
    if unit is None:
        return ""
    if unit.kind == "grid" and unit.parent_id:
        return f"{unit.parent.name} · {unit.name}"
    return unit.name
