"""The district's rules: the teams policy and the scoring criteria."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance import access
from governance.models import Unit
from governance.pages import form_error
from teams.forms.rules import CriterionForm, PolicyForm
from teams.models import (
    ScoreCriterion,
    TeamsPolicy,
)
from teams.services import rules as services
from teams.views.pages import (
    need,
    need_reader,
    page_territory,
)


def _district_of_user(request) -> Unit:
    unit = page_territory(request)
    if unit is None:
        raise PermissionDenied
    # Everyone in a district may read its rules; only its administrators change them.
    return unit.district


@login_required
@require_http_methods(["GET", "POST"])
def rules_page(request):
    need_reader(request.user)
    district = _district_of_user(request)
    can_edit = access.can(request.user, "manage_people", district)
    policy = TeamsPolicy.objects.filter(district=district).first() or TeamsPolicy(district=district)
    policy_form = PolicyForm(instance=policy)
    criterion_form = CriterionForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("form") == "criterion":
            criterion_form = CriterionForm(request.POST)
            if criterion_form.is_valid():
                try:
                    services.criterion_save(
                        actor=request.user, district=district, **criterion_form.cleaned_data
                    )
                except ValidationError as error:
                    form_error(criterion_form, error)
                else:
                    messages.success(request, _("Criterion saved."))
                    return redirect(reverse("teams:rules") + f"?unit={district.pk}")
        else:
            policy_form = PolicyForm(request.POST, instance=policy)
            if policy_form.is_valid():
                try:
                    services.policy_update(
                        actor=request.user, district=district, **policy_form.cleaned_data
                    )
                except ValidationError as error:
                    form_error(policy_form, error)
                else:
                    messages.success(request, _("Rules saved."))
                    return redirect(reverse("teams:rules") + f"?unit={district.pk}")
    criteria = ScoreCriterion.objects.filter(district=district).order_by("order", "pk")
    return render(
        request,
        "teams/rules.html",
        {
            "district": district,
            "policy_form": policy_form,
            "criterion_form": criterion_form,
            "criteria": criteria,
            "can_edit": can_edit,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk: int):
    criterion = get_object_or_404(ScoreCriterion.objects.for_user(request.user), pk=pk)
    need(request.user, "manage_people", criterion.district)
    form = CriterionForm(
        request.POST or None,
        initial={
            "name": criterion.name,
            "max_points": criterion.max_points,
            "order": criterion.order,
            "is_active": criterion.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(actor=request.user, criterion=criterion, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Criterion saved."))
            return redirect(reverse("teams:rules") + f"?unit={criterion.district_id}")
    return render(
        request,
        "teams/form.html",
        {
            "form": form,
            "title": _("Scoring criterion"),
            "back_url": reverse("teams:rules"),
            "back_label": _("Rules and scoring criteria"),
        },
    )
