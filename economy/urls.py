from django.urls import path, re_path

from economy.views import (
    catalogue,
    companies,
    enterprises,
    figures,
    measures,
    pairings,
    projects,
    villages,
)

app_name = "economy"

# The four sheets share the URL names "import" and "export" (…/excel/<kind>/import/): one
# pattern per kind, each served by its noun's module.
SHEETS = {
    "incomes": (villages.income_import, villages.income_export),
    "measures": (measures.measure_import, measures.measure_export),
    "projects": (projects.project_import, projects.project_export),
    "pairings": (pairings.pairing_import, pairings.pairing_export),
}

urlpatterns = [
    path("", figures.figures_page, name="figures"),
    path("villages/", villages.village_list, name="village-list"),
    path("villages/<int:pk>/", villages.village_detail, name="village-detail"),
    path("villages/<int:pk>/income/", villages.income_record, name="income-record"),
    path("villages/<int:pk>/models/add/", villages.village_model_add, name="village-model-add"),
    path(
        "village-models/<int:pk>/remove/",
        villages.village_model_remove,
        name="village-model-remove",
    ),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/bands/save/", catalogue.band_save, name="band-save"),
    path("catalogue/bands/<int:pk>/delete/", catalogue.band_delete, name="band-delete"),
    path("catalogue/models/save/", catalogue.model_save, name="model-save"),
    path("measures/", measures.measure_list, name="measure-list"),
    path("measures/new/", measures.measure_create, name="measure-create"),
    path("measures/<int:pk>/edit/", measures.measure_edit, name="measure-edit"),
    path("measures/<int:pk>/status/", measures.measure_status, name="measure-status"),
    path("projects/", projects.project_list, name="project-list"),
    path("projects/new/", projects.project_create, name="project-create"),
    path("projects/<int:pk>/", projects.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project-edit"),
    path("projects/<int:pk>/status/", projects.project_status, name="project-status"),
    path("projects/<int:pk>/milestones/add/", projects.milestone_add, name="milestone-add"),
    path("projects/<int:pk>/funding/", projects.funding_set, name="funding-set"),
    path("projects/<int:pk>/files/add/", projects.attachment_add, name="attachment-add"),
    path("milestones/<int:pk>/record/", projects.milestone_record, name="milestone-record"),
    path("milestones/<int:pk>/delete/", projects.milestone_delete, name="milestone-delete"),
    path("files/<int:pk>/", projects.attachment_file, name="attachment-file"),
    path("pairings/", pairings.pairing_list, name="pairing-list"),
    path("pairings/new/", pairings.pairing_create, name="pairing-create"),
    path("pairings/<int:pk>/", pairings.pairing_detail, name="pairing-detail"),
    path("pairings/<int:pk>/results/", pairings.pairing_result, name="pairing-result"),
    path("pairings/<int:pk>/end/", pairings.pairing_end, name="pairing-end"),
    path("enterprises/", enterprises.enterprise_list, name="enterprise-list"),
    path("enterprises/new/", enterprises.enterprise_create, name="enterprise-create"),
    path("companies/", companies.company_list, name="company-list"),
    path("companies/new/", companies.company_create, name="company-create"),
    path("companies/<int:pk>/", companies.company_detail, name="company-detail"),
    path("companies/<int:pk>/shares/", companies.company_share, name="company-share"),
    path("companies/<int:pk>/years/", companies.company_year, name="company-year"),
    *(
        re_path(rf"^excel/(?P<kind>{kind})/import/$", views[0], name="import")
        for kind, views in SHEETS.items()
    ),
    *(
        re_path(rf"^excel/(?P<kind>{kind})/export/$", views[1], name="export")
        for kind, views in SHEETS.items()
    ),
]
