from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferentielConfig(AppConfig):
    name = "referentiel"
    verbose_name = _("Référentiel")

    def ready(self):
        # Models are loaded only now.
        from cucs_portal.printed import register_printed_source

        from . import selectors

        register_printed_source(selectors.printed_renumbering)

    def recover_interrupted_work(self) -> dict:
        """Called by ``manage.py worker`` when it starts (cucs_portal)."""
        from .services import recover_interrupted_work

        return recover_interrupted_work()
