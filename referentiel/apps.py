from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferentielConfig(AppConfig):
    name = "referentiel"
    verbose_name = _("Référentiel")

    def ready(self):
        # Models are loaded only now.
        from cucs_portal.personal_data import register_archive, register_rewritten
        from cucs_portal.printed import register_printed_source

        from . import selectors

        register_printed_source(selectors.printed_renumbering)

        # A published edition is an archive of what was handed out: an
        # erasure leaves its frozen content, and its PDF's, as printed.
        register_archive(
            "referentiel.Edition", lambda rows: rows.filter(status="published")
        )
        register_archive(
            "referentiel.Rendition",
            lambda rows: rows.filter(
                pk__in=self.get_model("Edition")
                .objects.filter(status="published", rendition__isnull=False)
                .values("rendition_id")
            ),
        )
        # A draft's PDF rewritten by an erasure: its file still holds the
        # name, so it is removed and the PDF made again.
        from .services import renditions_rewritten

        register_rewritten("referentiel.Rendition", renditions_rewritten)

    def recover_interrupted_work(self) -> dict:
        """Called by ``manage.py worker`` when it starts (cucs_portal)."""
        from .services import recover_interrupted_work

        return recover_interrupted_work()
