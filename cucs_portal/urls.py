from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from axes.views import DashboardView
from referentiel.urls import share_urlpatterns

admin.site.site_header = _("Portail CUCS administration")
admin.site.site_title = _("Portail CUCS")
admin.site.index_title = _("Data of the portal")

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("compte/", include("django.contrib.auth.urls")),
    path("langue/", include("django.conf.urls.i18n")),
    path("axes/", include("axes.urls")),
    path("", include("ateliers.urls")),
    path("commission/", include("commission.urls")),
    path("journal/", include("audit.urls")),
    path("referentiel/", include("referentiel.urls")),
    path(
        "partage/",
        include((share_urlpatterns, "share")),
    ),
    path("admin/", admin.site.urls),
]
