"""Staffing quotas, Party-building brands and model communities, talent services and employment.

Same rules as the other teams pages: rows come from Model.objects.for_user (404 outside the
scope), writing needs manage_people at the row's unit, status changes are POST only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access
from governance.models import Unit
from governance.params import id_param
from governance.uploads import file_response
from teams import services
from teams.forms import (
    BrandForm,
    FollowUpForm,
    GigWorkerForm,
    IdeaForm,
    MatchForm,
    ModelCommunityForm,
    PhotoForm,
    PostingForm,
    QuotaAdditionForm,
    QuotaForm,
    SalonForm,
    TalentForm,
    TalentRequestForm,
    resolve_person,
)
from teams.models import (
    BrandPhoto,
    BrandTheme,
    GigWorker,
    JobPosting,
    ModelCommunity,
    PartyBrand,
    Placement,
    ProjectIdea,
    QuotaAddition,
    Salon,
    StaffingQuota,
    Talent,
    TalentRequest,
)
from teams.views_common import (
    Cell,
    Table,
    filter_units,
    form_error,
    need,
    need_reader,
    paginate,
    render_table,
    today,
    year_arg,
)


def _within(request, queryset):
    """Narrow to ?unit= (a unit in scope; 404 otherwise)."""
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk)
        return queryset.within(unit), unit
    return queryset, None


def _unit_filter(request, unit, levels=(1, 2, 3)):
    return {
        "name": "unit",
        "label": _("Unit"),
        "value": unit.pk if unit else "",
        "choices": [(u.pk, u.name) for u in filter_units(request.user, levels)],
    }


def _form_page(request, form, title, back_name, back_label, intro=""):
    return render(
        request,
        "teams/form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "back_url": reverse(back_name),
            "back_label": back_label,
        },
    )


# ---------------------------------------------------------------- staffing


@login_required
@require_GET
def staffing(request):
    need_reader(request.user)
    quotas, unit = _within(request, StaffingQuota.objects.for_user(request.user))
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
        filters=[_unit_filter(request, unit, (1, 2))],
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
            services.quota_set(**data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Staffing quota saved."))
            return redirect("teams:staffing")
    return _form_page(
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
                services.quota_add(quota=quota, actor=request.user, **form.cleaned_data)
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


# ---------------------------------------------------------------- brands


@login_required
@require_GET
def brand_list(request):
    need_reader(request.user)
    brands, unit = _within(request, PartyBrand.objects.for_user(request.user))
    theme = request.GET.get("theme", "")
    if theme in BrandTheme.values:
        brands = brands.filter(theme=theme)
    year = year_arg(request)
    page = paginate(
        request,
        brands.select_related("community__parent")
        .annotate(photo_count=Count("photos"))
        .order_by("community__path", "name"),
    )
    can_edit = access.can(request.user, "manage_people")
    table = Table(
        _("Party-building brands"),
        [_("Brand"), _("Theme"), _("Community"), _("Year"), _("Photos")],
        actions=[
            *([(_("Add a brand"), reverse("teams:brand-create"))] if can_edit else []),
            (_("Model communities"), reverse("teams:model-communities") + f"?year={year}"),
        ],
        filters=[
            _unit_filter(request, unit, (1, 2, 3)),
            {"name": "theme", "label": _("Theme"), "value": theme, "choices": BrandTheme.choices},
        ],
    )
    for b in page:
        table.rows.append(
            [
                Cell(b.name, b.get_absolute_url()),
                Cell(b.get_theme_display()),
                Cell(f"{b.community.parent.name} · {b.community.name}"),
                Cell(b.year),
                Cell(b.photo_count, num=True),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


def _brand_page(request, brand=None):
    form = BrandForm(request.POST or None, instance=brand, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["community"])
        try:
            brand = services.brand_save(brand=brand, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Brand saved."))
            return redirect(brand)
    return _form_page(
        request, form, _("Party-building brand"), "teams:brand-list", _("Party-building brands")
    )


@login_required
@require_http_methods(["GET", "POST"])
def brand_create(request):
    need(request.user, "manage_people")
    return _brand_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def brand_edit(request, pk: int):
    brand = get_object_or_404(PartyBrand.objects.for_user(request.user), pk=pk)
    need(request.user, "manage_people", brand.community)
    return _brand_page(request, brand)


@login_required
@require_GET
def brand_detail(request, pk: int):
    need_reader(request.user)
    brand = get_object_or_404(
        PartyBrand.objects.for_user(request.user).select_related("community__parent"), pk=pk
    )
    return render(
        request,
        "teams/brand_detail.html",
        {
            "brand": brand,
            "photos": brand.photos.order_by("pk"),
            "model_years": ModelCommunity.objects.filter(community=brand.community)
            .order_by("-year")
            .values_list("year", flat=True),
            "can_edit": access.can(request.user, "manage_people", brand.community),
            "photo_form": PhotoForm(),
        },
    )


@login_required
@require_GET
def brand_photo_file(request, photo_pk: int):
    """A brand's photo, to whoever may open the brand; uploads are never public."""
    need_reader(request.user)
    photo = get_object_or_404(BrandPhoto.objects.for_user(request.user), pk=photo_pk)
    return file_response(photo.image)


