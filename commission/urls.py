from django.urls import path

from . import views

app_name = "commission"
urlpatterns = [
    path("tours/", views.RoundListView.as_view(), name="round_list"),
    path("tours/nouveau/", views.RoundCreateView.as_view(), name="round_create"),
    path("tours/<id:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path(
        "tours/<id:pk>/position/",
        views.PositionRecordView.as_view(),
        name="position_record",
    ),
    path("tours/<id:pk>/cloture/", views.RoundCloseView.as_view(), name="round_close"),
    path("propositions/", views.ReviewQueueView.as_view(), name="review_queue"),
    path(
        "propositions/<id:pk>/decision/",
        views.ProposalDecisionView.as_view(),
        name="proposal_decision",
    ),
]
