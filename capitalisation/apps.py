from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ateliers.sections import ProposalSection, register_proposal_section


class CapitalisationConfig(AppConfig):
    name = "capitalisation"
    verbose_name = _("Capitalisation")

    def ready(self):
        # Models are loaded only now.
        from . import selectors

        register_proposal_section(
            ProposalSection(
                template_name="capitalisation/includes/proposal_sheets.html",
                context=selectors.proposal_section,
            )
        )
