"""Red-property pages: companies, estates and contracts, the district's criteria, evaluations,
the ranking per quarter and property complaints entered into a ledger."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from governance import access, excel
from governance.htmx import render_page
from governance.importing import import_page
from governance.models import Ledger
from governance.pages import form_error, paginate, requested_unit
from outreach import evaluation_periods as periods
from outreach.communities import communities_where
from outreach.figures.property import property_ranking
from outreach.forms.property import (
    CompanyForm,
    ComplaintForm,
    ContractForm,
    CriteriaForm,
    EstateForm,
    EvaluationForm,
)
from outreach.models import (
    Estate,
    EvaluationCriterion,
    PropertyCompany,
    PropertyComplaint,
    PropertyContract,
    PropertyEvaluation,
)
from outreach.resources.property import (
    CompanyImporter,
    EstateImporter,
    EvaluationImporter,
    export_companies,
    export_estates,
    export_evaluations,
)
from outreach.services import property as services

PER_PAGE = 30


def _companies(user):
    return PropertyCompany.objects.for_user(user)


@login_required
@require_GET
def company_list(request):
    user = request.user
    companies = _companies(user).select_related("district").order_by("name", "pk")
    district = requested_unit(request, territory=True).district
    return render_page(
        request,
        "outreach/property/company_list.html",
        {
            "page": paginate(request, companies, PER_PAGE),
            "district": district,
            "can_register": access.can(user, "manage_ledgers", district),
            "can_add_estate": communities_where(user, "manage_people").exists(),
            "can_export": access.can(user, "export"),
        },
        "rows",
    )


@login_required
def company_new(request):
    district = requested_unit(request, territory=True).district
    access.require(request.user, "manage_ledgers", district)
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_register(
                district=district, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": company.name})
            return redirect(company)
    return render(
        request,
        "governance/form_page.html",
        {"form": form, "title": _("Register a property company"), "lead": district.name},
        status=400 if form.errors else 200,
    )


def _company(request, pk) -> PropertyCompany:
    return get_object_or_404(_companies(request.user).select_related("district"), pk=pk)


@login_required
@require_GET
def company_detail(request, pk):
    company = _company(request, pk)
    user = request.user
    contracts = (
        PropertyContract.objects.for_user(user)
        .filter(company=company)
        .select_related("estate", "estate__community")
    )
    evaluations = (
        PropertyEvaluation.objects.for_user(user)
        .filter(company=company)
        .select_related("community")
    )
    complaints = (
        PropertyComplaint.objects.for_user(user)
        .filter(company=company)
        .select_related("item", "estate")[:30]
    )
    served = [c.estate.community for c in contracts if c.ended_on is None]
    return render(
        request,
        "outreach/property/company_detail.html",
        {
            "company": company,
            "contracts": contracts,
            "evaluations": evaluations,
            "complaints": complaints,
            "can_evaluate": any(access.can(user, "manage_ledgers", u) for u in served)
            or user.is_superuser,
            "can_complain": any(access.can(user, "create_items", u) for u in served),
            "show_phone": access.can(user, "view_personal_data", company.district),
        },
    )


@login_required
def estate_new(request):
    user = request.user
    communities = communities_where(user, "manage_people")
    form = EstateForm(
        request.POST or None,
        communities=communities,
        companies=_companies(user).filter(is_active=True).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                estate = services.estate_add(
                    community=data["community"],
                    name=data["name"],
                    address=data["address"],
                    households=data["households"],
                    actor=user,
                )
                if data["company"]:
                    services.contract_start(
                        estate=estate,
                        company=data["company"],
                        started_on=data["started_on"],
                        actor=user,
                    )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The estate is registered."))
            return redirect("outreach:property-estate-list")
    return render(
        request,
        "governance/form_page.html",
        {"form": form, "title": _("Register an estate")},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def estate_list(request):
    estates = (
        Estate.objects.for_user(request.user)
        .select_related("community")
        .order_by("community__path", "name")
    )
    page = paginate(request, estates, PER_PAGE)
    current = {
        c.estate_id: c
        for c in PropertyContract.objects.filter(estate__in=list(page.object_list))
        .current()
        .select_related("company")
    }
    for estate in page.object_list:
        estate.contract = current.get(estate.pk)
    return render(
        request,
        "outreach/property/estate_list.html",
        {
            "page": page,
            "can_add": communities_where(request.user, "manage_people").exists(),
            "can_export": access.can(request.user, "export"),
        },
    )


@login_required
def contract_new(request, estate_pk):
    estate = get_object_or_404(
        Estate.objects.for_user(request.user).select_related("community"), pk=estate_pk
    )
    access.require(request.user, "manage_people", estate.community)
    district = estate.community.district
    form = ContractForm(
        request.POST or None,
        companies=PropertyCompany.objects.filter(district=district, is_active=True).order_by(
            "name"
        ),
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_start(estate=estate, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The estate's property company is changed."))
            return redirect("outreach:property-estate-list")
    return render(
        request,
        "governance/form_page.html",
        {
            "form": form,
            "title": _("Change the company serving %(name)s") % {"name": estate.name},
            "back": reverse("outreach:property-estate-list"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def criteria_edit(request):
    district = requested_unit(request, territory=True).district
    current = list(EvaluationCriterion.objects.filter(district=district, is_active=True))
    can_edit = access.can(request.user, "manage_ledgers", district)
    initial = {}
    for i, criterion in enumerate(current):
        initial[f"name_{i}"] = criterion.name
        initial[f"weight_{i}"] = criterion.weight
    form = CriteriaForm(request.POST or None, initial=initial)
    if request.method == "POST":
        access.require(request.user, "manage_ledgers", district)
        if form.is_valid():
            try:
                services.criteria_set(district=district, rows=form.rows(), actor=request.user)
            except ValidationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The evaluation criteria are saved."))
                return redirect(f"{request.path}?unit={district.pk}")
    return render(
        request,
        "outreach/property/criteria.html",
        {
            "form": form,
            "district": district,
            "current": current,
            "total": sum(c.weight for c in current),
            "can_edit": can_edit,
        },
        status=400 if form.errors else 200,
    )


@login_required
def evaluation_new(request, pk):
    company = _company(request, pk)
    user = request.user
    communities = communities_where(user, "manage_ledgers").filter(
        pk__in=PropertyContract.objects.filter(company=company).values("estate__community")
    )
    access.require(user, "manage_ledgers", None)
    criteria = services.active_criteria(company.district)
    form = EvaluationForm(
        request.POST or None,
        communities=communities,
        criteria=criteria,
        initial={"period": request.GET.get("period", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.property_evaluate(
                company=company,
                community=form.cleaned_data["community"],
                period=form.cleaned_data["period"],
                note=form.cleaned_data["note"],
                scores=form.scores(),
                actor=user,
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The evaluation is saved: %(score)s points.") % {"score": evaluation.score},
            )
            return redirect(evaluation)
    return render(
        request,
        "outreach/property/evaluation_form.html",
        {"form": form, "company": company, "criteria": criteria},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def evaluation_detail(request, pk):
    evaluation = get_object_or_404(
        PropertyEvaluation.objects.for_user(request.user).select_related("company", "community"),
        pk=pk,
    )
    return render(
        request,
        "outreach/property/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "scores": evaluation.scores.all(),
            "period_label": periods.label(evaluation.period),
        },
    )


@login_required
@require_GET
def ranking(request):
    # The ranking is the district's; the page keeps the unit it was asked for, so the form
    # sends back a unit the user may ask for (a township's staff cannot name the district).
    unit = requested_unit(request, territory=True)
    district = unit.district
    today = timezone.localdate()
    choices = periods.recent(periods.QUARTER, today, 8)
    period = request.GET.get("period") or choices[0]
    if period not in choices:
        try:
            period = periods.normalize(period)
        except ValidationError:
            period = choices[0]
    rows = property_ranking(district, period, user=request.user) if district else []
    return render(
        request,
        "outreach/property/ranking.html",
        {
            "unit": unit,
            "district": district,
            "period": period,
            "period_label": periods.label(period),
            "periods": [(c, periods.label(c)) for c in choices],
            "rows": rows,
            "can_evaluate": access.can(request.user, "manage_ledgers"),
            "can_export": access.can(request.user, "export"),
        },
    )


@login_required
def complaint_new(request, pk):
    company = _company(request, pk)
    user = request.user
    communities = communities_where(user, "create_items")
    estates = (
        Estate.objects.filter(
            community__in=communities,
            pk__in=PropertyContract.objects.filter(company=company).current().values("estate"),
        )
        .select_related("community")
        .order_by("name")
    )
    ledgers = (
        Ledger.objects.for_user(user)
        .filter(unit__in=estates.values("community"), is_active=True)
        .select_related("unit")
    )
    access.require(user, "create_items", None)
    form = ComplaintForm(request.POST or None, estates=estates, ledgers=ledgers)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_file(company=company, actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Complaint %(number)s entered into the ledger.")
                % {"number": complaint.item.number},
            )
            return redirect(company)
    return render(
        request,
        "governance/form_page.html",
        {
            "form": form,
            "title": _("Property complaint about %(name)s") % {"name": company.name},
            "back": company.get_absolute_url(),
        },
        status=400 if form.errors else 200,
    )


# Excel import and export (outreach.resources.property) ----------------------------------------
# The import pages need the capability of the page that registers a row; the exports hold the
# list as filtered on its page, in the user's scope, and need "export".


def _xlsx(output, *parts):
    return excel.response(output, excel.file_name(*parts))


@login_required
def company_import(request):
    district = requested_unit(request, territory=True).district
    access.require(request.user, "manage_ledgers", district)
    if district is None:
        raise Http404
    return import_page(
        request,
        CompanyImporter(request.user, district=district),
        title=_("Import property companies of %(unit)s") % {"unit": district.name},
        back_url=reverse("outreach:property-company-list"),
    )


@login_required
@require_GET
def company_export(request):
    access.require(request.user, "export", None)
    companies = _companies(request.user).order_by("name", "pk")
    return _xlsx(export_companies(request.user, companies), "物业企业")


@login_required
def estate_import(request):
    access.require(request.user, "manage_people", None)
    return import_page(
        request,
        EstateImporter(request.user),
        title=_("Import estates"),
        back_url=reverse("outreach:property-estate-list"),
    )


@login_required
@require_GET
def estate_export(request):
    access.require(request.user, "export", None)
    estates = Estate.objects.for_user(request.user).order_by("community__path", "name")
    return _xlsx(export_estates(request.user, estates), "小区")


@login_required
def evaluation_import(request):
    district = requested_unit(request, territory=True).district
    access.require(request.user, "manage_ledgers", None)
    if district is None:
        raise Http404
    return import_page(
        request,
        EvaluationImporter(request.user, district=district),
        title=_("Import property evaluations of %(unit)s") % {"unit": district.name},
        back_url=reverse("outreach:property-ranking") + f"?unit={district.pk}",
    )


@login_required
@require_GET
def evaluation_export(request):
    access.require(request.user, "export", None)
    district = requested_unit(request, territory=True).district
    if district is None:
        raise Http404
    period = request.GET.get("period") or periods.containing(timezone.localdate(), periods.QUARTER)
    try:
        period = periods.normalize(period)
    except ValidationError:
        period = periods.containing(timezone.localdate(), periods.QUARTER)
    evaluations = (
        PropertyEvaluation.objects.for_user(request.user)
        .filter(company__district=district, period=period)
        .prefetch_related("scores")
        .order_by("company__name", "community__path", "pk")
    )
    output = export_evaluations(request.user, evaluations, services.active_criteria(district))
    return _xlsx(output, "物业企业考评", district.name, period)
