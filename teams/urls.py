"""The teams pages under one namespace ("teams:")."""

from django.urls import path

from teams.views import (
    assessments,
    brands,
    employment,
    figures,
    leaders,
    public,
    reserve,
    rules,
    salons,
    secondments,
    staffing,
    talent,
    training,
    workers,
)

app_name = "teams"

urlpatterns = [
    path("", figures.index, name="index"),
    path("figures/", figures.figures_page, name="figures"),
    path("rules/", rules.rules_page, name="rules"),
    path("rules/criteria/<int:pk>/", rules.criterion_edit, name="criterion-edit"),
    # training
    path("training/", training.training_list, name="training-list"),
    path("training/new/", training.training_create, name="training-create"),
    path("training/export.xlsx", training.training_export, name="training-export"),
    path("training/untrained/", training.untrained, name="untrained"),
    path("training/<int:pk>/", training.training_detail, name="training-detail"),
    path("training/<int:pk>/edit/", training.training_edit, name="training-edit"),
    path("training/<int:pk>/materials/", training.training_materials, name="training-materials"),
    path("training/<int:pk>/attend/", training.training_attend, name="training-attend"),
    path(
        "training/<int:pk>/remove/<int:person_pk>/",
        training.training_unattend,
        name="training-unattend",
    ),
    path("training/<int:pk>/import/", training.training_import, name="training-import"),
    # village leaders and reserve cadres
    path("leaders/", leaders.leader_list, name="leader-list"),
    path("leaders/new/", leaders.leader_create, name="leader-create"),
    path("leaders/<int:pk>/edit/", leaders.leader_edit, name="leader-edit"),
    path("reserve/", reserve.reserve_list, name="reserve-list"),
    path("reserve/new/", reserve.reserve_create, name="reserve-create"),
    path("reserve/export.xlsx", reserve.reserve_export, name="reserve-export"),
    path("reserve/shortfall/", reserve.reserve_shortfall, name="reserve-shortfall"),
    path("reserve/<int:pk>/leave/", reserve.reserve_leave, name="reserve-leave"),
    # community workers
    path("workers/", workers.worker_list, name="worker-list"),
    path("workers/new/", workers.worker_create, name="worker-create"),
    path("workers/<int:pk>/", workers.worker_detail, name="worker-detail"),
    path("workers/<int:pk>/to-reserve/", workers.worker_to_reserve, name="worker-to-reserve"),
    path("scores/<int:community_pk>/", assessments.scores, name="scores"),
    path("quarters/", assessments.quarters, name="quarters"),
    path("ranking/<int:township_pk>/", assessments.ranking, name="ranking"),
    path("ranking/<int:pk>/publish/", assessments.ranking_publish, name="ranking-publish"),
    path("ranking/<int:pk>/unpublish/", assessments.ranking_unpublish, name="ranking-unpublish"),
    path("public/ranking/<str:token>/", public.ranking_public, name="ranking-public"),
    path("secondments/", secondments.secondment_list, name="secondment-list"),
    path("secondments/new/", secondments.secondment_create, name="secondment-create"),
    path("secondments/<int:pk>/edit/", secondments.secondment_edit, name="secondment-edit"),
    # staffing
    path("staffing/", staffing.staffing, name="staffing"),
    path("staffing/new/", staffing.quota_set, name="quota-set"),
    path("staffing/<int:pk>/", staffing.quota_detail, name="quota-detail"),
    # brands
    path("brands/", brands.brand_list, name="brand-list"),
    path("brands/new/", brands.brand_create, name="brand-create"),
    path("brands/models/", brands.model_communities, name="model-communities"),
    path("brands/<int:pk>/", brands.brand_detail, name="brand-detail"),
    path("brands/<int:pk>/edit/", brands.brand_edit, name="brand-edit"),
    path("brands/<int:pk>/photo/", brands.brand_photo, name="brand-photo"),
    path("brands/photos/<int:photo_pk>/", brands.brand_photo_file, name="brand-photo-file"),
    # talent
    path("talent/", talent.talent_list, name="talent-list"),
    path("talent/new/", talent.talent_create, name="talent-create"),
    path("talent/requests/", talent.talent_requests, name="talent-requests"),
    path("talent/requests/new/", talent.talent_request_create, name="talent-request-create"),
    path(
        "talent/requests/<int:pk>/transition/",
        talent.talent_request_transition,
        name="talent-request-transition",
    ),
    path("salons/", salons.salon_list, name="salon-list"),
    path("salons/new/", salons.salon_create, name="salon-create"),
    path("salons/<int:pk>/", salons.salon_detail, name="salon-detail"),
    path("salons/<int:pk>/ideas/", salons.idea_create, name="idea-create"),
    path("ideas/<int:pk>/follow-up/", salons.idea_follow_up, name="idea-follow-up"),
    # employment
    path("gig/", employment.gig_list, name="gig-list"),
    path("gig/new/", employment.gig_create, name="gig-create"),
    path("jobs/", employment.posting_list, name="posting-list"),
    path("jobs/new/", employment.posting_create, name="posting-create"),
    path("jobs/<int:pk>/", employment.posting_detail, name="posting-detail"),
    path("jobs/<int:pk>/match/", employment.posting_match, name="posting-match"),
    path(
        "matches/<int:pk>/transition/",
        employment.placement_transition,
        name="placement-transition",
    ),
]
