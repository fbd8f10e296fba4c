from django.urls import path

from . import views

app_name = "ateliers"
urlpatterns = [
    path("ateliers/", views.AtelierListView.as_view(), name="list"),
    path("ateliers/<int:pk>/", views.AtelierDetailView.as_view(), name="detail"),
    path(
        "propositions/<int:pk>/",
        views.ProposalDetailView.as_view(),
        name="proposal_detail",
    ),
]
