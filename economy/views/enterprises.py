"""Enterprises paired with villages: the list and registering one (at a township or the
district whose records the user keeps)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from economy import services
from economy.forms import EnterpriseForm
from economy.models import Enterprise
from economy.views.tabs import page_unit, page_year, tab_context
from governance.pages import form_error, paginate

# Enterprises ------------------------------------------------------------------------------


@login_required
def enterprise_list(request):
    unit = page_unit(request)
    qs = (
        Enterprise.objects.for_user(request.user)
        .within(unit)
        .select_related("unit")
        .annotate(villages=Count("pairings", distinct=True))
        .order_by("name", "pk")
    )
    page = paginate(request, qs)
    context = tab_context(request, unit, page_year(request), "pairings")
    context.update({"page": page, "can_create": bool(services.project_owners(request.user))})
    return render(request, "economy/enterprise_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    owners = services.project_owners(request.user)
    if not owners:
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The enterprise was added."))
            return redirect("economy:enterprise-list")
    return render(
        request, "economy/enterprise_form.html", {"form": form}, status=400 if form.errors else 200
    )
