"""Admin of the duties part: the district's frequencies are edited here; duties and activities
are shown read-only (they are written through the pages and services, which check the tiers
and link the ledger items)."""

from django.contrib import admin

from governance.admin import ScopedAdminMixin
from outreach.models import ContactActivity, DutyPolicy, LiaisonDuty


@admin.register(DutyPolicy)
class DutyPolicyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_units"
    list_display = ("district", "tier", "frequency")
    list_select_related = ("district",)
    list_filter = ("tier", "frequency")


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LiaisonDuty)
class LiaisonDutyAdmin(ReadOnlyAdmin):
    list_display = (
        "holder",
        "tier",
        "scope_unit",
        "target_unit",
        "target_zone",
        "starts_on",
        "ends_on",
    )
    list_select_related = ("holder", "scope_unit", "target_unit", "target_zone")
    list_filter = ("tier",)
    search_fields = ("holder__name", "scope_unit__name")


@admin.register(ContactActivity)
class ContactActivityAdmin(ReadOnlyAdmin):
    list_display = ("held_on", "system", "unit", "leader", "people_reached")
    list_select_related = ("unit", "leader")
    list_filter = ("system",)
    search_fields = ("unit__name", "leader__name", "summary")
    date_hierarchy = "held_on"
