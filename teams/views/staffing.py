"""Staffing quotas of the townships and their additions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from governance import access
from governance.pages import form_error, paginate
from teams.forms.staffing import QuotaAdditionForm, QuotaForm
from teams.models import (
    QuotaAddition,
    StaffingQuota,
)
from teams.services import staffing as services
from teams.views.pages import (
    Cell,
    Table,
    form_page,
    need,
    need_reader,
    render_table,
    unit_filter,
    within,
)


@login_required
@require_GET
def staffing(request):
    need_reader(request.user)
    quotas, unit = within(request, StaffingQuota.objects.for_user(request.user))
    page = paginate(
        request,
        quotas.select_related("township")
        .annotate(additions_count=Count("additions"))
        .order_by("township__path", "kind"),
    )
    can_edit = access.can(request.user, "manage_people")
    table = Table(
        _("Staffing quotas"),
        [_("Township"), _("Kind"), _("Allocated"), _("Filled"), _("Vacant"), _("Additions"), ""],
        actions=[(_("Set a quota"), reverse("teams:quota-set"))] if can_edit else [],
        filters=[unit_filter(request, unit, (1, 2))],
    )
    for q in page:
        table.rows.append(
            [
                Cell(q.township.name),
                Cell(q.get_kind_display()),
                Cell(q.allocated, num=True),
                Cell(q.filled, num=True),
                Cell(q.vacant, num=True),
                Cell(q.additions_count, num=True),
                Cell(_("Additions"), reverse("teams:quota-detail", args=[q.pk])),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


@login_required
@require_http_methods(["GET", "POST"])
def quota_set(request):
    need(request.user, "manage_people")
    form = QuotaForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["township"], strictly_above=True)
        try:
            services.quota_set(actor=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Staffing quota saved."))
            return redirect("teams:staffing")
    return form_page(
        request, form, _("Set a staffing quota"), "teams:staffing", _("Staffing quotas")
    )


@login_required
@require_http_methods(["GET", "POST"])
def quota_detail(request, pk: int):
    quota = get_object_or_404(
        StaffingQuota.objects.for_user(request.user).select_related("township"), pk=pk
    )
    need_reader(request.user)
    can_add = access.can(request.user, "manage_people", quota.township, strictly_above=True)
    form = QuotaAdditionForm(request.POST or None)
    if request.method == "POST":
        need(request.user, "manage_people", quota.township, strictly_above=True)
        if form.is_valid():
            try:
                services.quota_add(actor=request.user, quota=quota, **form.cleaned_data)
            except ValidationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Posts added."))
                return redirect("teams:quota-detail", quota.pk)
    return render(
        request,
        "teams/quota_detail.html",
        {
            "quota": quota,
            "additions": QuotaAddition.objects.filter(quota=quota),
            "form": form,
            "can_add": can_add,
        },
    )
