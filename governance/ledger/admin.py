"""The ledger in the admin (imported by governance/admin.py, which holds the scoped mixins).

Items change only through governance.ledger.services, which record every step; the admin
shows them, edits the few fields item_edit allows, and leaves status and timestamps alone.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from governance import access
from governance.admin import ReadOnlyAdminMixin, ScopedAdminMixin, adopt
from governance.ledger import services as ledger_services
from governance.ledger.reviews import review_schedule_set
from governance.ledger.rules import may
from governance.models import (
    CategoryTimeLimit,
    ExtensionRequest,
    Ledger,
    LedgerEvent,
    LedgerItem,
    MatterCategory,
    ReviewDecision,
    ReviewMeeting,
    ReviewSchedule,
    Unit,
)


def _district_categories(user):
    """The matters catalogues of the districts a user works in (pages pick categories there)."""
    categories = MatterCategory.objects.all()
    if user.is_superuser:
        return categories
    return categories.filter(
        district__path__in=[p[: Unit.steplen] for p in access.scope_paths(user)]
    )


class _LedgerScopedMixin(ScopedAdminMixin):
    def scoped_choices(self, request, model):
        if model is MatterCategory:
            return _district_categories(request.user)
        return super().scoped_choices(request, model)


class MatterCategoryForm(forms.ModelForm):
    class Meta:
        model = MatterCategory
        fields = (
            "district",
            "parent",
            "code",
            "name",
            "department",
            "accept_limit",
            "handle_limit",
            "verify_limit",
            "limit_unit",
            "is_active",
        )

    def clean(self):
        data = super().clean()
        district, parent, department = (
            data.get("district"),
            data.get("parent"),
            data.get("department"),
        )
        if district and parent and parent.district_id != district.pk:
            self.add_error("parent", _("Choose a category of the same district."))
        if district and department and not department.path.startswith(district.path):
            self.add_error("department", _("Choose a department of the same district."))
        return data


class CategoryTimeLimitInline(admin.TabularInline):
    """Time limits per level are part of the category: whoever may change it changes them."""

    model = CategoryTimeLimit
    extra = 0
    fields = ("level", "accept_limit", "handle_limit", "verify_limit", "limit_unit")

    def _category_admin(self):
        return self.admin_site._registry[MatterCategory]

    def has_view_permission(self, request, obj=None):
        return self._category_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        category_admin = self._category_admin()
        if obj is None:
            return category_admin.has_add_permission(request)
        return category_admin.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


@admin.register(MatterCategory)
class MatterCategoryAdmin(_LedgerScopedMixin, admin.ModelAdmin):
    form = MatterCategoryForm
    inlines = [CategoryTimeLimitInline]
    manage_capability = "manage_ledgers"
    list_display = ("code", "name", "district", "department", "handle_limit", "limit_unit")
    list_select_related = ("district", "department")
    list_filter = ("is_active", "limit_unit")
    search_fields = ("code", "name")


class LedgerForm(forms.ModelForm):
    class Meta:
        model = Ledger
        fields = (
            "unit",
            "name",
            "kind",
            "prefix",
            "default_category",
            "default_handle_limit",
            "description",
            "is_active",
        )

    def clean(self):
        data = super().clean()
        unit, category = data.get("unit"), data.get("default_category")
        if unit and category and not unit.path.startswith(category.district.path):
            self.add_error("default_category", _("Choose a category of the ledger's district."))
        return data


@admin.register(Ledger)
class LedgerAdmin(_LedgerScopedMixin, admin.ModelAdmin):
    form = LedgerForm
    manage_capability = "manage_ledgers"
    list_display = ("name", "unit", "kind", "prefix", "default_category", "is_active")
    list_select_related = ("unit", "default_category")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "prefix")


class LedgerEventInline(admin.TabularInline):
    """The item's history, as the services wrote it: shown, never edited."""

    model = LedgerEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "actor", "from_status", "to_status", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_view_permission(self, request, obj=None):
        return True  # the item's own page decided already that the item is in scope

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LedgerItemForm(forms.ModelForm):
    """The fields item_edit may change, plus the version the form was filled in against."""

    # Not named "version": a model form may not name the model's non-editable field.
    form_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = LedgerItem
        fields = ("title", "description", "category", "long_term_mechanism", "handler")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if data.get("form_version") != self.instance.version:
            raise ValidationError(
                _("Someone else changed this item a moment ago. Reload the page and try again.")
            )
        category = data.get("category")
        if category and not self.instance.unit.path.startswith(category.district.path):
            self.add_error("category", _("Choose a category of the item's district."))
        return data


