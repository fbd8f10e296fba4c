from django.urls import path

from . import views

app_name = "seminaire"
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("nouveau/", views.EventCreateView.as_view(), name="create"),
    path("<id:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("<id:pk>/modifier/", views.EventUpdateView.as_view(), name="update"),
    # The guests (the secretariat)
    path(
        "<id:pk>/invites/importer/",
        views.InvitationImportView.as_view(),
        name="import",
    ),
    path(
        "<id:pk>/invites/ajouter/",
        views.InvitationCreateView.as_view(),
        name="invitation_add",
    ),
    path(
        "<id:pk>/invites/<id:invitation_pk>/modifier/",
        views.InvitationUpdateView.as_view(),
        name="invitation_update",
    ),
    path(
        "<id:pk>/invites/<id:invitation_pk>/retirer/",
        views.InvitationRemoveView.as_view(),
        name="invitation_remove",
    ),
    path("<id:pk>/envoyer/", views.InvitationsSendView.as_view(), name="send"),
    path("<id:pk>/relancer/", views.InvitationsRemindView.as_view(), name="remind"),
    path(
        "<id:pk>/emargement.pdf",
        views.AttendancePdfView.as_view(),
        name="attendance_pdf",
    ),
    path("<id:pk>/invites.csv", views.InvitationExportView.as_view(), name="export"),
    path(
        "<id:pk>/invites.xlsx",
        views.InvitationExportView.as_view(export_format="xlsx"),
        name="export_xlsx",
    ),
    path(
        "<id:pk>/invites.ods",
        views.InvitationExportView.as_view(export_format="ods"),
        name="export_ods",
    ),
    # A guest's own reply, through the personal link of their e-mail
    path("reponse/<reply_key:key>/", views.ReplyView.as_view(), name="reply"),
]
