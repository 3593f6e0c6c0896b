"""Admin of the activities part.

The district's category list is edited here (district administrators). Activities,
registrations and weekly previews are shown read-only: they are written through the pages and
services, which keep the unit, the week, the places and the waiting list consistent.
Registration phones are masked.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from governance.masking import mask_phone
from venues.models import Activity, ActivityCategory, Registration, WeekPreview


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
