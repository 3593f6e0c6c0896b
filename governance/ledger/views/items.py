"""Ledger item pages: the list, a department's queue, extension approvals, the detail page with
one POST URL per lifecycle step, registering an item, and the items' import (into one ledger:
governance.importing's upload → preview → confirm) and export (the filtered list, as .xlsx).

Every row is read through `LedgerItem.objects.for_user`, so an item outside the user's scope is
a 404 on every URL, partials and steps included. Every write goes through
governance.ledger.services; the lifecycle rules (governance.ledger.rules) decide which action
forms a page shows.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, When
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from governance import access, excel, importing, workdays
from governance.htmx import is_partial, render_page
from governance.ledger import services
from governance.ledger.filters import LIGHTS, ItemFilter
from governance.ledger.forms.items import (
    STEP_FORMS,
    ItemCreateForm,
    account_label,
    end_of_day,
    unit_label,
)
from governance.ledger.resources import ItemImporter, LedgerItemResource
from governance.ledger.rules import STEPS, allowed_steps, may
from governance.ledger.services import StepRefused
from governance.ledger.templatetags.ledger import deadline as format_deadline
from governance.models import (
    OPEN_STATUSES,
    AuditEvent,
    ExtensionRequest,
    ExtensionStatus,
    ItemAttachment,
    Ledger,
    LedgerItem,
    Satisfaction,
    Source,
    Status,
    Unit,
    UnitQuerySet,
)
from governance.redirects import next_url
from governance.services import audit_record
from governance.uploads import file_response

PAGE_SIZE = 50

# Everything a row of the list shows, fetched with the row: the list costs the same number of
# queries whatever the number of rows.
ROW_RELATED = (
    "ledger",
    "unit",
    "unit__parent",
    "responsible_unit",
    "category",
    "handler",
    "handler__person",
)


def _items(user):
    return LedgerItem.objects.for_user(user).select_related(*ROW_RELATED)


def _filters_query(request, *, page: bool = False) -> str:
    """The filters of the request without empty fields (and the page number if asked for)."""
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        kept = [v for v in values if v and not (key == "page" and (not page or v == "1"))]
        if kept:
            query.setlist(key, kept)
    return query.urlencode()


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def _export_url(request) -> str:
    """The export of exactly the rows listed, for roles that may export."""
    if not access.can(request.user, "export"):
        return ""
    return _with_query(reverse("ledger:item-export"), _filters_query(request))


def _import_url(request, filterset) -> str:
    """Import into the ledger the list is filtered on, where the user may register items."""
    ledger = filterset.form.cleaned_data.get("ledger") if filterset.is_valid() else None
    if ledger is None or not access.can(request.user, "create_items", ledger.unit):
        return ""
    return reverse("ledger:item-import", args=[ledger.pk])


# Selectors shared with the home panels (governance.ledger.home).


def handled_departments(user) -> list[Unit]:
    """The functional departments whose items the user handles."""
    return [
        unit
        for unit in Unit.objects.for_user(user).departments()
        if access.can(user, "handle_items", unit)
    ]


def decidable_extensions(user):
    """Pending extension requests the user may approve or refuse: rules.may(user,
    "extension_decide", item) written as a query (handle_items held strictly above the unit
    responsible for the item), so the list pages and counts in the database."""
    pending = ExtensionRequest.objects.for_user(user).filter(
        status=ExtensionStatus.PENDING, item__status__in=STEPS["extension_decide"].from_statuses
    )
    if user.is_superuser:
        return pending
    above = Q(pk__in=[])
    for unit in access.units_where(user, "handle_items"):
        above |= Q(item__responsible_unit__path__startswith=unit.path) & ~Q(
            item__responsible_unit__path=unit.path
        )
    return pending.filter(above)


def creatable_ledgers(user):
    """Active ledgers the user may register items in: those of units where they hold
    create_items, and for grid workers the ledgers of the community their grid belongs to."""
    ledgers = Ledger.objects.filter(is_active=True).select_related("unit")
    if user.is_superuser:
        return ledgers
    condition = Q(pk__in=[])
    for unit in access.units_where(user, "create_items"):
        condition |= Q(unit__path__startswith=unit.path)
        if unit.kind == Unit.Kind.GRID:
            condition |= Q(unit_id=unit.parent_id)
    return ledgers.filter(condition)


def arising_units(user, ledger: Ledger | None):
    """Where an item of `ledger` may have arisen: the ledger unit's territory, within the units
    where the user may register items."""
    if ledger is None:
        return Unit.objects.none()
    units = Unit.objects.territory().filter(path__startswith=ledger.unit.path)
    if not user.is_superuser:
        paths = [unit.path for unit in access.units_where(user, "create_items")]
        units = units.filter(UnitQuerySet.scope_q(paths)) if paths else units.none()
    return units.select_related("parent")


# The list.


def _filter_options(user, filterset) -> dict:
    """Choices of the filter form. Grids are left out of the unit menus (a district has
    thousands); a grid reached by a link stays selectable. Read as plain values: a district's
    menus hold a thousand units and two thousand ledgers."""
    units = list(
        filterset.filters["responsible"]
        .queryset.exclude(kind=Unit.Kind.GRID)
        .order_by("path")
        .values_list("pk", "name", "parent__name", "kind", "path")
    )
    filterset.form.is_valid()  # cleaned_data keeps the valid fields of an invalid form
    data = filterset.form.cleaned_data
    chosen_unit = data.get("unit")
    scope = tuple(_scope(user))
    territory = [
        (pk, f"{parent} / {name}" if parent else name)
        for pk, name, parent, kind, path in units
        if kind != Unit.Kind.DEPARTMENT and path.startswith(scope)
    ]
    if chosen_unit is not None and chosen_unit.pk not in {pk for pk, _label in territory}:
        territory.insert(0, (chosen_unit.pk, unit_label(chosen_unit)))
    handler = data.get("handler")
    handler_label = ""
    if handler and handler != user.pk:
        other = (
            LedgerItem.objects.for_user(user)
            .filter(handler_id=handler)
            .select_related("handler__person")
            .first()
        )
        handler_label = account_label(other.handler) if other else f"#{handler}"
    return {
        "ledgers": [
            (pk, f"{unit} · {name}")
            for pk, unit, name in filterset.filters["ledger"].queryset.values_list(
                "pk", "unit__name", "name"
            )
        ],
        "categories": list(filterset.filters["category"].queryset.values_list("pk", "name")),
        "territory": territory,
        "responsible_units": [
            (pk, f"{parent} / {name}" if parent else name) for pk, name, parent, _k, _p in units
        ],
        "statuses": Status.choices,
        "lights": LIGHTS,
        "sources": Source.choices,
        "orderings": [
            ("", _("Newest first")),
            ("received", _("Oldest first")),
            ("due", _("Deadline, earliest first")),
            ("-due", _("Deadline, latest first")),
            ("number", _("Number")),
            ("status", _("Status")),
        ],
        "handler_label": handler_label,
    }


def _scope(user) -> list[str]:
    return [""] if user.is_superuser else access.scope_paths(user)


def _sort_next(current: str) -> dict[str, str]:
    """Column headers sort by their column; a second click reverses the order."""
    return {key: f"-{key}" if current == key else key for key in ("number", "status", "due")}


@login_required
def item_list(request):
    user = request.user
    filterset = ItemFilter(request.GET, _items(user), request=request)
    if "unit" in filterset.errors:
        # A unit outside the user's scope (a drill-down link from another unit's dashboard):
        # as if it did not exist, rather than the user's own items under a foreign filter.
        raise Http404
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "now": timezone.now(),
        "export_url": _export_url(request),
        "import_url": _import_url(request, filterset),
        "can_create": access.can(user, "create_items"),
        "handles_departments": access.has_role(user, "department_handler"),
        "can_decide": access.can(user, "handle_items"),
        "me": str(user.pk),
        "sort_next": _sort_next(request.GET.get("ordering", "")),
    }
    if not is_partial(request):
        context.update(_filter_options(user, filterset))
        return render_page(request, "ledger/item_list.html", context, "rows")
    response = render_page(request, "ledger/item_list.html", context, "rows")
    # The address bar shows the filters in use, not every empty field of the form.
    return push_url(response, _with_query(request.path, _filters_query(request, page=True)))


@login_required
def department_queue(request):
    """Items handed to the user's department(s): open first, the earliest deadline first."""
    departments = handled_departments(request.user)
    if not departments:
        raise PermissionDenied(_("This page is for the handlers of a functional department."))
    items = (
        _items(request.user)
        .filter(responsible_unit__in=departments)
        .annotate(
            done=Case(
                When(status__in=OPEN_STATUSES, then=0), default=1, output_field=IntegerField()
            )
        )
        .order_by("done", F("due_at").asc(nulls_last=True), "pk")
    )
    # The list's own filters, so a search finds here what it finds there: number, title or
    # 12345 ticket; status; light (red: overdue).
    filterset = ItemFilter(request.GET, items, request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "now": timezone.now(),
        "departments": departments,
        "statuses": Status.choices,
        "lights": LIGHTS,
    }
    response = render_page(request, "ledger/item_queue.html", context, "rows")
    if is_partial(request):
        response = push_url(response, _with_query(request.path, _filters_query(request, page=True)))
    return response


