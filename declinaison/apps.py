from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeclinaisonConfig(AppConfig):
    name = "declinaison"
    verbose_name = _("Territorial declination")
