from django.urls import path

from . import views

app_name = "ateliers"
urlpatterns = [
    path("ateliers/", views.AtelierListView.as_view(), name="list"),
    path("ateliers/<int:pk>/", views.AtelierDetailView.as_view(), name="detail"),
    # Running an atelier (co-animators and the secretariat)
    path(
        "ateliers/<int:pk>/membres/", views.AtelierMembersView.as_view(), name="members"
    ),
    path(
        "ateliers/<int:pk>/membres/<int:membership_pk>/retirer/",
        views.MembershipRemoveView.as_view(),
        name="member_remove",
    ),
    path(
        "ateliers/<int:pk>/seances/nouvelle/",
        views.SessionCreateView.as_view(),
        name="session_create",
    ),
    path(
        "ateliers/<int:pk>/seances/<int:session_pk>/modifier/",
        views.SessionUpdateView.as_view(),
        name="session_update",
    ),
    path(
        "ateliers/<int:pk>/seances/<int:session_pk>/compte-rendu/",
        views.SessionRecordView.as_view(),
        name="session_record",
    ),
    path("ateliers/<int:pk>/enjeux/", views.EnjeuxView.as_view(), name="enjeux"),
    path(
        "ateliers/<int:pk>/enjeux/<int:enjeu_pk>/modifier/",
        views.EnjeuUpdateView.as_view(),
        name="enjeu_update",
    ),
    path(
        "ateliers/<int:pk>/enjeux/<int:enjeu_pk>/monter/",
        views.EnjeuMoveView.as_view(),
        {"direction": "up"},
        name="enjeu_up",
    ),
    path(
        "ateliers/<int:pk>/enjeux/<int:enjeu_pk>/descendre/",
        views.EnjeuMoveView.as_view(),
        {"direction": "down"},
        name="enjeu_down",
    ),
    # Proposals
    path("propositions/", views.ProposalListView.as_view(), name="proposal_list"),
    path(
        "ateliers/<int:pk>/propositions/nouvelle/",
        views.ProposalCreateView.as_view(),
        name="proposal_create",
    ),
    path(
        "propositions/<int:pk>/",
        views.ProposalDetailView.as_view(),
        name="proposal_detail",
    ),
    path(
        "propositions/<int:pk>/modifier/",
        views.ProposalUpdateView.as_view(),
        name="proposal_update",
    ),
    path(
        "propositions/<int:pk>/soumettre/",
        views.ProposalSubmitView.as_view(),
        name="proposal_submit",
    ),
    path(
        "propositions/<int:pk>/retirer/",
        views.ProposalWithdrawView.as_view(),
        name="proposal_withdraw",
    ),
    path(
        "propositions/<int:pk>/commentaires/",
        views.ProposalCommentView.as_view(),
        name="proposal_comment",
    ),
    path(
        "propositions/<int:pk>/historique/",
        views.ProposalHistoryView.as_view(),
        name="proposal_history",
    ),
]
