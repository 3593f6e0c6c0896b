"""Projects: list (drill-down of the figures), detail with the milestone tree, funding, photos
and documents, and the projects sheet (import and export); recording a milestone's progress
rolls the project up. economy.services decides who may write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from economy import figures as fig
from economy import services
from economy.forms import (
    AttachmentForm,
    FundingForm,
    MilestoneForm,
    ProgressForm,
    ProjectForm,
    ProjectStatusForm,
)
from economy.models import (
    Attachment,
    FundingKind,
    FundingSource,
    Milestone,
    Project,
    ProjectStatus,
    ProjectVillage,
)
from economy.resources.projects import ProjectSheet
from economy.views.tabs import page_unit, page_year, page_year_or_all, tab_context
from governance import access
from governance.htmx import is_partial, render_page
from governance.importing import import_page
from governance.pages import form_error, paginate
from governance.uploads import file_response


def _projects(request):
    return Project.objects.for_user(request.user)


def _get(request, pk: int) -> Project:
    return get_object_or_404(_projects(request).select_related("owner_unit", "model"), pk=pk)


@login_required
def project_list(request):
    unit = page_unit(request)
    year = page_year_or_all(request)
    qs = fig.projects_of(unit, year, request.user)
    status = request.GET.get("status", "")
    if status in ProjectStatus.values:
        qs = qs.filter(status=status)
    source = request.GET.get("source", "")
    if source in FundingKind.values:
        qs = qs.filter(pk__in=FundingSource.objects.filter(kind=source).values("project_id"))
    late = request.GET.get("late") == "1"
    if late:
        qs = fig.late_projects(qs, timezone.localdate())
    qs = (
        qs.select_related("owner_unit", "model")
        .prefetch_related(
            Prefetch(
                "project_villages",
                ProjectVillage.objects.select_related("village").order_by("village__path"),
            )
        )
        .order_by("-year", "owner_unit__path", "name", "pk")
    )
    page = paginate(request, qs)
    context = tab_context(request, unit, year or page_year(request), "projects")
    context.update(
        {
            "page": page,
            "status": status,
            "source": source,
            "late": late,
            "all_years": year is None,
            "statuses": ProjectStatus.choices,
            "sources": FundingKind.choices,
            "can_create": bool(services.project_owners(request.user)),
        }
    )
    return render_page(request, "economy/project_list.html", context, "rows")


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    owners = services.project_owners(request.user)
    if not owners:
        raise PermissionDenied
    form = ProjectForm(
        request.POST or None,
        user=request.user,
        owners=owners,
        initial={"owner_unit": owners[-1].pk if len(owners) == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            project = services.project_create(actor=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The project was created; add its milestones."))
            return redirect(project)
    return render(
        request,
        "economy/project_form.html",
        {"form": form, "project": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = _get(request, pk)
    if not services.may(request.user, project.owner_unit):
        raise PermissionDenied
    owners = services.project_owners(request.user)
    initial = {
        "owner_unit": project.owner_unit_id,
        "name": project.name,
        "year": project.year,
        "model": project.model_id,
        "villages": list(project.project_villages.values_list("village_id", flat=True)),
        "budget": project.budget,
        "description": project.description,
    }
    form = ProjectForm(request.POST or None, user=request.user, owners=owners, initial=initial)
    form.fields["owner_unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("owner_unit")
        try:
            services.project_update(project=project, actor=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect(project)
    return render(
        request,
        "economy/project_form.html",
        {"form": form, "project": project},
        status=400 if form.errors else 200,
    )


def _tree(milestones: list[Milestone]) -> list[tuple[Milestone, int]]:
    """Milestones in tree order with their depth (0 = top level)."""
    children: dict = {}
    for m in milestones:
        children.setdefault(m.parent_id, []).append(m)
    ordered = []

    def walk(parent_id, depth):
        for m in sorted(children.get(parent_id, []), key=lambda m: (m.order, m.pk)):
            m.depth = depth
            m.is_leaf = m.pk not in children
            ordered.append(m)
            walk(m.pk, depth + 1)

    walk(None, 0)
    return ordered


def can_handle(user, project: Project) -> bool:
    return services.may(user, project.owner_unit, services.MANAGE, services.HANDLE)


def _detail_context(request, project: Project, **extra) -> dict:
    milestones = _tree(list(Milestone.objects.filter(project=project)))
    funding = list(project.funding.all())
    handles = can_handle(request.user, project)
    return {
        "project": project,
        "milestones": milestones,
        "villages": [
            pv.village
            for pv in project.project_villages.select_related("village", "village__parent")
        ],
        "funding": funding,
        "funding_total": sum((f.amount for f in funding), services.ZERO),
        "attachments": project.attachments.all(),
        "today": timezone.localdate(),
        "can_handle": handles,
        "can_manage": services.may(request.user, project.owner_unit),
        "milestone_form": MilestoneForm(milestones=[m for m in milestones if m.depth < 2]),
        "funding_form": FundingForm(),
        "attachment_form": AttachmentForm(),
        "status_form": ProjectStatusForm(initial={"status": project.status}),
        **extra,
    }


@login_required
def project_detail(request, pk: int):
    project = _get(request, pk)
    return render_page(
        request, "economy/project_detail.html", _detail_context(request, project), "milestones"
    )


def _back(request, project: Project, error: ValidationError | None = None):
    if error is not None:
        messages.error(request, " ".join(error.messages))
    if is_partial(request):
        fresh = _get(request, project.pk)
        return render_page(
            request,
            "economy/project_detail.html",
            _detail_context(request, fresh),
            "milestones",
            status=400 if error is not None else 200,
        )
    return redirect(project)


@login_required
@require_POST
def milestone_add(request, pk: int):
    project = _get(request, pk)
    if not services.may(request.user, project.owner_unit):
        raise PermissionDenied  # before the form: its errors would show on the project's page
    milestones = list(Milestone.objects.filter(project=project))
    form = MilestoneForm(request.POST, milestones=milestones)
    if not form.is_valid():
        return _back(
            request, project, ValidationError([m for ms in form.errors.values() for m in ms])
        )
    data = form.cleaned_data
    parent = next((m for m in milestones if m.pk == data.pop("parent")), None)
    try:
        services.milestone_add(project=project, actor=request.user, parent=parent, **data)
    except ValidationError as error:
        return _back(request, project, error)
    messages.success(request, _("The milestone was added."))
    return _back(request, project)


def _milestone(request, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("project", "project__owner_unit").filter(
            project__in=_projects(request).values("pk")
        ),
        pk=pk,
    )


@login_required
@require_POST
def milestone_record(request, pk: int):
    """Record a leaf milestone's progress ("done" posts 100)."""
    milestone = _milestone(request, pk)
    project = milestone.project
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _back(request, project, ValidationError(_("Progress is between 0 and 100.")))
    try:
        project = services.milestone_record(
            milestone=milestone, actor=request.user, progress=form.cleaned_data["progress"]
        )
    except ValidationError as error:
        return _back(request, project, error)
    messages.success(
        request,
        _("“%(name)s” recorded; the project is at %(progress)s%%.")
        % {"name": milestone.name, "progress": project.progress},
    )
    return _back(request, project)


