"""What every page needs from a request, written once: the unit the page is about, a page of a
long list, a date range, and a service's refusal shown on a form.

Conventions (README, "Pages"):

* **The unit a page is about** is `?unit=<id>`. It must be in the user's scope (else 404, the
  same answer as a unit that does not exist). Without it: the highest unit the user holds a
  role at (with `territory=True`: the highest territorial one), or, for a superuser without a
  role, the first district. A user with neither gets a 404.
* **A date range** is `?from=YYYY-MM-DD&to=YYYY-MM-DD`, both days included. A malformed date
  is ignored with a visible warning (governance.params); a range given backwards is swapped.
* **Lists** show `PAGE_SIZE` rows a page under `?page=`, with `governance/_pagination.html`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance import access
from governance.models import Unit
from governance.params import date_param, id_param

PAGE_SIZE = 50


def requested_unit(request, *, territory: bool = False) -> Unit:
    """The unit the page is about (see the module's docstring); Http404 when there is none."""
    units = Unit.objects.for_user(request.user)
    if territory:
        units = units.territory()
    if unit_pk := id_param(request, "unit"):
        return get_object_or_404(units, pk=unit_pk)
    held = [m.unit for m in access.memberships(request.user)]
    if territory:
        held = [u for u in held if u.is_territory]
    if held:
        return min(held, key=lambda u: (u.depth, u.path))
    if request.user.is_superuser and (first := units.filter(depth=1).order_by("path").first()):
        return first
    raise Http404


def paginate(request, items, per_page: int = PAGE_SIZE) -> Page:
    """The page `?page=` asks for; a page number out of range or malformed gives the last or
    the first page, never an error."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def date_range(
    request, default_start: datetime.date | None = None, default_end: datetime.date | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """`?from=` and `?to=`, both days included; a backwards range is swapped."""
    start = date_param(request, "from", default_start)
    end = date_param(request, "to", default_end)
    if start and end and end < start:
        start, end = end, start
    return start, end


def form_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: messages naming one of the form's fields
    go under that field, the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error)
