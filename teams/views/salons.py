"""Salons and the project ideas they raise."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access
from governance.pages import form_error, paginate
from teams.forms.salons import FollowUpForm, IdeaForm, SalonForm
from teams.models import (
    ProjectIdea,
    Salon,
)
from teams.services import salons as services
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
def salon_list(request):
    need_reader(request.user)
    salons, unit = within(request, Salon.objects.for_user(request.user))
    page = paginate(
        request,
        salons.select_related("unit")
        .annotate(
            idea_count=Count("ideas"),
            landed=Count("ideas", filter=Q(ideas__status=ProjectIdea.Status.LANDED)),
        )
        .order_by("-held_on", "-pk"),
    )
    can_edit = access.can(request.user, "manage_people")
    table = Table(
        _("Salons and seminars"),
        [
            _("Date"),
            _("Title"),
            _("Kind"),
            _("Held by"),
            _("Participants"),
            _("Project ideas"),
            _("Landed"),
        ],
        actions=[(_("Add a salon"), reverse("teams:salon-create"))] if can_edit else [],
        filters=[unit_filter(request, unit)],
    )
    for s in page:
        table.rows.append(
            [
                Cell(f"{s.held_on:%Y-%m-%d}"),
                Cell(s.title, s.get_absolute_url()),
                Cell(s.get_kind_display()),
                Cell(s.unit.name),
                Cell(s.participants, num=True),
                Cell(s.idea_count, num=True),
                Cell(s.landed, num=True),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


@login_required
@require_http_methods(["GET", "POST"])
def salon_create(request):
    need(request.user, "manage_people")
    form = SalonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["unit"])
        try:
            salon = services.salon_save(actor=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Salon saved."))
            return redirect(salon)
    return form_page(request, form, _("Add a salon"), "teams:salon-list", _("Salons and seminars"))


@login_required
@require_GET
def salon_detail(request, pk: int):
    need_reader(request.user)
    salon = get_object_or_404(Salon.objects.for_user(request.user).select_related("unit"), pk=pk)
    ideas = salon.ideas.prefetch_related("follow_ups").order_by("pk")
    return render(
        request,
        "teams/salon_detail.html",
        {
            "salon": salon,
            "ideas": [(i, FollowUpForm(idea=i)) for i in ideas],
            "idea_form": IdeaForm(),
            "can_edit": access.can(request.user, "manage_people", salon.unit),
        },
    )


@login_required
@require_POST
def idea_create(request, pk: int):
    salon = get_object_or_404(Salon.objects.for_user(request.user), pk=pk)
    need(request.user, "manage_people", salon.unit)
    form = IdeaForm(request.POST)
    if form.is_valid():
        services.idea_create(actor=request.user, salon=salon, **form.cleaned_data)
        messages.success(request, _("Project idea added."))
    else:
        messages.error(request, _("Give the project idea a title."))
    return redirect(salon)


@login_required
@require_POST
def idea_follow_up(request, pk: int):
    idea = get_object_or_404(
        ProjectIdea.objects.for_user(request.user).select_related("salon__unit"), pk=pk
    )
    need(request.user, "manage_people", idea.salon.unit)
    form = FollowUpForm(request.POST, idea=idea)
    if not form.is_valid():
        messages.error(request, _("Choose a status and say what was done."))
    else:
        try:
            services.idea_follow_up(actor=request.user, idea=idea, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Follow-up recorded."))
    return redirect(idea.salon)
