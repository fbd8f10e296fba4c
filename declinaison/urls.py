from django.urls import path

from . import views

app_name = "declinaison"
urlpatterns = [
    path("", views.ProgrammingView.as_view(), name="programming"),
    path(
        "territoires/<short_slug:slug>/",
        views.TerritoryProgrammingView.as_view(),
        name="territory",
    ),
    path(
        "territoires/<short_slug:slug>/programmation.csv",
        views.TerritoryTableView.as_view(export_format="csv"),
        name="territory_csv",
    ),
    path(
        "territoires/<short_slug:slug>/programmation.xlsx",
        views.TerritoryTableView.as_view(export_format="xlsx"),
        name="territory_xlsx",
    ),
    path(
        "territoires/<short_slug:slug>/programmation.ods",
        views.TerritoryTableView.as_view(export_format="ods"),
        name="territory_ods",
    ),
    path(
        "territoires/<short_slug:slug>/programmation.pdf",
        views.TerritoryPdfView.as_view(),
        name="territory_pdf",
    ),
    path(
        "propositions/<id:pk>/nouvelle-action/",
        views.ActionCreateView.as_view(),
        name="action_create",
    ),
    path("actions/<id:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path(
        "actions/<id:pk>/modifier/",
        views.ActionUpdateView.as_view(),
        name="action_update",
    ),
    path(
        "actions/<id:pk>/avancement/",
        views.ActionProgressView.as_view(),
        name="action_progress",
    ),
]
