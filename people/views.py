from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from .selectors import my_data_zip


class MyDataView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """« Mes données »: what the download holds, and the download."""

    template_name = "people/my_data.html"
    permission_required = "people.export_own_data"


class MyDataDownloadView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.export_own_data"

    def get(self, request, *args, **kwargs):
        day = timezone.localdate().isoformat()
        return HttpResponse(
            my_data_zip(request.user),
            content_type="application/zip",
            headers={
                "Content-Disposition": f'attachment; filename="mes-donnees-{day}.zip"'
            },
        )
