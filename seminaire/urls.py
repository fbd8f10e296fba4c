from django.urls import path

from . import views

app_name = "seminaire"
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("nouveau/", views.EventCreateView.as_view(), name="create"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("<int:pk>/modifier/", views.EventUpdateView.as_view(), name="update"),
    # The guests (the secretariat)
    path(
        "<int:pk>/invites/importer/",
        views.InvitationImportView.as_view(),
        name="import",
    ),
    path(
        "<int:pk>/invites/ajouter/",
        views.InvitationCreateView.as_view(),
        name="invitation_add",
    ),
    path(
        "<int:pk>/invites/<int:invitation_pk>/modifier/",
        views.InvitationUpdateView.as_view(),
        name="invitation_update",
    ),
    path(
        "<int:pk>/invites/<int:invitation_pk>/retirer/",
        views.InvitationRemoveView.as_view(),
        name="invitation_remove",
    ),
    path("<int:pk>/envoyer/", views.InvitationsSendView.as_view(), name="send"),
    path("<int:pk>/relancer/", views.InvitationsRemindView.as_view(), name="remind"),
    path(
        "<int:pk>/emargement.pdf",
        views.AttendancePdfView.as_view(),
        name="attendance_pdf",
    ),
    path("<int:pk>/invites.csv", views.InvitationExportView.as_view(), name="export"),
    # A guest's own reply, through the personal link of their e-mail
    path("reponse/<str:key>/", views.ReplyView.as_view(), name="reply"),
]
