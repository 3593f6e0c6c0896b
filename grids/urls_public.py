"""URL patterns of the grid pages; see grids/urls.py.

The public grid page (亮身份) and its QR code need no sign-in; the rest is for staff.
"""

from django.urls import path

from grids import views_public

urlpatterns = [
    path("g/<str:token>/", views_public.public_grid, name="public-grid"),
    path(
        "g/<str:token>/workers/<int:worker_pk>/photo/",
        views_public.public_worker_photo,
        name="public-worker-photo",
    ),
    path("g/<str:token>/qr.svg", views_public.public_grid_qr, name="public-grid-qr"),
    path("workers/", views_public.worker_list, name="worker-list"),
    path("<int:grid_pk>/", views_public.grid_detail, name="grid-detail"),
    path("<int:grid_pk>/edit/", views_public.grid_edit, name="grid-edit"),
    path("<int:grid_pk>/assign/", views_public.grid_assign, name="grid-assign"),
    path("assignments/<int:pk>/end/", views_public.assignment_end, name="assignment-end"),
    path("<int:grid_pk>/poster/", views_public.grid_poster, name="grid-poster"),
    path("<int:grid_pk>/public/", views_public.grid_public_page, name="grid-public-page"),
]
