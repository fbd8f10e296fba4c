from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditLogView.as_view(), name="log"),
    path("export.csv", views.AuditExportView.as_view(), name="export"),
    path(
        "export.xlsx",
        views.AuditExportView.as_view(export_format="xlsx"),
        name="export_xlsx",
    ),
    path(
        "personnes/<id:pk>/anonymiser/",
        views.PersonEraseView.as_view(),
        name="person_erase",
    ),
    path(
        "export.ods",
        views.AuditExportView.as_view(export_format="ods"),
        name="export_ods",
    ),
]
