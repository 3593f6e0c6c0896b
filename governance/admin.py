"""The Django admin of the ground floor, scoped like every other page.

Superusers see everything. Other staff see only the rows in their data scope
(governance.querysets), change only what their role manages (governance.access capabilities),
and every write goes through the services so that the tree, the denormalised Unit.parent and
the audit log stay right. Apps on the upper floors build their admins from ScopedAdminMixin
and, for Excel import and export, ScopedImportExportMixin.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from governance import access, excel, services
from governance.excel import SheetError
from governance.models import (
    Area,
    AuditEvent,
    CalendarDay,
    CalendarSource,
    CalendarYear,
    Membership,
    Notification,
    Person,
    Role,
    Unit,
    UnitQuerySet,
    WorkZone,
)
from governance.normalize import normalize_id_number, normalize_phone
from governance.resources import XLSX, PersonResource, UnitResource, in_scope, row_errors


def adopt(obj, saved) -> None:
    """Point the admin's object at the row a service wrote, for the log and the redirect."""
    obj.pk = saved.pk
    obj.refresh_from_db()


def _managed_units(user, capability: str):
    paths = [unit.path for unit in access.units_where(user, capability)]
    return Unit.objects.filter(UnitQuerySet.scope_q(paths)) if paths else Unit.objects.none()


