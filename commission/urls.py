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
    path("seances/", views.SessionListView.as_view(), name="session_list"),
    path("seances/nouvelle/", views.SessionCreateView.as_view(), name="session_create"),
    path("seances/<id:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path(
        "seances/<id:pk>/modifier/",
        views.SessionUpdateView.as_view(),
        name="session_update",
    ),
    path(
        "seances/<id:pk>/points/<id:item_pk>/position/",
        views.ItemPositionView.as_view(),
        name="item_position",
    ),
    path(
        "seances/<id:pk>/points/<id:item_pk>/proces-verbal/",
        views.ItemMinutesView.as_view(),
        name="item_minutes",
    ),
    path(
        "seances/<id:pk>/cloture/",
        views.SessionCloseView.as_view(),
        name="session_close",
    ),
]
