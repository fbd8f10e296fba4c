from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ateliers.sections import ProposalSection, register_proposal_section


class DeclinaisonConfig(AppConfig):
    name = "declinaison"
    verbose_name = _("Territorial declination")

    def ready(self):
        # Models are loaded only now.
        from . import selectors

        register_proposal_section(
            ProposalSection(
                template_name="declinaison/includes/proposal_actions.html",
                context=selectors.proposal_section,
                stylesheet="css/declinaison-pages.css",
            )
        )
