"""Common-prosperity companies (共富公司): list, set up, shareholding villages, and each year's
revenue, profit and dividends. economy.services decides who may write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from economy import services
from economy.forms import CompanyForm, CompanyYearForm, ShareForm
from economy.models import CompanyYear, Dividend, ProsperityCompany, Shareholding
from economy.views.tabs import page_unit, page_year, tab_context
from governance.models import Unit
from governance.pages import form_error


def _errors(form) -> str:
    return " ".join(m for ms in form.errors.values() for m in ms)


def _refuse_unless_manager(request, unit) -> None:
    """A form posted with errors by who may not write here is refused as the service would."""
    if not services.may(request.user, unit):
        raise PermissionDenied


# Common-prosperity companies --------------------------------------------------------------


def _townships(user) -> list[Unit]:
    return [u for u in services.project_owners(user) if u.kind in Unit.KINDS_BY_LEVEL[2]]


@login_required
def company_list(request):
    unit = page_unit(request)
    year = page_year(request)
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
    context = tab_context(request, unit, year, "companies")
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
            company = services.company_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
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
            "can_manage": services.may(request.user, company.township),
            "share_form": ShareForm(company=company),
            "year_form": CompanyYearForm(holders=[h.village for h in holdings]),
        },
    )


@login_required
@require_POST
def company_share(request, pk: int):
    company = _company(request, pk)
    form = ShareForm(request.POST, company=company)
    if not form.is_valid():
        _refuse_unless_manager(request, company.township)
        messages.error(request, _errors(form))
    else:
        try:
            services.shareholding_set(company=company, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The shareholding was saved."))
    return redirect("economy:company-detail", company.pk)


@login_required
@require_POST
def company_year(request, pk: int):
    company = _company(request, pk)
    holders = [
        h.village for h in Shareholding.objects.filter(company=company).select_related("village")
    ]
    form = CompanyYearForm(request.POST, holders=holders)
    if not form.is_valid():
        _refuse_unless_manager(request, company.township)
        messages.error(request, _errors(form))
    else:
        data = form.cleaned_data
        try:
            services.company_year_record(
                company=company,
                actor=request.user,
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
