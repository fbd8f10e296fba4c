from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    name = "axes"
    verbose_name = _("Thematic axes")
