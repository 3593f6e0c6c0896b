"""Admin of the outreach app.

Reception days, dual reporting and red property: scoped, read-only views of the rows.
Schedules, sessions, demands, postings, evaluations, contracts and complaints are written by the
services (outreach/services/reception.py, dual.py, property.py) through the
pages, where the rules (history kept, weights adding up to 100, one evaluation per period,
ledger items through the ledger services) are enforced; the admin shows them for support.

Liaison duties: the district's frequencies are edited here; duties and contact activities are
shown read-only (they are written through the pages and services, which check the tiers and
link the ledger items).
"""

from django.contrib import admin

from governance.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from outreach.models import (
    ContactActivity,
    DutyPolicy,
    Estate,
    EvaluationCriterion,
    LiaisonDuty,
    PropertyCompany,
    PropertyComplaint,
    PropertyContract,
    PropertyEvaluation,
    PropertyEvaluationScore,
    ReceptionDemand,
    ReceptionSchedule,
    ReceptionSession,
    ReportedMember,
    ServiceProject,
    ServiceRecord,
    UnitEvaluation,
    WorkUnit,
    WorkUnitPosting,
)


class _ReadOnly(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    pass


@admin.register(ReceptionSchedule)
class ReceptionScheduleAdmin(_ReadOnly):
    list_display = ("community", "weekday", "start_time", "end_time", "place", "valid_from")
    list_select_related = ("community",)
    list_filter = ("weekday",)
    search_fields = ("community__name", "place")


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(_ReadOnly):
    list_display = ("community", "date", "held_by", "attendance")
    list_select_related = ("community", "held_by")
    date_hierarchy = "date"
    search_fields = ("community__name",)


@admin.register(ReceptionDemand)
class ReceptionDemandAdmin(_ReadOnly):
    list_display = ("item", "session", "answered_on_spot")
    list_select_related = ("item", "session", "session__community")
    list_filter = ("answered_on_spot",)
    search_fields = ("item__number", "item__title")


class PostingInline(admin.TabularInline):
    model = WorkUnitPosting
    extra = 0
    can_delete = False
    fields = ("community", "started_on", "ended_on", "reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WorkUnit)
class WorkUnitAdmin(_ReadOnly):
    list_display = ("name", "kind", "district", "contact_name", "is_active")
    list_select_related = ("district",)
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    exclude = ("contact_phone",)
    inlines = [PostingInline]


@admin.register(ReportedMember)
class ReportedMemberAdmin(_ReadOnly):
    list_display = ("name", "community", "work_unit", "registered_on", "left_on")
    list_select_related = ("community", "work_unit")
    search_fields = ("name",)
    exclude = ("phone",)


@admin.register(ServiceProject)
class ServiceProjectAdmin(_ReadOnly):
    list_display = ("title", "community", "status", "starts_on", "ends_on")
    list_select_related = ("community",)
    list_filter = ("status",)
    search_fields = ("title",)


@admin.register(ServiceRecord)
class ServiceRecordAdmin(_ReadOnly):
    list_display = ("what", "community", "served_on", "hours", "work_unit", "member")
    list_select_related = ("community", "work_unit", "member")
    date_hierarchy = "served_on"


@admin.register(UnitEvaluation)
class UnitEvaluationAdmin(_ReadOnly):
    list_display = ("work_unit", "community", "period", "score", "grade")
    list_select_related = ("work_unit", "community")
    list_filter = ("period", "grade")


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(_ReadOnly):
    list_display = ("name", "credit_code", "district", "contact_name", "is_active")
    list_select_related = ("district",)
    search_fields = ("name", "credit_code")
    exclude = ("contact_phone",)


@admin.register(Estate)
class EstateAdmin(_ReadOnly):
    list_display = ("name", "community", "households")
    list_select_related = ("community",)
    search_fields = ("name",)


@admin.register(PropertyContract)
class PropertyContractAdmin(_ReadOnly):
    list_display = ("company", "estate", "started_on", "ended_on")
    list_select_related = ("company", "estate")


@admin.register(EvaluationCriterion)
class EvaluationCriterionAdmin(_ReadOnly):
    list_display = ("name", "weight", "district", "order", "is_active")
    list_select_related = ("district",)
    list_filter = ("is_active",)


class ScoreInline(admin.TabularInline):
    model = PropertyEvaluationScore
    extra = 0
    can_delete = False
    fields = ("name", "weight", "score")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PropertyEvaluation)
class PropertyEvaluationAdmin(_ReadOnly):
    list_display = ("company", "community", "period", "score")
    list_select_related = ("company", "community")
    list_filter = ("period",)
    inlines = [ScoreInline]


@admin.register(PropertyComplaint)
class PropertyComplaintAdmin(_ReadOnly):
    list_display = ("item", "company", "estate")
    list_select_related = ("item", "company", "estate")


# Liaison duties and contact activities ------------------------------------------------------


@admin.register(DutyPolicy)
class DutyPolicyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manage_capability = "manage_units"
    list_display = ("district", "tier", "frequency")
    list_select_related = ("district",)
    list_filter = ("tier", "frequency")


@admin.register(LiaisonDuty)
class LiaisonDutyAdmin(_ReadOnly):
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
class ContactActivityAdmin(_ReadOnly):
    list_display = ("held_on", "system", "unit", "leader", "people_reached")
    list_select_related = ("unit", "leader")
    list_filter = ("system",)
    search_fields = ("unit__name", "leader__name", "summary")
    date_hierarchy = "held_on"
