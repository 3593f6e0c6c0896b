import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Case, Count, Q, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance import access, services
from governance.forms import (
    AccountForm,
    MembershipForm,
    PersonForm,
    UnitCreateForm,
    UnitForm,
    UnitMoveForm,
)
from governance.htmx import render_page
from governance.models import Membership, Notification, Person, Unit, UnitQuerySet
from governance.normalize import clean_text
from governance.notifications import mark_read
from governance.pages import form_error, paginate
from governance.params import id_param
from governance.registry import registry

logger = logging.getLogger(__name__)


@login_required
def home(request):
    panels = []
    for panel in registry.home_panels:
        context = panel.context(request)
        if context is not None:
            panels.append({"template": panel.template, **context})
    return render(request, "governance/home.html", {"panels": panels})


def _annotated_children(parent_ids):
    """Children in the order they were created, functional departments after the territory."""
    return (
        Unit.objects.filter(parent__in=parent_ids)
        .annotate(
            child_count=Count("children_units"),
            is_department=Case(When(kind=Unit.Kind.DEPARTMENT, then=1), default=0),
        )
        .order_by("is_department", "path")
    )


@login_required
def unit_list(request):
    if request.user.is_superuser:
        roots = Unit.objects.filter(depth=1)
    else:
        roots = Unit.objects.filter(path__in=access.scope_paths(request.user))
    roots = roots.select_related("parent").annotate(child_count=Count("children_units"))
    query = clean_text(request.GET.get("q"))
    matches = None
    if query:
        matches = (
            Unit.objects.for_user(request.user)
            .filter(Q(name__contains=query) | Q(code__startswith=query))
            .select_related("parent", "parent__parent")[:50]
        )
    return render(
        request, "governance/unit_list.html", {"roots": roots, "query": query, "matches": matches}
    )


@login_required
@require_GET
def unit_children(request, pk):
    unit = get_object_or_404(Unit.objects.for_user(request.user), pk=pk)
    return render(
        request, "governance/unit_list.html#nodes", {"nodes": _annotated_children([unit.pk])}
    )


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(
        Unit.objects.for_user(request.user).select_related("parent", "area", "work_zone"), pk=pk
    )
    in_scope = set(
        Unit.objects.for_user(request.user)
        .filter(path__in=unit.ancestor_paths())
        .values_list("path", flat=True)
    )
    ancestors = [
        (a, a.path in in_scope) for a in Unit.objects.filter(path__in=unit.ancestor_paths()[:-1])
    ]
    memberships = (
        Membership.objects.current()
        .filter(unit=unit)
        .select_related("user", "user__person")
        .order_by("role", "user__username")
    )
    return render(
        request,
        "governance/unit_detail.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "children": _annotated_children([unit.pk]),
            "memberships": memberships,
            "people_count": Person.objects.within(unit).count(),
            "can_edit": access.can(request.user, "manage_units", unit, strictly_above=True),
            "can_add_child": bool(unit.child_kinds)
            and access.can(request.user, "manage_units", unit),
            "can_manage_memberships": access.may_appoint(request.user, unit),
        },
    )


