from django.urls import path

from . import attachment_views, views

app_name = "ateliers"
urlpatterns = [
    path("ateliers/", views.AtelierListView.as_view(), name="list"),
    path("ateliers/<id:pk>/", views.AtelierDetailView.as_view(), name="detail"),
    # Running an atelier (co-animators and the secretariat)
    path(
        "ateliers/<id:pk>/membres/", views.AtelierMembersView.as_view(), name="members"
    ),
    path(
        "ateliers/<id:pk>/membres/<id:membership_pk>/retirer/",
        views.MembershipRemoveView.as_view(),
        name="member_remove",
    ),
    path(
        "ateliers/<id:pk>/seances/nouvelle/",
        views.SessionCreateView.as_view(),
        name="session_create",
    ),
    path(
        "ateliers/<id:pk>/seances/<id:session_pk>/modifier/",
        views.SessionUpdateView.as_view(),
        name="session_update",
    ),
    path(
        "ateliers/<id:pk>/seances/<id:session_pk>/compte-rendu/",
        views.SessionRecordView.as_view(),
        name="session_record",
    ),
    path("ateliers/<id:pk>/enjeux/", views.EnjeuxView.as_view(), name="enjeux"),
    path(
        "ateliers/<id:pk>/enjeux/<id:enjeu_pk>/modifier/",
        views.EnjeuUpdateView.as_view(),
        name="enjeu_update",
    ),
    path(
        "ateliers/<id:pk>/enjeux/<id:enjeu_pk>/monter/",
        views.EnjeuMoveView.as_view(),
        {"direction": "up"},
        name="enjeu_up",
    ),
    path(
        "ateliers/<id:pk>/enjeux/<id:enjeu_pk>/descendre/",
        views.EnjeuMoveView.as_view(),
        {"direction": "down"},
        name="enjeu_down",
    ),
    # Proposals
    path("propositions/", views.ProposalListView.as_view(), name="proposal_list"),
    *(
        path(
            f"propositions/export.{export_format}",
            views.ProposalExportView.as_view(export_format=export_format),
            name=f"proposal_export_{export_format}",
        )
        for export_format in ("csv", "xlsx", "ods")
    ),
    path(
        "ateliers/<id:pk>/propositions/nouvelle/",
        views.ProposalCreateView.as_view(),
        name="proposal_create",
    ),
    path(
        "propositions/<id:pk>/",
        views.ProposalDetailView.as_view(),
        name="proposal_detail",
    ),
    path(
        "propositions/<id:pk>/modifier/",
        views.ProposalUpdateView.as_view(),
        name="proposal_update",
    ),
    path(
        "propositions/<id:pk>/soumettre/",
        views.ProposalSubmitView.as_view(),
        name="proposal_submit",
    ),
    path(
        "propositions/<id:pk>/prete/",
        views.ProposalSignalReadyView.as_view(),
        name="proposal_signal_ready",
    ),
    path(
        "propositions/<id:pk>/retirer/",
        views.ProposalWithdrawView.as_view(),
        name="proposal_withdraw",
    ),
    path(
        "propositions/<id:pk>/commentaires/",
        views.ProposalCommentView.as_view(),
        name="proposal_comment",
    ),
    path(
        "propositions/<id:pk>/suggestions/nouvelle/",
        views.SuggestionCreateView.as_view(),
        name="suggestion_create",
    ),
    path(
        "propositions/<id:pk>/suggestions/<id:suggestion_pk>/accepter/",
        views.SuggestionAcceptView.as_view(),
        name="suggestion_accept",
    ),
    path(
        "propositions/<id:pk>/suggestions/<id:suggestion_pk>/refuser/",
        views.SuggestionDeclineView.as_view(),
        name="suggestion_decline",
    ),
    path(
        "propositions/<id:pk>/historique/",
        views.ProposalHistoryView.as_view(),
        name="proposal_history",
    ),
    # Attached files (ateliers/attachment_views.py)
    path(
        "propositions/<id:pk>/pieces-jointes/",
        attachment_views.ProposalAttachmentAddView.as_view(),
        name="proposal_attachment_add",
    ),
    path(
        "propositions/<id:pk>/pieces-jointes/<id:attachment_pk>/",
        attachment_views.ProposalAttachmentDownloadView.as_view(),
        name="proposal_attachment",
    ),
    path(
        "propositions/<id:pk>/pieces-jointes/<id:attachment_pk>/retirer/",
        attachment_views.ProposalAttachmentRemoveView.as_view(),
        name="proposal_attachment_remove",
    ),
    path(
        "ateliers/<id:pk>/seances/<id:session_pk>/pieces-jointes/",
        attachment_views.SessionAttachmentAddView.as_view(),
        name="session_attachment_add",
    ),
    path(
        "ateliers/<id:pk>/seances/<id:session_pk>/pieces-jointes/<id:attachment_pk>/",
        attachment_views.SessionAttachmentDownloadView.as_view(),
        name="session_attachment",
    ),
    path(
        "ateliers/<id:pk>/seances/<id:session_pk>/pieces-jointes/<id:attachment_pk>/retirer/",
        attachment_views.SessionAttachmentRemoveView.as_view(),
        name="session_attachment_remove",
    ),
]
