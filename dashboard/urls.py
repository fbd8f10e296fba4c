from django.urls import path

from . import views

# At the root, without a namespace: the name stays "dashboard".
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("recherche/", views.SearchView.as_view(), name="search"),
    path("aide/", views.HelpIndexView.as_view(), name="help"),
    path("aide/<short_slug:role>/", views.HelpRoleView.as_view(), name="help_role"),
    # The statements of the footer, public (dashboard/statements.py).
    path(
        "donnees-personnelles/", views.PersonalDataView.as_view(), name="personal_data"
    ),
    path("accessibilite/", views.AccessibilityView.as_view(), name="accessibility"),
    path("mentions-legales/", views.LegalNoticeView.as_view(), name="legal_notice"),
    path("plan-du-site/", views.SiteMapView.as_view(), name="site_map"),
]

# Mounted under /axes/ in the "axes" namespace (cucs_portal/urls.py): an axis's
# page gathers its proposals and the commission's decisions, so it lives on the
# top floor, while its address and name stay the axis's.
axis_urlpatterns = [
    path("<id:number>/", views.AxisDetailView.as_view(), name="detail"),
]
