from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeminaireConfig(AppConfig):
    name = "seminaire"
    verbose_name = _("Seminar")
