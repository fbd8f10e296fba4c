from django.urls import path, re_path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    re_path(
        r"^(?P<kind>personnes|organisations|invites)/$",
        views.UploadView.as_view(),
        name="upload",
    ),
    path("apercu/<uuid:token>/", views.PreviewView.as_view(), name="preview"),
    path("<id:pk>/annuler/", views.UndoView.as_view(), name="undo"),
]
