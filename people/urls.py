from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("mes-donnees/", views.MyDataView.as_view(), name="my_data"),
    path(
        "mes-donnees/telecharger/",
        views.MyDataDownloadView.as_view(),
        name="my_data_download",
    ),
]
