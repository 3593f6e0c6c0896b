"""Party-building brands and model communities."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access
from governance.pages import form_error, paginate
from governance.uploads import file_response
from teams.forms.brands import BrandForm, ModelCommunityForm, PhotoForm
from teams.models import (
    BrandPhoto,
    BrandTheme,
    ModelCommunity,
    PartyBrand,
)
from teams.services import brands as services
from teams.views.pages import (
    Cell,
    Table,
    form_page,
    need,
    need_reader,
    render_table,
    unit_filter,
    within,
    year_arg,
)


@login_required
@require_GET
def brand_list(request):
    need_reader(request.user)
    brands, unit = within(request, PartyBrand.objects.for_user(request.user))
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
            unit_filter(request, unit, (1, 2, 3)),
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
            brand = services.brand_save(actor=request.user, brand=brand, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Brand saved."))
            return redirect(brand)
    return form_page(
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
        services.brand_photo_add(actor=request.user, brand=brand, **form.cleaned_data)
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
    rows, unit = within(request, ModelCommunity.objects.for_user(request.user))
    form = ModelCommunityForm(request.POST or None, initial={"year": year}, user=request.user)
    can_edit = access.can(request.user, "manage_people")
    if request.method == "POST":
        need(request.user, "manage_people")
        if form.is_valid():
            data = dict(form.cleaned_data)
            need(request.user, "manage_people", data["community"], strictly_above=True)
            try:
                services.model_community_add(actor=request.user, **data)
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