@login_required
def extension_list(request):
    access.require(request.user, "handle_items")
    extensions = decidable_extensions(request.user).select_related(
        "item",
        "item__unit",
        "item__unit__parent",
        "item__responsible_unit",
        "requested_by",
        "requested_by__person",
    )
    page = Paginator(extensions.order_by("requested_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_page(
        request,
        "ledger/item_extensions.html",
        {"page": page, "now": timezone.now()},
        "rows",
    )


# The detail page and its steps.

# Steps shown as one big button: they need nothing but a click.
ONE_CLICK_STEPS = {"accept", "start", "verify"}


def _detail_items(user):
    return LedgerItem.objects.for_user(user).select_related(
        "ledger",
        "unit",
        "unit__parent",
        "responsible_unit",
        "handed_over_from",
        "category",
        "handler",
        "handler__person",
        "created_by",
        "created_by__person",
    )


def _can_reveal(user, item) -> bool:
    # Whoever must call the resident back (the call-back step) needs the number too.
    return (
        access.can(user, "view_personal_data", item.unit)
        or access.can(user, "view_personal_data", item.responsible_unit)
        or may(user, "satisfaction", item)
    )


def _event_details(events) -> None:
    """Attach to each event, as (label, before, after), the facts its data records."""
    department_ids = {e.data["department"] for e in events if e.data.get("department")}
    names = dict(Unit.objects.filter(pk__in=department_ids).values_list("pk", "name"))
    for event in events:
        data, details = event.data, []
        if data.get("department"):
            details.append((_("Department"), "", names.get(data["department"], "—")))
        old_due, new_due = data.get("old_due"), data.get("new_due")
        if new_due and new_due != old_due:
            details.append((_("Deadline"), format_deadline(old_due), format_deadline(new_due)))
        if data.get("requested_due"):
            details.append((_("Deadline asked for"), "", format_deadline(data["requested_due"])))
        if data.get("satisfaction"):
            details.append((_("Satisfaction"), "", Satisfaction(data["satisfaction"]).label))
        if data.get("overdue_workdays"):
            details.append((_("Working days overdue"), "", data["overdue_workdays"]))
        event.details = details


def _step_forms(user, item, steps, extension, bound=None) -> list[dict]:
    forms = []
    for step in steps:
        if step == "edit":
            continue
        if step == "extension_decide" and extension is None:
            continue
        if step == "extension_request" and (extension is not None or item.due_at is None):
            continue
        if bound is not None and bound.step == step:
            form = bound
        else:
            kwargs = {"extension": extension} if step == "extension_decide" else {}
            form = STEP_FORMS[step](item=item, step=step, **kwargs)
        forms.append(
            {
                "step": step,
                "label": STEPS[step].label,
                "form": form,
                "one_click": step in ONE_CLICK_STEPS,
                "open": bound is not None and bound.step == step,
            }
        )
    return forms


def _source_link(user, item) -> dict | None:
    """The record the item was registered from (a visit, a reception session, …), linked when
    the user may open it: the source model's own scoping decides, so governance needs to know
    nothing of the apps."""
    if item.source_type_id is None or item.source_id is None:
        return None
    model = item.source_type.model_class()
    manager = getattr(model, "_default_manager", None) if model is not None else None
    if manager is None or not hasattr(manager, "for_user"):
        return None
    record = manager.for_user(user).filter(pk=item.source_id).first()
    if record is None or not hasattr(record, "get_absolute_url"):
        return None
    return {"url": record.get_absolute_url(), "label": model._meta.verbose_name}


def _detail_context(request, item, *, bound=None, revealed=False) -> dict:
    user = request.user
    now = timezone.now()
    events = list(item.events.select_related("actor", "actor__person"))
    _event_details(events)
    extensions = list(item.extensions.select_related("requested_by__person", "decided_by__person"))
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    steps = allowed_steps(user, item)
    calendar_gaps = []
    if item.due_at is not None:
        calendar_gaps = workdays.unknown_years(
            timezone.localdate(item.received_at), timezone.localdate(item.due_at)
        )
    return {
        "item": item,
        "now": now,
        "light": item.light(now),
        "events": events,
        "extensions": extensions,
        "pending_extension": pending,
        "attachments": list(item.attachments.select_related("uploaded_by__person")),
        "source_link": _source_link(user, item),
        "actions": _step_forms(user, item, steps, pending, bound),
        "can_reveal": _can_reveal(user, item),
        "revealed": revealed,
        "calendar_gaps": calendar_gaps,
    }


@login_required
def item_detail(request, pk):
    item = get_object_or_404(_detail_items(request.user), pk=pk)
    return render_page(request, "ledger/item_detail.html", _detail_context(request, item), "item")


@login_required
@require_POST
def item_reveal(request, pk):
    """The resident's name and phone in full, for roles that may see personal data; recorded."""
    item = get_object_or_404(_detail_items(request.user), pk=pk)
    if not _can_reveal(request.user, item):
        raise PermissionDenied(_("Your role may not see full personal data."))
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.REVEAL,
        target=f"{LedgerItem._meta.label_lower}:{item.pk}",
        unit=item.unit,
        row_count=1,
        detail={"fields": ["resident_name", "resident_phone"]},
    )
    context = _detail_context(request, item, revealed=True)
    return render_page(request, "ledger/item_detail.html", context, "resident")


