from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from governance.forms import SignInForm, ThrottledPasswordChangeForm

admin.site.site_header = _("Shanzhi administration")
admin.site.site_title = _("Shanzhi")
admin.site.index_title = _("Data management")

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=ThrottledPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ledger/", include("governance.ledger.urls")),
    path("grids/", include("grids.urls")),
    path("outreach/", include("outreach.urls")),
    path("venues/", include("venues.urls")),
    path("economy/", include("economy.urls")),
    path("teams/", include("teams.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("", include("governance.urls")),
]