@login_required
@require_POST
def brand_photo(request, pk: int):
    brand = get_object_or_404(PartyBrand.objects.for_user(request.user), pk=pk)
    need(request.user, "manage_people", brand.community)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.brand_photo_add(brand=brand, **form.cleaned_data)
        messages.success(request, _("Photo added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(brand)


@login_required
@require_http_methods(["GET", "POST"])
def model_communities(request):
    need_reader(request.user)
    year = year_arg(request)
    rows, unit = _within(request, ModelCommunity.objects.for_user(request.user))
    form = ModelCommunityForm(request.POST or None, initial={"year": year}, user=request.user)
    can_edit = access.can(request.user, "manage_people")
    if request.method == "POST":
        need(request.user, "manage_people")
        if form.is_valid():
            data = dict(form.cleaned_data)
            need(request.user, "manage_people", data["community"], strictly_above=True)
            try:
                services.model_community_add(**data)
            except ValidationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Model community added."))
                return redirect(reverse("teams:model-communities") + f"?year={data['year']}")
    selected = (
        rows.filter(year=year).select_related("community__parent").order_by("community__path")
    )
    brands = {}
    for b in PartyBrand.objects.filter(community__in=[m.community_id for m in selected]):
        brands.setdefault(b.community_id, []).append(b)
    return render(
        request,
        "teams/model_communities.html",
        {
            "year": year,
            "rows": [(m, brands.get(m.community_id, [])) for m in selected],
            "form": form,
            "can_edit": can_edit,
            "unit": unit,
        },
    )


# ---------------------------------------------------------------- talent


@login_required
@require_GET
def talent_list(request):
    need_reader(request.user)
    talents, unit = _within(request, Talent.objects.for_user(request.user))
    category = request.GET.get("category", "")
    if category in Talent.Category.values:
        talents = talents.filter(category=category)
    page = paginate(
        request,
        talents.select_related("person", "unit")
        .annotate(request_count=Count("requests"))
        .order_by("-registered_on", "pk"),
    )
    can_edit = access.can(request.user, "manage_people")
    table = Table(
        _("Talent registry"),
        [
            _("Full name"),
            _("Talent category"),
            _("Specialty"),
            _("Employer"),
            _("Registered at"),
            _("Registered on"),
            _("Requests"),
        ],
        actions=[
            *([(_("Register a talent"), reverse("teams:talent-create"))] if can_edit else []),
            (_("Service window requests"), reverse("teams:talent-requests")),
            (_("Salons and seminars"), reverse("teams:salon-list")),
        ],
        filters=[
            _unit_filter(request, unit),
            {
                "name": "category",
                "label": _("Talent category"),
                "value": category,
                "choices": Talent.Category.choices,
            },
        ],
    )
    for t in page:
        table.rows.append(
            [
                Cell(t.person.name, t.person.get_absolute_url()),
                Cell(t.get_category_display()),
                Cell(t.specialty),
                Cell(t.employer),
                Cell(t.unit.name),
                Cell(f"{t.registered_on:%Y-%m-%d}"),
                Cell(t.request_count, num=True),
            ]
        )
    return render_table(request, table, page, page.paginator.count)


@login_required
@require_http_methods(["GET", "POST"])
def talent_create(request):
    need(request.user, "manage_people")
    form = TalentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["unit"])
        try:
            services.talent_register(**data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Talent registered."))
            return redirect("teams:talent-list")
    return _form_page(
        request, form, _("Register a talent"), "teams:talent-list", _("Talent registry")
    )


@login_required
@require_GET
def talent_requests(request):
    need_reader(request.user)
    requests_, unit = _within(request, TalentRequest.objects.for_user(request.user))
    status = request.GET.get("status", "")
    if status in TalentRequest.Status.values:
        requests_ = requests_.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in TalentRequest.Kind.values:
        requests_ = requests_.filter(kind=kind)
    page = paginate(
        request,
        requests_.select_related("talent__person", "talent__unit").order_by("-submitted_on", "-pk"),
    )
    can_edit = access.can(request.user, "manage_people")
    return render(
        request,
        "teams/talent_requests.html",
        {
            "page": page,
            "unit": unit,
            "status": status,
            "kind": kind,
            "statuses": TalentRequest.Status.choices,
            "kinds": TalentRequest.Kind.choices,
            "units": filter_units(request.user, (1, 2, 3)),
            "can_edit": can_edit,
            "transitions": {
                k: [(s, TalentRequest.Status(s).label) for s in v]
                for k, v in TalentRequest.TRANSITIONS.items()
            },
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def talent_request_create(request):
    need(request.user, "manage_people")
    form = TalentRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need(request.user, "manage_people", data["talent"].unit)
        try:
            services.talent_request_create(**data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Request recorded."))
            return redirect("teams:talent-requests")
    return _form_page(
        request, form, _("Record a request"), "teams:talent-requests", _("Service window requests")
    )


@login_required
@require_POST
def talent_request_transition(request, pk: int):
    found = get_object_or_404(
        TalentRequest.objects.for_user(request.user).select_related("talent__unit"), pk=pk
    )
    need(request.user, "manage_people", found.talent.unit)
    try:
        services.talent_request_transition(
            request=found,
            to=request.POST.get("to", ""),
            on=today(),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Status changed to “%(status)s”.") % {"status": found.get_status_display()}
        )
    return redirect("teams:talent-requests")


@login_required
@require_GET
def salon_list(request):
    need_reader(request.user)
    salons, unit = _within(request, Salon.objects.for_user(request.user))
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
        filters=[_unit_filter(request, unit)],
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
            salon = services.salon_save(**data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Salon saved."))
            return redirect(salon)
    return _form_page(request, form, _("Add a salon"), "teams:salon-list", _("Salons and seminars"))


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
        services.idea_create(salon=salon, **form.cleaned_data)
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
            services.idea_follow_up(idea=idea, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Follow-up recorded."))
    return redirect(idea.salon)


# ---------------------------------------------------------------- employment


@login_required
@require_GET
def gig_list(request):
    need_reader(request.user)
    workers, unit = _within(request, GigWorker.objects.for_user(request.user))
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
            _unit_filter(request, unit),
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
            services.gig_register(**data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Gig worker registered."))
            return redirect("teams:gig-list")
    return _form_page(request, form, _("Register a gig worker"), "teams:gig-list", _("Gig workers"))


@login_required
@require_GET
def posting_list(request):
    need_reader(request.user)
    postings, unit = _within(request, JobPosting.objects.for_user(request.user))
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
        filters=[_unit_filter(request, unit)],
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
            posting = services.posting_save(**data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Job posting saved."))
            return redirect(posting)
    return _form_page(
        request, form, _("Add a job posting"), "teams:posting-list", _("Job postings")
    )


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
            services.match_create(posting=posting, worker=worker, on=today())
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
            placement=placement, to=request.POST.get("to", ""), on=today()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(placement.posting)