@login_required
def item_attachment(request, pk, attachment_pk):
    """An attachment, to whoever may open its item; the files are not served publicly."""
    item = get_object_or_404(LedgerItem.objects.for_user(request.user), pk=pk)
    attachment = get_object_or_404(ItemAttachment, pk=attachment_pk, item=item)
    return file_response(attachment.file, filename=attachment.name, download=True)


def _refusal(user, step: str, item: LedgerItem, version: int | None) -> str:
    """Why the service would refuse this step now ("" if it would not). Checked before the form
    so that a step no longer possible says so instead of complaining about an empty field."""
    refusal = services.step_refusal(item=item, step=step, actor=user, version=version)
    return refusal.messages[0] if refusal is not None else ""


def _perform(step: str, item: LedgerItem, user, data: dict):
    """Call the service of `step` with the form's cleaned data."""
    version = data.get("version")
    common = {"item": item, "actor": user}
    if "version" in data:
        common["version"] = version
    match step:
        case "accept":
            return services.item_accept(**common, note=data["note"])
        case "start":
            return services.item_start(**common, note=data["note"])
        case "plan":
            return services.item_plan(
                **common, measures=data["measures"], due_on=data["due_on"], handler=data["handler"]
            )
        case "reply":
            return services.item_reply(**common, reply=data["reply"])
        case "hand_over":
            return services.item_hand_over(
                **common, department=data["department"], note=data["note"]
            )
        case "return":
            return services.item_return(**common, note=data["note"])
        case "urge":
            return services.item_urge(item=item, actor=user, note=data["note"])
        case "withdraw":
            return services.item_withdraw(**common, note=data["note"])
        case "resolve":
            return services.item_resolve(**common, result=data["result"])
        case "verify":
            return services.item_verify(**common, passed=True, note=data["note"])
        case "verify_fail":
            return services.item_verify(**common, passed=False, note=data["note"])
        case "satisfaction":
            return services.item_record_satisfaction(
                **common, satisfaction=data["satisfaction"], note=data["note"]
            )
        case "explain":
            return services.item_close_explained(**common, explanation=data["explanation"])
        case "extension_request":
            return services.extension_request(
                **common, reason=data["reason"], due_on=data["due_on"]
            )
        case "extension_decide":
            return services.extension_decide(
                extension=data["extension"],
                actor=user,
                approve=data["decision"] == "approve",
                note=data["note"],
            )
        case "attach":
            return services.item_attach(**common, upload=data["file"])
    raise Http404


