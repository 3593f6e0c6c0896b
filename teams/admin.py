"""The Django admin of the teams app: read-only and scoped (governance.admin).

Every write goes through the pages and teams.services, where the rules live (3 per village,
score versions, transitions); the admin is for looking things up across the district.
"""

from django.contrib import admin

from governance.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from teams import models


class TeamsAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    pass


@admin.register(models.TrainingSession)
class TrainingSessionAdmin(TeamsAdmin):
    list_display = ("held_on", "title", "tier", "topic", "unit")
    list_filter = ("tier", "topic")
    list_select_related = ("unit",)
    search_fields = ("title", "trainer")


@admin.register(models.ReserveCadre)
class ReserveCadreAdmin(TeamsAdmin):
    list_display = ("person", "village", "education", "source", "added_on", "removed_on")
    list_filter = ("education", "source")
    list_select_related = ("person", "village")
    search_fields = ("person__name", "village__name")


@admin.register(models.VillageLeader)
class VillageLeaderAdmin(TeamsAdmin):
    list_display = ("person", "village", "post", "term_start", "term_end")
    list_select_related = ("person", "village")
    search_fields = ("person__name", "village__name")


@admin.register(models.CommunityWorker)
class CommunityWorkerAdmin(TeamsAdmin):
    list_display = ("person", "community", "post", "started_on", "is_active")
    list_select_related = ("person", "community")
    search_fields = ("person__name", "community__name")


@admin.register(models.MonthlyScore)
class MonthlyScoreAdmin(TeamsAdmin):
    list_display = ("worker", "month", "total", "version", "updated_at")
    list_select_related = ("worker__person",)
    date_hierarchy = "month"


@admin.register(models.Secondment)
class SecondmentAdmin(TeamsAdmin):
    list_display = (
        "worker",
        "to_office",
        "started_on",
        "planned_end_on",
        "returned_on",
        "approved_on",
    )
    list_select_related = ("worker__person",)


@admin.register(models.StaffingQuota)
class StaffingQuotaAdmin(TeamsAdmin):
    list_display = ("township", "kind", "allocated", "filled")
    list_select_related = ("township",)


@admin.register(models.PartyBrand)
class PartyBrandAdmin(TeamsAdmin):
    list_display = ("name", "theme", "community", "year")
    list_select_related = ("community",)
    search_fields = ("name",)


@admin.register(models.TalentRequest)
class TalentRequestAdmin(TeamsAdmin):
    list_display = ("talent", "kind", "amount", "status", "submitted_on")
    list_select_related = ("talent__person",)
    list_filter = ("kind", "status")


@admin.register(models.GigWorker)
class GigWorkerAdmin(TeamsAdmin):
    list_display = ("person", "unit", "skills", "registered_on", "is_available")
    list_select_related = ("person", "unit")
    search_fields = ("person__name", "skills")
