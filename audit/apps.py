from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        # Every app's verbs.py, as the admin finds admin.py: the journal and the
        # admin know every verb even in a process that never imported a service.
        autodiscover_modules("verbs")