def _posted_version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def item_step(request, pk, step):
    """One lifecycle step. Refused steps change nothing and say why: a redirect with the message,
    or for htmx the refreshed item with HTTP 409 (422 for a form to correct)."""
    if step not in STEP_FORMS:
        raise Http404
    user = request.user
    item = get_object_or_404(_detail_items(user), pk=pk)
    form_class = STEP_FORMS[step]
    version = _posted_version(request) if form_class.versioned else None
    refusal = _refusal(user, step, item, version)
    form = None
    if not refusal:
        kwargs = {}
        if step == "extension_decide":
            kwargs["extension"] = None
        form = form_class(request.POST, request.FILES, item=item, step=step, **kwargs)
        if step == "extension_decide" and form["extension"].errors:
            # Decided a moment ago by someone else (e.g. from the approvals page).
            refusal = _("This extension request has already been decided.")
        elif form.is_valid():
            try:
                _perform(step, item, user, form.cleaned_data)
            except StepRefused as error:
                refusal = " ".join(error.messages)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": STEPS[step].label})
                if is_partial(request) and not request.POST.get("next"):
                    fresh = _detail_items(user).get(pk=item.pk)
                    return render_page(
                        request, "ledger/item_detail.html", _detail_context(request, fresh), "item"
                    )
                return redirect(next_url(request, item.get_absolute_url()))
    if refusal:
        messages.error(request, refusal)
        if is_partial(request):
            fresh = _detail_items(user).get(pk=item.pk)
            return render_page(
                request,
                "ledger/item_detail.html",
                _detail_context(request, fresh),
                "item",
                status=409,
            )
        return redirect(next_url(request, item.get_absolute_url()))
    # The form needs correcting: show it again, filled in as sent.
    return render_page(
        request,
        "ledger/item_detail.html",
        _detail_context(request, item, bound=form),
        "item",
        status=422 if is_partial(request) else 400,
    )


