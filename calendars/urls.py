from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("", views.MyCalendarsView.as_view(), name="mine"),
    path("renouveler/", views.RenewPersonFeedView.as_view(), name="renew_person"),
    path(
        "atelier/<id:pk>/renouveler/",
        views.RenewAtelierFeedView.as_view(),
        name="renew_atelier",
    ),
    path(
        "atelier/<id:pk>/<feed_token:token>.ics",
        views.atelier_feed,
        name="atelier_feed",
    ),
    path(
        "personne/<id:pk>/<feed_token:token>.ics",
        views.person_feed,
        name="person_feed",
    ),
]
