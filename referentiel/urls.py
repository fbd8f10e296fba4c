from django.urls import path

from . import views

app_name = "referentiel"
urlpatterns = [
    path("", views.EditionListView.as_view(), name="list"),
    path("nouvelle/", views.EditionCreateView.as_view(), name="create"),
    path("comparer/", views.EditionCompareView.as_view(), name="compare"),
    path("<int:pk>/", views.EditionDetailView.as_view(), name="detail"),
    path("<int:pk>/modifier/", views.EditionUpdateView.as_view(), name="update"),
    path("<int:pk>/apercu/", views.EditionPreviewView.as_view(), name="preview"),
    path(
        "<int:pk>/propositions/<int:proposal_pk>/",
        views.EditionEntryView.as_view(),
        name="entry",
    ),
    path("<int:pk>/publier/", views.EditionPublishView.as_view(), name="publish"),
    path(
        "<int:pk>/nouvelle-edition/",
        views.EditionStartFromView.as_view(),
        name="start_from",
    ),
    path("<int:pk>/pdf/generer/", views.EditionExportView.as_view(), name="export"),
    path("<int:pk>/pdf/etat/", views.EditionPdfStatusView.as_view(), name="pdf_status"),
    path("<int:pk>/pdf/", views.EditionPdfView.as_view(), name="pdf"),
    path("<int:pk>/liens/", views.ShareLinkCreateView.as_view(), name="share_create"),
    path(
        "liens/<int:pk>/revoquer/",
        views.ShareLinkRevokeView.as_view(),
        name="share_revoke",
    ),
]

share_urlpatterns = [
    path("<str:token>/", views.SharePageView.as_view(), name="page"),
    path("<str:token>/pdf/", views.ShareDownloadView.as_view(), name="pdf"),
]