@login_required
def unit_create(request, pk):
    parent = get_object_or_404(Unit.objects.for_user(request.user), pk=pk)
    access.require(request.user, "manage_units", parent)
    if not parent.child_kinds:
        raise PermissionDenied(_("Nothing can be placed under a grid."))
    form = UnitCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            unit = services.unit_create(
                parent=parent,
                kind=data.pop("kind"),
                name=data.pop("name"),
                code=data.pop("code"),
                **data,
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Unit “%(name)s” created.") % {"name": unit.name})
            return redirect(unit)
    return render(request, "governance/unit_form.html", {"form": form, "parent": parent})


@login_required
def unit_edit(request, pk):
    unit = get_object_or_404(Unit.objects.for_user(request.user).select_related("parent"), pk=pk)
    access.require(request.user, "manage_units", unit, strictly_above=True)
    form = UnitForm(request.POST or None, instance=unit, parent=unit.parent, kind=unit.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                unit=Unit.objects.get(pk=unit.pk),
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Unit saved."))
            return redirect(unit)
    return render(request, "governance/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_move(request, pk):
    unit = get_object_or_404(Unit.objects.for_user(request.user).select_related("parent"), pk=pk)
    access.require(request.user, "manage_units", unit, strictly_above=True)
    manageable = access.units_where(request.user, "manage_units")
    candidates = Unit.objects.all()
    if not request.user.is_superuser:
        candidates = candidates.filter(UnitQuerySet.scope_q([u.path for u in manageable]))
    form = UnitMoveForm(request.POST or None, unit=unit, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_move(unit=unit, new_parent=form.cleaned_data["new_parent"])
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Unit moved with everything below it."))
            return redirect(unit)
    return render(request, "governance/unit_move.html", {"form": form, "unit": unit})


PEOPLE_PAGE_SIZE = 50


@login_required
def person_list(request):
    people = Person.objects.for_user(request.user).select_related("unit", "unit__parent")
    query = clean_text(request.GET.get("q"))
    if query:
        people = people.filter(Q(name__contains=query) | Q(posts__contains=query))
    unit = None
    if unit_pk := id_param(request, "unit"):
        unit = Unit.objects.for_user(request.user).filter(pk=unit_pk).first()
        if unit is not None:
            people = people.filter(unit__path__startswith=unit.path)
    if request.GET.get("party") == "1":
        people = people.filter(is_party_member=True)
    page = paginate(request, people.order_by("unit__path", "name", "pk"), PEOPLE_PAGE_SIZE)
    return render_page(
        request,
        "governance/person_list.html",
        {
            "page": page,
            "query": query,
            "unit": unit,
            "can_add": access.can(request.user, "manage_people"),
        },
        partial="rows",
    )


@login_required
def person_detail(request, pk):
    person = get_object_or_404(
        Person.objects.for_user(request.user).select_related("unit", "unit__parent", "user"), pk=pk
    )
    return render(
        request,
        "governance/person_detail.html",
        {
            "person": person,
            "can_edit": access.can(request.user, "manage_people", person.unit),
            "can_reveal": access.can(request.user, "view_personal_data", person.unit),
            "can_open_account": not person.user_id
            and access.can(request.user, "manage_memberships", person.unit),
            "account_form": AccountForm(),
        },
    )


def _person_units(user):
    return Unit.objects.for_user(user).filter(kind__in=[k for k in Unit.Kind]).order_by("path")


@login_required
def person_create(request):
    access.require(request.user, "manage_people")
    initial = {}
    if unit_pk := id_param(request, "unit"):
        initial["unit"] = unit_pk
    form = PersonForm(request.POST or None, initial=initial, units=_person_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        access.require(request.user, "manage_people", data["unit"])
        try:
            person = services.person_create(unit=data.pop("unit"), name=data.pop("name"), **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": person.name})
            return redirect(person)
    return render(request, "governance/person_form.html", {"form": form})


@login_required
def person_edit(request, pk):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    access.require(request.user, "manage_people", person.unit)
    can_reveal = access.can(request.user, "view_personal_data", person.unit)
    form = PersonForm(request.POST or None, instance=person, units=_person_units(request.user))
    if not can_reveal:
        # Who may not see full personal data edits everything else; the values stay as they are.
        del form.fields["phone"]
        del form.fields["id_number"]
    if request.method == "POST" and "reveal" in request.POST:
        if not can_reveal:
            raise PermissionDenied
        services.person_reveal(person=person, actor=request.user)
        form = PersonForm(instance=person, units=_person_units(request.user))
        form.reveal()
    elif request.method == "POST" and form.is_valid():
        access.require(request.user, "manage_people", form.cleaned_data["unit"])
        try:
            services.person_update(person=Person.objects.get(pk=person.pk), **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(person)
    return render(
        request,
        "governance/person_form.html",
        {"form": form, "person": person, "can_reveal": can_reveal and bool(form.masked)},
    )


@login_required
@require_POST
def person_reveal(request, pk):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    try:
        full = services.person_reveal(person=person, actor=request.user)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from None
    return render(
        request, "governance/person_detail.html#personal-data", {"person": person, "revealed": full}
    )


@login_required
@require_POST
def person_account(request, pk):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    access.require(request.user, "manage_memberships", person.unit)
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            services.account_create(person=person, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Login account opened for %(name)s.") % {"name": person.name}
            )
            return redirect(person)
    return render(
        request,
        "governance/person_detail.html",
        {
            "person": person,
            "can_edit": access.can(request.user, "manage_people", person.unit),
            "can_reveal": access.can(request.user, "view_personal_data", person.unit),
            "can_open_account": True,
            "account_form": form,
        },
        status=400,
    )


@login_required
def membership_add(request, pk):
    unit = get_object_or_404(Unit.objects.for_user(request.user), pk=pk)
    if not access.may_appoint(request.user, unit):
        raise PermissionDenied(
            _("Roles here are given by the level above or the district administrator.")
        )
    accounts = get_user_model().objects.filter(is_active=True).select_related("person")
    if not request.user.is_superuser:
        accounts = accounts.filter(person__in=Person.objects.for_user(request.user))
    form = MembershipForm(
        request.POST or None,
        unit=unit,
        accounts=accounts.order_by("username"),
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Role assigned."))
            return redirect(unit)
    return render(request, "governance/membership_form.html", {"form": form, "unit": unit})


@login_required
@require_POST
def membership_end(request, pk):
    membership = get_object_or_404(
        Membership.objects.for_user(request.user).select_related("unit"), pk=pk
    )
    if not access.may_appoint(request.user, membership.unit):
        raise PermissionDenied(
            _("Roles here are given by the level above or the district administrator.")
        )
    try:
        services.membership_end(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role ended."))
    return redirect(membership.unit)


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread") == "1":
        notifications = notifications.filter(read_at__isnull=True)
    page = paginate(request, notifications, 30)
    return render(request, "governance/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(user=request.user, notification_ids=[notification.pk])
    if notification.url and request.POST.get("follow"):
        return redirect(notification.url)
    return redirect("governance:notification-list")


@login_required
@require_POST
def notification_read_all(request):
    mark_read(user=request.user)
    return redirect("governance:notification-list")


@login_required
@require_GET
def unread_badge(request):
    return render(request, "base.html#unread-badge", {})


@require_GET
def healthz(request):
    """For load balancers and compose: does the database answer, does the cache (Redis)?

    Each is reported on its own. Without the database nothing works: 503, and compose marks the
    container unhealthy. Without the cache the site still serves (throttles let requests through,
    see governance/throttling.py): 200 with status "degraded", so a monitor can tell."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("health check: the database does not answer")
        checks["database"] = "down"
    try:
        cache.set("healthz", 1, timeout=10)
        checks["cache"] = "ok" if cache.get("healthz") == 1 else "down"
    except Exception:
        logger.exception("health check: the cache does not answer")
        checks["cache"] = "down"
    status = "ok" if checks["cache"] == "ok" else "degraded"
    if checks["database"] != "ok":
        status = "down"
    return JsonResponse({"status": status, **checks}, status=503 if status == "down" else 200)
