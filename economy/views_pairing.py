"""Village–enterprise pairing (村企结对共建), the enterprises, and common-prosperity companies
(共富公司) with their shareholding villages, yearly revenue and dividends."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from economy import figures as fig
from economy import services
from economy.forms import (
    CompanyForm,
    CompanyYearForm,
    EnterpriseForm,
    PairingEndForm,
    PairingForm,
    PairingResultForm,
    ShareForm,
)
from economy.models import (
    CompanyYear,
    Dividend,
    Enterprise,
    Pairing,
    ProsperityCompany,
    Shareholding,
)
from economy.views import (
    MANAGE,
    PAGE_SIZE,
    base_context,
    form_errors,
    require,
    scope_unit,
    scope_year,
)
from economy.views_projects import _owners
from governance import access
from governance.htmx import render_page
from governance.models import Unit
from governance.params import id_param


def _errors(form) -> str:
    return " ".join(m for ms in form.errors.values() for m in ms)


# Pairings ---------------------------------------------------------------------------------


@login_required
def pairing_list(request):
    unit = scope_unit(request)
    year = scope_year(request) if request.GET.get("year", "") != "all" else None
    qs = fig.pairings_of(unit, year, request.user)
    if enterprise := id_param(request, "enterprise"):
        qs = qs.filter(enterprise_id=enterprise)
    qs = qs.select_related("village", "village__parent", "enterprise").order_by(
        "village__path", "enterprise__name", "pk"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = base_context(request, unit, year or scope_year(request), "pairings")
    context.update(
        {"page": page, "all_years": year is None, "can_create": access.can(request.user, MANAGE)}
    )
    return render_page(request, "economy/pairing_list.html", context, "rows")


@login_required
@require_http_methods(["GET", "POST"])
def pairing_create(request):
    if not access.can(request.user, MANAGE):
        raise PermissionDenied
    initial = {}
    if village := id_param(request, "village"):
        initial["village"] = village
    form = PairingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        require(request.user, MANAGE, form.cleaned_data["village"])
        try:
            pairing = services.pairing_create(**form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The pairing was recorded."))
            return redirect("economy:pairing-detail", pairing.pk)
    return render(
        request, "economy/pairing_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _pairing(request, pk: int) -> Pairing:
    return get_object_or_404(
        Pairing.objects.for_user(request.user).select_related(
            "village", "village__parent", "enterprise", "enterprise__unit"
        ),
        pk=pk,
    )


@login_required
def pairing_detail(request, pk: int):
    pairing = _pairing(request, pk)
    return render(
        request,
        "economy/pairing_detail.html",
        {
            "pairing": pairing,
            "results": pairing.results.all(),
            "can_manage": access.can(request.user, MANAGE, pairing.village),
            "result_form": PairingResultForm(),
            "end_form": PairingEndForm(),
        },
    )


@login_required
@require_POST
def pairing_result(request, pk: int):
    pairing = _pairing(request, pk)
    require(request.user, MANAGE, pairing.village)
    form = PairingResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("economy:pairing-detail", pairing.pk)
    data = dict(form.cleaned_data)
    data["jobs"] = data["jobs"] or 0
    try:
        services.pairing_result_record(pairing=pairing, **data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The year's results were recorded."))
    return redirect("economy:pairing-detail", pairing.pk)


@login_required
@require_POST
def pairing_end(request, pk: int):
    pairing = _pairing(request, pk)
    require(request.user, MANAGE, pairing.village)
    form = PairingEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            services.pairing_end(pairing=pairing, on=form.cleaned_data["ended_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The pairing was ended."))
    return redirect("economy:pairing-detail", pairing.pk)


# Enterprises ------------------------------------------------------------------------------


@login_required
def enterprise_list(request):
    unit = scope_unit(request)
    qs = (
        Enterprise.objects.for_user(request.user)
        .within(unit)
        .select_related("unit")
        .annotate(villages=Count("pairings", distinct=True))
        .order_by("name", "pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = base_context(request, unit, scope_year(request), "pairings")
    context.update({"page": page, "can_create": bool(_owners(request.user))})
    return render(request, "economy/enterprise_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    owners = _owners(request.user)
    if not owners:
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_create(**form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The enterprise was added."))
            return redirect("economy:enterprise-list")
    return render(
        request, "economy/enterprise_form.html", {"form": form}, status=400 if form.errors else 200
    )


# Common-prosperity companies --------------------------------------------------------------


def _townships(user) -> list[Unit]:
    return [u for u in _owners(user) if u.kind in Unit.KINDS_BY_LEVEL[2]]


@login_required
def company_list(request):
    unit = scope_unit(request)
    year = scope_year(request)
    qs = (
        ProsperityCompany.objects.for_user(request.user)
        .within(unit)
        .select_related("township")
        .annotate(holders=Count("shareholdings", distinct=True))
        .order_by("township__path", "name")
    )
    companies = list(qs)
    dividends = dict(
        Dividend.objects.filter(company__in=companies, year=year)
        .values("company")
        .annotate(total=Sum("amount"))
        .values_list("company", "total")
    )
    revenue = dict(
        CompanyYear.objects.filter(company__in=companies, year=year).values_list(
            "company", "revenue"
        )
    )
    for company in companies:
        company.dividends_year = dividends.get(company.pk)
        company.revenue_year = revenue.get(company.pk)
    context = base_context(request, unit, year, "companies")
    context.update({"companies": companies, "can_create": bool(_townships(request.user))})
    return render(request, "economy/company_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def company_create(request):
    townships = _townships(request.user)
    if not townships:
        raise PermissionDenied
    form = CompanyForm(request.POST or None, townships=townships)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(**form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The company was added; record its shareholding villages."))
            return redirect("economy:company-detail", company.pk)
    return render(
        request, "economy/company_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _company(request, pk: int) -> ProsperityCompany:
    return get_object_or_404(
        ProsperityCompany.objects.for_user(request.user).select_related("township"), pk=pk
    )


@login_required
def company_detail(request, pk: int):
    company = _company(request, pk)
    holdings = list(
        Shareholding.objects.filter(company=company).select_related("village", "village__parent")
    )
    years = list(CompanyYear.objects.filter(company=company).order_by("-year"))
    paid = {}
    for d in Dividend.objects.filter(company=company).select_related("village"):
        paid.setdefault(d.year, []).append(d)
    for entry in years:
        entry.paid = paid.get(entry.year, [])
        entry.paid_total = sum((d.amount for d in entry.paid), services.ZERO)
    return render(
        request,
        "economy/company_detail.html",
        {
            "company": company,
            "holdings": holdings,
            "share_total": sum((h.share for h in holdings), services.ZERO),
            "years": years,
            "can_manage": access.can(request.user, MANAGE, company.township),
            "share_form": ShareForm(company=company),
            "year_form": CompanyYearForm(holders=[h.village for h in holdings]),
        },
    )


@login_required
@require_POST
def company_share(request, pk: int):
    company = _company(request, pk)
    require(request.user, MANAGE, company.township)
    form = ShareForm(request.POST, company=company)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            services.shareholding_set(company=company, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The shareholding was saved."))
    return redirect("economy:company-detail", company.pk)


@login_required
@require_POST
def company_year(request, pk: int):
    company = _company(request, pk)
    require(request.user, MANAGE, company.township)
    holders = [
        h.village for h in Shareholding.objects.filter(company=company).select_related("village")
    ]
    form = CompanyYearForm(request.POST, holders=holders)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        data = form.cleaned_data
        try:
            services.company_year_record(
                company=company,
                year=data["year"],
                revenue=data["revenue"],
                profit=data["profit"],
                dividends=form.dividends(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The year was recorded."))
    return redirect("economy:company-detail", company.pk)
