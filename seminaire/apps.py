from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeminaireConfig(AppConfig):
    name = "seminaire"
    verbose_name = _("Seminar")

    def ready(self):
        from cucs_portal.personal_data import register_retention

        from .retention import guests_purge

        # Guests without an account: SEMINAR_GUEST_RETENTION_MONTHS.
        register_retention("seminaire.guests", guests_purge)

    def recover_interrupted_work(self) -> dict:
        """Called by ``manage.py worker`` when it starts (cucs_portal): the
        e-mails' recovery, and the nightly purge of past guests
        (purge_tasks.py), always scheduled."""
        from .purge_tasks import recover_purge
        from .services import recover_interrupted_work

        return {**recover_interrupted_work(), **recover_purge()}
