"""Dual-reporting pages: work units with their postings and evaluations, registered Party
members, service projects with claims, and service records."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance import access, excel
from governance.htmx import render_page
from governance.importing import import_page
from governance.pages import form_error, paginate, requested_unit
from outreach import evaluation_periods as periods
from outreach.communities import (
    communities_where,
)
from outreach.forms.dual import (
    ClaimForm,
    EvaluationForm,
    MemberForm,
    ProjectForm,
    ReassignForm,
    RecordForm,
    WorkUnitForm,
    split_provider,
)
from outreach.models import (
    ProjectStatus,
    ReportedMember,
    ServiceProject,
    ServiceRecord,
    UnitEvaluation,
    WorkUnit,
    WorkUnitPosting,
)
from outreach.resources.dual import (
    MemberImporter,
    ProjectImporter,
    WorkUnitImporter,
    export_members,
    export_projects,
    export_work_units,
)
from outreach.services import dual as services

PER_PAGE = 30


def _work_units(user):
    return WorkUnit.objects.for_user(user)


@login_required
@require_GET
def unit_list(request):
    user = request.user
    today = timezone.localdate()
    period = request.GET.get("period") or periods.containing(today, periods.HALF)
    try:
        period = periods.normalize(period)
    except ValidationError:
        period = periods.containing(today, periods.HALF)
    current = WorkUnitPosting.objects.current().select_related("community")
    units = _work_units(user).prefetch_related(Prefetch("postings", current, "current"))
    unit = None
    if request.GET.get("unit"):
        unit = requested_unit(request, territory=True)
        units = units.filter(
            pk__in=WorkUnitPosting.objects.current().within(unit).values("work_unit")
        )
    page = paginate(request, units.order_by("name", "pk"), PER_PAGE)
    rows = list(page.object_list)
    evaluated = set(
        UnitEvaluation.objects.filter(work_unit__in=rows, period=period).values_list(
            "work_unit_id", "community_id"
        )
    )
    for row in rows:
        posting = row.current[0] if row.current else None
        row.posting = posting
        row.evaluated = posting is not None and (row.pk, posting.community_id) in evaluated
    return render_page(
        request,
        "outreach/dual/unit_list.html",
        {
            "page": page,
            "rows": rows,
            "unit": unit,
            "period": period,
            "period_label": periods.label(period),
            "periods": [(c, periods.label(c)) for c in periods.recent(periods.HALF, today, 4)],
            "can_register": communities_where(user, "manage_people").exists(),
            "can_export": access.can(user, "export"),
        },
        "rows",
    )


@login_required
def unit_new(request):
    communities = communities_where(request.user, "manage_people")
    form = WorkUnitForm(
        request.POST or None,
        communities=communities,
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            work_unit = services.work_unit_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": work_unit.name})
            return redirect(work_unit)
    return render(
        request,
        "governance/form_page.html",
        {"form": form, "title": _("Register a work unit")},
        status=400 if form.errors else 200,
    )


def _work_unit(request, pk) -> WorkUnit:
    return get_object_or_404(_work_units(request.user).select_related("district"), pk=pk)


@login_required
@require_GET
def unit_detail(request, pk):
    work_unit = _work_unit(request, pk)
    user = request.user
    postings = WorkUnitPosting.objects.filter(work_unit=work_unit).select_related("community")
    current = next((p for p in postings if p.ended_on is None), None)
    records = (
        ServiceRecord.objects.for_user(user)
        .filter(work_unit=work_unit)
        .select_related("community", "project")
    )
    totals = records.aggregate(n=Count("pk"), hours=Sum("hours"))
    return render(
        request,
        "outreach/dual/unit_detail.html",
        {
            "work_unit": work_unit,
            "postings": postings,
            "current": current,
            "members": ReportedMember.objects.for_user(user)
            .filter(work_unit=work_unit)
            .select_related("community"),
            "records": records[:20],
            "totals": totals,
            "evaluations": UnitEvaluation.objects.for_user(user)
            .filter(work_unit=work_unit)
            .select_related("community"),
            "projects": ServiceProject.objects.for_user(user).filter(claimed_by_unit=work_unit),
            "can_reassign": current is not None
            and access.can(user, "manage_people", current.community),
            "can_evaluate": communities_where(user, "manage_ledgers")
            .filter(pk__in=postings.values("community"))
            .exists(),
            "show_phone": access.can(user, "view_personal_data", current.community)
            if current
            else False,
        },
    )


@login_required
def unit_reassign(request, pk):
    work_unit = _work_unit(request, pk)
    current = services.current_posting(work_unit)
    if current is not None:
        access.require(request.user, "manage_people", current.community)
    communities = communities_where(request.user, "manage_people").filter(
        path__startswith=work_unit.district.path
    )
    if current is not None:
        communities = communities.exclude(pk=current.community_id)
    form = ReassignForm(
        request.POST or None, communities=communities, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.work_unit_reassign(
                work_unit=work_unit, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The work unit is re-assigned; its history is kept."))
            return redirect(work_unit)
    return render(
        request,
        "governance/form_page.html",
        {
            "form": form,
            "title": _("Re-assign %(name)s") % {"name": work_unit.name},
            "back": work_unit.get_absolute_url(),
            "lead": _("Currently serves %(unit)s since %(day)s.")
            % {"unit": current.community.name, "day": current.started_on.isoformat()}
            if current
            else "",
        },
        status=400 if form.errors else 200,
    )


@login_required
def evaluation_new(request, pk):
    work_unit = _work_unit(request, pk)
    communities = communities_where(request.user, "manage_ledgers").filter(
        pk__in=WorkUnitPosting.objects.filter(work_unit=work_unit).values("community")
    )
    access.require(request.user, "manage_ledgers", None)
    current = services.current_posting(work_unit)
    form = EvaluationForm(
        request.POST or None,
        communities=communities,
        initial={
            "community": current.community_id if current else None,
            "period": request.GET.get("period", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.unit_evaluate(
                work_unit=work_unit, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The evaluation is saved."))
            return redirect(evaluation)
    return render(
        request,
        "governance/form_page.html",
        {
            "form": form,
            "title": _("Evaluate %(name)s") % {"name": work_unit.name},
            "back": work_unit.get_absolute_url(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def evaluation_detail(request, pk):
    evaluation = get_object_or_404(
        UnitEvaluation.objects.for_user(request.user).select_related(
            "work_unit", "community", "evaluated_by__person"
        ),
        pk=pk,
    )
    return render(
        request,
        "outreach/dual/evaluation_detail.html",
        {"evaluation": evaluation, "period_label": periods.label(evaluation.period)},
    )


@login_required
@require_GET
def member_list(request):
    user = request.user
    members = (
        ReportedMember.objects.for_user(user)
        .select_related("community", "work_unit")
        .order_by("community__path", "name", "pk")
    )
    if request.GET.get("unit"):
        members = members.within(requested_unit(request, territory=True))
    if request.GET.get("all") != "1":
        members = members.current()
    return render_page(
        request,
        "outreach/dual/member_list.html",
        {
            "page": paginate(request, members, PER_PAGE),
            "can_register": communities_where(user, "manage_people").exists(),
            "can_export": access.can(user, "export"),
        },
        "rows",
    )


@login_required
def member_new(request):
    communities = communities_where(request.user, "manage_people")
    form = MemberForm(
        request.POST or None,
        communities=communities,
        work_units=_work_units(request.user).order_by("name"),
        initial={"registered_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The Party member is registered."))
            return redirect("outreach:dual-member-list")
    return render(
        request,
        "governance/form_page.html",
        {"form": form, "title": _("Register a Party member")},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def project_list(request):
    projects = (
        ServiceProject.objects.for_user(request.user)
        .select_related("community", "claimed_by_unit", "claimed_by_member")
        .order_by("-starts_on", "-pk")
    )
    status = request.GET.get("status", "")
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    if request.GET.get("unit"):
        projects = projects.within(requested_unit(request, territory=True))
    return render_page(
        request,
        "outreach/dual/project_list.html",
        {
            "page": paginate(request, projects, PER_PAGE),
            "status": status,
            "statuses": ProjectStatus.choices,
            "can_publish": communities_where(request.user, "manage_people").exists(),
            "can_export": access.can(request.user, "export"),
        },
        "rows",
    )


@login_required
def project_new(request):
    communities = communities_where(request.user, "manage_people")
    today = timezone.localdate()
    form = ProjectForm(
        request.POST or None,
        communities=communities,
        initial={"starts_on": today, "ends_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_publish(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The project is published."))
            return redirect(project)
    return render(
        request,
        "governance/form_page.html",
        {"form": form, "title": _("Publish a service project")},
        status=400 if form.errors else 200,
    )


def _project(request, pk) -> ServiceProject:
    return get_object_or_404(
        ServiceProject.objects.for_user(request.user).select_related(
            "community", "claimed_by_unit", "claimed_by_member"
        ),
        pk=pk,
    )


def _project_page(request, project, claim_form=None, record_form=None, status=200):
    user = request.user
    can_record = access.can(user, "create_items", project.community)
    return render(
        request,
        "outreach/dual/project_detail.html",
        {
            "project": project,
            "records": project.records.select_related("work_unit", "member"),
            "claim_form": (claim_form or ClaimForm(community=project.community))
            if can_record and project.status == ProjectStatus.OPEN
            else None,
            "record_form": (
                record_form
                or RecordForm(
                    community=project.community,
                    initial={"served_on": timezone.localdate(), "what": project.title},
                )
            )
            if can_record and project.status in (ProjectStatus.CLAIMED, ProjectStatus.DONE)
            else None,
            "can_manage": access.can(user, "manage_people", project.community),
        },
        status=status,
    )


@login_required
@require_GET
def project_detail(request, pk):
    return _project_page(request, _project(request, pk))


@login_required
@require_POST
def project_claim(request, pk):
    project = _project(request, pk)
    access.require(request.user, "create_items", project.community)
    form = ClaimForm(request.POST, community=project.community)
    if form.is_valid():
        try:
            services.project_claim(
                project=project, actor=request.user, **split_provider(form.cleaned_data["provider"])
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The project is claimed."))
            return redirect(project)
    return _project_page(request, project, claim_form=form, status=400)


@login_required
@require_POST
def project_finish(request, pk):
    project = _project(request, pk)
    access.require(request.user, "manage_people", project.community)
    try:
        services.project_finish(
            project=project, actor=request.user, cancel=request.POST.get("cancel") == "1"
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The project status is updated."))
    return redirect(project)


@login_required
@require_POST
def record_add(request, pk):
    project = _project(request, pk)
    access.require(request.user, "create_items", project.community)
    form = RecordForm(request.POST, community=project.community)
    if form.is_valid():
        data = dict(form.cleaned_data)
        provider = split_provider(data.pop("provider"))
        try:
            services.service_record_add(
                community=project.community,
                project=project,
                actor=request.user,
                **provider,
                **data,
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The service is recorded."))
            return redirect(project)
    return _project_page(request, project, record_form=form, status=400)


# Excel import and export (outreach.resources.dual) --------------------------------------------
# The import pages need the capability of the page that registers a row; the exports hold the
# list as filtered on its page, in the user's scope, and need "export".


def _import_page(request, importer, title, list_url):
    access.require(request.user, "manage_people", None)
    back = reverse(list_url)
    return import_page(request, importer(request.user), title=title, back_url=back)


def _export(request, output, name):
    unit = requested_unit(request) if request.GET.get("unit") else None
    return excel.response(output, excel.file_name(name, unit.name if unit else ""))


@login_required
def unit_import(request):
    return _import_page(
        request, WorkUnitImporter, _("Import work units"), "outreach:dual-unit-list"
    )


@login_required
@require_GET
def unit_export(request):
    access.require(request.user, "export", None)
    units = _work_units(request.user)
    if request.GET.get("unit"):
        units = units.filter(
            pk__in=WorkUnitPosting.objects.current()
            .within(requested_unit(request))
            .values("work_unit")
        )
    return _export(request, export_work_units(request.user, units), "双报到单位")


@login_required
def member_import(request):
    return _import_page(
        request, MemberImporter, _("Import Party members"), "outreach:dual-member-list"
    )


@login_required
@require_GET
def member_export(request):
    access.require(request.user, "export", None)
    members = ReportedMember.objects.for_user(request.user).order_by(
        "community__path", "name", "pk"
    )
    if request.GET.get("unit"):
        members = members.within(requested_unit(request))
    if request.GET.get("all") != "1":
        members = members.current()
    return _export(request, export_members(request.user, members), "双报到党员")


@login_required
def project_import(request):
    return _import_page(
        request, ProjectImporter, _("Import service projects"), "outreach:dual-project-list"
    )


@login_required
@require_GET
def project_export(request):
    access.require(request.user, "export", None)
    projects = ServiceProject.objects.for_user(request.user).order_by("-starts_on", "-pk")
    if request.GET.get("status", "") in ProjectStatus.values:
        projects = projects.filter(status=request.GET["status"])
    if request.GET.get("unit"):
        projects = projects.within(requested_unit(request))
    return _export(request, export_projects(request.user, projects), "服务项目")
