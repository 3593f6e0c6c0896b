"""Admin of the venues app.

Venue kinds, the service catalogue and the district's activity categories are edited here
(district administrators). Venues, their hours, upgrades and requests, activities,
registrations and weekly previews are written through the pages and services (which keep the
derived labels, the hours, the request statuses, the places and the waiting list consistent)
and are shown here read-only; contact, resident and registration phones are masked.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from governance.masking import mask_name, mask_phone
from venues.models import (
    Activity,
    ActivityCategory,
    OpeningSpan,
    Registration,
    ServiceMatter,
    ServiceRequest,
    Venue,
    VenueKind,
    VenueUpgrade,
    WeekPreview,
)


@admin.register(VenueKind)
class VenueKindAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_ledgers"
    list_display = ("name", "code", "district", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    list_select_related = ("district",)


@admin.register(ServiceMatter)
class ServiceMatterAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_ledgers"
    list_display = ("name", "provider_kind", "provider_name", "department", "district", "is_active")
    list_filter = ("provider_kind", "is_active")
    search_fields = ("name", "provider_name")
    list_select_related = ("district", "department")


class SpanInline(admin.TabularInline):
    model = OpeningSpan
    fields = ("period", "weekday", "start", "end", "state")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class UpgradeInline(SpanInline):
    model = VenueUpgrade
    fields = ("kind", "year", "funding", "note")


@admin.register(Venue)
class VenueAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "unit",
        "weekly_hours",
        "is_all_day",
        "open_on_holidays",
        "is_active",
    )
    list_filter = ("kind", "is_all_day", "open_on_holidays", "is_extended", "is_active")
    search_fields = ("name", "address")
    list_select_related = ("unit", "kind")
    exclude = ("contact_phone", "contact_name")
    readonly_fields = ("contact",)
    inlines = [SpanInline, UpgradeInline]

    @admin.display(description=_("contact person"))
    def contact(self, obj):
        return f"{mask_name(obj.contact_name)} {mask_phone(obj.contact_phone)}".strip()


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("matter", "kind", "venue", "resident", "status", "received_at", "relayed_to")
    list_filter = ("kind", "status")
    list_select_related = ("matter", "venue", "relayed_to")
    exclude = ("resident_name", "resident_phone")
    readonly_fields = ("resident",)
    date_hierarchy = "received_at"

    @admin.display(description=_("resident"))
    def resident(self, obj):
        return f"{mask_name(obj.resident_name)} {mask_phone(obj.resident_phone)}".strip()


# Activities --------------------------------------------------------------------------------


@admin.register(ActivityCategory)
class ActivityCategoryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_units"
    list_display = ("name", "code", "district", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    list_select_related = ("district",)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "starts_at", "unit", "venue", "category", "status", "attendance")
    list_filter = ("status", "category")
    search_fields = ("title",)
    date_hierarchy = "starts_at"
    list_select_related = ("unit", "venue", "category")
    exclude = ("description",)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("activity", "name", "masked_phone", "status", "source", "created_at")
    list_filter = ("status", "source")
    list_select_related = ("activity",)
    fields = ("activity", "name", "masked_phone", "status", "source", "created_at")
    readonly_fields = fields

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(WeekPreview)
class WeekPreviewAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("unit", "week_start", "status", "published_by", "published_at")
    list_filter = ("status",)
    list_select_related = ("unit", "published_by")