class ScopedAdminMixin:
    """Lists, forms and permissions of a ModelAdmin limited to the user's data scope.

    A row is in scope when one of the units its queryset's `scope_fields` lead to lies in the
    user's scope; it may be added, changed or deleted when the user also holds
    `manage_capability` over that unit. Superusers are not limited.
    """

    #: Capability (governance.access.CAPABILITIES) a non-superuser needs over an object's unit
    #: to add, change or delete it; None leaves that to the model permissions alone.
    manage_capability: str | None = None

    def scope_queryset(self, request, queryset):
        return queryset.for_user(request.user)

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def scope_units(self, obj) -> list[Unit]:
        """The units an object belongs to. Cheap on list pages that select_related them."""
        units = []
        for path in self.model._default_manager.all().scope_fields:
            unit = obj
            for name in filter(None, path.split("__")):
                unit = getattr(unit, name) if unit is not None else None
            if unit is not None:
                units.append(unit)
        return units

    def in_scope(self, request, obj) -> bool:
        if request.user.is_superuser:
            return True
        if any(in_scope(request.user, unit) for unit in self.scope_units(obj)):
            return True
        # A queryset with a scope_q of its own (a work unit seen where it is posted) reaches
        # further than its scope fields.
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def may_manage(self, request, obj) -> bool:
        if request.user.is_superuser:
            return True
        if self.manage_capability is None:
            return self.in_scope(request, obj)
        return any(
            access.can(request.user, self.manage_capability, unit) for unit in self.scope_units(obj)
        )

    def holds_capability(self, request) -> bool:
        return (
            request.user.is_superuser
            or self.manage_capability is None
            or access.can(request.user, self.manage_capability)
        )

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or self.in_scope(request, obj)
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self.holds_capability(request)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return self.holds_capability(request) if obj is None else self.may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return self.holds_capability(request) if obj is None else self.may_manage(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            # Bulk deletion checks the model permission only, not each row's unit.
            actions.pop("delete_selected", None)
        return actions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and "queryset" not in kwargs:
            choices = self.scoped_choices(request, db_field.related_model)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def scoped_choices(self, request, model):
        """What a non-superuser may pick for a foreign key to `model`; None: anything."""
        user = request.user
        if model is Unit:
            if self.manage_capability:
                return _managed_units(user, self.manage_capability)
            return Unit.objects.for_user(user)
        if model is get_user_model():
            return model.objects.filter(person__in=Person.objects.for_user(user))
        if hasattr(model._default_manager, "for_user"):
            return model._default_manager.for_user(user)
        return None


class ScopedImportExportMixin(ScopedAdminMixin, ImportExportMixin):
    """Excel (.xlsx) import and export with resources made for the signed-in user.

    Importing needs the add and change permissions and `manage_capability`; exporting needs
    the view permission and the "export" capability. The import page shows every row's errors
    before anything can be confirmed.
    """

    formats = [XLSX]
    import_error_display = ("message", "row")
    # Every column, always: a file with columns left out could not be imported back.
    export_form_class = ExportForm

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form)
        name = excel.file_name(str(self.model._meta.verbose_name_plural))
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def has_import_permission(self, request):
        return (
            super().has_import_permission(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def has_export_permission(self, request):
        return (
            super().has_export_permission(request)
            and self.has_view_permission(request)
            and access.can(request.user, "export")
        )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The confirmed file no longer imports cleanly (the data changed since the preview);
            # the import was rolled back as a whole.
            details = "; ".join(
                _("row %(row)s, %(column)s: %(message)s")
                % {"row": row, "column": column, "message": message}
                for row, column, message in row_errors(result)[:5]
            )
            messages.error(request, _("Nothing was imported. %(details)s") % {"details": details})
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(
                reverse(f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name)
            )
        return super().process_result(result, request)


class ReadOnlyAdminMixin:
    """Records kept by the system itself: shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnitAdminForm(MoveNodeForm):
    """Chooses a unit's parent; the services write the tree in UnitAdmin.save_model.

    MoveNodeForm.save() would move nodes itself and leave Unit.parent behind, so it is never
    called. Services place a unit as the last child of its parent, hence no position choice.
    """

    #: The signed-in user; set per request by UnitAdmin.get_form.
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        position = self.fields["treebeard_position"]
        position.widget = forms.HiddenInput()
        self.initial["treebeard_position"] = "first-child"
        parent = self.fields["treebeard_ref_node"]
        parent.label = Unit._meta.get_field("parent").verbose_name
        # Grids and departments have no children; leaving them out keeps the list short.
        choices = parent.queryset.exclude(kind__in=(Unit.Kind.GRID, Unit.Kind.DEPARTMENT))
        if not self.user.is_superuser:
            choices = choices.filter(pk__in=_managed_units(self.user, "manage_units"))
            # Only a superuser may make a unit a root; others must pick a parent.
            parent.required = True
            parent.empty_label = "---------"
        parent.queryset = choices
        if self.instance.pk:
            self.initial["treebeard_ref_node"] = self.instance.parent_id

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or self.instance.kind
        if kind and "treebeard_ref_node" in data:
            parent = data["treebeard_ref_node"]
            placed = Unit(kind=kind, area=data.get("area"), work_zone=data.get("work_zone"))
            try:
                services.unit_check_parent(kind, parent)
                services.unit_check_groupings(placed, parent)
            except ValidationError as error:
                self.add_error(None, error)
        return data


class _DropForm(forms.Form):
    """What treebeard's drag and drop posts, limited to the units in scope."""

    node = forms.ModelChoiceField(queryset=Unit.objects.none())
    target = forms.ModelChoiceField(queryset=Unit.objects.none())
    relation = forms.ChoiceField(choices=(("child", "child"), ("sibling", "sibling")))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = units.select_related("parent")
        self.fields["target"].queryset = units.select_related("parent")


@admin.register(Unit)
class UnitAdmin(ScopedImportExportMixin, TreeAdmin):
    form = movenodeform_factory(Unit, form=UnitAdminForm)
    resource_classes = [UnitResource]
    manage_capability = "manage_units"
    list_display = ("name", "kind", "code", "area", "work_zone", "is_active")
    list_select_related = ("area", "work_zone")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    ordering = ("path",)

    def get_queryset(self, request):
        if request.user.is_superuser or not self._tree_top(request):
            return super().get_queryset(request)
        # The tree of a non-superuser starts at the units their roles are held at.
        request._treebeard_parent = None
        return Unit.objects.filter(path__in=access.scope_paths(request.user))

    def _tree_top(self, request) -> bool:
        """Is treebeard asking for the top level of the tree (not a level below, a search)?"""
        return (
            hasattr(request, "_treebeard_parent_id")
            and not request._treebeard_parent_id
            and not getattr(request, "_ignore_treebeard_filters", False)
            and not self.is_filtered(request)
        )

    def may_manage(self, request, obj) -> bool:
        # As on the unit pages: a role manages the units below where it is held, not that unit.
        return access.can(request.user, "manage_units", obj, strictly_above=True)

    def get_readonly_fields(self, request, obj=None):
        # The kind fixes where a unit may stand and what may stand under it.
        return ("kind",) if obj is not None else ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_form(self, request, form, change):
        # Skips MoveNodeForm.save(), which would write the tree at once; save_model writes.
        return forms.ModelForm.save(form, commit=False)

    def save_model(self, request, obj, form, change):
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if not name.startswith("treebeard_")
        }
        parent = form.cleaned_data.get("treebeard_ref_node")
        if not change:
            adopt(obj, services.unit_create(parent=parent, **data))
            return
        unit = Unit.objects.get(pk=obj.pk)
        if parent is not None and parent.pk != unit.parent_id:
            unit = services.unit_move(unit=unit, new_parent=parent)
        changed = {name: data[name] for name in form.changed_data if name in data}
        adopt(obj, services.unit_update(unit=unit, **changed))

    def move_node(self, request):
        """Drag and drop in the tree: a new parent goes through services.unit_move."""
        scoped = Unit.objects.for_user(request.user)
        form = _DropForm(request.POST, units=scoped)
        if not form.is_valid():
            return HttpResponseBadRequest("Invalid form data provided")
        node, target = form.cleaned_data["node"], form.cleaned_data["target"]
        new_parent = target if form.cleaned_data["relation"] == "child" else target.parent
        if (
            not self.has_change_permission(request, node)
            or new_parent is None
            or not (access.can(request.user, "manage_units", new_parent))
        ):
            messages.error(request, _("You may not move “%(unit)s” there.") % {"unit": node.name})
            raise PermissionDenied
        if new_parent.pk == node.parent_id:
            # Reordering among siblings leaves Unit.parent as it is: treebeard does that alone.
            return super().move_node(request)
        try:
            services.unit_move(unit=node, new_parent=new_parent)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseBadRequest("Invalid move")
        messages.info(
            request,
            _("Moved “%(unit)s” under “%(parent)s”.")
            % {"unit": node.name, "parent": new_parent.name},
        )
        return HttpResponse("OK")


@admin.register(Area)
class AreaAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_units"
    list_display = ("name", "district")
    list_select_related = ("district",)
    search_fields = ("name",)


@admin.register(WorkZone)
class WorkZoneAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_units"
    list_display = ("name", "township")
    list_select_related = ("township",)
    search_fields = ("name",)


class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = (
            "name",
            "gender",
            "phone",
            "id_number",
            "unit",
            "is_party_member",
            "party_joined_on",
            "posts",
            "note",
        )

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone"))

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data.get("id_number")) or None


