"""Gig workers, job postings and placements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access
from governance.pages import form_error, paginate
from teams.forms.employment import GigWorkerForm, MatchForm, PostingForm
from teams.forms.scoped import resolve_person
from teams.models import (
    GigWorker,
    JobPosting,
    Placement,
)
from teams.services import employment as services
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
def gig_list(request):
    need_reader(request.user)
    workers, unit = within(request, GigWorker.objects.for_user(request.user))
    if request.GET.get("available") == "1":
        workers = workers.filter(is_available=True)
    page = paginate(
        request,
        workers.select_related("person", "unit")
        .annotate(
            match_count=Count("placements"),
            placed=Count("placements", filter=Q(placements__status=Placement.Status.PLACED)),
        )
        .order_by("-registered_on", "pk"),
    )
    can_edit = access.can(request.user, "manage_people")
    table = Table(
        _("Gig workers"),
        [
            _("Full name"),
            _("Phone"),
            _("Skills"),
            _("Registered at"),
            _("Registered on"),
            _("Matches"),
            _("Placed"),
        ],
        actions=[
            *([(_("Register a gig worker"), reverse("teams:gig-create"))] if can_edit else []),
            (_("Job postings"), reverse("teams:posting-list")),
        ],
        filters=[
            unit_filter(request, unit),
            {
                "name": "available",
                "label": _("Show"),
                "value": request.GET.get("available", ""),
                "choices": [("1", _("Looking for work"))],
            },
        ],
    )
    for g in page:
        table.rows.append(
            [
                Cell(g.person.name, g.person.get_absolute_url()),
                Cell(g.person.phone_masked or "—"),
                Cell(g.skills),
                Cell(g.unit.name),
                Cell(f"{g.registered_on:%Y-%m-%d}"),
                Cell(g.match_count, num=True),
                Cell(g.placed, num=True),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


@login_required
@require_http_methods(["GET", "POST"])
def gig_create(request):
    need(request.user, "manage_people")
    form = GigWorkerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["unit"])
        try:
            services.gig_register(actor=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Gig worker registered."))
            return redirect("teams:gig-list")
    return form_page(request, form, _("Register a gig worker"), "teams:gig-list", _("Gig workers"))


@login_required
@require_GET
def posting_list(request):
    need_reader(request.user)
    postings, unit = within(request, JobPosting.objects.for_user(request.user))
    page = paginate(
        request,
        postings.select_related("unit")
        .annotate(
            match_count=Count("placements"),
            placed=Count("placements", filter=Q(placements__status=Placement.Status.PLACED)),
        )
        .order_by("-posted_on", "-pk"),
    )
    can_edit = access.can(request.user, "manage_people")
    table = Table(
        _("Job postings"),
        [
            _("Posted on"),
            _("Employer"),
            _("Job"),
            _("Positions"),
            _("Wage"),
            _("Posted at"),
            _("Matches"),
            _("Placed"),
        ],
        actions=[
            *([(_("Add a job posting"), reverse("teams:posting-create"))] if can_edit else []),
            (_("Gig workers"), reverse("teams:gig-list")),
        ],
        filters=[unit_filter(request, unit)],
    )
    for p in page:
        table.rows.append(
            [
                Cell(f"{p.posted_on:%Y-%m-%d}"),
                Cell(p.employer),
                Cell(p.title, p.get_absolute_url()),
                Cell(p.positions, num=True),
                Cell(p.wage),
                Cell(p.unit.name),
                Cell(p.match_count, num=True),
                Cell(p.placed, num=True),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


@login_required
@require_http_methods(["GET", "POST"])
def posting_create(request):
    need(request.user, "manage_people")
    form = PostingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["unit"])
        try:
            posting = services.posting_save(actor=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Job posting saved."))
            return redirect(posting)
    return form_page(request, form, _("Add a job posting"), "teams:posting-list", _("Job postings"))


@login_required
@require_GET
def posting_detail(request, pk: int):
    need_reader(request.user)
    posting = get_object_or_404(
        JobPosting.objects.for_user(request.user).select_related("unit"), pk=pk
    )
    placements = posting.placements.select_related("worker__person").order_by("pk")
    return render(
        request,
        "teams/posting_detail.html",
        {
            "posting": posting,
            "placements": placements,
            "match_form": MatchForm(),
            "can_edit": access.can(request.user, "manage_people", posting.unit),
        },
    )


@login_required
@require_POST
def posting_match(request, pk: int):
    posting = get_object_or_404(
        JobPosting.objects.for_user(request.user).select_related("unit"), pk=pk
    )
    need(request.user, "manage_people", posting.unit)
    form = MatchForm(request.POST)
    if form.is_valid():
        try:
            person = resolve_person(request.user, form.cleaned_data["worker"])
            worker = GigWorker.objects.for_user(request.user).filter(person=person).first()
            if worker is None:
                raise ValidationError(
                    _("%(name)s is not registered at the gig-work market.") % {"name": person.name}
                )
            services.match_create(
                actor=request.user, posting=posting, worker=worker, on=timezone.localdate()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Matched."))
    return redirect(posting)


@login_required
@require_POST
def placement_transition(request, pk: int):
    placement = get_object_or_404(
        Placement.objects.for_user(request.user).select_related("posting__unit"), pk=pk
    )
    need(request.user, "manage_people", placement.posting.unit)
    try:
        services.placement_transition(
            actor=request.user,
            placement=placement,
            to=request.POST.get("to", ""),
            on=timezone.localdate(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(placement.posting)
