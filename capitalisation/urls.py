from django.urls import path

from . import photo_views, views

app_name = "capitalisation"
urlpatterns = [
    path("", views.LibraryView.as_view(), name="library"),
    path("mes-fiches/", views.MySheetsView.as_view(), name="mine"),
    path("a-relire/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("fiches/nouvelle/", views.SheetCreateView.as_view(), name="create"),
    path("fiches/<id:pk>/", views.SheetDetailView.as_view(), name="detail"),
    path("fiches/<id:pk>/modifier/", views.SheetUpdateView.as_view(), name="update"),
    path("fiches/<id:pk>/soumettre/", views.SheetSubmitView.as_view(), name="submit"),
    path("fiches/<id:pk>/publier/", views.SheetPublishView.as_view(), name="publish"),
    path("fiches/<id:pk>/renvoyer/", views.SheetReturnView.as_view(), name="return"),
    path(
        "fiches/<id:pk>/photos/",
        photo_views.PhotoAddView.as_view(),
        name="photo_add",
    ),
    path(
        "fiches/<id:pk>/photos/<id:attachment_pk>/",
        photo_views.PhotoView.as_view(),
        name="photo",
    ),
    path(
        "fiches/<id:pk>/photos/<id:attachment_pk>/retirer/",
        photo_views.PhotoRemoveView.as_view(),
        name="photo_remove",
    ),
]
