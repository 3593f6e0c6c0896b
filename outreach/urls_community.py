"""URLs of the community part (mounted by outreach/urls.py under "outreach:")."""

from django.urls import path

from outreach import views_dual, views_property, views_reception

urlpatterns = [
    # Reception day (书记接待日)
    path("reception/", views_reception.session_list, name="reception-session-list"),
    path("reception/schedules/", views_reception.schedule_list, name="reception-schedule-list"),
    path(
        "reception/schedules/<int:community_pk>/",
        views_reception.schedule_edit,
        name="reception-schedule-edit",
    ),
    path(
        "reception/new/<int:community_pk>/",
        views_reception.session_new,
        name="reception-session-new",
    ),
    path("reception/<int:pk>/", views_reception.session_detail, name="reception-session-detail"),
    path(
        "reception/<int:session_pk>/demands/",
        views_reception.demand_add,
        name="reception-demand-add",
    ),
    path("reception/figures/", views_reception.figures_page, name="reception-figures"),
    path(
        "reception/figures/demands/", views_reception.demand_list_page, name="reception-demand-list"
    ),
]

urlpatterns += [
    # Dual reporting (双报到)
    path("dual/", views_dual.unit_list, name="dual-unit-list"),
    path("dual/units/new/", views_dual.unit_new, name="dual-unit-new"),
    path("dual/units/<int:pk>/", views_dual.unit_detail, name="dual-unit-detail"),
    path("dual/units/<int:pk>/reassign/", views_dual.unit_reassign, name="dual-unit-reassign"),
    path("dual/units/<int:pk>/evaluate/", views_dual.evaluation_new, name="dual-evaluation-new"),
    path("dual/evaluations/<int:pk>/", views_dual.evaluation_detail, name="dual-evaluation-detail"),
    path("dual/members/", views_dual.member_list, name="dual-member-list"),
    path("dual/members/new/", views_dual.member_new, name="dual-member-new"),
    path("dual/projects/", views_dual.project_list, name="dual-project-list"),
    path("dual/projects/new/", views_dual.project_new, name="dual-project-new"),
    path("dual/projects/<int:pk>/", views_dual.project_detail, name="dual-project-detail"),
    path("dual/projects/<int:pk>/claim/", views_dual.project_claim, name="dual-project-claim"),
    path("dual/projects/<int:pk>/finish/", views_dual.project_finish, name="dual-project-finish"),
    path("dual/projects/<int:pk>/records/", views_dual.record_add, name="dual-record-add"),
    # Red property (红色物业)
    path("property/", views_property.company_list, name="property-company-list"),
    path("property/companies/new/", views_property.company_new, name="property-company-new"),
    path(
        "property/companies/<int:pk>/",
        views_property.company_detail,
        name="property-company-detail",
    ),
    path(
        "property/companies/<int:pk>/evaluate/",
        views_property.evaluation_new,
        name="property-evaluation-new",
    ),
    path(
        "property/companies/<int:pk>/complaint/",
        views_property.complaint_new,
        name="property-complaint-new",
    ),
    path(
        "property/evaluations/<int:pk>/",
        views_property.evaluation_detail,
        name="property-evaluation-detail",
    ),
    path("property/estates/", views_property.estate_list, name="property-estate-list"),
    path("property/estates/new/", views_property.estate_new, name="property-estate-new"),
    path(
        "property/estates/<int:estate_pk>/contract/",
        views_property.contract_new,
        name="property-contract-new",
    ),
    path("property/criteria/", views_property.criteria_edit, name="property-criteria"),
    path("property/ranking/", views_property.ranking, name="property-ranking"),
]

urlpatterns += [
    # Excel import and export of the dual-reporting and red-property registers
    path("dual/units/import/", views_dual.unit_import, name="dual-unit-import"),
    path("dual/units/export/", views_dual.unit_export, name="dual-unit-export"),
    path("dual/members/import/", views_dual.member_import, name="dual-member-import"),
    path("dual/members/export/", views_dual.member_export, name="dual-member-export"),
    path("dual/projects/import/", views_dual.project_import, name="dual-project-import"),
    path("dual/projects/export/", views_dual.project_export, name="dual-project-export"),
    path(
        "property/companies/import/", views_property.company_import, name="property-company-import"
    ),
    path(
        "property/companies/export/", views_property.company_export, name="property-company-export"
    ),
    path("property/estates/import/", views_property.estate_import, name="property-estate-import"),
    path("property/estates/export/", views_property.estate_export, name="property-estate-export"),
    path(
        "property/evaluations/import/",
        views_property.evaluation_import,
        name="property-evaluation-import",
    ),
    path(
        "property/evaluations/export/",
        views_property.evaluation_export,
        name="property-evaluation-export",
    ),
]
