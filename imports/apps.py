from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Spreadsheet imports")

    def ready(self):
        from cucs_portal.personal_data import register_retention

        from .services import pending_expired_delete

        # The files waiting to be imported are kept IMPORT_PENDING_HOURS.
        register_retention("imports.pending", pending_expired_delete)
