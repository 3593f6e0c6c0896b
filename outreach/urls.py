"""The outreach pages under one namespace ("outreach:")."""

from django.urls import path

from outreach.views import contacts, dual, duties, property, reception

app_name = "outreach"

urlpatterns = [
    # Liaison duties (包联)
    path("duties/", duties.duty_matrix, name="duty-matrix"),
    path("duties/new/", duties.duty_new, name="duty-new"),
    path("duties/frequencies/", duties.duty_policy, name="duty-policy"),
    path("duties/export/", duties.duty_export, name="duty-export"),
    path("duties/import/", duties.duty_import, name="duty-import"),
    path("duties/<int:pk>/", duties.duty_detail, name="duty-detail"),
    path("duties/<int:pk>/reassign/", duties.duty_reassign_view, name="duty-reassign"),
    path("duties/<int:pk>/end/", duties.duty_end_view, name="duty-end"),
    # Contact activities (联系服务群众; the URL names keep "activity-")
    path("activities/", contacts.activity_list, name="activity-list"),
    path("activities/new/", contacts.activity_new, name="activity-new"),
    path("activities/figures/", contacts.activity_figures, name="activity-figures"),
    path("activities/problems/", contacts.activity_problems, name="activity-problems"),
    path("activities/export/", contacts.activity_export, name="activity-export"),
    path("activities/import/", contacts.activity_import, name="activity-import"),
    path("activities/<int:pk>/", contacts.activity_detail, name="activity-detail"),
    path("activities/photos/<int:pk>/", contacts.activity_photo, name="activity-photo"),
    # Reception day (书记接待日)
    path("reception/", reception.session_list, name="reception-session-list"),
    path("reception/schedules/", reception.schedule_list, name="reception-schedule-list"),
    path(
        "reception/schedules/<int:community_pk>/",
        reception.schedule_edit,
        name="reception-schedule-edit",
    ),
    path(
        "reception/new/<int:community_pk>/",
        reception.session_new,
        name="reception-session-new",
    ),
    path("reception/<int:pk>/", reception.session_detail, name="reception-session-detail"),
    path(
        "reception/<int:session_pk>/demands/",
        reception.demand_add,
        name="reception-demand-add",
    ),
    path("reception/figures/", reception.figures_page, name="reception-figures"),
    path("reception/figures/demands/", reception.demand_list_page, name="reception-demand-list"),
    # Dual reporting (双报到)
    path("dual/", dual.unit_list, name="dual-unit-list"),
    path("dual/units/new/", dual.unit_new, name="dual-unit-new"),
    path("dual/units/<int:pk>/", dual.unit_detail, name="dual-unit-detail"),
    path("dual/units/<int:pk>/reassign/", dual.unit_reassign, name="dual-unit-reassign"),
    path("dual/units/<int:pk>/evaluate/", dual.evaluation_new, name="dual-evaluation-new"),
    path("dual/evaluations/<int:pk>/", dual.evaluation_detail, name="dual-evaluation-detail"),
    path("dual/members/", dual.member_list, name="dual-member-list"),
    path("dual/members/new/", dual.member_new, name="dual-member-new"),
    path("dual/projects/", dual.project_list, name="dual-project-list"),
    path("dual/projects/new/", dual.project_new, name="dual-project-new"),
    path("dual/projects/<int:pk>/", dual.project_detail, name="dual-project-detail"),
    path("dual/projects/<int:pk>/claim/", dual.project_claim, name="dual-project-claim"),
    path("dual/projects/<int:pk>/finish/", dual.project_finish, name="dual-project-finish"),
    path("dual/projects/<int:pk>/records/", dual.record_add, name="dual-record-add"),
    # Red property (红色物业)
    path("property/", property.company_list, name="property-company-list"),
    path("property/companies/new/", property.company_new, name="property-company-new"),
    path(
        "property/companies/<int:pk>/",
        property.company_detail,
        name="property-company-detail",
    ),
    path(
        "property/companies/<int:pk>/evaluate/",
        property.evaluation_new,
        name="property-evaluation-new",
    ),
    path(
        "property/companies/<int:pk>/complaint/",
        property.complaint_new,
        name="property-complaint-new",
    ),
    path(
        "property/evaluations/<int:pk>/",
        property.evaluation_detail,
        name="property-evaluation-detail",
    ),
    path("property/estates/", property.estate_list, name="property-estate-list"),
    path("property/estates/new/", property.estate_new, name="property-estate-new"),
    path(
        "property/estates/<int:estate_pk>/contract/",
        property.contract_new,
        name="property-contract-new",
    ),
    path("property/criteria/", property.criteria_edit, name="property-criteria"),
    path("property/ranking/", property.ranking, name="property-ranking"),
]

urlpatterns += [
    # Excel import and export of the dual-reporting and red-property registers
    path("dual/units/import/", dual.unit_import, name="dual-unit-import"),
    path("dual/units/export/", dual.unit_export, name="dual-unit-export"),
    path("dual/members/import/", dual.member_import, name="dual-member-import"),
    path("dual/members/export/", dual.member_export, name="dual-member-export"),
    path("dual/projects/import/", dual.project_import, name="dual-project-import"),
    path("dual/projects/export/", dual.project_export, name="dual-project-export"),
    path("property/companies/import/", property.company_import, name="property-company-import"),
    path("property/companies/export/", property.company_export, name="property-company-export"),
    path("property/estates/import/", property.estate_import, name="property-estate-import"),
    path("property/estates/export/", property.estate_export, name="property-estate-export"),
    path(
        "property/evaluations/import/",
        property.evaluation_import,
        name="property-evaluation-import",
    ),
    path(
        "property/evaluations/export/",
        property.evaluation_export,
        name="property-evaluation-export",
    ),
]