# Registering an item.


@login_required
def item_create(request):
    user = request.user
    access.require(user, "create_items")
    ledgers = creatable_ledgers(user)
    chosen = request.POST.get("ledger") if request.method == "POST" else request.GET.get("ledger")
    ledger = None
    if chosen:
        if not str(chosen).isdigit():
            raise Http404
        ledger = ledgers.filter(pk=chosen).first()
        if ledger is None and request.method == "GET":
            raise Http404
    elif request.method == "GET":
        only = list(ledgers[:2])
        ledger = only[0] if len(only) == 1 else None
    units = arising_units(user, ledger)
    can_answer = access.can(user, "handle_items")
    initial = {}
    if ledger is not None:
        # Where the user works (a grid worker's grid) when it lies in the ledger's unit.
        own = [
            u
            for u in access.units_where(user, "create_items")
            if u.is_territory and u.path.startswith(ledger.unit.path)
        ]
        initial["unit"] = max(own, key=lambda u: u.depth).pk if own else ledger.unit.pk
    form = ItemCreateForm(
        request.POST or None,
        initial=initial,
        ledgers=ledgers,
        ledger=ledger,
        units=units,
        can_answer=can_answer,
    )
    if request.method == "GET" and is_partial(request):
        # The ledger was changed: its units, categories and usual source.
        return render_page(
            request, "ledger/item_form.html", {"form": form, "ledger": ledger}, "ledger-fields"
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = _register(user, data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Item %(number)s registered.") % {"number": item.number})
            return redirect(item)
    return render(request, "ledger/item_form.html", {"form": form, "ledger": ledger})


@transaction.atomic
def _register(user, data: dict) -> LedgerItem:
    """item_create, and for a matter settled at the reception also reply and resolve: all of it
    or nothing."""
    item = services.item_create(
        ledger=data["ledger"],
        title=data["title"],
        unit=data["unit"],
        actor=user,
        source=data["source"],
        description=data["description"],
        category=data["category"],
        resident_name=data["resident_name"],
        resident_phone=data["resident_phone"],
        measures=data["measures"],
        due_at=end_of_day(data["due_on"]) if data["due_on"] else None,
        hotline_ticket=data["hotline_ticket"],
        hotline_due_at=end_of_day(data["hotline_due_on"]) if data["hotline_due_on"] else None,
    )
    if data.get("answered_on_spot"):
        item = services.item_reply(item=item, actor=user, reply=data["reply"])
        item = services.item_resolve(item=item, actor=user, result=data["reply"])
    return item


# Excel ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def item_import(request, ledger_pk: int):
    """Upload → preview (a dry run: every row checked, nothing kept) → confirm (the import)."""
    ledger = get_object_or_404(
        Ledger.objects.for_user(request.user).select_related("unit"), pk=ledger_pk
    )
    if not access.can(request.user, "create_items", ledger.unit):
        raise PermissionDenied
    importer = ItemImporter(request.user, ledger=ledger)
    return importing.import_page(
        request,
        importer,
        title=_("Import items into “%(name)s”") % {"name": ledger.name},
        back_url=ledger.get_absolute_url(),
    )


@login_required
@require_GET
def item_export(request):
    """The item list as filtered by the same query string, as .xlsx; recorded as an export."""
    if not access.can(request.user, "export"):
        raise PermissionDenied
    filterset = ItemFilter(
        request.GET, queryset=LedgerItem.objects.for_user(request.user), request=request
    )
    if "unit" in filterset.errors:  # a unit outside the user's scope, as on the list
        raise Http404
    filters = {key: request.GET.getlist(key) for key in request.GET if key != "page"}
    resource = LedgerItemResource(user=request.user)
    output = resource.export_workbook(filterset.qs, detail={"filters": filters})
    return excel.response(output, excel.file_name(_("Ledger items")))