_ITEM_EDITABLE = LedgerItemForm.Meta.fields


@admin.register(LedgerItem)
class LedgerItemAdmin(_LedgerScopedMixin, admin.ModelAdmin):
    form = LedgerItemForm
    inlines = [LedgerEventInline]
    manage_capability = "handle_items"
    list_display = ("number", "title", "ledger", "unit", "responsible_unit", "status", "due_at")
    list_select_related = ("ledger", "unit", "responsible_unit")
    list_filter = ("status", "source")
    search_fields = ("number", "title")
    fields = (
        "number",
        "ledger",
        "source",
        *_ITEM_EDITABLE,
        "masked_resident_name",
        "masked_resident_phone",
        "unit",
        "responsible_unit",
        "handed_over_from",
        "measures",
        "result",
        "status",
        "close_reason",
        "satisfaction",
        "received_at",
        "accept_due_at",
        "due_at",
        "original_due_at",
        "accepted_at",
        "replied_at",
        "resolved_at",
        "verified_at",
        "closed_at",
        "reviewed_at",
        "supervised_at",
        "reopen_count",
        "form_version",
    )
    readonly_fields = tuple(
        name for name in fields if name not in (*_ITEM_EDITABLE, "form_version")
    )

    @admin.display(description=LedgerItem._meta.get_field("resident_name").verbose_name)
    def masked_resident_name(self, item):
        # In full only on the item's page, where showing it is recorded.
        return item.resident_name_masked

    @admin.display(description=LedgerItem._meta.get_field("resident_phone").verbose_name)
    def masked_resident_phone(self, item):
        return item.resident_phone_masked

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("ledger", "unit", "responsible_unit", "category", "handler")
        )

    def has_add_permission(self, request):
        return False  # items are registered on the ledger pages (item_create)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may(request.user, "edit", obj)

    def has_delete_permission(self, request, obj=None):
        # An item's history is the accountability record: only a superuser removes one.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        changed = {
            name: form.cleaned_data[name] for name in form.changed_data if name in _ITEM_EDITABLE
        }
        adopt(
            obj,
            ledger_services.item_edit(
                item=LedgerItem.objects.get(pk=obj.pk),
                actor=request.user,
                version=form.cleaned_data["form_version"],
                **changed,
            ),
        )


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "item",
        "status",
        "requested_by",
        "requested_at",
        "previous_due_at",
        "requested_due_at",
        "decided_by",
        "decided_at",
    )
    list_select_related = (
        "item__unit",
        "item__responsible_unit",
        "requested_by",
        "decided_by",
    )
    list_filter = ("status",)
    search_fields = ("item__number", "item__title")


class ReviewDecisionInline(admin.TabularInline):
    model = ReviewDecision
    extra = 0
    can_delete = False
    fields = ("item", "decision")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item")

    def has_view_permission(self, request, obj=None):
        return True  # shown on a meeting the user may already see

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Meetings are recorded on the review pages (review_meeting_record, which writes the
    decisions and the items' history); here their attendees and notes can be corrected."""

    inlines = [ReviewDecisionInline]
    manage_capability = "handle_items"
    list_display = ("held_on", "kind", "unit", "recorded_by")
    list_select_related = ("unit", "recorded_by")
    list_filter = ("kind",)
    fields = ("kind", "unit", "held_on", "attendees", "notes", "recorded_by", "created_at")
    readonly_fields = ("kind", "unit", "held_on", "recorded_by", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(ReviewSchedule)
class ReviewScheduleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "handle_items"
    list_display = ("unit", "weekday")
    list_select_related = ("unit",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit":
            # Villages and communities hold the weekly review.
            field.queryset = field.queryset.filter(kind__in=Unit.KINDS_BY_LEVEL[3])
        return field

    def get_readonly_fields(self, request, obj=None):
        return ("unit",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        adopt(
            obj,
            review_schedule_set(unit=obj.unit, weekday=obj.weekday, actor=request.user),
        )
