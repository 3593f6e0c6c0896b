"""The teams pages under one namespace ("teams:")."""

from django.urls import path

from teams import views, views_more, views_workers

app_name = "teams"

urlpatterns = [
    path("", views.index, name="index"),
    path("figures/", views.figures_page, name="figures"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/criteria/<int:pk>/", views.criterion_edit, name="criterion-edit"),
    # training
    path("training/", views.training_list, name="training-list"),
    path("training/new/", views.training_create, name="training-create"),
    path("training/export.xlsx", views.training_export, name="training-export"),
    path("training/untrained/", views.untrained, name="untrained"),
    path("training/<int:pk>/", views.training_detail, name="training-detail"),
    path("training/<int:pk>/edit/", views.training_edit, name="training-edit"),
    path("training/<int:pk>/materials/", views.training_materials, name="training-materials"),
    path("training/<int:pk>/attend/", views.training_attend, name="training-attend"),
    path(
        "training/<int:pk>/remove/<int:person_pk>/",
        views.training_unattend,
        name="training-unattend",
    ),
    path("training/<int:pk>/import/", views.training_import, name="training-import"),
    # village leaders and reserve cadres
    path("leaders/", views.leader_list, name="leader-list"),
    path("leaders/new/", views.leader_create, name="leader-create"),
    path("leaders/<int:pk>/edit/", views.leader_edit, name="leader-edit"),
    path("reserve/", views.reserve_list, name="reserve-list"),
    path("reserve/new/", views.reserve_create, name="reserve-create"),
    path("reserve/export.xlsx", views.reserve_export, name="reserve-export"),
    path("reserve/shortfall/", views.reserve_shortfall, name="reserve-shortfall"),
    path("reserve/<int:pk>/leave/", views.reserve_leave, name="reserve-leave"),
    # community workers
    path("workers/", views_workers.worker_list, name="worker-list"),
    path("workers/new/", views_workers.worker_create, name="worker-create"),
    path("workers/<int:pk>/", views_workers.worker_detail, name="worker-detail"),
    path("workers/<int:pk>/to-reserve/", views_workers.worker_to_reserve, name="worker-to-reserve"),
    path("scores/<int:community_pk>/", views_workers.scores, name="scores"),
    path("quarters/", views_workers.quarters, name="quarters"),
    path("ranking/<int:township_pk>/", views_workers.ranking, name="ranking"),
    path("ranking/<int:pk>/publish/", views_workers.ranking_publish, name="ranking-publish"),
    path("ranking/<int:pk>/unpublish/", views_workers.ranking_unpublish, name="ranking-unpublish"),
    path("public/ranking/<str:token>/", views_workers.ranking_public, name="ranking-public"),
    path("secondments/", views_workers.secondment_list, name="secondment-list"),
    path("secondments/new/", views_workers.secondment_create, name="secondment-create"),
    path("secondments/<int:pk>/edit/", views_workers.secondment_edit, name="secondment-edit"),
    # staffing
    path("staffing/", views_more.staffing, name="staffing"),
    path("staffing/new/", views_more.quota_set, name="quota-set"),
    path("staffing/<int:pk>/", views_more.quota_detail, name="quota-detail"),
    # brands
    path("brands/", views_more.brand_list, name="brand-list"),
    path("brands/new/", views_more.brand_create, name="brand-create"),
    path("brands/models/", views_more.model_communities, name="model-communities"),
    path("brands/<int:pk>/", views_more.brand_detail, name="brand-detail"),
    path("brands/<int:pk>/edit/", views_more.brand_edit, name="brand-edit"),
    path("brands/<int:pk>/photo/", views_more.brand_photo, name="brand-photo"),
    path("brands/photos/<int:photo_pk>/", views_more.brand_photo_file, name="brand-photo-file"),
    # talent
    path("talent/", views_more.talent_list, name="talent-list"),
    path("talent/new/", views_more.talent_create, name="talent-create"),
    path("talent/requests/", views_more.talent_requests, name="talent-requests"),
    path("talent/requests/new/", views_more.talent_request_create, name="talent-request-create"),
    path(
        "talent/requests/<int:pk>/transition/",
        views_more.talent_request_transition,
        name="talent-request-transition",
    ),
    path("salons/", views_more.salon_list, name="salon-list"),
    path("salons/new/", views_more.salon_create, name="salon-create"),
    path("salons/<int:pk>/", views_more.salon_detail, name="salon-detail"),
    path("salons/<int:pk>/ideas/", views_more.idea_create, name="idea-create"),
    path("ideas/<int:pk>/follow-up/", views_more.idea_follow_up, name="idea-follow-up"),
    # employment
    path("gig/", views_more.gig_list, name="gig-list"),
    path("gig/new/", views_more.gig_create, name="gig-create"),
    path("jobs/", views_more.posting_list, name="posting-list"),
    path("jobs/new/", views_more.posting_create, name="posting-create"),
    path("jobs/<int:pk>/", views_more.posting_detail, name="posting-detail"),
    path("jobs/<int:pk>/match/", views_more.posting_match, name="posting-match"),
    path(
        "matches/<int:pk>/transition/",
        views_more.placement_transition,
        name="placement-transition",
    ),
]