# Shown instead of the full values to a role that may not see personal data.
_MASKED = {"phone": "masked_phone", "id_number": "masked_id_number"}


@admin.register(Person)
class PersonAdmin(ScopedImportExportMixin, admin.ModelAdmin):
    form = PersonAdminForm
    resource_classes = [PersonResource]
    manage_capability = "manage_people"
    fields = (*PersonAdminForm.Meta.fields, "user")
    readonly_fields = ("user", "masked_phone", "masked_id_number")
    list_display = ("name", "gender", "masked_phone", "unit", "is_party_member", "posts")
    list_select_related = ("unit",)
    list_filter = ("is_party_member",)
    search_fields = ("name",)
    autocomplete_fields = ("unit",)

    @admin.display(description=Person._meta.get_field("phone").verbose_name)
    def masked_phone(self, person):
        return person.phone_masked

    @admin.display(description=Person._meta.get_field("id_number").verbose_name)
    def masked_id_number(self, person):
        return person.id_number_masked

    def get_fields(self, request, obj=None):
        if obj is not None and not access.can(request.user, "view_personal_data", obj.unit):
            return [_MASKED.get(name, name) for name in self.fields]
        return self.fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            person = self.get_object(request, unquote(object_id))
            if (
                person is not None
                and (person.phone or person.id_number)
                and access.can(request.user, "view_personal_data", person.unit)
            ):
                # The page shows the full values: recorded as a reveal, as on the person page.
                services.person_reveal(person=person, actor=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            services.person_update(
                person=obj, **{name: form.cleaned_data[name] for name in form.changed_data}
            )
        else:
            adopt(obj, services.person_create(**form.cleaned_data))


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "unit", "role", "started_on", "ended_on")

    def clean(self):
        data = super().clean()
        unit, role = data.get("unit"), data.get("role")
        if unit and role and unit.kind not in Membership.ROLE_UNIT_KINDS[role]:
            self.add_error(
                "role",
                _("The role “%(role)s” cannot be held at a %(kind)s.")
                % {"role": Role(role).label, "kind": unit.get_kind_display()},
            )
        return data


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = MembershipAdminForm
    manage_capability = "manage_memberships"
    list_display = ("user", "role", "unit", "started_on", "ended_on")
    list_select_related = ("user", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name")
    autocomplete_fields = ("unit",)

    def get_readonly_fields(self, request, obj=None):
        # A membership is ended, not rewritten; once ended it is history.
        if obj is None:
            return ()
        return ("user", "unit", "role", "started_on", *(("ended_on",) if obj.ended_on else ()))

    def save_model(self, request, obj, form, change):
        if not change:
            adopt(
                obj,
                services.membership_add(
                    user=obj.user,
                    unit=obj.unit,
                    role=obj.role,
                    started_on=obj.started_on,
                    ended_on=obj.ended_on,
                    actor=request.user,
                ),
            )
        elif obj.ended_on is not None and "ended_on" in form.changed_data:
            services.membership_end(
                membership=Membership.objects.get(pk=obj.pk), on=obj.ended_on, actor=request.user
            )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "day", "created_at", "read_at")
    list_select_related = ("recipient",)
    list_filter = ("kind",)
    exclude = ("subject_type", "subject_id", "claim")

    def scope_queryset(self, request, queryset):
        # Not unit data: everyone but a superuser sees their own inbox only.
        return queryset if request.user.is_superuser else queryset.filter(recipient=request.user)

    def in_scope(self, request, obj) -> bool:
        return request.user.is_superuser or obj.recipient_id == request.user.pk


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "target", "unit", "row_count")
    list_select_related = ("actor", "unit")
    list_filter = ("action",)
    search_fields = ("target", "actor__username")


