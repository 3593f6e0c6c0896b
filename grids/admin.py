"""The Django admin of the grids app, scoped like every other page (governance.admin).

Households are written through grids.services.households, so the same checks (duplicates,
full-width folding, ID numbers, tags of the grid's district) apply here as on the pages;
re-drawings, household moves and visit logs are records kept by the services and shown here
read-only. Phones and ID numbers are masked in lists, and in forms for a role that may not see
personal data.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from governance import access
from governance.admin import ReadOnlyAdminMixin, ScopedAdminMixin, adopt
from governance.uploads import validate_image
from grids.forms.households import HouseholdForm, managed_grids
from grids.models import (
    CareTag,
    GridAssignment,
    GridProfile,
    GridWorker,
    Household,
    HouseholdMove,
    Redraw,
    RoundPolicy,
    VisitLog,
)
from grids.services import households as services
from grids.services import workers as services_workers


@admin.register(GridProfile)
class GridProfileAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_units"
    list_display = ("grid", "kind", "dedicated_to")
    list_select_related = ("grid",)
    list_filter = ("kind",)
    search_fields = ("grid__name", "grid__code")
    readonly_fields = ("public_token",)
    autocomplete_fields = ("grid",)


class GridAssignmentInline(admin.TabularInline):
    """The worker's assignment history; assigning and ending go through GridAssignmentAdmin so
    that the grid worker role follows."""

    model = GridAssignment
    extra = 0
    can_delete = False
    readonly_fields = ("grid", "started_on", "ended_on")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GridWorker)
class GridWorkerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_people"
    list_display = ("person", "kind", "public_phone", "is_active")
    list_select_related = ("person",)
    list_filter = ("kind", "is_active")
    search_fields = ("person__name",)
    autocomplete_fields = ("person",)
    inlines = [GridAssignmentInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "photo":
            field.validators.append(validate_image)
        return field


@admin.register(GridAssignment)
class GridAssignmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Assign a worker to a grid, or end an assignment, through the services: the worker's
    login account gets (or loses) the grid worker role at the grid with it."""

    manage_capability = "manage_people"
    list_display = ("worker", "grid", "started_on", "ended_on")
    list_select_related = ("worker__person", "grid")
    search_fields = ("worker__person__name", "grid__name")
    autocomplete_fields = ("grid",)

    def get_readonly_fields(self, request, obj=None):
        return ("worker", "grid", "started_on") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if not change:
            saved = services_workers.grid_worker_assign(
                worker=obj.worker, grid=obj.grid, started_on=obj.started_on, actor=request.user
            )
            obj.pk = saved.pk
            if obj.ended_on:
                services_workers.grid_worker_unassign(
                    assignment=saved, ended_on=obj.ended_on, actor=request.user
                )
        elif "ended_on" in form.changed_data and obj.ended_on:
            services_workers.grid_worker_unassign(
                assignment=GridAssignment.objects.get(pk=obj.pk),
                ended_on=obj.ended_on,
                actor=request.user,
            )


@admin.register(CareTag)
class CareTagAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_units"
    list_display = ("name", "district", "visit_every_days")
    list_select_related = ("district",)
    search_fields = ("name",)


@admin.register(RoundPolicy)
class RoundPolicyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_units"
    list_display = ("district", "months", "remind_days_before_end")
    list_select_related = ("district",)


class HouseholdAdminForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = HouseholdForm.Meta.fields  # the same fields as the register's own form

    def clean(self):
        """The service's checks, so that a duplicate is a form error rather than a failure."""
        data = super().clean()
        grid = data.get("grid") or (self.instance.grid if self.instance.pk else None)
        fields = {k: v for k, v in data.items() if k in services.HOUSEHOLD_FIELDS}
        try:
            values = services.clean_household_values(fields)
            if grid is not None:
                merged = {
                    k: values.get(k, getattr(self.instance, k)) for k in services.HOUSEHOLD_FIELDS
                }
                services.check_duplicates(merged, grid, exclude_pk=self.instance.pk)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return data


_PERSONAL = {"head_phone": "masked_phone", "head_id_number": "masked_id_number"}


@admin.register(Household)
class HouseholdAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = HouseholdAdminForm
    manage_capability = "manage_households"
    list_display = (
        "place",
        "grid",
        "masked_head_name",
        "masked_phone",
        "members",
        "is_active",
        "last_visited_at",
    )
    list_select_related = ("grid",)
    list_filter = ("is_active", "tags")
    search_fields = ("building", "room", "address", "head_name")
    autocomplete_fields = ("grid",)
    filter_horizontal = ("tags",)
    readonly_fields = ("masked_phone", "masked_id_number", "is_active", "last_visited_at")

    @admin.display(description=Household._meta.get_field("head_name").verbose_name)
    def masked_head_name(self, household):
        return household.head_name_masked

    @admin.display(description=Household._meta.get_field("head_phone").verbose_name)
    def masked_phone(self, household):
        return household.head_phone_masked

    @admin.display(description=Household._meta.get_field("head_id_number").verbose_name)
    def masked_id_number(self, household):
        return household.head_id_number_masked

    def get_fields(self, request, obj=None):
        fields = list(HouseholdAdminForm.Meta.fields)
        if obj is not None:
            # A household changes grid only by a re-drawing (history kept).
            fields.remove("grid")
            fields += ["is_active", "last_visited_at"]
            if not access.can(request.user, "view_personal_data", obj.grid):
                fields = [_PERSONAL.get(name, name) for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "grid") if obj is not None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "grid":
            kwargs["queryset"] = managed_grids(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["queryset"] = services.care_tags_for(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Households are taken off the register (deactivated), not deleted: visits keep them.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.cleaned_data}
        tags = data.pop("tags", None)
        if change:
            data.pop("grid", None)
            changed = {k: v for k, v in data.items() if k in form.changed_data}
            adopt(
                obj,
                services.household_update(
                    household=Household.objects.get(pk=obj.pk),
                    actor=request.user,
                    tags=tags,
                    **changed,
                ),
            )
        else:
            adopt(
                obj,
                services.household_create(
                    grid=data.pop("grid"), actor=request.user, tags=tags or (), **data
                ),
            )

    def save_related(self, request, form, formsets, change):
        # The service set the tags; the form's own m2m save would set them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class HouseholdMoveInline(admin.TabularInline):
    model = HouseholdMove
    extra = 0
    can_delete = False
    fields = ("household", "from_grid", "to_grid")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("household", "from_grid", "to_grid")


@admin.register(Redraw)
class RedrawAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("community", "kind", "effective_on", "actor", "created_at")
    list_select_related = ("community", "actor")
    list_filter = ("kind",)
    search_fields = ("community__name", "reason")
    inlines = [HouseholdMoveInline]


@admin.register(HouseholdMove)
class HouseholdMoveAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("household", "from_grid", "to_grid", "redraw")
    list_select_related = ("household", "from_grid", "to_grid", "redraw__community")


@admin.register(VisitLog)
class VisitLogAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("visited_at", "household", "grid", "worker", "kind", "review_status")
    list_select_related = ("household", "grid", "worker")
    list_filter = ("kind", "review_status")
    date_hierarchy = "visited_at"
    exclude = ("latitude", "longitude", "accuracy_m")
