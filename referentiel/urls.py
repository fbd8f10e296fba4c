from django.urls import path

from . import views

app_name = "referentiel"
urlpatterns = [
    path("", views.EditionListView.as_view(), name="list"),
    path("nouvelle/", views.EditionCreateView.as_view(), name="create"),
    path("comparer/", views.EditionCompareView.as_view(), name="compare"),
    path("<id:pk>/", views.EditionDetailView.as_view(), name="detail"),
    path("<id:pk>/modifier/", views.EditionUpdateView.as_view(), name="update"),
    path("<id:pk>/apercu/", views.EditionPreviewView.as_view(), name="preview"),
    path(
        "<id:pk>/propositions/<id:proposal_pk>/",
        views.EditionEntryView.as_view(),
        name="entry",
    ),
    path("<id:pk>/publier/", views.EditionPublishView.as_view(), name="publish"),
    path(
        "<id:pk>/nouvelle-edition/",
        views.EditionStartFromView.as_view(),
        name="start_from",
    ),
    path("<id:pk>/pdf/generer/", views.EditionExportView.as_view(), name="export"),
    path("<id:pk>/pdf/etat/", views.EditionPdfStatusView.as_view(), name="pdf_status"),
    path("<id:pk>/pdf/", views.EditionPdfView.as_view(), name="pdf"),
    path(
        "<id:pk>/odt/",
        views.EditionEditableView.as_view(fmt="odt"),
        name="odt",
    ),
    path(
        "<id:pk>/docx/",
        views.EditionEditableView.as_view(fmt="docx"),
        name="docx",
    ),
    path("<id:pk>/contenu.json", views.EditionContentView.as_view(), name="content"),
    path("<id:pk>/liens/", views.ShareLinkCreateView.as_view(), name="share_create"),
    path(
        "<id:pk>/relecture/ouvrir/",
        views.ReviewOpenView.as_view(),
        name="review_open",
    ),
    path(
        "relectures/<id:pk>/cloturer/",
        views.ReviewCloseView.as_view(),
        name="review_close",
    ),
    path("<id:pk>/commentaires/", views.CommentListView.as_view(), name="comments"),
    path(
        "<id:pk>/commentaires/nouveau/",
        views.CommentCreateView.as_view(),
        name="comment_create",
    ),
    path(
        "commentaires/<id:pk>/repondre/",
        views.CommentAnswerView.as_view(),
        name="comment_answer",
    ),
    path(
        "commentaires/<id:pk>/resoudre/",
        views.CommentResolveView.as_view(),
        name="comment_resolve",
    ),
    path(
        "commentaires/<id:pk>/rouvrir/",
        views.CommentReopenView.as_view(),
        name="comment_reopen",
    ),
    path(
        "liens/<id:pk>/revoquer/",
        views.ShareLinkRevokeView.as_view(),
        name="share_revoke",
    ),
]

share_urlpatterns = [
    path("<share_token:token>/", views.SharePageView.as_view(), name="page"),
    path("<share_token:token>/pdf/", views.ShareDownloadView.as_view(), name="pdf"),
    path(
        "<share_token:token>/odt/",
        views.ShareEditableView.as_view(fmt="odt"),
        name="odt",
    ),
    path(
        "<share_token:token>/docx/",
        views.ShareEditableView.as_view(fmt="docx"),
        name="docx",
    ),
]
