"""The Django admin of the economy, scoped like every page (governance.admin.ScopedAdminMixin).

Catalogues, incomes, measures, enterprises and pairings may be corrected here by those who keep
them (manage_ledgers over their unit). Projects are shown with their milestones and funding
read-only: progress is a roll-up kept by economy.services, recorded on the project page.
"""

from django.contrib import admin

from economy.models import (
    DevelopmentModel,
    Enterprise,
    FundingSource,
    IncomeBand,
    IncomeMeasure,
    Milestone,
    Pairing,
    Project,
    ProsperityCompany,
    VillageIncome,
)
from governance.admin import ReadOnlyAdminMixin, ScopedAdminMixin

MANAGE = "manage_ledgers"


@admin.register(IncomeBand)
class IncomeBandAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = MANAGE
    list_display = ("name", "district", "lower", "upper")
    list_select_related = ("district",)


@admin.register(DevelopmentModel)
class DevelopmentModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = MANAGE
    list_display = ("name", "district", "order")
    list_select_related = ("district",)


@admin.register(VillageIncome)
class VillageIncomeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = MANAGE
    list_display = ("village", "year", "operating_income")
    list_select_related = ("village",)
    list_filter = ("year",)
    search_fields = ("village__name",)
    autocomplete_fields = ("village",)
    readonly_fields = ("recorded_by",)


@admin.register(IncomeMeasure)
class IncomeMeasureAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = MANAGE
    list_display = ("title", "village", "owner_name", "deadline", "status")
    list_select_related = ("village",)
    list_filter = ("status",)
    search_fields = ("title", "village__name", "owner_name")
    autocomplete_fields = ("village", "owner")


class MilestoneInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Milestone
    fields = ("name", "parent", "weight", "due_on", "progress", "done_on")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class FundingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FundingSource
    fields = ("kind", "amount", "note")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "owner_unit", "year", "status", "progress", "budget")
    list_select_related = ("owner_unit",)
    list_filter = ("status", "year")
    search_fields = ("name",)
    inlines = (MilestoneInline, FundingInline)


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = MANAGE
    list_display = ("name", "unit", "industry", "credit_code")
    list_select_related = ("unit",)
    search_fields = ("name", "credit_code")
    autocomplete_fields = ("unit",)


@admin.register(Pairing)
class PairingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = MANAGE
    list_display = ("village", "enterprise", "since", "ended_on")
    list_select_related = ("village", "enterprise")
    search_fields = ("village__name", "enterprise__name")
    autocomplete_fields = ("village", "enterprise")


@admin.register(ProsperityCompany)
class ProsperityCompanyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = MANAGE
    list_display = ("name", "township", "registered_capital", "founded_on")
    list_select_related = ("township",)
    search_fields = ("name",)
    autocomplete_fields = ("township",)