class CalendarAdminMixin(ScopedAdminMixin):
    """The working-day calendar is national, shared by every district: all staff with the
    model permission see it; superusers and district administrators keep it."""

    def scope_queryset(self, request, queryset):
        return queryset

    def in_scope(self, request, obj) -> bool:
        return True

    def _keeper(self, request) -> bool:
        return request.user.is_superuser or access.has_role(request.user, "district_admin")

    def holds_capability(self, request) -> bool:
        return self._keeper(request)

    def may_manage(self, request, obj) -> bool:
        return self._keeper(request)


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ("year",)

    def clean_year(self):
        year = self.cleaned_data["year"]
        # A known year without its days would count holidays as working days, silently.
        if not CalendarDay.objects.filter(date__year=year).exists():
            raise ValidationError(
                _(
                    "Record the holidays and make-up working days of %(year)s first, then mark "
                    "the year as known."
                )
                % {"year": year}
            )
        return year


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarAdminMixin, admin.ModelAdmin):
    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind", "source")
    search_fields = ("name",)
    date_hierarchy = "date"
    fields = ("date", "kind", "name", "source")
    readonly_fields = ("source",)

    def save_model(self, request, obj, form, change):
        # Entered or corrected by hand: a later library reload leaves the day alone.
        obj.source = CalendarSource.MANUAL
        super().save_model(request, obj, form, change)


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdminMixin, admin.ModelAdmin):
    form = CalendarYearForm
    list_display = ("year", "source", "loaded_at")
    fields = ("year", "source", "loaded_at")
    readonly_fields = ("source", "loaded_at")


# The ledger's models are kept in its own module; importing it registers them.
from governance.ledger import admin as ledger_admin  # noqa: E402, F401
