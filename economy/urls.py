from django.urls import path

from economy import views, views_excel, views_measures, views_pairing, views_projects

app_name = "economy"

urlpatterns = [
    path("", views.figures_page, name="figures"),
    path("villages/", views.village_list, name="village-list"),
    path("villages/<int:pk>/", views.village_detail, name="village-detail"),
    path("villages/<int:pk>/income/", views.income_record, name="income-record"),
    path("villages/<int:pk>/models/add/", views.village_model_add, name="village-model-add"),
    path(
        "village-models/<int:pk>/remove/", views.village_model_remove, name="village-model-remove"
    ),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/bands/save/", views.band_save, name="band-save"),
    path("catalogue/bands/<int:pk>/delete/", views.band_delete, name="band-delete"),
    path("catalogue/models/save/", views.model_save, name="model-save"),
    path("measures/", views_measures.measure_list, name="measure-list"),
    path("measures/new/", views_measures.measure_create, name="measure-create"),
    path("measures/<int:pk>/edit/", views_measures.measure_edit, name="measure-edit"),
    path("measures/<int:pk>/status/", views_measures.measure_status, name="measure-status"),
    path("projects/", views_projects.project_list, name="project-list"),
    path("projects/new/", views_projects.project_create, name="project-create"),
    path("projects/<int:pk>/", views_projects.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views_projects.project_edit, name="project-edit"),
    path("projects/<int:pk>/status/", views_projects.project_status, name="project-status"),
    path("projects/<int:pk>/milestones/add/", views_projects.milestone_add, name="milestone-add"),
    path("projects/<int:pk>/funding/", views_projects.funding_set, name="funding-set"),
    path("projects/<int:pk>/files/add/", views_projects.attachment_add, name="attachment-add"),
    path("milestones/<int:pk>/record/", views_projects.milestone_record, name="milestone-record"),
    path("milestones/<int:pk>/delete/", views_projects.milestone_delete, name="milestone-delete"),
    path("files/<int:pk>/", views_projects.attachment_file, name="attachment-file"),
    path("pairings/", views_pairing.pairing_list, name="pairing-list"),
    path("pairings/new/", views_pairing.pairing_create, name="pairing-create"),
    path("pairings/<int:pk>/", views_pairing.pairing_detail, name="pairing-detail"),
    path("pairings/<int:pk>/results/", views_pairing.pairing_result, name="pairing-result"),
    path("pairings/<int:pk>/end/", views_pairing.pairing_end, name="pairing-end"),
    path("enterprises/", views_pairing.enterprise_list, name="enterprise-list"),
    path("enterprises/new/", views_pairing.enterprise_create, name="enterprise-create"),
    path("companies/", views_pairing.company_list, name="company-list"),
    path("companies/new/", views_pairing.company_create, name="company-create"),
    path("companies/<int:pk>/", views_pairing.company_detail, name="company-detail"),
    path("companies/<int:pk>/shares/", views_pairing.company_share, name="company-share"),
    path("companies/<int:pk>/years/", views_pairing.company_year, name="company-year"),
    path("excel/<slug:kind>/import/", views_excel.excel_import, name="import"),
    path("excel/<slug:kind>/export/", views_excel.excel_export, name="export"),
]