@login_required
@require_POST
def milestone_delete(request, pk: int):
    milestone = _milestone(request, pk)
    services.milestone_delete(milestone=milestone, actor=request.user)
    messages.success(request, _("The milestone was removed."))
    return _back(request, milestone.project)


@login_required
@require_POST
def project_status(request, pk: int):
    project = _get(request, pk)
    form = ProjectStatusForm(request.POST)
    if not form.is_valid() and not services.may(request.user, project.owner_unit):
        raise PermissionDenied
    if form.is_valid():
        try:
            services.project_set_status(
                project=project, actor=request.user, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            return _back(request, project, error)
        messages.success(request, _("The status was changed."))
    return redirect(project)


@login_required
@require_POST
def funding_set(request, pk: int):
    project = _get(request, pk)
    form = FundingForm(request.POST)
    if not form.is_valid() and not services.may(request.user, project.owner_unit):
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect(project)
    try:
        services.funding_set(project=project, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The funding was saved."))
    return redirect(project)


@login_required
@require_POST
def attachment_add(request, pk: int):
    project = _get(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        if not can_handle(request.user, project):
            raise PermissionDenied
        return render(
            request,
            "economy/project_detail.html",
            _detail_context(request, project, attachment_form=form),
            status=400,
        )
    services.attachment_add(project=project, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The file was added."))
    return redirect(project)


@login_required
def attachment_file(request, pk: int):
    """Files are served through the scope check, never from a public media URL."""
    attachment = get_object_or_404(
        Attachment.objects.filter(project__in=_projects(request).values("pk")), pk=pk
    )
    return file_response(attachment.file, download=attachment.kind != Attachment.Kind.PHOTO)


# The projects sheet -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_import(request, kind: str = "projects"):
    if not services.may(request.user, None):
        raise PermissionDenied
    sheet = ProjectSheet(request.user)
    return import_page(
        request, sheet, title=sheet.page_title(), back_url=reverse("economy:project-list")
    )


@login_required
@require_GET
def project_export(request, kind: str = "projects"):
    if not access.can(request.user, "export"):
        raise PermissionDenied
    return ProjectSheet(request.user).response(page_unit(request), page_year_or_all(request))
