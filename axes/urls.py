from django.urls import path

from . import views

app_name = "axes"
urlpatterns = [
    path("<id:number>/", views.AxisDetailView.as_view(), name="detail"),
]
